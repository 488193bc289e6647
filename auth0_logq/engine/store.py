"""The mirror: a SQLite database holding every imported log event exactly as exported.

Layout (schema version 2):

* `logs`: one row per `log_id` with typed columns for Auth0's 16 searchable fields, the row that
  searches scan. `date_ms` is the event time in epoch milliseconds (ranges and sorting use it, so
  they use an index); `date` is the same instant as ISO text `YYYY-MM-DDTHH:MM:SS.sssZ`. The
  `path_*` columns hold the string at each of `fields.INDEXED_PATHS` (`details.request.method`);
  `meta` counts, per path, the events whose value there is not a plain string (an array, a number,
  an object), and a path's column answers queries only while that count is zero.
* `raw`: the event's original JSON text, verbatim, keyed by the same `id`. Kept out of `logs` so
  that scans of `logs` stay small; joined only for other JSON paths and for output.
* `imports`: one row per import (source, size, sha256, counts). The rows an import added are the
  contiguous ids `first_row..last_row` (imports run one at a time), and `events_sha256` is the
  sha256 of their texts in id order, each followed by a newline: `logq verify` recomputes it.
* `sightings`: an import that brought an event already stored, identical: with the import that
  added it, every import that carried an event is known. `conflicts`: an event whose `log_id` was
  already stored with different content, kept verbatim beside the first version (never
  overwriting it). `wrappers`: for events that arrived in another shape than a bare event (a
  log-stream record, an EventBridge envelope, a legacy extension's file), the shape and the
  envelope's text with the event replaced by `null` (NULL when there was no envelope).
  `originals`: the exact bytes of the few events whose input was not valid UTF-8 (`raw.json`
  then holds them decoded with U+FFFD in place of each bad byte, which is what searches see).
* `rejects`: records that were not log events, kept verbatim with where they came from.
  `meta`: schema version, creator, the per-path counts and the distinct-value lists' generations.

The database runs in WAL mode, so searches can run while an import writes. A mirror written by a
newer version of the schema is refused with a clear message rather than misread; a version 1
mirror is upgraded in place when opened for writing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

if TYPE_CHECKING:
    import sqlite_utils

from .dates import ms_to_iso
from .fields import FIELDS, INDEXED_PATHS

SCHEMA_VERSION = 2
PAGE_SIZE = 16384
MMAP_SIZE = 1 << 30  # searches read the mirror through a memory map of up to 1 GiB

# Typed columns, in order: every searchable field keeps its own name; `date` also gets `date_ms`.
KEYWORD_COLUMNS: tuple[str, ...] = tuple(f.column for f in FIELDS if f.column and f.column != "date")  # type: ignore[misc]
PATH_COLUMNS: tuple[str, ...] = tuple(INDEXED_PATHS.values())
LOG_COLUMNS: tuple[str, ...] = ("id", "log_id", "date", "date_ms") + tuple(c for c in KEYWORD_COLUMNS if c != "log_id") + PATH_COLUMNS


def _create_schema(db: "sqlite_utils.Database") -> None:
    """Create the tables with sqlite-utils (column types and keys stated once, here)."""
    db.table("meta").create({"key": str, "value": str}, pk="key", not_null={"value"})
    columns: dict[str, Any] = {"id": int, "log_id": str, "date": str, "date_ms": int}
    columns.update({c: str for c in KEYWORD_COLUMNS + PATH_COLUMNS if c != "log_id"})
    db.table("logs").create(columns, pk="id", not_null={"log_id"})
    db.table("logs").create_index(["log_id"], index_name="logs_log_id", unique=True)
    db.table("raw").create({"id": int, "json": str}, pk="id", not_null={"json"})
    _create_custody_tables(db)
    db.table("imports").create(
        {
            "id": int,
            "source": str,
            "format": str,
            "bytes": int,
            "sha256": str,
            "started_at": str,
            "finished_at": str,
            "tool_version": str,
            "new": int,
            "duplicate": int,
            "rejected": int,
            "container": str,
            "first_row": int,
            "last_row": int,
            "events_sha256": str,
            "identical": int,
            "conflicting": int,
        },
        pk="id",
        not_null={"source", "started_at", "tool_version"},
        defaults={"new": 0, "duplicate": 0, "rejected": 0, "identical": 0, "conflicting": 0},
    )
    db.table("rejects").create(
        {"id": int, "import_id": int, "source": str, "line": int, "byte_offset": int, "reason": str, "text": str},
        pk="id",
        not_null={"import_id", "source", "reason", "text"},
        foreign_keys=[("import_id", "imports", "id")],
    )


def _create_custody_tables(db: "sqlite_utils.Database") -> None:
    """The tables that say where every event came from (new in schema version 2)."""
    db.table("sightings").create({"row_id": int, "import_id": int}, pk=("row_id", "import_id"), not_null={"row_id", "import_id"})
    db.table("conflicts").create(
        {"id": int, "import_id": int, "row_id": int, "log_id": str, "source": str, "line": int, "byte_offset": int, "json": str},
        pk="id",
        not_null={"import_id", "row_id", "log_id", "source", "json"},
    )
    db.table("wrappers").create({"row_id": int, "shape": str, "text": str}, pk="row_id", not_null={"shape"})
    db.table("originals").create({"row_id": int, "bytes": bytes}, pk="row_id", not_null={"bytes"})


# Indexes that the query classes need: newest-first listing, and "field = value, newest first"
# for every keyword field (the composite lets SQLite filter and sort with one index walk).
# The date index carries log_id, the tie-break of newest-first order, so no sort is ever needed.
INDEXES: tuple[tuple[str, tuple[str, ...]], ...] = (("logs_date", ("date_ms", "log_id")),) + tuple(
    (f"logs_{c}_date", (c, "date_ms")) for c in KEYWORD_COLUMNS + PATH_COLUMNS if c != "log_id"
)


class MirrorError(Exception):
    """The database cannot be used as a mirror (newer schema, not a mirror, unreadable)."""


@dataclass(frozen=True)
class MirrorStats:
    events: int
    first_date: str | None
    last_date: str | None
    imports: int
    rejected: int


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Mirror:
    """An open mirror database. Use `Mirror.open(path)`; it is also a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: str, readonly: bool = False):
        self.conn = conn
        self.path = path
        self.readonly = readonly

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, readonly: bool = False) -> "Mirror":
        """Open (and with `create`, initialise) the mirror at `path` (":memory:" works too)."""
        path = str(path)
        if path != ":memory:" and not create and not Path(path).exists():
            raise MirrorError(f"no mirror at {path}: import some logs first (logq --db {path} import FILE)")
        uri = f"file:{path}?mode=ro" if readonly and path != ":memory:" else path
        try:
            conn = sqlite3.connect(uri, uri=readonly and path != ":memory:", isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 10000")
            if not readonly and conn.execute("PRAGMA page_count").fetchone()[0] == 0:
                # Raw events are ~1 KiB: 16 KiB pages waste ~3% of each page where 4 KiB pages
                # waste ~20%. Only possible before the first table exists.
                conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            if not readonly:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")  # WAL stays consistent; fewer fsyncs
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute("PRAGMA cache_size = -65536")
            conn.execute(f"PRAGMA mmap_size = {MMAP_SIZE}")
        except sqlite3.DatabaseError as exc:
            raise MirrorError(f"{path} is not a SQLite database: {exc}") from None
        mirror = cls(conn, path, readonly)
        mirror._check_or_create(create=create and not readonly)
        from .dialect import SQLITE

        SQLITE.register_functions(conn)
        return mirror

    def _check_or_create(self, *, create: bool) -> None:
        try:
            tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise MirrorError(f"{self.path} is not a SQLite database: {exc}") from None
        if "meta" in tables:
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = int(row[0]) if row else 0
            if version > SCHEMA_VERSION:
                raise MirrorError(
                    f"{self.path} was written by a newer auth0-logq (mirror schema {version}; this version "
                    f"reads up to {SCHEMA_VERSION}). Upgrade auth0-logq to use it."
                )
            if version == 1 and not self.readonly:
                self._upgrade_from_1()
            return
        if tables:
            raise MirrorError(f"{self.path} is a SQLite database but not an auth0-logq mirror")
        if not create:
            raise MirrorError(f"{self.path} is empty: import some logs first")
        from auth0_logq import __version__

        import sqlite_utils

        with self.transaction():
            _create_schema(sqlite_utils.Database(self.conn))
            self.conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [("schema_version", str(SCHEMA_VERSION)), ("created_at", utc_now()), ("created_by", f"auth0-logq {__version__}")],
            )
            self.create_indexes()

    def _upgrade_from_1(self) -> None:
        """Schema 1 -> 2: the custody tables, the import ranges, and the indexed-path columns
        (filled from the stored events). One transaction: an interrupted upgrade changes nothing."""
        import sqlite_utils

        from .ingest import backfill_paths  # the importer knows how events map to columns

        with self.transaction() as conn:
            db = sqlite_utils.Database(conn)
            for column in PATH_COLUMNS:
                conn.execute(f"ALTER TABLE logs ADD COLUMN {column} TEXT")
            for column, kind in (("container", "TEXT"), ("first_row", "INTEGER"), ("last_row", "INTEGER"), ("events_sha256", "TEXT")):
                conn.execute(f"ALTER TABLE imports ADD COLUMN {column} {kind}")
            for column in ("identical", "conflicting"):
                conn.execute(f"ALTER TABLE imports ADD COLUMN {column} INTEGER NOT NULL DEFAULT 0")
            _create_custody_tables(db)
            # Schema 1 did not record which rows an import added, nor their hashes: those imports
            # keep NULL ranges, and `verify` says their events cannot be traced to one import.
            backfill_paths(self)
            last = conn.execute("SELECT coalesce(max(id), 0) FROM imports").fetchone()[0]
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema1_last_import', ?)", (str(last),))
            conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
            self.create_indexes()

    # -- indexed JSON paths ----------------------------------------------------------------------

    def path_columns(self) -> dict[str, str]:
        """The indexed paths whose column answers queries: every stored event has a plain string,
        or nothing, there (`path -> column`). Other paths are read from the JSON."""
        columns = {row[1] for row in self.conn.execute("PRAGMA table_info(logs)")}
        if not all(c in columns for c in PATH_COLUMNS):
            return {}  # a schema 1 mirror opened read-only: not upgraded
        counts = dict(self.conn.execute("SELECT key, value FROM meta WHERE key LIKE 'irregular:%'"))
        return {path: column for path, column in INDEXED_PATHS.items() if counts.get(f"irregular:{path}", "0") == "0"}

    def add_irregular(self, counts: dict[str, int]) -> None:
        """Add to the per-path counts of events whose value is not a plain string (inside the
        caller's transaction)."""
        for path, n in counts.items():
            if n:
                row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (f"irregular:{path}",)).fetchone()
                total = (int(row[0]) if row else 0) + n
                self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (f"irregular:{path}", str(total)))

    # -- transactions and indexes ----------------------------------------------------------------

    def transaction(self) -> "_Transaction":
        """`with mirror.transaction():` — everything inside commits together or not at all."""
        return _Transaction(self.conn)

    @contextlib.contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Around a transaction that loads an empty mirror: a rollback journal instead of WAL.

        WAL writes every page twice (to the log, then to the database); a rollback journal saves
        only the pages that existed before the transaction, which in an empty mirror is almost
        none, so a first import writes its gigabytes once and stays atomic. Needs the only
        connection to the file: with a reader attached the load simply stays in WAL mode.
        """
        if self.path == ":memory:" or self.readonly or self.conn.execute("SELECT EXISTS (SELECT 1 FROM logs)").fetchone()[0]:
            yield
            return
        try:
            switched = self.conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
        except sqlite3.OperationalError:
            switched = False
        self.conn.execute("PRAGMA cache_size = -262144")  # index builds sort in memory
        self.conn.execute("PRAGMA mmap_size = 0")  # a load writes; mapping the file only swells RSS
        try:
            yield
        finally:
            self.conn.execute("PRAGMA cache_size = -65536")
            self.conn.execute(f"PRAGMA mmap_size = {MMAP_SIZE}")
            if switched:
                self.conn.execute("PRAGMA journal_mode = WAL")

    def create_indexes(self) -> None:
        for name, columns in INDEXES:
            self.conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON logs ({', '.join(columns)})")

    def drop_indexes(self) -> None:
        """Bulk loads are faster without indexes; `create_indexes` rebuilds them afterwards."""
        for name, _ in INDEXES:
            self.conn.execute(f"DROP INDEX IF EXISTS {name}")

    # -- distinct values ---------------------------------------------------------------------------

    def ensure_value_lists(self, columns: "Iterable[str]") -> bool:
        """Make `field_values` hold exactly the distinct non-null values of each column.

        Predicates no index can serve (`*word*`, regex, fuzzy) are tested against these few
        values instead of every row, and the matching values are then found through the
        (column, date) index. Logs are append-only, so a list is current while `max(logs.id)` is
        what it was built at; rebuilding reads the column's index. Returns False when the mirror
        is read-only and a list is stale (the caller then matches row by row).
        """
        columns = [c for c in columns if c in KEYWORD_COLUMNS or c in PATH_COLUMNS]
        if not columns:
            return True
        generation = str(self.conn.execute("SELECT coalesce(max(id), 0) FROM logs").fetchone()[0])
        stale = [c for c in columns if self._meta(f"values:{c}") != generation]
        if not stale:
            return True
        if self.readonly:
            return False
        with self.transaction() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS field_values (field TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (field, value)) WITHOUT ROWID"
            )
            for column in stale:
                conn.execute("DELETE FROM field_values WHERE field = ?", (column,))
                # `column` comes from the field table, never from a query.
                conn.execute(
                    f"INSERT INTO field_values (field, value) SELECT ?, {column} FROM logs WHERE {column} IS NOT NULL GROUP BY {column}",
                    (column,),
                )
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (f"values:{column}", generation))
        return True

    def _meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # -- reading ---------------------------------------------------------------------------------

    def stats(self) -> MirrorStats:
        events, first, last = self.conn.execute("SELECT count(*), min(date_ms), max(date_ms) FROM logs").fetchone()
        imports, rejected = self.conn.execute("SELECT count(*), coalesce(sum(rejected), 0) FROM imports").fetchone()
        return MirrorStats(
            events, ms_to_iso(first) if first is not None else None, ms_to_iso(last) if last is not None else None, imports, rejected
        )

    def imports(self) -> list[dict[str, Any]]:
        cur = self.conn.execute("SELECT * FROM imports ORDER BY id")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur]

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Mirror":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Transaction:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        self.conn.execute("ROLLBACK" if exc_type is not None else "COMMIT")
