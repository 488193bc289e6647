"""Search the mirror the way `GET /api/v2/logs` searches a tenant, without its limits.

`search()` takes the API's own parameters (`q`, `sort`, `fields` + `include_fields`, `page` +
`per_page`, `include_totals`, checkpoint paging `from` + `take`) and returns a `SearchResult`
whose logs stream from SQLite, so even a search over millions of logs runs in constant memory.

Differences from Auth0, on purpose: no retention window, no 100-per-page or 1,000-result cap
(pass `auth0_limits=True` to get Auth0's limits and error texts back, to check a script before it
runs against a tenant), and `include_totals` reports the true total (Auth0's v3 engine reports the
page length there). Without `page`/`per_page` every match is returned.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence

from . import ast
from .compiler import CompiledQuery, compile_query
from .dialect import Param, Sql, json_path
from .fields import BY_NAME, FieldKind
from .parser import ParsedQuery, ParseOptions
from .store import INDEXES, Mirror
from .strict import enforce

AUTH0_MAX_PER_PAGE = 100
AUTH0_MAX_RESULTS = 1000
AUTH0_DEFAULT_PER_PAGE = 50
AUTH0_DEFAULT_TAKE = 50


Projector = Callable[[str], str]  # an event's JSON text -> the JSON text of the fields asked for


class SearchError(Exception):
    """Request parameters that cannot be honoured (bad sort, limits in `auth0_limits` mode)."""


@dataclass
class SearchResult:
    """Matching logs, newest first unless sorted otherwise. `logs` is a one-shot iterator of each
    event's JSON text (verbatim as imported, or re-serialised when `fields` selects keys); `sql`
    is the statement that selects and orders the matching rows."""

    logs: Iterator[str]
    parsed: ParsedQuery | None
    compiled: CompiledQuery | None
    sql: Sql
    total: int | None = None
    start: int = 0
    limit: int | None = None
    warnings: tuple = field(default_factory=tuple)

    def totals_envelope(self, logs: list[object]) -> dict[str, object]:
        """Auth0's `include_totals` object around `logs` (already read from `self.logs`)."""
        return {"start": self.start, "limit": self.limit if self.limit is not None else len(logs), "length": len(logs), "total": self.total, "logs": logs}


def parse_sort(sort: str | None) -> tuple[str, int]:
    """`date:-1` -> ("date", -1). Auth0's form is `field:1` (ascending) or `field:-1`."""
    if not sort:
        return "date", -1
    name, sep, direction = sort.rpartition(":")
    if not sep or direction not in ("1", "-1") or not name:
        raise SearchError(f"invalid sort {sort!r}: use field:1 (ascending) or field:-1 (descending), e.g. date:-1")
    return name, int(direction)


def _order_by(sort: str | None) -> tuple[Sql, bool]:
    name, direction = parse_sort(sort)
    word = "ASC" if direction == 1 else "DESC"
    spec = BY_NAME.get(name)
    if spec is not None and spec.column is not None:
        column = "l.date_ms" if spec.kind is FieldKind.DATE else f"l.{spec.column}"
        return Sql(f"{column} {word}, l.log_id {word}"), False
    path = json_path(name)
    if path is None:
        raise SearchError(f"cannot sort by {name!r}: a key with a quote or backslash cannot be addressed")
    return Sql.of(f"json_extract(r.json, {{}}) {word}, l.log_id {word}", Param(path)), True


def _project(fields: Sequence[str] | None, include_fields: bool) -> Projector | None:
    if not fields:
        return None
    wanted = set(fields)

    def project(text: str) -> str:
        event = json.loads(text)
        kept = {k: v for k, v in event.items() if (k in wanted) == include_fields}
        return json.dumps(kept, ensure_ascii=False, separators=(",", ":"))

    return project


def search(
    mirror: Mirror,
    q: str | None = None,
    *,
    sort: str | None = None,
    fields: Sequence[str] | None = None,
    include_fields: bool = True,
    page: int | None = None,
    per_page: int | None = None,
    include_totals: bool = False,
    from_: str | None = None,
    take: int | None = None,
    limit: int | None = None,
    strict: bool = False,
    auth0_limits: bool = False,
    options: ParseOptions | None = None,
    now_ms: int | None = None,
) -> SearchResult:
    """Run one search. Raises `QueryError` for a bad query and `SearchError` for bad parameters."""
    project = _project(fields, include_fields)
    if from_ is not None:
        return _checkpoint(mirror, from_, take, auth0_limits, project)

    parsed = _parse(q, options) if q and q.strip() else None
    if parsed is not None and strict:
        enforce(parsed)
    compiled = _compile(mirror, parsed, now_ms) if parsed else None
    where = compiled.where if compiled else Sql("1")
    order, order_needs_raw = _order_by(sort)
    needs_raw = order_needs_raw or (compiled.needs_raw if compiled else False)
    source = "logs AS l JOIN raw AS r ON r.id = l.id" if needs_raw else "logs AS l"

    start, count = 0, None
    if page is not None or per_page is not None:
        count = AUTH0_DEFAULT_PER_PAGE if per_page is None else per_page
        start = (page or 0) * count
        if count < 0 or start < 0:
            raise SearchError("page and per_page must not be negative")
        if auth0_limits:
            _check_auth0_paging(page or 0, count)
    elif auth0_limits:
        count = AUTH0_DEFAULT_PER_PAGE
    if limit is not None:
        count = limit if count is None else min(count, limit)

    # The ordering and paging run on `logs` alone (narrow rows, index walks); the raw events are
    # then fetched by id in batches, in that order (see `_stream`).
    table, order_sql = source, order
    if count is not None and not order_needs_raw:
        plan = _page_plan(mirror, source, where, order, count + start)
        if plan not in ("keep", "filter"):  # an index to read in date order
            table = _indexed_by(source, plan)
        elif plan == "filter":
            # `+` keeps the date index out of the ordering, so SQLite filters with its best index
            # and sorts the few matches.
            order_sql = Sql("+" + order.text, order.params)
    sql = Sql.of(f"SELECT l.id FROM {table} WHERE {{}} ORDER BY {{}}", where, order_sql)
    if count is not None:
        sql = Sql.of("{} LIMIT {} OFFSET {}", sql, Param(count), Param(start))
    total = None
    if include_totals:
        total = mirror.conn.execute(*_args(Sql.of(f"SELECT count(*) FROM {source} WHERE {{}}", where))).fetchone()[0]
    return SearchResult(
        logs=_stream(mirror, sql, project),
        parsed=parsed,
        compiled=compiled,
        sql=sql,
        total=total,
        start=start,
        limit=count,
        warnings=parsed.warnings if parsed else (),
    )


def _page_plan(mirror: Mirror, source: str, where: Sql, order: Sql, wanted: int) -> str:
    """How to get the first `wanted` matches newest first: "keep" SQLite's plan, "filter" with
    the best index and sort the matches, or the name of an index to read in date order: a
    (field, date) index when the filter is one value of it (read that value's rows newest first
    and stop after `wanted`), else `logs_date` (walk all events newest first and filter).

    SQLite picks its plan without knowing how many rows match, and on the query that matters most
    (the newest page) a wrong pick costs 100x: walking the date index for a rare value reads the
    whole table; sorting a common value's matches reads all of them. Walking reads about
    `wanted * rows / matches` rows, filtering reads `matches`, so walking wins when matches exceed
    sqrt(wanted * rows); a count capped there (cheap by construction) decides. When SQLite already
    reads an index in date order for the filter itself (an equality on a (field, date) index),
    its plan is the best one.
    """
    if not order.text.startswith("l.date_ms"):
        return "keep"
    details = _explain(mirror, source, where, order, wanted)
    sorts = any("USE TEMP B-TREE FOR ORDER BY" in d for d in details)
    walks = any(d.startswith("SCAN l USING") and "INDEX logs_date" in d and "logs_date_" not in d for d in details)
    if not sorts and not walks:
        return "keep"
    # Filtering first only pays when an index finds the matches; a filter that must read every
    # row is never cheaper than walking the date index, which can stop after `wanted` matches.
    unordered = Sql("+" + order.text, order.params)
    searches = [d for d in _explain(mirror, source, where, unordered, wanted) if d.startswith(("SEARCH l ", "SEARCH USING"))]
    if not searches:
        return "logs_date"
    # The best filter is one value of a (field, date) index: its rows are already in date order,
    # so reading them newest first finds the page at once, however many there are.
    seek = _SEEK.match(searches[0])
    if seek and seek.group(1) in _DATE_INDEXES:
        seeking = _explain(mirror, _indexed_by(source, seek.group(1)), where, order, wanted)
        if not any("USE TEMP B-TREE FOR ORDER BY" in d for d in seeking):
            return seek.group(1)
    rows = mirror.conn.execute("SELECT coalesce(max(id), 0) FROM logs").fetchone()[0]
    threshold = max(int((wanted * rows) ** 0.5), wanted)
    capped = Sql.of(f"SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {{}} LIMIT {{}})", where, Param(threshold))
    return "logs_date" if mirror.conn.execute(*_args(capped)).fetchone()[0] >= threshold else "filter"


def _explain(mirror: Mirror, source: str, where: Sql, order: Sql, wanted: int) -> list[str]:
    """The lines of SQLite's plan for the newest `wanted` ids of `source` under `where`."""
    statement = Sql.of(f"EXPLAIN QUERY PLAN SELECT l.id FROM {source} WHERE {{}} ORDER BY {{}} LIMIT {{}}", where, order, Param(wanted))
    return [row[-1] for row in mirror.conn.execute(*_args(statement))]


def _indexed_by(source: str, index: str) -> str:
    """`source` with `logs` read through `index` (a name from `store.INDEXES`, never user text)."""
    return source.replace("logs AS l", f"logs AS l INDEXED BY {index}", 1)


_SEEK = re.compile(r"SEARCH l USING (?:COVERING )?INDEX (\w+) \(\w+=\?\)$")
_DATE_INDEXES = frozenset(name for name, columns in INDEXES if len(columns) == 2 and columns[1] == "date_ms")


def _parse(q: str, options: ParseOptions | None) -> ParsedQuery:
    from .parser import parse  # imported on first use: an empty query never needs the grammar

    return parse(q, options)


def _check_auth0_paging(page: int, per_page: int) -> None:
    if per_page > AUTH0_MAX_PER_PAGE:
        raise SearchError(f"per_page must be at most {AUTH0_MAX_PER_PAGE} (Auth0 returns at most 100 logs per request)")
    if page * per_page + per_page > AUTH0_MAX_RESULTS:
        # Auth0's own text (observed in a 400 response from GET /api/v2/logs).
        raise SearchError(
            f"Requesting page {page + 1} exceeds the allowed maximum of 1000 records: please consider searching by "
            "checkpoint https://auth0.com/docs/logs/retrieve-log-events-using-mgmt-api#retrieve-logs-by-checkpoint"
        )


def _checkpoint(mirror: Mirror, from_: str, take: int | None, auth0_limits: bool, project: Projector | None) -> SearchResult:
    """Logs after `from_` in log_id order; Auth0 ignores `q` and every other parameter here."""
    count = AUTH0_DEFAULT_TAKE if take is None else take
    if count < 0:
        raise SearchError("take must not be negative")
    if auth0_limits and count > AUTH0_MAX_PER_PAGE:
        raise SearchError(f"take must be at most {AUTH0_MAX_PER_PAGE}")
    sql = Sql.of("SELECT l.id FROM logs AS l WHERE l.log_id > {} ORDER BY l.log_id LIMIT {}", Param(from_), Param(count))
    return SearchResult(logs=_stream(mirror, sql, project), parsed=None, compiled=None, sql=sql, limit=count)


def _args(sql: Sql) -> tuple[str, tuple[object, ...]]:
    return sql.text, sql.params


_BATCH = 500


def _stream(mirror: Mirror, ids_sql: Sql, project: Projector | None) -> Iterator[str]:
    """The raw events of the ids `ids_sql` selects, in its order, in constant memory."""
    cursor = mirror.conn.execute(*_args(ids_sql))
    try:
        while True:
            ids = [row[0] for row in cursor.fetchmany(_BATCH)]
            if not ids:
                return
            marks = ",".join("?" * len(ids))
            texts = dict(mirror.conn.execute(f"SELECT id, json FROM raw WHERE id IN ({marks})", ids).fetchall())
            for row_id in ids:
                text = texts[row_id]
                yield project(text) if project else text
    finally:
        cursor.close()


def count(mirror: Mirror, q: str | None = None, *, strict: bool = False, options: ParseOptions | None = None, now_ms: int | None = None) -> int:
    """How many logs match `q` (every log when `q` is empty)."""
    if not q or not q.strip():
        return mirror.conn.execute("SELECT count(*) FROM logs").fetchone()[0]
    parsed = _parse(q, options)
    if strict:
        enforce(parsed)
    query = parsed.query
    while isinstance(query, ast.Boost):
        query = query.query
    if isinstance(query, ast.BooleanQuery) and query.pure_negative:
        # `NOT a NOT b` matches every log but those matching `a OR b`; counting those uses the
        # indexes, where the negation would read every row.
        either = ast.BooleanQuery(tuple(ast.Clause(ast.Occur.SHOULD, c.query) for c in query.clauses))
        excluded = _compile(mirror, dataclasses.replace(parsed, query=either), now_ms)
        total = mirror.conn.execute("SELECT count(*) FROM logs").fetchone()[0]
        return total - mirror.conn.execute(*_args(excluded.select("count(*)"))).fetchone()[0]
    compiled = _compile(mirror, parsed, now_ms)
    return mirror.conn.execute(*_args(compiled.select("count(*)"))).fetchone()[0]


def matching_ids(mirror: Mirror, query: ast.Query, *, now_ms: int | None = None) -> set[str]:
    """The log_ids matching an AST (for tests and tools)."""
    compiled = _compile(mirror, query, now_ms)
    return {row[0] for row in mirror.conn.execute(*_args(compiled.select()))}


def _compile(mirror: Mirror, parsed: "ParsedQuery | ast.Query", now_ms: int | None) -> CompiledQuery:
    """Compile for this mirror: use its distinct-value lists when they can be made current."""
    query, text = (parsed.query, parsed.text) if isinstance(parsed, ParsedQuery) else (parsed, "")
    paths = mirror.path_columns()
    compiled = compile_query(query, text=text, now_ms=now_ms, value_lists=True, path_columns=paths)
    if compiled.value_columns and not mirror.ensure_value_lists(compiled.value_columns):
        compiled = compile_query(query, text=text, now_ms=now_ms, path_columns=paths)
    return compiled
