"""Auth0's own rules for log search, on top of the Elasticsearch syntax.

The default mode accepts everything Elasticsearch's `query_string` accepts, and any field path.
Strict mode reports everything Auth0's log search would refuse or does not document, in Auth0's
words where they are known (`unknown field "user_email"` is the text of Auth0's 400 response):

* fields outside the 16 documented ones (`details.<path>` is accepted: Auth0's docs use it);
* `?` ("The question mark character (?) is not supported");
* wildcards other than a prefix with fewer than 3 literal characters in a row (`name:*usa` is
  allowed, `name:*sa` is not; a prefix such as `j*` always is);
* syntax that only the user-search docs mention, never log search: regular expressions, fuzzy and
  proximity `~`, boosts `^`, `_exists_` and `field:*`, the `>`/`>=`/`<`/`<=` shorthand, `*:*`, field
  patterns, the `+`/`-` modifiers and the `&&`/`||`/`!` spellings of the operators.

Rules are data (`RULES`), read by `check`, so the list can be reviewed in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import ast
from .errors import StrictModeError
from .fields import SEARCHABLE, is_documented
from .parser import ParsedQuery, SyntaxUse


@dataclass(frozen=True)
class Violation:
    """One thing Auth0 would refuse, with where it is."""

    code: str
    message: str
    column: int
    length: int
    hint: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "column": self.column, "length": self.length, "hint": self.hint}


# feature recorded by the parser -> (code, message, hint)
RULES: dict[str, tuple[str, str, str | None]] = {
    "regex": ("regex", "regular expressions are not supported by Auth0 log search", "use a wildcard: user_name:*smith*"),
    "fuzzy": ("fuzzy", "fuzzy search (~) is not supported by Auth0 log search", None),
    "proximity": ("proximity", "proximity search (\"...\"~N) is not supported by Auth0 log search", "drop the ~N"),
    "boost": ("boost", "boosting (^) is not supported by Auth0 log search", "drop the ^N: results are not ranked"),
    "exists": ("exists", "existence queries (_exists_:field, field:*) are not supported by Auth0 log search", None),
    "comparison": (
        "comparison",
        "the >, >=, <, <= shorthand is not supported by Auth0 log search",
        "use a range: date:[2024-01-01 TO *] for >=, date:{2024-01-01 TO *] for >",
    ),
    "match_all": ("match_all", "*:* is not supported by Auth0 log search", "leave q empty to list every log"),
    "field_pattern": ("field_pattern", "field name patterns are not supported by Auth0 log search", "name the field"),
    "question_mark": ("question_mark", "The question mark character (?) is not supported", "use * instead"),
    "operator +": ("plus", "the + modifier is not documented for Auth0 log search", "use AND"),
    "operator -": ("minus", "the - modifier is not documented for Auth0 log search", "use NOT"),
    "operator !": ("bang", "! is not documented for Auth0 log search", "use NOT"),
    "operator &&": ("ampersands", "&& is not documented for Auth0 log search", "use AND"),
    "operator ||": ("pipes", "|| is not documented for Auth0 log search", "use OR"),
}

_MIN_LITERAL_RUN = 3


def _longest_literal_run(pattern: str) -> int:
    """Longest run of literal characters between unescaped wildcards in raw wildcard text."""
    runs = re.split(r"(?<!\\)[*?]", pattern)
    return max((len(re.sub(r"\\([\s\S])", r"\1", run)) for run in runs), default=0)


def check(parsed: ParsedQuery) -> tuple[Violation, ...]:
    """Everything in `parsed` that Auth0's log search would refuse, in query order."""
    found: list[Violation] = []
    for use in parsed.syntax:
        found.extend(_check_use(use))
    for leaf in ast.leaves(parsed.query):
        if isinstance(leaf, ast.Wildcard) and leaf.span is not None:
            if _longest_literal_run(leaf.pattern) < _MIN_LITERAL_RUN:
                found.append(
                    Violation(
                        "short_wildcard",
                        "wildcards other than a prefix need at least 3 literal characters",
                        leaf.span.start,
                        leaf.span.end - leaf.span.start,
                        "name:*usa is allowed, name:*sa is not; a prefix such as j* always is",
                    )
                )
    found.sort(key=lambda v: v.column)
    return tuple(found)


def _check_use(use: SyntaxUse) -> list[Violation]:
    length = max(use.span.end - use.span.start, 1)
    if use.feature == "field":
        name = use.value if use.value is not None else use.text
        if name == "_exists_" or "*" in name:
            return []  # reported as the `exists` / `field_pattern` features
        if not is_documented(name):
            close = sorted(f for f in SEARCHABLE if f.split("_")[0] == name.split("_")[0])
            hint = f"searchable fields: {', '.join(sorted(SEARCHABLE))}"
            if close:
                hint = f"did you mean {' or '.join(close)}? " + hint
            return [Violation("unknown_field", f'unknown field "{name}"', use.span.start, len(use.text), hint)]
        return []
    rule = RULES.get(use.feature)
    if rule is None:
        return []
    code, message, hint = rule
    return [Violation(code, message, use.span.start, length, hint)]


def enforce(parsed: ParsedQuery) -> None:
    """Raise `StrictModeError` for the first thing Auth0 would refuse."""
    violations = check(parsed)
    if violations:
        v = violations[0]
        raise StrictModeError(v.message, parsed.text, v.column, v.length, v.hint)
