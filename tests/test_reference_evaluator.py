"""Hand-written examples for every rule of the reference evaluator (`tests/reference_evaluator.py`).

Each case is (query text, event, expected). Queries go through the real parser, so these also pin
down what the parser hands the evaluator; a few cases build the AST directly where the parser
cannot express the shape.
"""

from __future__ import annotations

from typing import Any

import pytest

from auth0_logq.engine import ast
from auth0_logq.engine.parser import parse

from .reference_evaluator import (
    DEFAULT_FIELDS,
    TYPED_FIELDS,
    QueryNotEvaluable,
    dotted_leaves,
    evaluate,
    json_path_values,
    validate,
    wildcard_regex,
)

Case = tuple[str, dict[str, Any], bool]


def matches(text: str, event: dict[str, Any]) -> bool:
    return evaluate(parse(text).query, event)


def check(cases: list[Case]) -> Any:
    return pytest.mark.parametrize(("query", "event", "expected"), cases, ids=[f"{q} | {e}" for q, e, _ in cases])


# ---------------------------------------------------------------------------------------------
# Fields


def test_field_lists_agree_with_the_field_table() -> None:
    """The evaluator spells its field lists out; they must be Auth0's, as `fields.py` records them."""
    from auth0_logq.engine import fields

    assert TYPED_FIELDS == tuple(f.name for f in fields.FIELDS)
    assert sorted(DEFAULT_FIELDS) == sorted(fields.DEFAULT_FIELDS)


TYPED_KEYWORD_CASES: list[Case] = [
    ("type:s", {"type": "s"}, True),
    ("type:s", {"type": "S"}, False),  # case-sensitive
    ("type:s", {"type": "ss"}, False),  # whole value
    ("type:s", {}, False),
    ("type:s", {"type": None}, False),
    ("type:s", {"type": ["s"]}, False),  # a list is no value for a typed field
    ("type:s", {"type": {"s": 1}}, False),
    ("client_id:true", {"client_id": True}, True),
    ("client_id:false", {"client_id": False}, True),
    ("client_id:true", {"client_id": "true"}, True),
    ("client_id:42", {"client_id": 42}, True),
    ("client_id:42.0", {"client_id": 42}, False),  # json.dumps(42) == "42": compared as text
    ("client_id:1.5", {"client_id": 1.5}, True),
    ("client_id:tr*", {"client_id": True}, True),  # converted value is a string value
    ('user_name:"john doe"', {"user_name": "john doe"}, True),
    ("user_name:(john doe)", {"user_name": "john doe"}, True),  # multi-word value
    ("user_name:john doe", {"user_name": "john doe"}, False),  # user_name:john OR <default>:doe
    ('description:""', {"description": ""}, True),
    ('description:""', {}, False),
    ("log_id:900a", {"_id": "900a"}, True),  # log_id falls back to _id
    ("log_id:900a", {"log_id": "900b", "_id": "900a"}, False),
    ("log_id:900a", {"log_id": None, "_id": "900a"}, False),  # present (null): no fallback
    ("user_name:Zoë", {"user_name": "Zoë"}, True),
    ("user_name:Zoe", {"user_name": "Zoë"}, False),
]


@check(TYPED_KEYWORD_CASES)
def test_typed_keyword_fields(query: str, event: dict[str, Any], expected: bool) -> None:
    assert matches(query, event) is expected


DEFAULT_FIELD_CASES: list[Case] = [
    ("jane", {"user_name": "jane"}, True),
    ("jane", {"description": "jane"}, True),
    ("jane", {"client_name": "jane"}, True),
    ("jane", {"connection": "jane"}, True),
    ("10.0.0.1", {"ip": "10.0.0.1"}, True),
    ("900a", {"log_id": "900a"}, True),
    ("900a", {"_id": "900a"}, True),
    ("s", {"type": "s"}, True),
    ("jane", {"user_id": "jane"}, False),  # user_id is not a default field
    ("jane", {"hostname": "jane"}, False),
    ("jane", {"details": {"user_name": "jane"}}, False),
    ('"2024-01-10T00:00:00.000Z"', {"date": "2024-01-10T00:00:00.000Z"}, False),  # date is not default
    ("ja*", {"user_name": "jane"}, True),
    ("j?ne", {"user_name": "jane"}, True),
    ("/j.*/", {"description": "jane"}, True),
    ("jane~1", {"connection": "jone"}, True),
    ("[a TO c]", {"type": "b"}, True),
    ("[a TO c]", {"user_id": "b"}, False),
    ("*", {"ip": ""}, True),  # bare * = exists on any default field
    ("*", {"user_id": "x", "date": "2024-01-10T00:00:00.000Z"}, False),
    ("*", {"log_id": None, "_id": "1"}, False),
    ("*", {"_id": "1"}, True),
    ("jane", {"user_name": True}, False),
    ("true", {"user_name": True}, True),
]


@check(DEFAULT_FIELD_CASES)
def test_default_fields(query: str, event: dict[str, Any], expected: bool) -> None:
    assert matches(query, event) is expected


PROMPTS = {"details": {"prompts": [{"name": "login", "elapsedTime": 5}, {"name": "consent", "elapsedTime": None}]}}
NESTED = {"a": [[{"b": [1, [2]]}], {"b": {"c": "x"}}, None, "str"]}

JSON_PATH_CASES: list[Case] = [
    ("details.prompts.name:login", PROMPTS, True),
    ("details.prompts.name:consent", PROMPTS, True),
    ("details.prompts.name:lock", PROMPTS, False),
    ("details.prompts:login", PROMPTS, False),  # objects are not values
    ("details.prompts.elapsedTime:5", PROMPTS, True),
    ("scope:openid", {"scope": "openid"}, True),
    ("scope:openid", {"scope": ["openid", "profile"]}, True),
    ("scope:openid", {"scope": "openid profile"}, False),  # not tokenised
    ('scope:"openid profile"', {"scope": "openid profile"}, True),
    ("scope:openid", {"scope": [["x"], ["openid"]]}, True),  # arrays flattened at any depth
    ("scope:openid", {"scope": []}, False),
    ("scope:openid", {"scope": None}, False),
    ("a.b:1", NESTED, True),
    ("a.b:2", NESTED, True),
    ("a.b.c:x", NESTED, True),
    ("a.b:x", NESTED, False),
    ("a:str", NESTED, True),
    ("isMobile:true", {"isMobile": True}, True),
    ("isMobile:true", {"isMobile": False}, False),
    ("isMobile:false", {"isMobile": False}, True),
    ("isMobile:true", {"isMobile": "true"}, True),
    ("isMobile:True", {"isMobile": True}, False),
    ("isMobile:1", {"isMobile": True}, False),
    ("details.stats.loginsCount:10", {"details": {"stats": {"loginsCount": 10}}}, True),
    ("details.stats.loginsCount:10.0", {"details": {"stats": {"loginsCount": 10}}}, True),
    ("details.stats.loginsCount:1e1", {"details": {"stats": {"loginsCount": 10}}}, True),
    ("details.stats.loginsCount:10", {"details": {"stats": {"loginsCount": 10.0}}}, True),
    ("details.stats.loginsCount:10", {"details": {"stats": {"loginsCount": "10"}}}, True),
    ("details.stats.loginsCount:10.0", {"details": {"stats": {"loginsCount": "10"}}}, False),
    ("details.stats.loginsCount:inf", {"details": {"stats": {"loginsCount": 10}}}, False),
    ("details.stats.loginsCount:ten", {"details": {"stats": {"loginsCount": 10}}}, False),
    ("details.stats.loginsCount:1", {"details": {"stats": {"loginsCount": True}}}, False),  # bools are not numbers
    ("location_info.country_code:US", {"location_info": {"country_code": "US"}}, True),
    ("location_info.country_code:US", {"location_info": "US"}, False),
    ("no_such_field:x", {"x": "x"}, False),
    ("details.request.method:GET", {"details": "GET"}, False),
    ("user_name.first:jane", {"user_name": "jane"}, False),
    # string-only leaves on JSON values
    ("details.stats.loginsCount:1*", {"details": {"stats": {"loginsCount": 10}}}, False),
    ("details.stats.loginsCount:1*", {"details": {"stats": {"loginsCount": "10"}}}, True),
    ("isMobile:tr*", {"isMobile": True}, False),
    ("isMobile:/true/", {"isMobile": True}, False),
    ("isMobile:tru~1", {"isMobile": True}, False),
    ("details.prompts.name:log*", PROMPTS, True),
    ("details.prompts.name:?ogin", PROMPTS, True),
    ("details.prompts.name:/con.*/", PROMPTS, True),
    ("details.prompts.name:logon~1", PROMPTS, True),
]


@check(JSON_PATH_CASES)
def test_json_paths(query: str, event: dict[str, Any], expected: bool) -> None:
    assert matches(query, event) is expected


def test_json_path_walk() -> None:
    assert json_path_values(NESTED, "a.b") == [1, 2]
    assert json_path_values(NESTED, "a") == ["str"]
    assert json_path_values({"a": [None, 0, False, ""]}, "a") == [0, False, ""]
    assert json_path_values({"a": {"b": None}}, "a.b") == []


def test_dotted_leaves() -> None:
    assert list(dotted_leaves(NESTED)) == [("a.b", 1), ("a.b", 2), ("a.b.c", "x"), ("a", None), ("a", "str")]
    assert list(dotted_leaves({"a": {}, "b": [], "c": [{}]})) == []


STAR_AND_PATTERN_CASES: list[Case] = [
    ("*:jane", {"details": {"who": ["x", {"name": "jane"}]}}, True),
    ("*:jane", {"user_name": "jane"}, True),
    ("*:jane", {"user_name": "JANE"}, False),
    ("*:10", {"details": {"n": 10.0}}, True),
    ("*:true", {"isMobile": True}, True),
    ("*:900a", {"_id": "900a"}, True),
    ("*:2024-01-10", {"date": "2024-01-10T00:00:00.000Z"}, False),  # JSON semantics: no date parsing
    ("*:ja*", {"a": ["jane"]}, True),
    ("*:[5 TO 20]", {"a": "10", "b": 7}, True),
    ("*:[5 TO 20]", {"a": "10"}, False),
    ("details.\\*:x", {"details": {"a": {"b": "x"}}}, True),
    ("details.\\*:x", {"details": {"a": [{"b": "x"}]}}, True),
    ("details.\\*:x", {"other": {"a": "x"}}, False),
    ("details.\\*:x", {"details": "x"}, False),  # "details.*" needs something after the dot
    ("details.\\*:x", {"detailsX": {"a": "x"}}, False),
    ("details.request.\\*:GET", {"details": {"request": {"method": "GET"}}}, True),
    ("details.request.\\*:GET", {"details": {"response": {"method": "GET"}}}, False),
    ("details.\\*.name:login", PROMPTS, True),
    ("\\*name:login", PROMPTS, True),
    ("\\*name:login", {"user_name": "login"}, True),
    ("us\\*:jane", {"user_name": "jane"}, True),
    ("us\\*:jane", {"details": {"user_name": "jane"}}, False),
    ("details.\\*:10", {"details": {"n": 10}}, True),
    ("details.\\*:true", {"details": {"flag": True}}, True),
    ("_exists_:details.\\*", {"details": {"a": None, "b": [None]}}, False),
    ("_exists_:details.\\*", {"details": {"a": None, "b": [None, ""]}}, True),
    ("_exists_:\\*", {}, True),  # field "*": always true
]


@check(STAR_AND_PATTERN_CASES)
def test_star_and_field_patterns(query: str, event: dict[str, Any], expected: bool) -> None:
    assert matches(query, event) is expected


# ---------------------------------------------------------------------------------------------
# Leaves


PREFIX_WILDCARD_REGEX_FUZZY_CASES: list[Case] = [
    ("user_name:ja*", {"user_name": "jane"}, True),
    ("user_name:ja*", {"user_name": "Jane"}, False),
    ("user_name:jane*", {"user_name": "jane"}, True),
    ("user_name:a\\*b*", {"user_name": "a*bc"}, True),  # escaped star in a prefix is literal
    ("user_name:a\\*b*", {"user_name": "axbc"}, False),
    ("user_name:j?ne", {"user_name": "jane"}, True),
    ("user_name:j?ne", {"user_name": "jne"}, False),
    ("user_name:j?ne", {"user_name": "jaane"}, False),
    ("user_name:j*e", {"user_name": "je"}, True),
    ("user_name:j*e", {"user_name": "jane doe"}, True),
    ("user_name:j*e", {"user_name": "jane doe!"}, False),  # whole value
    ("user_name:?", {"user_name": "ü"}, True),  # one character, not one byte
    ("user_name:?", {"user_name": "用"}, True),
    ("user_name:a\\?*", {"user_name": "a?b"}, True),
    ("user_name:a\\?*", {"user_name": "axb"}, False),
    ("user_name:a\\\\*", {"user_name": "a\\b"}, True),
    ("user_name:*\\*?", {"user_name": "x*y"}, True),
    ("user_name:*\\*?", {"user_name": "xyz"}, False),
    ("user_name:a%?", {"user_name": "a%b"}, True),  # SQL LIKE metacharacters are literal
    ("user_name:a%?", {"user_name": "axb"}, False),
    ("user_name:a_?", {"user_name": "axb"}, False),
    ("user_name:a\\[b\\]?", {"user_name": "a[b]c"}, True),
    ("user_name:a\\[b\\]?", {"user_name": "abc"}, False),
    ("user_name:*", {"user_name": ""}, True),  # exists
    ("user_name:/jan.*/", {"user_name": "jane"}, True),
    ("user_name:/an/", {"user_name": "jane"}, False),  # whole value
    ("user_name:/[a-z]+/", {"user_name": "jane doe"}, False),
    ("user_name:/a.c/", {"user_name": "a\nc"}, True),  # Lucene "." is any character
    ("user_name:jane~1", {"user_name": "jan"}, True),
    ("user_name:jane~1", {"user_name": "jnae"}, True),  # a swap is one edit
    ("user_name:jane~1", {"user_name": "jo"}, False),
    ("user_name:jane~0", {"user_name": "jane"}, True),
    ("user_name:jane~0", {"user_name": "jan"}, False),
    ("user_name:jane~2", {"user_name": "jo"}, False),
    ("user_name:jane~2", {"user_name": "joan"}, True),
]


@check(PREFIX_WILDCARD_REGEX_FUZZY_CASES)
def test_prefix_wildcard_regex_fuzzy(query: str, event: dict[str, Any], expected: bool) -> None:
    assert matches(query, event) is expected


def test_wildcard_translation() -> None:
    assert wildcard_regex("a*b?c").fullmatch("aXXb1c")
    assert wildcard_regex("a\\*").fullmatch("a*")
    assert not wildcard_regex("a\\*").fullmatch("ab")
    assert wildcard_regex("a\\").fullmatch("a\\")  # a lone trailing backslash is literal
    assert wildcard_regex("*").fullmatch("line\nbreak")
    assert wildcard_regex("a.b").fullmatch("a.b") and not wildcard_regex("a.b").fullmatch("axb")


def test_direct_ast_leaves() -> None:
    """Shapes the parser would not produce from text this simply."""
    event = {"user_name": "a*b", "details": {"x": "a*b"}}
    assert evaluate(ast.Wildcard("user_name", "a\\*b"), event)
    assert not evaluate(ast.Wildcard("user_name", "a\\*c"), event)
    assert evaluate(ast.Prefix("details.x", "a*"), event)
    assert evaluate(ast.Fuzzy(None, "a*c", 1), event)
    assert evaluate(ast.Term("details.x", "a*b"), event)


DATE_CASES: list[Case] = [
    ("date:[2018-12-18 TO 2018-12-19]", {"date": "2018-12-18T00:00:00.000Z"}, True),
    ("date:[2018-12-18 TO 2018-12-19]", {"date": "2018-12-17T23:59:59.999Z"}, False),
    ("date:[2018-12-18 TO 2018-12-19]", {"date": "2018-12-18T13:00:00.000Z"}, True),
    ("date:[2018-12-18 TO 2018-12-19]", {"date": "2018-12-19T00:00:00.000Z"}, True),
    ("date:[2018-12-18 TO 2018-12-19]", {"date": "2018-12-19T00:00:00.001Z"}, False),
    ("date:[2018-12-18 TO 2018-12-19}", {"date": "2018-12-19T00:00:00.000Z"}, False),
    ("date:{2018-12-18 TO 2018-12-19]", {"date": "2018-12-18T00:00:00.000Z"}, False),
    ("date:[2018-12-18 TO *]", {"date": "2030-01-01T00:00:00.000Z"}, True),
    ("date:[* TO *]", {"date": "2030-01-01T00:00:00.000Z"}, True),
    ("date:[* TO *]", {"date": "not a date"}, False),
    ("date:>=2018-12-19", {"date": "2018-12-19T00:00:00.000Z"}, True),
    ("date:>2018-12-19", {"date": "2018-12-19T00:00:00.000Z"}, False),
    ("date:<2018-12", {"date": "2018-11-30T23:59:59.999Z"}, True),
    ("date:[2018-12-18 TO 2018-12-19]", {"date": "2018-12-18T23:00:00.000-02:00"}, False),  # 01:00Z on the 19th
    ("date:[2018-12-18 TO 2018-12-19]", {"date": 1545091200000}, True),  # epoch ms
    ("date:[2018-12-18 TO 2018-12-19]", {"date": {"$date": "2018-12-18T05:00:00Z"}}, True),
    ("date:[2018-12-18 TO 2018-12-19]", {}, False),
    ("date:[2018-12-18 TO 2018-12-19]", {"date": None}, False),
    ("date:[2018-12-18 TO 2018-12-19]", {"date": "yesterday"}, False),
    ('date:"2018-12-19"', {"date": "2018-12-19T00:00:00.000Z"}, True),  # the first instant it names
    ('date:"2018-12-19"', {"date": "2018-12-19T00:00:00.001Z"}, False),
    ('date:"2018-12-19T01:00:00+01:00"', {"date": "2018-12-19T00:00:00.000Z"}, True),
    ("date:2018*", {"date": "2018-12-19T00:00:00Z"}, True),  # prefix on the normalised ISO text
    ("date:2018-12-19T00\\:00\\:00.000Z", {"date": "2018-12-19T00:00:00Z"}, True),
    ("date:*.000Z", {"date": "2018-12-19T00:00:00Z"}, True),
    ("date:/2018-12-19T.*/", {"date": 1545177600000}, True),
    ("date:2018-12-19T00\\:00\\:00.001Z~1", {"date": "2018-12-19T00:00:00Z"}, True),
    ("date:2018*", {"date": "garbage"}, False),
    ("_exists_:date", {"date": "2018-12-19T00:00:00Z"}, True),
    ("_exists_:date", {"date": "garbage"}, False),
    ("_exists_:date", {"date": None}, False),
]


@check(DATE_CASES)
def test_dates(query: str, event: dict[str, Any], expected: bool) -> None:
    assert matches(query, event) is expected


def test_date_math_uses_now() -> None:
    now = 1_704_888_000_000  # 2024-01-10T12:00:00Z
    query = parse("date:[now-1d/d TO now]").query
    assert evaluate(query, {"date": "2024-01-09T00:00:00.000Z"}, now_ms=now)
    assert not evaluate(query, {"date": "2024-01-08T23:59:59.999Z"}, now_ms=now)
    assert not evaluate(query, {"date": "2024-01-10T12:00:00.001Z"}, now_ms=now)


def test_a_date_that_is_not_a_date_is_a_query_error() -> None:
    for text in ("date:yesterday", "date:[yesterday TO *]", "date:[* TO 2024-13-01]"):
        query = parse(text).query
        with pytest.raises(QueryNotEvaluable):
            validate(query)
        with pytest.raises(QueryNotEvaluable):
            evaluate(query, {"date": "2024-01-10T00:00:00Z"})
        with pytest.raises(QueryNotEvaluable):
            evaluate(query, {})  # even when the event has no date
    validate(parse("date:[2024-01-01 TO *] AND details.x:yesterday").query)


RANGE_CASES: list[Case] = [
    # typed keyword: code point order
    ("user_name:[a TO c]", {"user_name": "b"}, True),
    ("user_name:[a TO c]", {"user_name": "c"}, True),
    ("user_name:[a TO c]", {"user_name": "ca"}, False),
    ("user_name:[a TO c}", {"user_name": "c"}, False),
    ("user_name:{a TO c]", {"user_name": "a"}, False),
    ("user_name:[a TO c]", {"user_name": "B"}, False),  # upper case sorts before lower case
    ("user_name:[a TO *]", {"user_name": "ü"}, True),  # non-ASCII after ASCII
    ("user_name:[* TO z]", {"user_name": "用"}, False),
    ("user_name:[\U0001F600 TO *]", {"user_name": "\uffff"}, False),  # code points, not UTF-16 units
    ("user_name:[* TO *]", {"user_name": ""}, True),
    ("user_name:[* TO *]", {}, False),
    ("ip:[10.0.0.1 TO 10.0.0.2]", {"ip": "10.0.0.12"}, True),  # text, not numbers
    ("client_id:[5 TO 20]", {"client_id": 10}, False),  # "10" < "5" as text
    ("client_id:[1 TO 2]", {"client_id": 10}, True),
    ("client_id:>=true", {"client_id": True}, True),
    # JSON numbers
    ("details.stats.loginsCount:[10 TO *]", {"details": {"stats": {"loginsCount": 10}}}, True),
    ("details.stats.loginsCount:[10 TO *]", {"details": {"stats": {"loginsCount": 9.5}}}, False),
    ("details.stats.loginsCount:{10 TO *]", {"details": {"stats": {"loginsCount": 10}}}, False),
    ("details.stats.loginsCount:[10 TO *]", {"details": {"stats": {"loginsCount": 100}}}, True),  # numeric, not text
    ("details.stats.loginsCount:[10 TO *]", {"details": {"stats": {"loginsCount": "100"}}}, False),  # strings out
    ("details.stats.loginsCount:[* TO 1]", {"details": {"stats": {"loginsCount": True}}}, False),  # bools out
    ("details.stats.loginsCount:[1e1 TO 1e1]", {"details": {"stats": {"loginsCount": 10}}}, True),
    ("details.stats.loginsCount:[-1 TO 0.5]", {"details": {"stats": {"loginsCount": 0}}}, True),
    ("details.stats.loginsCount:>=10", {"details": {"stats": {"loginsCount": [3, 12]}}}, True),
    ("details.stats.loginsCount:<5", {"details": {"stats": {"loginsCount": [5, 12]}}}, False),
    # JSON strings (a bound that is not a number makes it a string range)
    ("details.stats.loginsCount:[1 TO a]", {"details": {"stats": {"loginsCount": "5"}}}, True),
    ("details.stats.loginsCount:[1 TO a]", {"details": {"stats": {"loginsCount": 5}}}, False),
    ("details.stats.loginsCount:[1 TO inf]", {"details": {"stats": {"loginsCount": 5}}}, False),
    ("details.stats.loginsCount:[1 TO inf]", {"details": {"stats": {"loginsCount": "5"}}}, True),
    ("location_info.country_code:[A TO F]", {"location_info": {"country_code": "DE"}}, True),
    ("location_info.country_code:[A TO F]", {"location_info": {"country_code": "US"}}, False),
    ("isMobile:[a TO z]", {"isMobile": True}, False),
    # open at both ends: any value of the field
    ("isMobile:[* TO *]", {"isMobile": False}, True),
    ("scope:[* TO *]", {"scope": ["x"]}, True),
    ("scope:[* TO *]", {"scope": [None]}, False),
    ("details.stats.loginsCount:[* TO *]", {"details": {"stats": {}}}, False),
]


@check(RANGE_CASES)
def test_ranges(query: str, event: dict[str, Any], expected: bool) -> None:
    assert matches(query, event) is expected


EXISTS_CASES: list[Case] = [
    ("_exists_:user_id", {"user_id": "auth0|1"}, True),
    ("_exists_:user_id", {"user_id": ""}, True),  # the empty string counts
    ("_exists_:user_id", {"user_id": None}, False),
    ("_exists_:user_id", {}, False),
    ("_exists_:user_id", {"user_id": ["a"]}, False),
    ("_exists_:user_id", {"user_id": 0}, True),
    ("_exists_:user_id", {"user_id": False}, True),
    ("user_id:*", {"user_id": ""}, True),
    ("_exists_:log_id", {"_id": "1"}, True),
    ("_exists_:details", {"details": {"a": {"b": 1}}}, True),
    ("_exists_:details", {"details": {"a": {"b": None}}}, False),
    ("_exists_:details", {"details": {}}, False),
    ("_exists_:details", {"details": "text"}, True),
    ("_exists_:details.a", {"details": {"a": [{"b": 0}]}}, True),
    ("_exists_:details.a", {"details": {"ab": 1}}, False),  # a path prefix, not a string prefix
    ("_exists_:details.prompts.name", PROMPTS, True),
    ("_exists_:scope", {"scope": []}, False),
    ("_exists_:scope", {"scope": [None]}, False),
    ("_exists_:scope", {"scope": [""]}, True),
    ("_exists_:isMobile", {"isMobile": False}, True),
    ("_exists_:no_such_field", {"x": 1}, False),
    ("NOT _exists_:user_id", {"user_id": None}, True),
]


@check(EXISTS_CASES)
def test_exists(query: str, event: dict[str, Any], expected: bool) -> None:
    assert matches(query, event) is expected


# ---------------------------------------------------------------------------------------------
# Structure

S = {"type": "s", "user_name": "jane"}
F = {"type": "f", "user_name": "john"}

BOOLEAN_CASES: list[Case] = [
    ("NOT type:s", S, False),
    ("NOT type:s", F, True),
    ("NOT type:s", {}, True),
    ("-type:s -type:f", F, False),
    ("-type:s -type:f", {"type": "fp"}, True),
    ("type:s OR NOT user_name:jane", S, False),  # a OR NOT b means a AND NOT b
    ("type:s OR NOT user_name:jane", {"type": "s", "user_name": "x"}, True),
    ("type:s OR NOT user_name:jane", {"type": "f", "user_name": "x"}, False),
    ("type:s OR type:f", F, True),
    ("type:s OR type:f", {"type": "fp"}, False),
    ("type:s AND user_name:jane", S, True),
    ("type:s AND user_name:jane", {"type": "s"}, False),
    ("type:s AND user_name:jane OR type:f", {"type": "s"}, False),  # +a +b c: c optional
    ("type:s AND user_name:jane OR type:f", S, True),
    ("+type:s user_name:nobody", S, True),  # SHOULD ignored when there is a MUST
    ("(NOT type:s) AND user_name:john", F, True),  # nested pure-negative group
    ("(NOT type:s) AND user_name:john", S, False),
    ("user_name:john AND (NOT type:s OR NOT type:f)", F, False),  # nested group: -s -f
    ("type:s AND NOT (type:s)", S, False),
    ("type:f^2", F, True),
    ("(type:f OR type:s)^3", S, True),
    ("*:*", {}, True),
    ("", S, False),
    ("   ", S, False),
]


@check(BOOLEAN_CASES)
def test_boolean_structure(query: str, event: dict[str, Any], expected: bool) -> None:
    assert matches(query, event) is expected


def test_match_all_none_boost_and_empty_group() -> None:
    assert evaluate(ast.MatchAll(), {}) is True
    assert evaluate(ast.MatchNone(), {}) is False
    assert evaluate(ast.Boost(ast.MatchNone(), 2.0), {}) is False
    assert evaluate(ast.BooleanQuery(()), {}) is False
    must_not_none = ast.BooleanQuery((ast.Clause(ast.Occur.MUST_NOT, ast.MatchNone()),))
    assert evaluate(must_not_none, {}) is True
    should_none = ast.BooleanQuery((ast.Clause(ast.Occur.SHOULD, ast.MatchNone()),))
    assert evaluate(should_none, {}) is False
    must_all_should_none = ast.BooleanQuery(
        (ast.Clause(ast.Occur.MUST, ast.MatchAll()), ast.Clause(ast.Occur.SHOULD, ast.MatchNone()))
    )
    assert evaluate(must_all_should_none, {}) is True


def test_generated_events_and_queries_evaluate() -> None:
    """The generators in `tests/event_strategies.py` produce things the evaluator accepts."""
    from hypothesis import given, settings

    from .event_strategies import event_lists, queries

    @settings(max_examples=200)
    @given(event_lists, queries)
    def run(events: list[dict[str, Any]], query: ast.Query) -> None:
        validate(query)
        for event in events:
            assert isinstance(evaluate(query, event), bool)

    run()
