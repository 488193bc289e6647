"""Everything SQLite-specific the compiler needs, in one object.

The compiler decides *what* a query means (which fields, which kind of value, the boolean
structure); the dialect says how each piece is written in SQL: pattern matching (GLOB and its
escaping), JSON access (`json_extract`, `json_tree`), the Python functions registered on the
connection (Lucene regular expressions, fuzzy matching, array-free JSON paths) and null-safe
negation. A second backend is a second dialect with the same methods.

SQL is built from `Sql` fragments that carry their own parameters, so parameters always line up
with their `?` placeholders. Every value is a parameter; the only text written into SQL is the
dialect's own (column names from the field table, function names, operators, type names).
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
from dataclasses import dataclass
from typing import Callable, Iterable, Union



@dataclass(frozen=True)
class Param:
    """A value that becomes a `?` placeholder."""

    value: object


@dataclass(frozen=True)
class Sql:
    """A piece of SQL text with the parameters of its placeholders, in order."""

    text: str
    params: tuple[object, ...] = ()

    @staticmethod
    def of(template: str, *args: "Sql | Param | str") -> "Sql":
        """Fill each `{}` of `template`: an `Sql` inlines with its parameters, a `Param` becomes `?`,
        a `str` is trusted SQL text (column and type names only, never a user value)."""
        pieces = template.split("{}")
        if len(pieces) != len(args) + 1:
            raise ValueError(f"template needs {len(pieces) - 1} arguments, got {len(args)}")
        text, params = [pieces[0]], []
        for arg, piece in zip(args, pieces[1:]):
            if isinstance(arg, Sql):
                text.append(arg.text)
                params.extend(arg.params)
            elif isinstance(arg, Param):
                text.append("?")
                params.append(arg.value)
            else:
                text.append(arg)
            text.append(piece)
        return Sql("".join(text), tuple(params))

    @staticmethod
    def join(separator: str, parts: Iterable["Sql"]) -> "Sql":
        parts = list(parts)
        return Sql(separator.join(p.text for p in parts), tuple(v for p in parts for v in p.params))


TRUE, FALSE = Sql("1"), Sql("0")
Expr = Union[Sql, str]

_SCALAR_TYPES = "('text','integer','real','true','false')"
_NUMBER_TYPES = "('integer','real')"


def glob_escape(text: str) -> str:
    """`text` as a GLOB pattern that matches exactly itself (`*`, `?`, `[` become classes)."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def glob_from_wildcard(pattern: str) -> str:
    """A Lucene wildcard pattern (raw text: `*`, `?`, `\\x` literal) as the equivalent GLOB."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(glob_escape(pattern[i + 1]))
            i += 2
            continue
        out.append(ch if ch in "*?" else glob_escape(ch))
        i += 1
    return "".join(out)


def prefix_upper_bound(prefix: str) -> str | None:
    """The smallest string above every string that starts with `prefix` (None if none exists)."""
    chars = list(prefix)
    while chars:
        code = ord(chars[-1]) + 1
        if code == 0xD800:
            code = 0xE000  # strings hold no surrogates
        if code <= 0x10FFFF:
            chars[-1] = chr(code)
            return "".join(chars)
        chars.pop()
    return None


_FULLKEY_PART = re.compile(r'\.(?:"((?:[^"\\]|\\.)*)"|([^.\[]+))|\[\d+\]')


@functools.lru_cache(maxsize=65536)
def dotted_path(fullkey: str | None) -> str | None:
    """A `json_tree` full key (`$.details.prompts[0]."a.b"`) as the dotted path a field name uses,
    without array indices (`details.prompts.a.b`)."""
    if fullkey is None:
        return None
    # json_tree quotes labels with special characters and keeps their JSON escapes (`"q\"uote"`).
    return ".".join(
        json.loads('"' + m.group(1) + '"') if m.group(1) is not None else m.group(2)
        for m in _FULLKEY_PART.finditer(fullkey, 1)
        if m.group(0).startswith(".")
    )


def json_path(dotted: str) -> str | None:
    """A dotted field name as an SQLite JSON path with each key quoted (`$."a"."b"`), or None when
    a key holds `"` or a backslash, which SQLite's path syntax cannot express (such keys are
    reached through `json_tree` instead)."""
    keys = dotted.split(".")
    if any('"' in key or "\\" in key for key in keys):
        return None
    return "$" + "".join('."' + key + '"' for key in keys)


@functools.lru_cache(maxsize=256)
def _field_glob(pattern: str) -> re.Pattern[str]:
    # Field patterns: `*` matches any run, dots included (Elasticsearch's simple match).
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.S)


def _regexp(pattern: str, value: object) -> int:
    from .regexp import compile_regexp  # loaded on the first regex query only

    return int(isinstance(value, str) and compile_regexp(pattern).fullmatch(value) is not None)


def _fuzzy(value: object, term: str, edits: int) -> int:
    from .fuzzy import within_edits

    return int(isinstance(value, str) and within_edits(value, term, edits))


def _path_matches(fullkey: str | None, pattern: str) -> int:
    path = dotted_path(fullkey)
    return int(path is not None and _field_glob(pattern).fullmatch(path) is not None)


def _path_is(fullkey: str | None, field: str) -> int:
    return int(dotted_path(fullkey) == field)


def _path_under(fullkey: str | None, field: str) -> int:
    path = dotted_path(fullkey)
    return int(path is not None and (path == field or path.startswith(field + ".")))


@dataclass(frozen=True)
class JsonValue:
    """How to read one JSON value: its SQL value and its JSON type name, as expressions."""

    value: Sql
    type: Sql


@dataclass(frozen=True)
class SqliteDialect:
    """SQL fragments for SQLite 3.38+ (JSON functions built in)."""

    name: str = "sqlite"

    def register_functions(self, conn: sqlite3.Connection) -> None:
        """The Python functions the SQL may call (deterministic, so SQLite may reuse results)."""
        functions: dict[str, tuple[int, Callable[..., object]]] = {
            "logq_regexp": (2, _regexp),
            "logq_fuzzy": (3, _fuzzy),
            "logq_path_is": (2, _path_is),
            "logq_path_matches": (2, _path_matches),
            "logq_path_under": (2, _path_under),
        }
        for name, (arity, fn) in functions.items():
            conn.create_function(name, arity, fn, deterministic=True)

    # -- predicates on a text expression (typed columns) -----------------------------------------

    def equals(self, expr: Expr, value: object) -> Sql:
        return Sql.of("{} = {}", expr, Param(value))

    def compare(self, expr: Expr, op: str, value: object) -> Sql:
        assert op in ("<", "<=", ">", ">=")
        return Sql.of("{} " + op + " {}", expr, Param(value))

    def prefix(self, expr: Expr, prefix: str, *, indexed: bool) -> Sql:
        upper = prefix_upper_bound(prefix) if indexed else None
        if upper is not None:
            # A range rather than GLOB: it uses the (column, date) index whatever the planner knows.
            return Sql.of("({} >= {} AND {} < {})", expr, Param(prefix), expr, Param(upper))
        return Sql.of("{} GLOB {}", expr, Param(glob_escape(prefix) + "*"))

    def wildcard(self, expr: Expr, pattern: str) -> Sql:
        return Sql.of("{} GLOB {}", expr, Param(glob_from_wildcard(pattern)))

    def regexp(self, expr: Expr, pattern: str) -> Sql:
        return Sql.of("logq_regexp({}, {})", Param(pattern), expr)

    def fuzzy(self, expr: Expr, term: str, edits: int) -> Sql:
        return Sql.of("logq_fuzzy({}, {}, {})", expr, Param(term), Param(edits))

    def in_value_list(self, expr: Expr, column: str, condition: Sql) -> Sql:
        """`expr` is one of the column's distinct values that satisfy `condition` (on `value`)."""
        return Sql.of("{} IN (SELECT value FROM field_values WHERE field = '" + column + "' AND {})", expr, condition)

    def is_not_null(self, expr: Expr) -> Sql:
        return Sql.of("{} IS NOT NULL", expr)

    # -- JSON ---------------------------------------------------------------------------------

    def json_at(self, path: str) -> JsonValue:
        """The value at one JSON path of the raw event (no arrays crossed)."""
        return JsonValue(Sql.of("json_extract(r.json, {})", Param(path)), Sql.of("json_type(r.json, {})", Param(path)))

    def json_is_array(self, path: str) -> Sql:
        return Sql.of("json_type(r.json, {}) = 'array'", Param(path))

    def tree_value(self) -> JsonValue:
        return JsonValue(Sql("t.atom"), Sql("t.type"))

    def any_leaf(self, root: str | None, where: Sql) -> Sql:
        """Some scalar leaf of the raw event (under `root`, a JSON path) satisfies `where`."""
        tree = Sql.of("json_tree(r.json, {})", Param(root)) if root else Sql("json_tree(r.json)")
        return Sql.of("EXISTS (SELECT 1 FROM {} AS t WHERE t.atom IS NOT NULL AND {})", tree, where)

    def leaf_path_is(self, dotted: str) -> Sql:
        return Sql.of("logq_path_is(t.fullkey, {})", Param(dotted))

    def leaf_path_under(self, dotted: str) -> Sql:
        return Sql.of("logq_path_under(t.fullkey, {})", Param(dotted))

    def leaf_path_matches(self, pattern: str) -> Sql:
        return Sql.of("logq_path_matches(t.fullkey, {})", Param(pattern))

    def json_term(self, v: JsonValue, text: str, number: float | None) -> Sql:
        parts = [Sql.of("({} = 'text' AND {} = {})", v.type, v.value, Param(text))]
        if number is not None:
            # Numbers compare as doubles (like the evaluator's float(v) == float(t)).
            parts.append(Sql.of("({} IN " + _NUMBER_TYPES + " AND CAST({} AS REAL) = {})", v.type, v.value, Param(number)))
        if text in ("true", "false"):
            parts.append(Sql.of("{} = '" + text + "'", v.type))
        return Sql.of("({})", Sql.join(" OR ", parts))

    def json_text(self, v: JsonValue, condition: Sql) -> Sql:
        return Sql.of("({} = 'text' AND {})", v.type, condition)

    def json_number(self, v: JsonValue, condition: Sql) -> Sql:
        return Sql.of("({} IN " + _NUMBER_TYPES + " AND {})", v.type, condition)

    def as_real(self, v: JsonValue) -> Sql:
        return Sql.of("CAST({} AS REAL)", v.value)

    def path_may_be_escaped(self, path: str) -> Sql:
        """The path is absent but the raw text has a `\\u` escape, which may spell one of its keys
        (SQLite compares path labels with the key as written, escapes included)."""
        return Sql.of("(json_type(r.json, {}) IS NULL AND instr(r.json, '\\u') > 0)", Param(path))

    def json_scalar(self, v: JsonValue) -> Sql:
        return Sql.of("{} IN " + _SCALAR_TYPES, v.type)

    # -- booleans -----------------------------------------------------------------------------

    def all_of(self, parts: list[Sql]) -> Sql:
        return parts[0] if len(parts) == 1 else Sql.of("({})", Sql.join(" AND ", parts))

    def any_of(self, parts: list[Sql]) -> Sql:
        return parts[0] if len(parts) == 1 else Sql.of("({})", Sql.join(" OR ", parts))

    def negate(self, condition: Sql) -> Sql:
        # SQL's NOT NULL is NULL (the row is dropped); a query's NOT of "no value" must be true.
        return Sql.of("NOT coalesce({}, 0)", condition)


SQLITE = SqliteDialect()
