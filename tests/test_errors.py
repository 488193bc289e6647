"""Bad queries: rejected exactly when Lucene rejects them, with a message in the user's words,
the column of the problem and a caret under it. Never a Lark exception or a traceback."""

from __future__ import annotations

import pytest

from auth0_logq.engine.errors import QueryError, QuerySyntaxError, QueryValueError, caret_lines
from auth0_logq.engine.parser import parse

# (query, fragment of the message, 0-based column)
CASES = [
    ("user_name:", "expected a value after ':'", 10),
    ("a AND", "ends after 'AND'", 5),
    ("a ||", "ends after '||'", 4),
    ("NOT", "needs a clause to apply to", 3),
    ("+", "needs a clause to apply to", 1),
    ("AND a", "'AND' needs a clause before it", 0),
    ("OR b", "'OR' needs a clause before it", 0),
    ("a AND OR b", "two operators in a row", 6),
    ("NOT NOT a", "two modifiers in a row", 4),
    ("+-a", "two modifiers in a row", 1),
    ("--a", "two modifiers in a row", 1),
    ("(a OR b", "')' is missing", 7),
    ("a OR b)", "unbalanced ')'", 6),
    ("()", "empty parentheses", 1),
    ("( )", "empty parentheses", 2),
    ("f:-x", "'-' cannot follow ':'", 2),
    ("foo:+bar", "'+' cannot follow ':'", 4),
    ("f:!x", "cannot follow ':'", 2),
    ("a:b:c", "unescaped ':'", 3),
    ('"foo bar":baz', "field name cannot be quoted", 9),
    ("NOT:foo", "cannot be a field name", 3),
    ("foo:AND", "found the operator 'AND'", 4),
    ("XY\\", "lone backslash", 2),
    ("\\", "lone backslash", 0),
    ('"some phrase', "unterminated quoted phrase", 0),
    ('"foo\\', "unterminated quoted phrase", 0),
    ("a/b", "unterminated regular expression", 1),
    ("date:>now-1d/d", "unterminated regular expression", 12),
    ("a^ 2", "'^' must be followed directly by a number", 1),
    ("quick^", "'^' must be followed directly by a number", 5),
    ("quick^abc", "'^' must be followed directly by a number", 5),
    ("^2", "a boost (^N) must follow a term", 0),
    ("a~2~3", "cannot be repeated", 3),
    ("a^2^3", "cannot be repeated", 3),
    ("(a)^2^3", "cannot be repeated", 5),
    ("[a TO b]~2", "cannot be repeated or applied here", 8),
    ("~2", "must follow a term", 0),
    ("a]", "unbalanced ']'", 1),
    ("[a TO]", "needs an upper bound", 5),
    ("[TO b]", "needs 'TO' between its bounds", 4),
    ("[a b]", "needs 'TO' between its bounds", 3),
    ("[a to b]", "needs 'TO' between its bounds", 3),
    ("[a TO b TO c]", "ends with ']' or '}'", 8),
    ("[a TO b", "ends with ']' or '}'", 7),
    ("[a[i] TO b[i]]", "needs 'TO' between its bounds, found ']'", 4),
    ("[a\\ b TO c]", "needs 'TO' between its bounds", 4),
    ("XY\\u005G", "not a hexadecimal digit", 7),
    ("XY\\u005", "truncated Unicode escape", 2),
    ('"a\\u12"', "truncated Unicode escape", 2),
    ("term~XXX", "invalid fuzzy distance", 4),
    ("a~-1", "invalid fuzzy distance", 1),
]


@pytest.mark.parametrize(("query", "fragment", "column"), CASES, ids=[c[0] for c in CASES])
def test_bad_query_message_and_column(query: str, fragment: str, column: int) -> None:
    with pytest.raises(QueryError) as info:
        parse(query)
    error = info.value
    assert fragment in error.message
    assert error.column == column
    assert 0 <= error.column <= len(query)
    rendered = error.render()
    assert query.replace("\t", " ") in rendered and "^" in rendered


def test_errors_are_one_hierarchy() -> None:
    assert issubclass(QuerySyntaxError, QueryError) and issubclass(QueryValueError, QueryError)
    with pytest.raises(QueryValueError):
        parse("a\\u00zz")
    with pytest.raises(QuerySyntaxError):
        parse("a AND")


def test_caret_at_the_end_when_input_stops_early() -> None:
    with pytest.raises(QueryError) as info:
        parse("type:fp AND")
    assert info.value.render().splitlines()[-1] == "  " + " " * len("type:fp AND") + "^"


def test_caret_accounts_for_wide_characters() -> None:
    text = caret_lines("用語:a b)", 6)
    query_line, caret_line = text.splitlines()
    assert caret_line.index("^") == len("  ") + 2 * 2 + len(":a b")


def test_error_to_dict_has_the_facts() -> None:
    with pytest.raises(QueryError) as info:
        parse("a:b:c")
    assert info.value.to_dict() == {
        "kind": "syntax error",
        "message": info.value.message,
        "column": 3,
        "length": 1,
        "hint": info.value.hint,
    }


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("a AND b OR c", "mixed_and_or"),
        ("type:fp OR NOT ip:1.2.3.4", "or_not"),
        ("a OR -b", "or_not"),
        ("type:fp and ip:1.2.3.4", "lowercase_operator"),
        ("a or b", "lowercase_operator"),
        ("not a", "lowercase_operator"),
        ("path:/var/log", "slash_in_value"),
        ("http://example.com", "slash_in_value"),
        ("user_name:john smith", "field_scope"),
        ("new york", "multi_word_value"),
        ("app*~1", "fuzzy_ignored"),
    ],
)
def test_warnings_say_what_the_query_really_means(query: str, code: str) -> None:
    warnings = parse(query).warnings
    assert code in {w.code for w in warnings}
    for w in warnings:
        assert 0 <= w.column <= len(query)
        assert w.render(query)


@pytest.mark.parametrize(
    "query",
    ["type:fp AND ip:1.2.3.4", "a OR b", "(a AND b) OR c", "a OR (NOT b)", 'path:"/var/log"', "user_name:(john smith)", "a"],
)
def test_no_warnings_for_clear_queries(query: str) -> None:
    assert parse(query).warnings == ()
