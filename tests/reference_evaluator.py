"""A plain-Python reference evaluator for the query AST: the independent check of the SQL compiler.

It shares no code with `auth0_logq.engine.compiler`, `dialect` or `search`; it uses only the AST,
the date helpers, the Lucene-regex translator and the fuzzy distance (shared infrastructure with
their own tests). It is deliberately naive: every rule below is written out once, directly.

THE SEMANTICS
=============

`evaluate(query: ast.Query, event: dict) -> bool`.

Fields
------
The 16 typed fields are client_id, client_name, connection, connection_id, description, date,
hostname, ip, log_id, organization_id, user_id, user_name, user_agent, strategy, strategy_type,
type. Default fields (field None in the AST) = client_name, connection, description, ip, log_id,
type, user_name: a leaf with field None matches if it matches on ANY of them.

* Typed keyword field value: v = event.get(name): str -> itself; bool -> "true"/"false";
  int/float -> json.dumps(v); None/list/dict -> no value. Exception: `log_id` falls back to `_id`
  if `log_id` is missing.
* `date`: the instant `dates.event_date_ms(event.get("date"))` (None = no value), and for
  prefix/wildcard/regex/fuzzy its text `dates.ms_to_iso(ms)`.
* Any other field name is a JSON path: split on "."; walk from the event: at a dict take the key;
  whenever the current node is a list, apply the step to every element (arrays are flattened at
  any depth, also at the end). The values are the scalars reached (str, int, float, bool); null is
  no value; dicts are not values for matching.
* Field "*": every scalar leaf anywhere in the event (arrays flattened), compared with JSON
  semantics. A field containing "*" elsewhere (e.g. "details.*", "details.request.*") is a
  pattern: every scalar leaf whose dotted path (keys joined by ".", array levels omitted) matches
  the pattern, where "*" matches any run of characters including "." (fnmatch-style but only `*`
  is special), compared with JSON semantics.

Leaves (a leaf matches if ANY value of its field matches)
---------------------------------------------------------
* Term(t): typed keyword field: v == t (exact, case-sensitive). date field:
  parse_query_date(t) == the event's ms. JSON value: str v == t; bool v matches t == "true" /
  "false"; number v (int/float, not bool) matches when float(t) is finite and
  float(v) == float(t).
* Prefix(p): string values only (typed keyword strings; date's ISO text; JSON str leaves):
  v.startswith(p).
* Wildcard(pattern): string values only, WHOLE-value match; in the raw pattern `*` = any run
  (possibly empty), `?` = exactly one character, `\\x` = the literal character x (backslash
  escapes anything), everything else literal.
* Regexp(pattern): string values only: compile_regexp(pattern).fullmatch(v) is not None.
* Fuzzy(t, edits): string values only: within_edits(v, t, edits).
* Range(lower, upper, include_lower, include_upper) (None = open end): date field: bounds through
  parse_query_date, compare the event's ms. Typed keyword field: Python str comparison (code
  point order) of v with the bounds. JSON values: if every non-None bound parses as a finite
  float -> numeric range: only int/float (not bool) values match, compared as floats; otherwise
  string range: only str values, code point order. Both bounds None: any value matches.
* Exists(field): typed keyword field: has a value (the empty string counts); date: ms not None;
  JSON path: there is a non-null scalar leaf whose dotted path equals the field or starts with
  field + "."; field None: any default field has a value; field "*": always true; a pattern: any
  non-null scalar leaf whose dotted path matches it.
* MatchAll: True. MatchNone: False. Boost: its inner query.
* BooleanQuery: MUST clauses must all match, MUST_NOT clauses must all not match; if there is at
  least one MUST, SHOULD clauses are optional (ignored); if there is no MUST but at least one
  SHOULD, at least one SHOULD must match; a group of only MUST_NOT clauses matches every event
  not excluded (Elasticsearch's rule).

Events without a usable date simply never match date terms/ranges.

Choices this module makes where the rules above are silent (each is also in the report to the
lead, and each is tested in `tests/test_reference_evaluator.py`):

* A date Term or Range bound that `parse_query_date` refuses is an error of the *query*
  (Elasticsearch answers HTTP 400), not "no match": `evaluate` raises `QueryNotEvaluable`.
* "float(t)" is Python's `float()`, literally (so it accepts surrounding whitespace, `_` digit
  separators, `inf`/`nan` (then refused as not finite) and non-ASCII decimal digits).
* A BooleanQuery with no clauses at all (the parser never builds one) matches nothing, as in Lucene.
* "String values only" for a typed keyword field means its value *after* the conversion above, so
  `client_id:tr*` matches an event whose client_id is the JSON boolean true.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterator, Mapping
from typing import Any, Union

from auth0_logq.engine import ast
from auth0_logq.engine.dates import DateError, event_date_ms, ms_to_iso, parse_query_date
from auth0_logq.engine.fuzzy import within_edits
from auth0_logq.engine.regexp import compile_regexp

__all__ = [
    "DEFAULT_FIELDS",
    "TYPED_FIELDS",
    "QueryNotEvaluable",
    "dotted_leaves",
    "evaluate",
    "field_values",
    "json_path_values",
    "keyword_value",
    "pattern_values",
    "validate",
    "wildcard_regex",
]

# Written out here on purpose (not imported from `fields.py`, which the compiler uses); a test
# checks that the two agree.
TYPED_FIELDS: tuple[str, ...] = (
    "client_id",
    "client_name",
    "connection",
    "connection_id",
    "description",
    "date",
    "hostname",
    "ip",
    "log_id",
    "organization_id",
    "user_id",
    "user_name",
    "user_agent",
    "strategy",
    "strategy_type",
    "type",
)
DEFAULT_FIELDS: tuple[str, ...] = ("client_name", "connection", "description", "ip", "log_id", "type", "user_name")

Scalar = Union[str, int, float, bool]
Event = Mapping[str, Any]


class QueryNotEvaluable(ValueError):
    """The query cannot be evaluated at all (a date that is not a date): Elasticsearch's HTTP 400."""


# ---------------------------------------------------------------------------------------------
# Values of a field


def _is_scalar(value: object) -> bool:
    """A JSON scalar that can be matched: string, number or boolean (null is no value)."""
    return isinstance(value, (str, int, float, bool))


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def keyword_value(event: Event, name: str) -> str | None:
    """A typed keyword field's value as text, or None when the event has no usable value."""
    if name == "log_id" and "log_id" not in event:
        value = event.get("_id")
    else:
        value = event.get(name)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return None  # None, list, dict


def json_path_values(event: Event, path: str) -> list[Scalar]:
    """The non-null scalars reached by walking `path` (split on ".") with arrays flattened."""
    out: list[Scalar] = []

    def walk(node: Any, keys: list[str]) -> None:
        if isinstance(node, list):
            for element in node:
                walk(element, keys)
            return
        if not keys:
            if _is_scalar(node):
                out.append(node)
            return
        if isinstance(node, dict) and keys[0] in node:
            walk(node[keys[0]], keys[1:])

    walk(event, path.split("."))
    return out


def dotted_leaves(event: Event) -> Iterator[tuple[str, Any]]:
    """Every leaf of the event (scalars and nulls) with its dotted path; array levels omitted.

    Empty objects and empty arrays have no leaves.
    """

    def walk(node: Any, path: str) -> Iterator[tuple[str, Any]]:
        if isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list):
            for element in node:
                yield from walk(element, path)
        else:
            yield path, node

    yield from walk(event, "")


@functools.lru_cache(maxsize=256)
def _field_pattern(field: str) -> re.Pattern[str]:
    """A field pattern as a regex: `*` is any run of characters (dots included), the rest literal."""
    return re.compile(".*".join(re.escape(part) for part in field.split("*")), re.DOTALL)


def pattern_values(event: Event, field: str) -> list[Scalar]:
    """Non-null scalar leaves whose dotted path matches the field pattern (`*` = every leaf)."""
    regex = _field_pattern(field)
    return [v for path, v in dotted_leaves(event) if _is_scalar(v) and regex.fullmatch(path)]


def field_values(event: Event, field: str) -> tuple[str, list[Any]]:
    """The kind of a (non-None) field and its values in `event`.

    Kinds: "keyword" (list of at most one str), "date" (list of at most one epoch-ms int),
    "json" (list of JSON scalars).
    """
    if "*" in field:
        return "json", pattern_values(event, field)
    if field == "date":
        ms = event_date_ms(event.get("date"))
        return "date", [] if ms is None else [ms]
    if field in TYPED_FIELDS:
        value = keyword_value(event, field)
        return "keyword", [] if value is None else [value]
    return "json", json_path_values(event, field)


# ---------------------------------------------------------------------------------------------
# Value predicates


@functools.lru_cache(maxsize=1024)
def wildcard_regex(pattern: str) -> re.Pattern[str]:
    """Lucene wildcard text as a whole-value regex: `*` any run, `?` one character, `\\x` literal x."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if ch == "*":
            out.append(".*")
        elif ch == "?":
            out.append(".")
        else:
            out.append(re.escape(ch))  # includes a lone trailing backslash, taken literally
        i += 1
    return re.compile("".join(out), re.DOTALL)


@functools.lru_cache(maxsize=256)
def _regexp(pattern: str) -> re.Pattern[str]:
    return compile_regexp(pattern)


def _finite_float(text: str) -> float | None:
    """`float(text)` if it parses and is finite, else None."""
    try:
        number = float(text)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _query_date(text: str, now_ms: int | None) -> int:
    try:
        return parse_query_date(text, now_ms)
    except DateError as exc:
        raise QueryNotEvaluable(f"{text!r} is not a date: {exc}") from None


def _in_range(value: Any, lower: Any, upper: Any, include_lower: bool, include_upper: bool) -> bool:
    """`lower <(=) value <(=) upper` with None as an open end."""
    if lower is not None and (value < lower or (value == lower and not include_lower)):
        return False
    if upper is not None and (value > upper or (value == upper and not include_upper)):
        return False
    return True


def _string_match(leaf: ast.Leaf, text: str) -> bool:
    """Prefix / Wildcard / Regexp / Fuzzy against one string value."""
    if isinstance(leaf, ast.Prefix):
        return text.startswith(leaf.prefix)
    if isinstance(leaf, ast.Wildcard):
        return wildcard_regex(leaf.pattern).fullmatch(text) is not None
    if isinstance(leaf, ast.Regexp):
        return _regexp(leaf.pattern).fullmatch(text) is not None
    if isinstance(leaf, ast.Fuzzy):
        return within_edits(text, leaf.value, leaf.edits)
    raise TypeError(f"not a string-matching leaf: {leaf!r}")


_STRING_LEAVES = (ast.Prefix, ast.Wildcard, ast.Regexp, ast.Fuzzy)


def _keyword_leaf(leaf: ast.Leaf, values: list[str]) -> bool:
    if isinstance(leaf, ast.Term):
        return any(v == leaf.value for v in values)
    if isinstance(leaf, _STRING_LEAVES):
        return any(_string_match(leaf, v) for v in values)
    if isinstance(leaf, ast.Range):
        return any(_in_range(v, leaf.lower, leaf.upper, leaf.include_lower, leaf.include_upper) for v in values)
    raise TypeError(f"unexpected leaf {leaf!r}")


def _date_leaf(leaf: ast.Leaf, values: list[int], now_ms: int | None) -> bool:
    if isinstance(leaf, ast.Term):
        wanted = _query_date(leaf.value, now_ms)
        return any(ms == wanted for ms in values)
    if isinstance(leaf, _STRING_LEAVES):
        return any(_string_match(leaf, ms_to_iso(ms)) for ms in values)
    if isinstance(leaf, ast.Range):
        lower = None if leaf.lower is None else _query_date(leaf.lower, now_ms)
        upper = None if leaf.upper is None else _query_date(leaf.upper, now_ms)
        return any(_in_range(ms, lower, upper, leaf.include_lower, leaf.include_upper) for ms in values)
    raise TypeError(f"unexpected leaf {leaf!r}")


def _json_term(value: Scalar, text: str) -> bool:
    if isinstance(value, bool):
        return text == ("true" if value else "false")
    if isinstance(value, str):
        return value == text
    number = _finite_float(text)
    return number is not None and float(value) == number


def _json_leaf(leaf: ast.Leaf, values: list[Scalar]) -> bool:
    if isinstance(leaf, ast.Term):
        return any(_json_term(v, leaf.value) for v in values)
    if isinstance(leaf, _STRING_LEAVES):
        return any(isinstance(v, str) and _string_match(leaf, v) for v in values)
    if isinstance(leaf, ast.Range):
        if leaf.lower is None and leaf.upper is None:
            return bool(values)
        bounds = [b for b in (leaf.lower, leaf.upper) if b is not None]
        if all(_finite_float(b) is not None for b in bounds):
            lower = None if leaf.lower is None else _finite_float(leaf.lower)
            upper = None if leaf.upper is None else _finite_float(leaf.upper)
            return any(
                _is_number(v) and _in_range(float(v), lower, upper, leaf.include_lower, leaf.include_upper)
                for v in values
            )
        return any(
            isinstance(v, str) and _in_range(v, leaf.lower, leaf.upper, leaf.include_lower, leaf.include_upper)
            for v in values
        )
    raise TypeError(f"unexpected leaf {leaf!r}")


# ---------------------------------------------------------------------------------------------
# Exists


def _exists(field: str | None, event: Event) -> bool:
    if field is None:
        return any(keyword_value(event, name) is not None for name in DEFAULT_FIELDS)
    if field == "*":
        return True
    if "*" in field:
        return bool(pattern_values(event, field))
    if field == "date":
        return event_date_ms(event.get("date")) is not None
    if field in TYPED_FIELDS:
        return keyword_value(event, field) is not None
    return any(
        _is_scalar(v) and (path == field or path.startswith(field + "."))
        for path, v in dotted_leaves(event)
    )


# ---------------------------------------------------------------------------------------------
# The evaluator


def _leaf_on_field(leaf: ast.Leaf, field: str, event: Event, now_ms: int | None) -> bool:
    kind, values = field_values(event, field)
    if kind == "keyword":
        return _keyword_leaf(leaf, values)
    if kind == "date":
        return _date_leaf(leaf, values, now_ms)
    return _json_leaf(leaf, values)


def _validate_dates(leaf: ast.Leaf, now_ms: int | None) -> None:
    """Raise `QueryNotEvaluable` for a date term or bound that is not a date, whatever the event."""
    if leaf.field != "date":
        return
    if isinstance(leaf, ast.Term):
        _query_date(leaf.value, now_ms)
    elif isinstance(leaf, ast.Range):
        for bound in (leaf.lower, leaf.upper):
            if bound is not None:
                _query_date(bound, now_ms)


def validate(query: ast.Query, *, now_ms: int | None = None) -> None:
    """Raise `QueryNotEvaluable` if the query could not run at all (independently of any event).

    `evaluate` short-circuits, so it only notices a bad date when it reaches it; call this first
    to get the verdict for the query as a whole.
    """
    for leaf in ast.leaves(query):
        _validate_dates(leaf, now_ms)


def evaluate(query: ast.Query, event: Event, *, now_ms: int | None = None) -> bool:
    """Does `event` (a log event as exported, a JSON object) match `query`?

    `now_ms` fixes "now" for date math (`now-1d`); by default the current time.
    Raises `QueryNotEvaluable` when a date term or bound is not a date.
    """
    if isinstance(query, ast.MatchAll):
        return True
    if isinstance(query, ast.MatchNone):
        return False
    if isinstance(query, ast.Boost):
        return evaluate(query.query, event, now_ms=now_ms)
    if isinstance(query, ast.BooleanQuery):
        return _boolean(query, event, now_ms)
    if isinstance(query, ast.Exists):
        return _exists(query.field, event)
    if isinstance(query, ast.LEAF_TYPES):
        _validate_dates(query, now_ms)
        if query.field is None:
            return any(_leaf_on_field(query, name, event, now_ms) for name in DEFAULT_FIELDS)
        return _leaf_on_field(query, query.field, event, now_ms)
    raise TypeError(f"not a query node: {query!r}")


def _boolean(query: ast.BooleanQuery, event: Event, now_ms: int | None) -> bool:
    must = [c.query for c in query.clauses if c.occur is ast.Occur.MUST]
    should = [c.query for c in query.clauses if c.occur is ast.Occur.SHOULD]
    must_not = [c.query for c in query.clauses if c.occur is ast.Occur.MUST_NOT]
    if not query.clauses:
        return False
    if any(evaluate(q, event, now_ms=now_ms) for q in must_not):
        return False
    if not all(evaluate(q, event, now_ms=now_ms) for q in must):
        return False
    if not must and should:
        return any(evaluate(q, event, now_ms=now_ms) for q in should)
    return True  # MUST clauses all matched, or a pure-negative group with nothing excluded
