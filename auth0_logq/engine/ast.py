"""The typed query AST: what a query string *means*, in Lucene's own terms.

Every node is a frozen dataclass. Source positions (`span`) are carried for error messages and
warnings but excluded from equality, so `parse("a:b") == parse("a : b")`.

The tree mirrors the Lucene `Query` objects that Elasticsearch's `query_string` parser builds for
keyword (untokenised) fields, which is how Auth0 indexes log fields:

* a leaf names its field, or `None` for "the default fields" (Auth0: the seven fields that bare
  terms search). A field containing `*` is a pattern (`details.*`, or `*` for every field);
* each group is one `BooleanQuery`: a flat tuple of MUST / SHOULD / MUST_NOT clauses, assembled left
  to right without precedence (`a AND b OR c` is `+a +b c`), never re-nested;
* the Elasticsearch rule that a group made only of MUST_NOT clauses also matches everything not
  excluded is a property of the group (`BooleanQuery.pure_negative`), applied by every evaluator.

Values are stored decoded (escapes removed) except where Lucene itself keeps the raw text: wildcard
patterns (`\\*` is a literal star inside a pattern) and regular expressions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Iterator, Union


@dataclass(frozen=True)
class Span:
    """Half-open character range `[start, end)` in the query text."""

    start: int
    end: int


class Occur(Enum):
    """How a clause takes part in its group (Lucene's `BooleanClause.Occur`)."""

    MUST = "+"
    SHOULD = ""
    MUST_NOT = "-"


def _span() -> Span | None:
    return field(default=None, compare=False, repr=False, kw_only=True)  # type: ignore[return-value]


@dataclass(frozen=True)
class Term:
    """Exact whole-value match: a bare word, a run of bare words, or a quoted phrase."""

    field: str | None
    value: str
    span: Span | None = _span()


@dataclass(frozen=True)
class Prefix:
    """Values that start with `prefix` (`user_name:jane*`)."""

    field: str | None
    prefix: str
    span: Span | None = _span()


@dataclass(frozen=True)
class Wildcard:
    """Whole-value wildcard pattern: `*` any run, `?` one character, `\\x` a literal `x`."""

    field: str | None
    pattern: str
    span: Span | None = _span()


@dataclass(frozen=True)
class Regexp:
    """Lucene regular expression (RegExp syntax) that must match the whole value."""

    field: str | None
    pattern: str
    span: Span | None = _span()


@dataclass(frozen=True)
class Fuzzy:
    """Values within `edits` (0-2) Damerau-Levenshtein edits of `value`."""

    field: str | None
    value: str
    edits: int
    span: Span | None = _span()


@dataclass(frozen=True)
class Range:
    """Values between two bounds; `None` is an open end (`*`). Bounds are compared by field type."""

    field: str | None
    lower: str | None
    upper: str | None
    include_lower: bool
    include_upper: bool
    span: Span | None = _span()


@dataclass(frozen=True)
class Exists:
    """The field is present and not null (`_exists_:f`, `f:*`; bare `*` means any default field)."""

    field: str | None
    span: Span | None = _span()


@dataclass(frozen=True)
class MatchAll:
    """Every log (`*:*`)."""

    span: Span | None = _span()


@dataclass(frozen=True)
class MatchNone:
    """No log: what Elasticsearch returns for an empty or blank query string."""

    span: Span | None = _span()


@dataclass(frozen=True)
class Boost:
    """A relevance boost (`^2`). It never changes which logs match; kept for fidelity."""

    query: Query
    boost: float
    span: Span | None = _span()


@dataclass(frozen=True)
class Clause:
    """One member of a boolean group."""

    occur: Occur
    query: Query
    span: Span | None = _span()


@dataclass(frozen=True)
class BooleanQuery:
    """One parenthesised group (or the top level) with its flat list of clauses."""

    clauses: tuple[Clause, ...]
    span: Span | None = _span()

    @property
    def pure_negative(self) -> bool:
        """Only MUST_NOT clauses: Elasticsearch adds a match-all filter, so it matches the rest."""
        return bool(self.clauses) and all(c.occur is Occur.MUST_NOT for c in self.clauses)


Leaf = Union[Term, Prefix, Wildcard, Regexp, Fuzzy, Range, Exists]
Query = Union[Term, Prefix, Wildcard, Regexp, Fuzzy, Range, Exists, MatchAll, MatchNone, Boost, BooleanQuery]
LEAF_TYPES = (Term, Prefix, Wildcard, Regexp, Fuzzy, Range, Exists)


def walk(query: Query) -> Iterator[Query]:
    """Every node of the tree, parents before children."""
    yield query
    if isinstance(query, Boost):
        yield from walk(query.query)
    elif isinstance(query, BooleanQuery):
        for clause in query.clauses:
            yield from walk(clause.query)


def leaves(query: Query) -> Iterator[Leaf]:
    """The field-level queries of the tree, left to right."""
    for node in walk(query):
        if isinstance(node, LEAF_TYPES):
            yield node
