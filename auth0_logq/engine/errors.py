"""One error hierarchy for everything a query can get wrong, always with a position.

Every `QueryError` knows the query text and a 0-based column (`0 <= column <= len(query)`; the end
of the query when the input stops too early) and renders as the message, the query, and a caret
line under the offending character. The same facts are attributes, for `--json` output and tests.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


def _display_width(text: str) -> int:
    """Terminal columns taken by `text`: wide East Asian characters take two, so carets line up."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _printable(text: str) -> str:
    # Tabs and newlines in a query would break the caret line; show them as single spaces.
    return "".join(" " if ch in "\t\n\r" else ch for ch in text)


def caret_lines(query: str, column: int, length: int = 1) -> str:
    """The query and, under it, a caret (`^~~~`) marking `length` characters from `column`."""
    shown = _printable(query)
    pad = " " * _display_width(shown[:column])
    marked = shown[column : column + max(length, 1)]
    underline = "^" + "~" * max(_display_width(marked) - 1, 0) if marked else "^"
    return f"  {shown}\n  {pad}{underline}"


class QueryError(Exception):
    """A query that cannot be run. `column` is 0-based; `length` is how many characters it marks."""

    kind = "query error"

    def __init__(self, message: str, query: str, column: int, length: int = 1, hint: str | None = None):
        column = min(max(column, 0), len(query))
        super().__init__(message)
        self.message = message
        self.query = query
        self.column = column
        self.length = length
        self.hint = hint

    def render(self) -> str:
        """Message, query and caret line, plus a hint where one helps."""
        text = f"{self.message} (column {self.column + 1})\n{caret_lines(self.query, self.column, self.length)}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "message": self.message,
            "column": self.column,
            "length": self.length,
            "hint": self.hint,
        }

    def __str__(self) -> str:
        return self.render()


class QuerySyntaxError(QueryError):
    """The text is not a query at all (Lucene throws `ParseException` or a lexical error)."""

    kind = "syntax error"


class QueryValueError(QueryError):
    """The syntax is fine but a value is not (bad escape, fuzzy distance, regex, date)."""

    kind = "invalid value"


class StrictModeError(QueryError):
    """Valid Elasticsearch syntax that Auth0's log search would refuse (strict mode only)."""

    kind = "not accepted by Auth0"


@dataclass(frozen=True)
class QueryWarning:
    """The query runs, but probably not as its author meant; `message` says what it really means."""

    code: str
    message: str
    column: int
    length: int = 1

    def render(self, query: str) -> str:
        return f"warning: {self.message}\n{caret_lines(query, self.column, self.length)}"
