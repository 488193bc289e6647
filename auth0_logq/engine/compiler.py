"""Compile a query AST into one parameterised SQL condition over the mirror.

Semantics (the reference evaluator in tests/ implements the same rules independently):

* Field resolution, from the field table: the 16 searchable fields are typed columns of `logs`
  (`l.type`, ...; `date` is `l.date_ms` for instants and `l.date` for its ISO text). No field
  means Auth0's seven default fields, any of which may match. Any other name is a JSON path into
  the stored event (`details.request.method`), crossing arrays at any depth, so `scope:openid`
  matches `"scope": ["openid", "email"]` and `details.prompts.name:login` matches any prompt. `*`
  is every leaf of the event; a name with `*` (`details.\\*`) is a pattern over leaf paths.
* Values are keywords: a term or phrase matches the whole value exactly, case-sensitively;
  wildcards, regular expressions (Lucene syntax) and fuzzy terms match whole string values. On
  JSON values a term also matches a number equal to it or the booleans `true`/`false`.
* Ranges: `date` bounds follow Auth0's zero-fill rule and Elasticsearch date math; typed keyword
  fields compare as strings; JSON values compare as numbers when every bound is a number, as
  strings otherwise.
* Indexed paths (`fields.INDEXED_PATHS`, `details.request.method`): while every stored event has
  a plain string or nothing there (the mirror's `path_columns`), the path's column answers for it,
  as a JSON string value would: terms, prefixes, wildcards, regular expressions, fuzzy terms and
  string ranges on the column; a range with numeric bounds matches nothing (no value is a number).
  Existence tests read the JSON.
* `_exists_:f` / `f:*`: a non-null value is present (for JSON paths: some non-null leaf at or
  under the path).
* Booleans are Lucene's: MUST clauses all hold, MUST_NOT clauses none, SHOULD clauses are
  optional when there is a MUST and otherwise at least one must hold; a group of only MUST_NOT
  clauses matches everything else (Elasticsearch). Negation is null-safe: `NOT type:s` includes
  events without a type.

The result is a `CompiledQuery`: the WHERE condition and its parameters, and whether it reads the
raw JSON (which joins the `raw` table). All SQL syntax comes from the dialect.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from . import ast
from .dates import DateError, parse_query_date
from .dialect import FALSE, SQLITE, TRUE, JsonValue, Sql, SqliteDialect, json_path
from .errors import QueryValueError
from .fields import BY_NAME, DEFAULT_FIELDS, FieldKind


@dataclass(frozen=True)
class CompiledQuery:
    """A query as SQL: `where` holds for exactly the matching rows of `logs AS l`.

    `value_columns` lists the typed columns whose predicates read the mirror's distinct-value
    lists (`Mirror.ensure_value_lists` must have refreshed them before the SQL runs).
    """

    where: Sql
    needs_raw: bool
    value_columns: frozenset[str] = frozenset()

    @property
    def sql(self) -> str:
        return self.select().text

    @property
    def params(self) -> list[object]:
        return list(self.select().params)

    def from_clause(self) -> str:
        return "logs AS l JOIN raw AS r ON r.id = l.id" if self.needs_raw else "logs AS l"

    def select(self, columns: str = "l.log_id") -> Sql:
        return Sql.of(f"SELECT {columns} FROM {self.from_clause()} WHERE {{}}", self.where)


def compile_query(
    query: ast.Query,
    *,
    text: str = "",
    now_ms: int | None = None,
    value_lists: bool = False,
    path_columns: Mapping[str, str] | None = None,
    dialect: SqliteDialect = SQLITE,
) -> CompiledQuery:
    """Compile `query` (parsed from `text`, used to place errors) into SQL.

    With `value_lists`, wildcards, regular expressions and fuzzy terms on typed columns are tested
    against the column's distinct values and then looked up through its index (same answer, far
    fewer rows read). `path_columns` maps JSON paths to the columns that hold every stored value of
    them as a string (`Mirror.path_columns`). Raises `QueryValueError` for values that cannot be compared as their field
    requires (a bad date), with the column of the clause in `text`.
    """
    compiler = _Compiler(dialect, text, now_ms, value_lists, path_columns or {})
    where = compiler.node(query)
    return CompiledQuery(where, compiler.needs_raw, frozenset(compiler.value_columns))


def as_number(text: str) -> float | None:
    """`text` as a finite number, or None (then it only compares as a string)."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _numeric_range(q: ast.Range) -> bool:
    """A range with at least one bound, every bound a number: it compares JSON values as numbers."""
    bounds = [b for b in (q.lower, q.upper) if b is not None]
    return bool(bounds) and all(as_number(b) is not None for b in bounds)


@dataclass(frozen=True)
class _Column:
    column: str


@dataclass(frozen=True)
class _Date:
    pass


@dataclass(frozen=True)
class _Path:
    dotted: str


@dataclass(frozen=True)
class _PathColumn:
    dotted: str
    column: str


@dataclass(frozen=True)
class _Every:
    pass


@dataclass(frozen=True)
class _Pattern:
    pattern: str


_Target = _Column | _Date | _Path | _PathColumn | _Every | _Pattern


def _targets(field: str | None, path_columns: Mapping[str, str]) -> list[_Target]:
    if field is None:
        return [_Column(name) for name in DEFAULT_FIELDS]
    if field == "*":
        return [_Every()]
    if "*" in field:
        return [_Pattern(field)]
    spec = BY_NAME.get(field)
    if spec is not None and spec.column is not None:
        return [_Date()] if spec.kind is FieldKind.DATE else [_Column(spec.column)]
    column = path_columns.get(field)
    return [_Path(field)] if column is None else [_PathColumn(field, column)]


class _Compiler:
    def __init__(self, dialect: SqliteDialect, text: str, now_ms: int | None, value_lists: bool, path_columns: Mapping[str, str]):
        self.d = dialect
        self.path_columns = path_columns
        self.text = text
        self.now_ms = now_ms
        self.value_lists = value_lists
        self.value_columns: set[str] = set()
        self.needs_raw = False

    # -- structure ------------------------------------------------------------------------------

    def node(self, q: ast.Query) -> Sql:
        if isinstance(q, ast.MatchAll):
            return TRUE
        if isinstance(q, ast.MatchNone):
            return FALSE
        if isinstance(q, ast.Boost):
            return self.node(q.query)
        if isinstance(q, ast.BooleanQuery):
            return self.boolean(q)
        return self.d.any_of([self.leaf(q, target) for target in _targets(q.field, self.path_columns)])

    def boolean(self, q: ast.BooleanQuery) -> Sql:
        must = [self.node(c.query) for c in q.clauses if c.occur is ast.Occur.MUST]
        should = [self.node(c.query) for c in q.clauses if c.occur is ast.Occur.SHOULD]
        must_not = [self.d.negate(self.node(c.query)) for c in q.clauses if c.occur is ast.Occur.MUST_NOT]
        parts = must + must_not
        if should and not must:
            parts.append(self.d.any_of(should))
        return self.d.all_of(parts) if parts else TRUE

    # -- leaves ---------------------------------------------------------------------------------

    def leaf(self, q: ast.Leaf, target: _Target) -> Sql:
        if isinstance(target, _Column):
            if self.value_lists and isinstance(q, (ast.Wildcard, ast.Regexp, ast.Fuzzy)):
                self.value_columns.add(target.column)
                return self.d.in_value_list(f"l.{target.column}", target.column, self.on_text(q, "value", indexed=False))
            return self.on_text(q, f"l.{target.column}", indexed=True)
        if isinstance(target, _Date):
            return self.on_date(q)
        if isinstance(target, _PathColumn):
            if isinstance(q, ast.Exists):
                target = _Path(target.dotted)
            elif isinstance(q, ast.Range) and _numeric_range(q):
                return FALSE  # numeric bounds match numbers only, and the path holds strings
            else:
                return self.leaf(q, _Column(target.column))
        self.needs_raw = True
        if isinstance(target, _Every):
            return TRUE if isinstance(q, ast.Exists) else self.d.any_leaf(None, self.on_json(q, self.d.tree_value()))
        if isinstance(target, _Pattern):
            where = self.d.leaf_path_matches(target.pattern)
            if not isinstance(q, ast.Exists):
                where = self.d.all_of([where, self.on_json(q, self.d.tree_value())])
            return self.d.any_leaf(None, where)
        return self.on_path(q, target.dotted)

    def on_text(self, q: ast.Leaf, expr: str, *, indexed: bool) -> Sql:
        """A leaf on a text column (typed keyword fields, and the ISO text of `date`)."""
        d = self.d
        if isinstance(q, ast.Term):
            return d.equals(expr, q.value)
        if isinstance(q, ast.Prefix):
            return d.prefix(expr, q.prefix, indexed=indexed)
        if isinstance(q, ast.Wildcard):
            return d.wildcard(expr, q.pattern)
        if isinstance(q, ast.Regexp):
            return d.regexp(expr, q.pattern)
        if isinstance(q, ast.Fuzzy):
            return d.fuzzy(expr, q.value, q.edits)
        if isinstance(q, ast.Range):
            return self.range(expr, q.lower, q.upper, q)
        assert isinstance(q, ast.Exists)
        return d.is_not_null(expr)

    def on_date(self, q: ast.Leaf) -> Sql:
        if isinstance(q, ast.Term):
            return self.d.equals("l.date_ms", self.date(q.value, q))
        if isinstance(q, ast.Range):
            lower = None if q.lower is None else self.date(q.lower, q)
            upper = None if q.upper is None else self.date(q.upper, q)
            return self.range("l.date_ms", lower, upper, q)
        if isinstance(q, ast.Exists):
            return self.d.is_not_null("l.date_ms")
        return self.on_text(q, "l.date", indexed=False)

    def range(self, expr: str | Sql, lower: object, upper: object, q: ast.Range) -> Sql:
        parts = []
        if lower is not None:
            parts.append(self.d.compare(expr, ">=" if q.include_lower else ">", lower))
        if upper is not None:
            parts.append(self.d.compare(expr, "<=" if q.include_upper else "<", upper))
        return self.d.all_of(parts) if parts else self.d.is_not_null(expr)

    def on_json(self, q: ast.Leaf, v: JsonValue) -> Sql:
        """A leaf on one JSON value, whatever its type."""
        d = self.d
        if isinstance(q, ast.Term):
            return d.json_term(v, q.value, as_number(q.value))
        if isinstance(q, ast.Range):
            if q.lower is None and q.upper is None:
                return d.json_scalar(v)
            if _numeric_range(q):
                lower = None if q.lower is None else as_number(q.lower)
                upper = None if q.upper is None else as_number(q.upper)
                return d.json_number(v, self.range(d.as_real(v), lower, upper, q))
            return d.json_text(v, self.range(v.value, q.lower, q.upper, q))
        if isinstance(q, ast.Exists):
            return d.json_scalar(v)
        return d.json_text(v, self.on_text(q, v.value, indexed=False))  # type: ignore[arg-type]

    def on_path(self, q: ast.Leaf, dotted: str) -> Sql:
        """A leaf on a JSON path. The common case, a scalar at that exact path, is one
        `json_extract`; only events with an array somewhere on the path walk the JSON tree."""
        d = self.d
        keys = dotted.split(".")
        root, path = json_path(keys[0]), json_path(dotted)
        if isinstance(q, ast.Exists):
            under = d.any_leaf(root, d.leaf_path_under(dotted))
            return under if path is None else d.any_of([d.json_scalar(d.json_at(path)), under])
        nested = d.any_leaf(root, d.all_of([d.leaf_path_is(dotted), self.on_json(q, d.tree_value())]))
        if path is None:
            return nested  # a key SQLite paths cannot name: walk the tree
        direct = self.on_json(q, d.json_at(path))
        prefixes = [json_path(".".join(keys[: i + 1])) for i in range(len(keys))]
        # Walk the tree only for events where the direct lookup can miss: an array on the path,
        # or keys written with escapes.
        may_miss = [d.json_is_array(p) for p in prefixes if p is not None] + [d.path_may_be_escaped(path)]
        return d.any_of([direct, d.all_of([d.any_of(may_miss), nested])])

    def date(self, value: str, q: ast.Leaf) -> int:
        try:
            return parse_query_date(value, self.now_ms)
        except DateError as exc:
            span = q.span or ast.Span(0, len(self.text))
            raise QueryValueError(f"invalid date: {exc}", self.text, span.start, max(span.end - span.start, 1)) from None
