"""Chain of custody: re-check a mirror against its own records, and write events back out verbatim.

`verify(mirror)` recomputes what the importer recorded and reports every mismatch as a `Problem`:

* `integrity`: SQLite's `PRAGMA integrity_check` (`quick_check` with `quick=True`) says "ok".
* `counts`: `count(logs) == count(raw) == sum(imports.new)`, and row ids are `1..N` without gaps
  (rows are never deleted; the importer relies on it).
* `rows`: every `logs` row has its `raw` row and every `raw` row its `logs` row.
* `imports`: the row ranges of the imports tile `1..N` in import order; for each import the rows
  in `first_row..last_row` number `new`, and the sha256 of their bytes (each followed by "\\n",
  in id order) equals `events_sha256`. An event's bytes are its stored text in UTF-8 or, for the
  few events whose input was not valid UTF-8, the exact bytes kept in `originals`. Imports made
  by schema version 1 (a mirror upgraded in place) recorded no range and no hash: they are
  reported "not traceable", not as corruption. They can only come before the first import that
  has a range; a rangeless import that adds events after it is a problem.
* `duplicates`: per import, `identical + conflicting == duplicate`, the `rejects` rows number
  `rejected`, the `conflicts` rows number `conflicting`, the `sightings` at most `identical`.
* `references`: sightings, conflicts, wrappers and originals point at existing rows and imports
  (a conflict carries the `log_id` of its row; a sighting comes from an import later than the one
  that added the row), and `PRAGMA foreign_key_check` finds nothing.
* `columns` (`deep=True`): each row's typed columns are `ingest.columns_for_event` of its stored
  text, `log_id` is unique, and no indexed path is counted regular while an event is irregular
  there (its column would then answer queries wrongly). Events that arrived inside an envelope
  may have been normalised on the way in (`formats.unwrap`: a legacy `type_code` becomes `type`,
  a `data` object without id inherits the envelope's `log_id`), so a row passes when its columns
  are those of its text read as a bare event, or as `formats.unwrap` reads it (when that module
  is present), or, for a row in `wrappers`, of its text with the stored `log_id` added. A deep
  check is therefore exact for bare events and tolerant of exactly those normalisations. Kept
  original bytes must decode (bad bytes as U+FFFD) to the stored text.

`verify` opens nothing and changes nothing: give it a read-only `Mirror` to be sure. A check
that SQLite cannot finish (a corrupt page) becomes a problem too. At most `MAX_PROBLEMS` problems
are listed per check; the rest are counted in one more problem.

`export(mirror, out, q)` writes the events matching `q` (all of them without a query) in import
order, that is by mirror row id, which is the order they were read from their sources (so the
output is reproducible, and the events of each import are contiguous). What is written for each
event is the bytes it came as (its stored text, or its kept original bytes), byte for byte:

* `ndjson`: each text followed by "\\n". For a mirror fed from one NDJSON file with "\\n" line
  endings, no blank lines, rejects or duplicates, the export is that file exactly, and its sha256
  is the import's `sha256`. A stored text that spans several lines (an element of a pretty-printed
  array) cannot be one NDJSON line: the export refuses before writing anything (`ExportError`,
  suggesting `json`), unless `reflow=True`, which turns every newline and carriage return of such
  a text into a space (whitespace between JSON tokens: the same JSON value, the same length) and
  counts them in the manifest as `reflowed`.
* `json`: `[`, then the texts separated by `,\\n` (the first preceded by "\\n"), then "\\n]\\n"; an
  empty export is `[]\\n`. Each element is verbatim, whatever its layout.

Memory stays constant: the matching row ids are read in order and the texts fetched in batches.
The returned `ExportManifest` says what was written: the query, format and order, the number of
events, the sha256 of the bytes written (what `sha256sum` prints for the file), the sha256 of the
events as `imports.events_sha256` defines it (equal to the former for an NDJSON export without
reflow), and for every import that contributed: its source and sha256, how many exported events it
added and the sha256 of those (equal to the import's own `events_sha256` when all of them were
exported), and how many it brought again (sightings). Events from an envelope are exported as the
event, without the envelope (`wrapped` counts them; `provenance` shows the envelope).

`provenance(mirror, log_id)` says which import added an event, which imports brought it again,
the conflicting versions kept beside it and the envelope it came in.

Nothing here prints or exits.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, BinaryIO, Literal

from .. import __version__
from .fields import INDEXED_PATHS
from .store import LOG_COLUMNS, PATH_COLUMNS, SCHEMA_VERSION, Mirror, utc_now

Progress = Callable[[str, int, "int | None"], None]  # (stage, done, total or None)
ExportFormat = Literal["ndjson", "json"]

MAX_PROBLEMS = 20  # problems listed per check; the rest are counted
HASH_BATCH = 2000  # rows read at a time while hashing or comparing
EXPORT_BATCH = 500  # texts fetched at a time while exporting


class ExportError(Exception):
    """The events cannot be written as asked. Raised before anything is written, except when a
    row turns out to have no stored text (a damaged mirror: `verify` says more)."""


# -- verify -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One mismatch: which check found it, and what it is, in words."""

    check: str
    message: str
    import_id: int | None = None
    row_id: int | None = None


@dataclass
class ImportStatus:
    """What `verify` found for one import: "ok", "not traceable" (made by schema 1) or "mismatch"."""

    id: int
    source: str
    format: str | None
    sha256: str | None
    new: int
    first_row: int | None
    last_row: int | None
    events_sha256: str | None  # as recorded
    computed_sha256: str | None = None  # recomputed from the stored texts, when the range allows it
    status: str = "ok"


@dataclass
class VerifyReport:
    """The result of `verify`: `ok` when no check found a problem."""

    mirror: str
    schema_version: int
    checked_at: str
    deep: bool
    quick: bool
    checks: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    imports: list[ImportStatus] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    _found: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, check: str, message: str, *, import_id: int | None = None, row_id: int | None = None) -> None:
        """Record a problem (only the first `MAX_PROBLEMS` of a check are kept; all are counted)."""
        self._found[check] = self._found.get(check, 0) + 1
        if self._found[check] <= MAX_PROBLEMS:
            self.problems.append(Problem(check, message, import_id, row_id))

    def _close(self) -> None:
        for check, found in self._found.items():
            if found > MAX_PROBLEMS:
                self.problems.append(Problem(check, f"... and {found - MAX_PROBLEMS:,} more problems found by this check"))

    def to_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if not k.startswith("_")}
        data["ok"] = self.ok
        return data


def verify(mirror: Mirror, *, deep: bool = False, quick: bool = False, progress: Progress | None = None) -> VerifyReport:
    """Re-check the mirror against its own records (the module docstring lists the checks)."""
    conn = mirror.conn
    report = VerifyReport(mirror.path, _schema_version(conn), utc_now(), deep, quick)
    tables = _tables(conn)
    custody = report.schema_version >= 2 and {"sightings", "conflicts", "wrappers"} <= tables
    if report.schema_version < 2:
        report.notes.append(
            f"mirror schema {report.schema_version}: imports recorded no row ranges or hashes, so no event can be traced "
            f"to its import (open it for writing, e.g. with `logq import`, to upgrade it to schema {SCHEMA_VERSION})"
        )
    elif not custody:
        report.add("schema", "the custody tables (sightings, conflicts, wrappers) are missing")
    steps: list[tuple[str, Callable[[], None]]] = [
        ("quick_check" if quick else "integrity_check", lambda: _check_integrity(conn, report, quick)),
        ("counts", lambda: _check_counts(conn, report)),
        ("rows", lambda: _check_rows(conn, report)),
        ("imports", lambda: _check_imports(conn, report, progress)),
        ("duplicates", lambda: _check_duplicates(conn, report, custody)),
        ("references", lambda: _check_references(conn, report, custody)),
    ]
    if deep:
        steps.append(("columns", lambda: _check_columns(mirror, report, custody, progress)))
    for name, step in steps:
        report.checks.append(name)
        try:
            step()
        except sqlite3.DatabaseError as exc:
            report.add(name, f"the check could not finish: SQLite says {exc}")
    report._close()
    return report


def _schema_version(conn: sqlite3.Connection) -> int:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError:
        return 0
    return int(row[0]) if row else 0


def _tables(conn: sqlite3.Connection) -> set[str]:
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError:
        return set()


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def _stored_bytes(conn: sqlite3.Connection) -> str:
    """SQL for the bytes an event came as, for the row `raw AS r`: its text as UTF-8, or the exact
    bytes kept in `originals` for input that was not valid UTF-8 (the importer hashes those)."""
    if "originals" in _tables(conn):
        return "coalesce((SELECT o.bytes FROM originals AS o WHERE o.row_id = r.id), CAST(r.json AS BLOB))"
    return "CAST(r.json AS BLOB)"


def _check_integrity(conn: sqlite3.Connection, report: VerifyReport, quick: bool) -> None:
    name = "quick_check" if quick else "integrity_check"
    rows = [r[0] for r in conn.execute(f"PRAGMA {name}")]
    if rows != ["ok"]:
        for message in rows:
            report.add(name, f"SQLite {name}: {message}")


def _check_counts(conn: sqlite3.Connection, report: VerifyReport) -> None:
    logs, max_id = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM logs").fetchone()
    raw = conn.execute("SELECT count(*) FROM raw").fetchone()[0]
    imports, added, rejected = conn.execute("SELECT count(*), coalesce(sum(new), 0), coalesce(sum(rejected), 0) FROM imports").fetchone()
    report.counts.update(events=logs, raw=raw, imports=imports, imported_new=added, rejected=rejected)
    report.counts["rejects"] = conn.execute("SELECT count(*) FROM rejects").fetchone()[0]
    for table in ("sightings", "conflicts", "wrappers", "originals"):
        if table in _tables(conn):
            report.counts[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    if not logs == raw == added:
        report.add("counts", f"the mirror holds {logs:,} events and {raw:,} stored texts, and its imports added {added:,}: all three should be equal")
    if max_id != logs:
        report.add("counts", f"row ids run up to {max_id:,} but there are {logs:,} rows: rows are missing (ids are never reused or removed)")


def _check_rows(conn: sqlite3.Connection, report: VerifyReport) -> None:
    for row_id, log_id in conn.execute("SELECT l.id, l.log_id FROM logs AS l WHERE NOT EXISTS (SELECT 1 FROM raw AS r WHERE r.id = l.id) ORDER BY l.id"):
        report.add("rows", f"event {log_id} (row {row_id}) has no stored text", row_id=row_id)
    for (row_id,) in conn.execute("SELECT r.id FROM raw AS r WHERE NOT EXISTS (SELECT 1 FROM logs AS l WHERE l.id = r.id) ORDER BY r.id"):
        report.add("rows", f"stored text {row_id} belongs to no event row", row_id=row_id)


def _import_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    cur = conn.execute("SELECT * FROM imports ORDER BY id")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur]


def _check_imports(conn: sqlite3.Connection, report: VerifyReport, progress: Progress | None) -> None:
    rows = _import_rows(conn)
    total = sum(r["new"] or 0 for r in rows)
    done = 0
    next_row = 1  # the first row id the next import that adds events must start at
    seen_range = False
    marker = conn.execute("SELECT value FROM meta WHERE key = 'schema1_last_import'").fetchone()
    schema1_last = int(marker[0]) if marker else None
    for row in rows:
        status = ImportStatus(
            row["id"], row["source"], row.get("format"), row.get("sha256"), row["new"] or 0,
            row.get("first_row"), row.get("last_row"), row.get("events_sha256"),
        )
        report.imports.append(status)
        label = f"import #{row['id']} ({row['source']})"

        def problem(message: str) -> None:
            status.status = "mismatch"
            report.add("imports", f"{label}: {message}", import_id=row["id"])

        if row["finished_at"] is None or row.get("sha256") is None:
            problem("never finished (no end time or no sha256 of its input)")
        if min(row["new"] or 0, row["duplicate"] or 0, row["rejected"] or 0) < 0:
            problem("has a negative count")
        new = status.new
        first, last = status.first_row, status.last_row
        # Schema 1 recorded no range and did not compare duplicates; its imports all come first, and
        # the upgrade noted the last of them.
        if schema1_last is not None:
            legacy = row["id"] <= schema1_last
        else:
            legacy = not seen_range and (new > 0 or (bool(row["duplicate"]) and not row.get("identical") and not row.get("conflicting")))
        if first is None:
            if last is not None or status.events_sha256 is not None:
                problem("records a last row or an events hash but no first row")
            elif new and not legacy:
                problem(f"added {new:,} events but records no row range (only imports made by schema 1 lack one, and they come first)")
            elif legacy:
                status.status = "not traceable"
            next_row += new
            continue
        seen_range = True
        if first != next_row:
            problem(f"its rows start at {first:,}, expected {next_row:,} (right after the previous import's rows)")
        if last is None or last - first + 1 != new:
            problem(f"its rows {first:,}..{last} are not {new:,} rows, the number of events it added")
        next_row = (last if last is not None else first + new - 1) + 1
        if last is None:
            continue
        logs = conn.execute("SELECT count(*) FROM logs WHERE id BETWEEN ? AND ?", (first, last)).fetchone()[0]
        if logs != new:
            problem(f"{logs:,} event rows lie in its range {first:,}..{last:,}, it added {new:,}")
        sha = hashlib.sha256()
        texts = 0
        cursor = conn.execute(f"SELECT {_stored_bytes(conn)} FROM raw AS r WHERE r.id BETWEEN ? AND ? ORDER BY r.id", (first, last))
        while batch := cursor.fetchmany(HASH_BATCH):
            for (text,) in batch:
                sha.update(text)
                sha.update(b"\n")
            texts += len(batch)
            done += len(batch)
            if progress is not None:
                progress("imports", done, total)
        status.computed_sha256 = sha.hexdigest()
        if texts != new:
            problem(f"{texts:,} stored texts lie in its range {first:,}..{last:,}, it added {new:,}")
        if status.events_sha256 is None:
            problem("records a row range but no events hash")
        elif status.computed_sha256 != status.events_sha256:
            problem(f"its stored events hash to {status.computed_sha256}, recorded {status.events_sha256}: a stored text was changed")
    untraced = [s for s in report.imports if s.status == "not traceable"]
    if untraced:
        events = sum(s.new for s in untraced)
        report.notes.append(
            f"{len(untraced)} import(s) made by schema 1 ({events:,} events) recorded no row range or hash: "
            "their events are counted but cannot be traced to one import"
        )


def _check_duplicates(conn: sqlite3.Connection, report: VerifyReport, custody: bool) -> None:
    rejects = dict(conn.execute("SELECT import_id, count(*) FROM rejects GROUP BY import_id"))
    conflicts = dict(conn.execute("SELECT import_id, count(*) FROM conflicts GROUP BY import_id")) if custody else {}
    sightings = dict(conn.execute("SELECT import_id, count(*) FROM sightings GROUP BY import_id")) if custody else {}
    for row in _import_rows(conn):
        label = f"import #{row['id']} ({row['source']})"
        status = next((s for s in report.imports if s.id == row["id"]), None)

        def problem(message: str) -> None:
            if status is not None:
                status.status = "mismatch"
            report.add("duplicates", f"{label}: {message}", import_id=row["id"])

        if rejects.get(row["id"], 0) != (row["rejected"] or 0):
            problem(f"records {row['rejected'] or 0:,} rejected records, the rejects table holds {rejects.get(row['id'], 0):,}")
        if not custody:
            continue
        duplicate, identical, conflicting = row["duplicate"] or 0, row.get("identical") or 0, row.get("conflicting") or 0
        if status is not None and status.status == "not traceable":
            continue  # schema 1 did not compare duplicates
        if identical + conflicting != duplicate:
            problem(f"records {duplicate:,} duplicates but {identical:,} identical + {conflicting:,} conflicting")
        if conflicts.get(row["id"], 0) != conflicting:
            problem(f"records {conflicting:,} conflicting duplicates, the conflicts table holds {conflicts.get(row['id'], 0):,}")
        if sightings.get(row["id"], 0) > identical:
            problem(f"has {sightings.get(row['id'], 0):,} sightings but only {identical:,} identical duplicates")


def _check_references(conn: sqlite3.Connection, report: VerifyReport, custody: bool) -> None:
    for table, rowid, parent, *_ in conn.execute("PRAGMA foreign_key_check"):
        report.add("references", f"{table} row {rowid} points at a missing {parent} row")
    if not custody:
        return
    queries = (
        ("SELECT row_id, import_id FROM sightings WHERE row_id NOT IN (SELECT id FROM logs)", "a sighting (import #{1}) points at missing row {0}"),
        ("SELECT row_id, import_id FROM sightings WHERE import_id NOT IN (SELECT id FROM imports)", "a sighting of row {0} names missing import #{1}"),
        (
            "SELECT s.row_id, s.import_id FROM sightings AS s JOIN imports AS i ON i.id = s.import_id "
            "WHERE i.first_row IS NOT NULL AND s.row_id >= i.first_row",
            "import #{1} is recorded as bringing row {0} again, but that row is not older than the import",
        ),
        ("SELECT id, row_id FROM conflicts WHERE row_id NOT IN (SELECT id FROM logs)", "conflict {0} points at missing row {1}"),
        ("SELECT id, import_id FROM conflicts WHERE import_id NOT IN (SELECT id FROM imports)", "conflict {0} names missing import #{1}"),
        (
            "SELECT c.id, c.row_id, c.log_id, l.log_id FROM conflicts AS c JOIN logs AS l ON l.id = c.row_id WHERE c.log_id IS NOT l.log_id",
            "conflict {0} is recorded for log_id {2} but points at row {1}, whose log_id is {3}",
        ),
        ("SELECT row_id FROM wrappers WHERE row_id NOT IN (SELECT id FROM logs)", "an envelope points at missing row {0}"),
        ("SELECT row_id FROM originals WHERE row_id NOT IN (SELECT id FROM logs)", "original bytes are kept for missing row {0}"),
    )
    tables = _tables(conn)
    for sql, message in queries:
        if "originals" in sql and "originals" not in tables:
            continue
        for values in conn.execute(sql):
            report.add("references", message.format(*values))


def _check_columns(mirror: Mirror, report: VerifyReport, custody: bool, progress: Progress | None) -> None:
    from .ingest import columns_for_event, path_values

    try:
        from .formats import unwrap
    except ImportError:  # pragma: no cover - before the envelope rules existed
        unwrap = None  # type: ignore[assignment]
    conn = mirror.conn
    present = _columns(conn, "logs")
    names = [c for c in LOG_COLUMNS[1:] if c in present]
    keep = [i for i, c in enumerate(LOG_COLUMNS[1:]) if c in present]
    wrapped_sql = "EXISTS (SELECT 1 FROM wrappers AS w WHERE w.row_id = l.id)" if custody else "0"
    cursor = conn.execute(
        f"SELECT l.id, r.json, {wrapped_sql}, {', '.join('l.' + n for n in names)} FROM logs AS l JOIN raw AS r ON r.id = l.id ORDER BY l.id"
    )
    total = report.counts.get("events")
    irregular = [0] * len(INDEXED_PATHS)
    done = 0
    while batch := cursor.fetchmany(HASH_BATCH):
        for row_id, text, wrapped, *stored in batch:
            log_id = stored[0]
            try:
                event = json.loads(text)
            except (ValueError, RecursionError) as exc:
                report.add("columns", f"event {log_id} (row {row_id}): its stored text is not JSON ({exc})", row_id=row_id)
                continue
            expected = columns_for_event(event)
            match = event if expected is not None and [expected[i] for i in keep] == stored else None
            if match is None:
                for reading in _other_readings(event, text, log_id, bool(wrapped), unwrap):
                    columns = columns_for_event(reading)
                    if columns is not None and [columns[i] for i in keep] == stored:
                        match = reading
                        break
            if match is None:
                differ = [names[j] for j, i in enumerate(keep) if expected is None or expected[i] != stored[j]]
                report.add("columns", f"event {log_id} (row {row_id}): {', '.join(differ)} differ from its stored text", row_id=row_id)
                continue
            mask = path_values(match)[1]
            for bit in range(len(irregular)):
                irregular[bit] += mask >> bit & 1
        done += len(batch)
        if progress is not None:
            progress("columns", done, total)
    if "originals" in _tables(conn):
        for row_id, data, text in conn.execute("SELECT o.row_id, o.bytes, r.json FROM originals AS o JOIN raw AS r ON r.id = o.row_id ORDER BY o.row_id"):
            if bytes(data).decode("utf-8", "replace") != text:
                report.add("columns", f"row {row_id}: its original bytes do not decode to its stored text", row_id=row_id)
    for log_id, count in conn.execute("SELECT log_id, count(*) FROM logs GROUP BY log_id HAVING count(*) > 1"):
        report.add("columns", f"log_id {log_id} is stored {count} times")
    index = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'logs_log_id'").fetchone()
    if index is None or "UNIQUE" not in (index[0] or "").upper():
        report.add("columns", "the unique index on log_id (logs_log_id) is missing")
    if all(c in present for c in PATH_COLUMNS):
        recorded = dict(conn.execute("SELECT key, value FROM meta WHERE key LIKE 'irregular:%'"))
        for path, found in zip(INDEXED_PATHS, irregular):
            claimed = int(recorded.get(f"irregular:{path}", "0"))
            if claimed < found:
                report.add(
                    "columns",
                    f"{found:,} events hold something other than a string at {path}, the mirror records {claimed:,}: "
                    "queries on that path would read its column and miss them",
                )


def _other_readings(event: Any, text: str, log_id: str, wrapped: bool, unwrap: Any) -> Iterator[dict]:
    """Readings of a stored text other than as a bare event that the importer may have used (see
    `columns` in the module docstring): only tried when the bare reading does not match."""
    from .ingest import columns_for_event

    if not isinstance(event, dict):
        return
    if unwrap is not None:
        found = unwrap(event, text)
        if isinstance(found, list) and len(found) == 1 and found[0].event is not event:
            yield found[0].event
    if wrapped and columns_for_event(event) is None:  # no id of its own: the envelope's, inherited
        yield {**event, "log_id": log_id}


# -- export -----------------------------------------------------------------------------------------


@dataclass
class ExportedImport:
    """One import's part in an export."""

    id: int
    source: str
    format: str | None
    sha256: str | None  # of the import's input, as recorded
    events_sha256: str | None  # of all the events it added, as recorded
    added: int = 0  # exported events this import added
    added_sha256: str | None = None  # of those events (== events_sha256 when `complete`)
    complete: bool = False  # every event it added was exported
    sighted: int = 0  # exported events it brought again (identical duplicates)


@dataclass
class ExportManifest:
    """What an export wrote, for an auditor to check without auth0-logq (`to_json`)."""

    tool: str
    tool_version: str
    created_at: str
    mirror: str
    schema_version: int
    query: str | None
    format: str
    order: str
    output: str | None = None  # where the caller wrote the events (the engine only sees a stream)
    events: int = 0
    bytes: int = 0
    sha256: str = ""  # of the bytes written
    events_sha256: str = ""  # of the stored texts, each followed by "\n" (imports.events_sha256's rule)
    reflowed: int = 0  # ndjson with reflow: texts whose newlines became spaces
    wrapped: int = 0  # events that arrived inside an envelope (exported without it)
    conflicting_versions: int = 0  # other versions of exported events, kept in the conflicts table
    not_utf8: int = 0  # events written as the exact bytes they came as, which are not valid UTF-8
    untraced: int = 0  # events added by imports that recorded no row range (schema 1)
    imports: list[ExportedImport] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"manifest_version": 1, **asdict(self)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"


ORDER = "import: mirror row id ascending, the order events were read from their sources"


def export(
    mirror: Mirror,
    out: BinaryIO,
    q: str | None = None,
    *,
    fmt: ExportFormat = "ndjson",
    reflow: bool = False,
    now_ms: int | None = None,
    progress: Progress | None = None,
) -> ExportManifest:
    """Write the events matching `q` to `out` verbatim, in import order; the manifest of what was written.

    Raises `QueryError` for a bad query and `ExportError` (before writing) when `fmt="ndjson"`
    meets a multi-line text without `reflow`. `now_ms` fixes "now" for relative dates.
    """
    from .dialect import Sql
    from .search import search

    if fmt not in ("ndjson", "json"):
        raise ExportError(f"unknown export format {fmt!r}: use ndjson or json")
    query = q if q and q.strip() else None
    result = search(mirror, query, now_ms=now_ms)  # parses and compiles; runs nothing yet
    where = result.compiled.where if result.compiled else Sql("1")
    source = "logs AS l JOIN raw AS r ON r.id = l.id" if result.compiled and result.compiled.needs_raw else "logs AS l"
    conn = mirror.conn
    tables = _tables(conn)

    if fmt == "ndjson" and not reflow:
        multi = Sql.of("SELECT count(*), min(l.log_id) FROM logs AS l JOIN raw AS r ON r.id = l.id WHERE instr(r.json, char(10)) AND ({})", where)
        count, example = conn.execute(multi.text, multi.params).fetchone()
        if count:
            raise ExportError(
                f"{count:,} of the events to export span several lines (pretty-printed in their source, e.g. log_id {example}), "
                "and an NDJSON line cannot hold them verbatim: export with --format json (every element verbatim), "
                "or with --reflow (their line breaks become spaces: the same JSON, counted in the manifest)"
            )

    manifest = ExportManifest(
        tool="auth0-logq",
        tool_version=__version__,
        created_at=utc_now(),
        mirror=mirror.path,
        schema_version=_schema_version(conn),
        query=query,
        format=fmt,
        order=ORDER,
    )
    entries, ranges = _import_entries(conn)
    starts = [first for first, _, _ in ranges]
    shas: dict[int, Any] = {}
    written = hashlib.sha256()
    events = hashlib.sha256()

    def write(data: bytes) -> None:
        out.write(data)
        written.update(data)
        manifest.bytes += len(data)

    ids = Sql.of(f"SELECT l.id FROM {source} WHERE {{}} ORDER BY l.id", where)
    wrapped_sql = "EXISTS (SELECT 1 FROM wrappers AS w WHERE w.row_id = r.id)" if "wrappers" in tables else "0"
    first = True
    if fmt == "json":
        write(b"[")
    for row_id, text, wrapped in _texts(conn, ids, wrapped_sql):
        events.update(text)
        events.update(b"\n")
        manifest.events += 1
        manifest.wrapped += wrapped
        at = bisect.bisect_right(starts, row_id) - 1
        if at >= 0 and row_id <= ranges[at][1]:
            entry = ranges[at][2]
            entry.added += 1
            sha = shas.get(entry.id)
            if sha is None:
                sha = shas[entry.id] = hashlib.sha256()
            sha.update(text)
            sha.update(b"\n")
        else:
            manifest.untraced += 1
        if fmt == "ndjson":
            if b"\n" in text or b"\r" in text:
                text = text.replace(b"\r", b" ").replace(b"\n", b" ")
                manifest.reflowed += 1
            write(text + b"\n")
        else:
            write((b"\n" if first else b",\n") + text)
        first = False
        if progress is not None and manifest.events % 10_000 == 0:
            progress("export", manifest.events, None)
    if fmt == "json":
        write(b"]\n" if first else b"\n]\n")
    manifest.sha256 = written.hexdigest()
    manifest.events_sha256 = events.hexdigest()

    for entry_id, sha in shas.items():
        entries[entry_id][0].added_sha256 = sha.hexdigest()
    for entry, new in entries.values():
        entry.complete = entry.added == new > 0
    if "sightings" in tables:
        sighted = Sql.of(f"SELECT s.import_id, count(*) FROM {source} JOIN sightings AS s ON s.row_id = l.id WHERE {{}} GROUP BY s.import_id", where)
        for import_id, count in conn.execute(sighted.text, sighted.params):
            if import_id in entries:
                entries[import_id][0].sighted = count
    if "conflicts" in tables:
        versions = Sql.of(f"SELECT count(*) FROM {source} JOIN conflicts AS c ON c.row_id = l.id WHERE {{}}", where)
        manifest.conflicting_versions = conn.execute(versions.text, versions.params).fetchone()[0]
    if "originals" in tables:
        kept = Sql.of(f"SELECT count(*) FROM {source} JOIN originals AS o ON o.row_id = l.id WHERE {{}}", where)
        manifest.not_utf8 = conn.execute(kept.text, kept.params).fetchone()[0]
    manifest.imports = [entry for entry, _ in entries.values() if entry.added or entry.sighted]
    if progress is not None:
        progress("export", manifest.events, manifest.events)
    return manifest


def _import_entries(conn: sqlite3.Connection) -> tuple[dict[int, tuple[ExportedImport, int]], list[tuple[int, int, ExportedImport]]]:
    """Every import as a manifest entry with its `new` count, by id; and (first_row, last_row,
    entry) of those that recorded a row range, by first row."""
    ranged = "first_row" in _columns(conn, "imports")
    extra = "events_sha256, first_row, last_row" if ranged else "NULL, NULL, NULL"
    entries: dict[int, tuple[ExportedImport, int]] = {}
    ranges: list[tuple[int, int, ExportedImport]] = []
    for i, source, fmt, sha, new, events, first, last in conn.execute(f"SELECT id, source, format, sha256, new, {extra} FROM imports ORDER BY id"):
        entry = ExportedImport(i, source, fmt, sha, events)
        entries[i] = (entry, new or 0)
        if first is not None and last is not None:
            ranges.append((first, last, entry))
    ranges.sort(key=lambda r: r[0])
    return entries, ranges


def _texts(conn: sqlite3.Connection, ids_sql: Any, wrapped_sql: str) -> Iterator[tuple[int, bytes, int]]:
    """(row id, the bytes the event came as, wrapped 0/1) of the ids `ids_sql` selects, in its
    order: the ids are read in order, the texts fetched in batches (constant memory)."""
    stored = _stored_bytes(conn)
    cursor = conn.execute(ids_sql.text, ids_sql.params)
    try:
        while ids := [row[0] for row in cursor.fetchmany(EXPORT_BATCH)]:
            marks = ",".join("?" * len(ids))
            found = {row[0]: row[1:] for row in conn.execute(f"SELECT r.id, {stored}, {wrapped_sql} FROM raw AS r WHERE r.id IN ({marks})", ids)}
            for row_id in ids:
                text, wrapped = found.get(row_id, (None, 0))
                if text is None:
                    raise ExportError(f"row {row_id} has no stored text: the mirror is damaged (run logq verify)")
                yield row_id, text, wrapped
    finally:
        cursor.close()


# -- provenance -------------------------------------------------------------------------------------


@dataclass
class Provenance:
    """Where one stored event came from.

    `added_by`: the import that added it (None when that import recorded no row range: schema 1).
    `brought_again_by`: imports that carried the identical event later. `conflicts`: other
    versions of the same `log_id`, kept verbatim with the import that brought each. `envelope`:
    the record it arrived in (`shape`, `text` with the event replaced by `null`), if any.
    """

    log_id: str
    row_id: int
    added_by: dict[str, Any] | None
    brought_again_by: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]
    envelope: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_IMPORT_FIELDS = "i.id, i.source, i.format, i.sha256, i.started_at"


def _import_dict(row: tuple) -> dict[str, Any]:
    return dict(zip(("id", "source", "format", "sha256", "started_at"), row))


def provenance(mirror: Mirror, log_id: str) -> Provenance | None:
    """Which imports brought the event `log_id`; None when the mirror does not hold it."""
    conn = mirror.conn
    row = conn.execute("SELECT id FROM logs WHERE log_id = ?", (log_id,)).fetchone()
    if row is None:
        return None
    row_id = row[0]
    tables = _tables(conn)
    added_by = None
    if "first_row" in _columns(conn, "imports"):
        found = conn.execute(f"SELECT {_IMPORT_FIELDS} FROM imports AS i WHERE ? BETWEEN i.first_row AND i.last_row", (row_id,)).fetchone()
        added_by = _import_dict(found) if found else None
    again: list[dict[str, Any]] = []
    conflicts: list[dict[str, Any]] = []
    envelope = None
    if "sightings" in tables:
        sql = f"SELECT {_IMPORT_FIELDS} FROM sightings AS s JOIN imports AS i ON i.id = s.import_id WHERE s.row_id = ? ORDER BY i.id"
        again = [_import_dict(r) for r in conn.execute(sql, (row_id,))]
    if "conflicts" in tables:
        sql = "SELECT c.import_id, c.source, c.line, c.byte_offset, c.json FROM conflicts AS c WHERE c.row_id = ? ORDER BY c.id"
        conflicts = [dict(zip(("import_id", "source", "line", "byte_offset", "json"), r)) for r in conn.execute(sql, (row_id,))]
    if "wrappers" in tables:
        found = conn.execute("SELECT shape, text FROM wrappers WHERE row_id = ?", (row_id,)).fetchone()
        envelope = {"shape": found[0], "text": found[1]} if found else None
    return Provenance(log_id, row_id, added_by, again, conflicts, envelope)
