"""The importer: Auth0 log exports in, mirror rows out, exactly and fast.

Formats (detected from the content, never from the file name; gzip is detected by its magic bytes):

* `array`: a JSON array of log events, as `GET /api/v2/logs` returns them.
* `include_totals`: the paged object `{"start", "limit", "length", "total", "logs": [...]}` in any
  key order; the events are the elements of `logs`.
* `ndjson`: one event per line; blank lines are skipped, `\\r\\n` endings are accepted.
* `object`: a single event object, compact or pretty-printed (`GET /api/v2/logs/{id}`).
* `concatenated`: several JSON documents one after the other (pages appended with `>>`).
* `empty`: nothing but whitespace.

A record that is itself an array of events, or a page object, is opened up: a line of NDJSON
holding a page, or an array of pages, imports the events inside. Input is read in binary and decoded
as UTF-8 (a leading BOM is skipped); arrays are scanned with `json.JSONDecoder.raw_decode` over a text
buffer refilled in 1 MiB chunks, so memory stays bounded whatever the file size.

Rules the query compiler and the reference evaluator rely on:

* A log event is a JSON object with a string `log_id`, or failing that (`log_id` absent, null or
  of another type) a string `_id` (the API's older key). A number in either key is accepted as its
  `json.dumps` text (its decimal digits for an integer). That id is the `log_id` column. Anything
  else is rejected with reason `not a log event: <why>`.
* `raw.json` is the event's source text, verbatim: the NDJSON line without its line ending, or the
  exact text of the array element. Export -> mirror -> export is byte-for-byte lossless.
* Typed keyword columns (`store.KEYWORD_COLUMNS`): `value = event.get(name)`; a string is stored as
  is, a boolean as `"true"`/`"false"`, a number as `json.dumps(value)`; null, arrays and objects as
  NULL. (A string holding an unpaired UTF-16 surrogate, which only a `\\udXXX` escape can produce,
  has each such surrogate replaced by U+FFFD: SQLite text is UTF-8. `raw.json` keeps the escape.)
  Values are those `json.loads` gives: orjson, used for speed, is overruled where it differs
  (integers beyond 64 bits, `NaN`, lone surrogates).
* `date_ms = dates.event_date_ms(event.get("date"))` and `date = dates.ms_to_iso(date_ms)`; both are
  NULL when there is no usable date, when `event_date_ms` fails, or when the instant lies outside
  the years 1-9999 (which `ms_to_iso` cannot render).
* Dedupe by log id: an id already in the mirror, or seen earlier in the same import, counts as
  `duplicate` and is not inserted again. Duplicates are compared with the stored event (same text, or
  the same JSON value) and counted as identical or conflicting in `ImportSummary.duplicate_detail`.
* Records that are not events (malformed JSON, with the decoder's message; not a log event; invalid
  UTF-8; truncated input) go verbatim to the `rejects` table with the 1-based line and the byte
  offset of the record in the (decompressed) input; the rest of the input still imports. A broken
  array imports every complete element before the break and records one reject, holding the text
  from the break on (at most 1 MiB of it), that says where it broke. Text that is not valid UTF-8
  is stored with the bad bytes written as `\\xNN`.
* Every import writes an `imports` row: the source as given (`<stdin>` for `-`), the format, the
  number of bytes read and their sha256 (of the file as stored: compressed bytes for gzip), times,
  tool version and counts. `read == new + duplicate + rejected`.
* The imports of one argument (a file, or every file of a folder or an archive) are one
  transaction: an exception (a bad disk, Ctrl-C, a progress callback that raises) or a `kill -9`
  leaves the mirror exactly as it was, and running the import again completes it. WAL mode lets
  searches run meanwhile (a first load into an empty mirror uses a rollback journal instead: see
  `Mirror.bulk_load`).
* Shapes other than bare events (log-stream records, EventBridge envelopes, Splunk, CloudWatch,
  Sumo, Datadog, legacy extension files) are opened by `formats.unwrap`; the stored text is the
  event's own, and `wrappers` keeps the envelope. Paths are opened by `sources.expand`.

Speed: rows go in with `executemany` in batches of 5,000 with explicit ids (`logs.id == raw.id`);
duplicates are found with one query per batch; when a load adds more than a third of what the
mirror held (always, into an empty one), the secondary indexes are dropped during the load and
rebuilt after it, then `ANALYZE` runs. NDJSON of 32 MiB or more is parsed by worker processes
(`_prepare_block`) while this process writes; lines a worker cannot finish take the careful path
here, in order, so the result is the single-process result.

Nothing here prints or exits: results are returned, problems raised as `IngestError`, and progress
reported through a callback `(records_done, bytes_done, total_bytes or None)`.
"""

from __future__ import annotations

import codecs
import gc
import hashlib
import io
import json
import marshal
import os
import re
import stat
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from .. import __version__
from .dates import DateError, event_date_ms, ms_to_iso, parse_iso
from .fields import INDEXED_PATHS
from .formats import Unwrapped, needs_unwrap, unwrap
from .sources import STDIN_NAME, Member, SourceError, expand
from .store import KEYWORD_COLUMNS, LOG_COLUMNS, PATH_COLUMNS, Mirror, utc_now

_fast_loads: Callable[[bytes], Any] | None
try:  # orjson parses NDJSON about three times faster than json; results are checked against json's
    from orjson import loads as _fast_loads
except ImportError:  # pragma: no cover - exercised on machines without orjson
    _fast_loads = None

Progress = Callable[[int, int, "int | None"], None]

BATCH_ROWS = 5000  # rows per executemany, and per duplicate lookup
CHUNK_BYTES = 1 << 20  # bytes read (or decompressed) at a time
HEAD_BYTES = 1 << 20  # bytes looked at to tell the format
LOOKAHEAD_CHARS = 256 << 10  # text kept ahead of the array scanner, so elements rarely straddle a refill
MAX_RECORD_CHARS = 64 << 20  # a single JSON value larger than this is treated as corrupt
REJECT_TEXT_LIMIT = 1 << 20  # how much of the rest of a broken document a reject keeps
SUMMARY_REJECTS = 100  # rejects carried in the summary; all of them are in the `rejects` table
WORKER_MIN_BYTES = 32 << 20  # NDJSON at least this large is parsed by a worker process
WORKER_BLOCK_BYTES = 4 << 20  # lines handed to a worker at a time
WORKERS = 1  # one worker: with two, three processes share two cores and the writer, the bottleneck, waits


class IngestError(Exception):
    """The input cannot be imported at all (missing file, not an export, unsupported encoding).

    Raised before anything is written: the mirror is unchanged.
    """


@dataclass
class Reject:
    """A record that was not imported, and where it came from."""

    source: str
    line: int | None  # 1-based line of the record's first character
    byte_offset: int | None  # offset of its first byte in the (decompressed) input
    reason: str
    text: str


@dataclass
class DuplicateCounts:
    """How the duplicates of an import compare with the event already kept under their id."""

    identical: int = 0  # same text, or the same JSON value written differently
    conflicting: int = 0  # same id, different content


@dataclass
class ImportSummary:
    source: str
    format: str
    import_id: int
    bytes: int
    sha256: str
    read: int  # records read: new + duplicate + rejected
    new: int
    duplicate: int
    rejected: int
    seconds: float
    rejects: list[Reject]  # the first 100, for display; all are stored in the `rejects` table
    duplicate_detail: DuplicateCounts = field(default_factory=DuplicateCounts, repr=False, compare=False)


# -- typed columns ---------------------------------------------------------------------------------

_OTHER_COLUMNS: tuple[str, ...] = tuple(c for c in KEYWORD_COLUMNS if c != "log_id")
assert LOG_COLUMNS == ("id", "log_id", "date", "date_ms") + _OTHER_COLUMNS + PATH_COLUMNS, "ingest follows store.LOG_COLUMNS"

_MIN_MS = -62_135_596_800_000  # 0001-01-01T00:00:00.000Z
_MAX_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def columns_for_event(event: Any) -> tuple | None:
    """The typed `logs` values of an event, in `store.LOG_COLUMNS` order without `id`.

    None if `event` is not a log event (not a dict, or no usable `log_id`/`_id`).
    """
    if not isinstance(event, dict):
        return None
    row = _row(event)
    if row is None:
        return None
    row.extend(path_values(event)[0])
    if _has_lone_surrogate(row):
        _replace_surrogates(row)
    return tuple(row[1:])


_PATH_STEPS: tuple[tuple[str, ...], ...] = tuple(tuple(path.split(".")) for path in INDEXED_PATHS)


def path_values(event: dict) -> tuple[list[str | None], int]:
    """The `path_*` column values of an event, and a bit mask of the paths where it is irregular.

    A path is regular in an event when walking its keys (as `json_path_values` in the reference
    evaluator does) meets no array and ends at a string, null or nothing: the column then holds
    exactly the values the path has. Any other event is counted, and the compiler reads the JSON
    for that path while the count is not zero. (Existence tests always read the JSON: a key with a
    `.` in it can make a leaf's dotted path equal an indexed path without a value at it.)
    """
    values: list[str | None] = []
    irregular = 0
    bit = 1
    for steps in _PATH_STEPS:
        node: Any = event
        for key in steps:
            if node.__class__ is dict:
                node = node.get(key)
            else:
                if node.__class__ is list:
                    irregular |= bit
                node = None
                break
        if node is not None and node.__class__ is not str:
            irregular |= bit  # an array, an object, a number or a boolean
            node = None
        values.append(node)
        bit <<= 1
    return values, irregular


def _complete_row(row: list, event: dict, text: str) -> int:
    """Append the indexed-path values to a `_row` row, repair lone surrogates (`text` is the
    event's JSON, or "" when it has no `\\u` escape); the irregular-path mask."""
    paths, irregular = path_values(event)
    row.extend(paths)
    if "\\u" in text and _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(row):
        _replace_surrogates(row)
    return irregular


def _add_mask(counts: list[int], mask: int) -> None:
    """Count an irregular-path mask into per-path counts."""
    for bit in range(len(counts)):
        counts[bit] += mask >> bit & 1


def _provenance(item: Unwrapped) -> tuple[str, str | None] | None:
    """(shape, envelope) of an unwrapped event; None for a bare event."""
    return None if item.shape == "event" and item.wrapper is None else (item.shape, item.wrapper)



def _row(event: dict, exact: bool = True) -> Any:
    """The `logs` row of an event as a list, `id` (row[0]) left None; None if not a log event.

    No surrogate repair (callers check for `\\ud...` escapes first). With `exact=False` (the event
    came from orjson) returns `_REPARSE` when a value that reaches a column is a float: orjson turns
    integers beyond 64 bits into floats where json keeps them exact.
    """
    log_id = event.get("log_id")
    if log_id.__class__ is not str:
        if not exact and float in (log_id.__class__, event.get("_id").__class__):
            return _REPARSE
        log_id = _event_id(event)
        if log_id is None:
            return None
    value = event.get("date")
    if value.__class__ is str and len(value) == 24:  # the usual form, inline: this runs per event
        minute = _minutes.get(value[:16], _MISSING)
        if minute is _MISSING:
            minute = _minute_ms(value[:16])
        second = _seconds.get(value[16:], _MISSING)
        if second is _MISSING:
            second = _second_ms(value[16:])
        if minute is not None and second is not None:
            row = [None, log_id, value, minute + second, *map(event.get, _OTHER_COLUMNS)]  # type: ignore[operator]
        else:
            row = [None, log_id, *_date_columns(value), *map(event.get, _OTHER_COLUMNS)]
    else:
        row = [None, log_id, *_date_columns(value), *map(event.get, _OTHER_COLUMNS)]
    if not _STR_OR_NONE.issuperset(map(type, row[4:])):
        if not exact and float in map(type, row):
            return _REPARSE
        row[4:] = map(_keyword, row[4:])
    return row


_REPARSE = object()
_STR_OR_NONE = frozenset((str, type(None)))


def _keyword(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return None


def _event_id(event: dict) -> str | None:
    for key in ("log_id", "_id"):
        value = event.get(key)
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return json.dumps(value)
    return None


def _why_not(value: Any) -> str:
    """The reason a parsed record is not a log event."""
    if not isinstance(value, dict):
        kind = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(type(value), "a number")
        return f"not a log event: {kind}, not an object"
    present = [k for k in ("log_id", "_id") if k in value]
    if not present:
        return "not a log event: no log_id or _id"
    shown = ", ".join(f"{k} is {_describe(value[k])}" for k in present)
    return f"not a log event: {shown}"


def _describe(value: Any) -> str:
    return {list: "an array", dict: "an object", bool: "a boolean", type(None): "null"}.get(type(value), type(value).__name__)


def _has_lone_surrogate(row: list) -> bool:
    return any(isinstance(v, str) and _LONE_SURROGATE.search(v) for v in row)


def _replace_surrogates(row: list) -> None:
    row[:] = [_LONE_SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v for v in row]


# Dates: the export's own `YYYY-MM-DDTHH:MM:SS.sssZ` is split into minute and second parts, each
# looked up in a small cache, which gives `event_date_ms` + `ms_to_iso` without parsing (a property
# test holds the two paths equal). Anything else takes the general path.
_MINUTE_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}")
_SECOND_FORM = re.compile(r":[0-5][0-9]\.[0-9]{3}Z")
_minutes: dict[str, int | None] = {}
_seconds: dict[str, int | None] = {}
_MISSING = object()


def _date_columns(value: Any) -> tuple[str | None, int | None]:
    """(date, date_ms) of an event's `date` value (`_row` inlines the first half)."""
    if value.__class__ is str and len(value) == 24:
        minute = _minutes.get(value[:16], _MISSING)
        if minute is _MISSING:
            minute = _minute_ms(value[:16])
        second = _seconds.get(value[16:], _MISSING)
        if second is _MISSING:
            second = _second_ms(value[16:])
        if minute is not None and second is not None:
            return value, minute + second  # type: ignore[operator]
    try:
        ms = event_date_ms(value)
    except (ValueError, OverflowError, TypeError):
        return None, None
    if ms is None or not _MIN_MS <= ms <= _MAX_MS:
        return None, None
    return ms_to_iso(ms), ms


def _minute_ms(text: str) -> int | None:
    ms: int | None = None
    # Years before 1000 take the general path: ms_to_iso does not zero-pad them.
    if _MINUTE_FORM.fullmatch(text) and text[0] != "0" and text[11:13] < "24" and text[14:16] < "60":
        try:
            ms = parse_iso(text)
        except DateError:
            ms = None
    if len(_minutes) > 200_000:
        _minutes.clear()
    _minutes[text] = ms
    return ms


def _second_ms(text: str) -> int | None:
    ms = int(text[1:3]) * 1000 + int(text[4:7]) if _SECOND_FORM.fullmatch(text) else None
    if len(_seconds) > 100_000:
        _seconds.clear()
    _seconds[text] = ms
    return ms


# -- the loader: rows into the mirror ----------------------------------------------------------------

_INSERT_LOGS = f"INSERT INTO logs ({', '.join(LOG_COLUMNS)}) VALUES ({', '.join('?' * len(LOG_COLUMNS))})"
_INSERT_RAW = "INSERT INTO raw (id, json) VALUES (?, ?)"
_INSERT_REJECT = "INSERT INTO rejects (import_id, source, line, byte_offset, reason, text) VALUES (?, ?, ?, ?, ?, ?)"
_FIND_IDS = "SELECT log_id, id FROM logs WHERE log_id IN (SELECT value FROM json_each(?))"
_INSERT_WRAPPER = "INSERT INTO wrappers (row_id, shape, text) VALUES (?, ?, ?)"
_INSERT_ORIGINAL = "INSERT INTO originals (row_id, bytes) VALUES (?, ?)"
_INSERT_SIGHTING = "INSERT OR IGNORE INTO sightings (row_id, import_id) VALUES (?, ?)"
_INSERT_CONFLICT = "INSERT INTO conflicts (import_id, row_id, log_id, source, json) VALUES (?, ?, ?, ?, ?)"
_FIND_RAW = "SELECT logs.log_id, raw.json FROM logs JOIN raw ON raw.id = logs.id WHERE logs.log_id IN (SELECT value FROM json_each(?))"


class _Sha256:
    """A sha256 fed by a background thread, in order: hashlib lets go of the GIL while it hashes a
    large buffer, so the gigabyte an import hashes twice (its input, its events) costs the writer,
    the bottleneck, nothing."""

    _pool: "ThreadPoolExecutor | None" = None

    def __init__(self) -> None:
        self._sha = hashlib.sha256()
        self._last: "Future[None] | None" = None

    def update(self, data: bytes) -> None:
        if _Sha256._pool is None:
            _Sha256._pool = ThreadPoolExecutor(1, thread_name_prefix="logq-sha256")  # one thread: updates stay in order
        self._last = _Sha256._pool.submit(self._sha.update, data)

    def hexdigest(self) -> str:
        if self._last is not None:
            self._last.result()
        return self._sha.hexdigest()


class _Bulk:
    """The secondary indexes across the imports of one transaction (one file, or every file of a
    folder or archive): a load that adds more than a third of what the mirror held is faster
    without them, building them once at the end, than maintaining them row by row."""

    def __init__(self, mirror: Mirror):
        self.mirror = mirror
        self.rows_before = mirror.conn.execute("SELECT coalesce(max(id), 0) FROM logs").fetchone()[0]  # never deleted
        self.added = 0
        self.dropped = False

    def adding(self, count: int) -> None:
        self.added += count
        if not self.dropped and self.added * 3 > self.rows_before:
            self.mirror.drop_indexes()
            self.dropped = True

    def finish(self) -> None:
        if self.dropped:
            self.mirror.create_indexes()
            self.mirror.conn.execute("ANALYZE")
            self.dropped = False


class _Loader:
    """Collects records of one import and writes them in batches inside its transaction."""

    def __init__(self, mirror: Mirror, import_id: int, source: str, progress: Callable[[int], None] | None, bulk: _Bulk):
        self.mirror = mirror
        self.conn = mirror.conn
        self.import_id = import_id
        self.source = source
        self.progress = progress
        self.bulk = bulk
        self.next_id = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM logs").fetchone()[0]
        self.rows: list[list] = []
        self.texts: list[str] = []
        self.new = self.duplicate = self.rejected = 0
        self.detail = DuplicateCounts()
        self.first_rejects: list[Reject] = []
        self.reject_rows: list[tuple] = []
        self.irregular = [0] * len(INDEXED_PATHS)  # events per indexed path that its column cannot answer for
        self.wrapped: dict[int, tuple[str, str | None]] = {}  # index in `rows` -> (shape, envelope) of the batch
        self.originals: dict[int, bytes] = {}  # index in `rows` -> input bytes that were not UTF-8
        self.shapes: dict[str, int] = {}  # events per shape other than a bare event (`formats`)
        self.events_sha = _Sha256()  # of the texts of the rows added, in id order
        self.sightings: list[tuple[int, int]] = []  # (row id, import id) of identical duplicates
        self.conflicts: list[tuple] = []
        self.first_row: int | None = None

    @property
    def read(self) -> int:
        return self.new + self.duplicate + self.rejected + len(self.rows)

    def add(self, text: str, event: dict, exact: bool = True, original: bytes | None = None) -> str | None:
        """Queue the events of a record; the reason it holds none otherwise.

        `exact`: parsed by json, not orjson. `original`: the record's bytes when they were not valid
        UTF-8 (`text` then has U+FFFD in place of the bad bytes).
        """
        row = _row(event, exact)
        if row is _REPARSE:
            event = json.loads(text)
            row = _row(event)
        if row is None or needs_unwrap(event):
            return self._unwrap(text, event, row is not None, original)
        self._queue(row, text, event, None, original)
        return None

    def _unwrap(self, text: str, record: dict, is_event: bool, original: bytes | None) -> str | None:
        """A record that is not a bare event: queue the events `formats.unwrap` finds in it."""
        found = unwrap(record, text)
        if isinstance(found, str):
            if not is_event:
                return found
            found = []  # it has a log id and nothing else fits: it is a bare event after all
        if not found and is_event:
            self._queue(_row(record), text, record, None, original)  # type: ignore[arg-type]
            return None
        reasons = []
        for item in found:
            row = _row(item.event)
            if row is None:
                reasons.append(_why_not(item.event))
                continue
            self._queue(row, item.text, item.event, _provenance(item), original if item.text == text else None)
        if reasons and len(reasons) == len(found):
            return reasons[0]
        for reason in reasons:  # some events of a batch were not events: each is a reject of its own
            self.reject(reason, "", None, None)
        return None

    def _queue(self, row: list, text: str, event: dict, wrapper: tuple[str, str | None] | None, original: bytes | None) -> None:
        irregular = _complete_row(row, event, text)
        if original is not None:
            self.originals[len(self.rows)] = original
        self.add_prepared(row, text, irregular, wrapper)

    def add_prepared(self, row: list, text: str, irregular: int, wrapper: tuple[str, str | None] | None = None) -> None:
        """Queue an event whose row is complete (`_complete_row`), built here or by a worker."""
        if irregular:
            _add_mask(self.irregular, irregular)
        if wrapper is not None:
            self.wrapped[len(self.rows)] = wrapper
            self.shapes[wrapper[0]] = self.shapes.get(wrapper[0], 0) + 1
        self.rows.append(row)
        self.texts.append(text)
        if len(self.rows) >= BATCH_ROWS:
            self.flush()

    def reject(self, reason: str, text: str, line: int | None, byte_offset: int | None) -> None:
        self.rejected += 1
        if len(self.first_rejects) < SUMMARY_REJECTS:
            self.first_rejects.append(Reject(self.source, line, byte_offset, reason, text))
        self.reject_rows.append((self.import_id, self.source, line, byte_offset, reason, text))
        if len(self.reject_rows) >= 1000:
            self.conn.executemany(_INSERT_REJECT, self.reject_rows)
            self.reject_rows = []
            self._report()

    def flush(self) -> None:
        rows, texts, wrapped, originals = self.rows, self.texts, self.wrapped, self.originals
        self.rows, self.texts, self.wrapped, self.originals = [], [], {}, {}
        if not rows:
            return
        ids = [r[1] for r in rows]
        keep: list[int] | range = range(len(rows))
        repeats: list[tuple[int, int]] = []  # (index, index of the first with that id) inside the batch
        if len(set(ids)) != len(ids):
            first: dict[str, int] = {}
            keep = []
            for i, log_id in enumerate(ids):
                j = first.setdefault(log_id, i)
                if j == i:
                    keep.append(i)
                else:
                    repeats.append((i, j))
        # One query finds ids already in the mirror, including those this import inserted earlier.
        found: dict[str, int] = dict(self.conn.execute(_FIND_IDS, (json.dumps([ids[i] for i in keep]),)))
        stored: dict[str, str] = {}
        if found:
            stored = dict(self.conn.execute(_FIND_RAW, (json.dumps(list(found)),)))
            added = []
            for i in keep:
                log_id = ids[i]
                if log_id in found:
                    self._duplicate(texts[i], stored[log_id], found[log_id], log_id)
                else:
                    added.append(i)
        else:
            added = list(keep)
        row_ids: dict[str, int] = {}
        if added:
            self.bulk.adding(len(added))
            first_id = self.next_id
            self.next_id += len(added)
            if self.first_row is None:
                self.first_row = first_id
            if len(added) == len(rows):
                new_rows, new_texts = rows, texts
            else:
                new_rows, new_texts = [rows[i] for i in added], [texts[i] for i in added]
            for row_id, row in zip(range(first_id, self.next_id), new_rows):
                row[0] = row_id
            self.conn.executemany(_INSERT_LOGS, new_rows)
            self.conn.executemany(_INSERT_RAW, zip(range(first_id, self.next_id), new_texts))
            # Where each queued row landed, for the rows that carry more than a row and a text.
            position = {i: n for n, i in enumerate(added)} if originals or wrapped else {}
            if originals:
                exact = {position[i]: data for i, data in originals.items() if i in position}
                self.events_sha.update(
                    b"".join((exact[n] if n in exact else t.encode("utf-8", "surrogatepass")) + b"\n" for n, t in enumerate(new_texts))
                )
                self.conn.executemany(_INSERT_ORIGINAL, [(first_id + n, data) for n, data in exact.items()])
            else:
                self.events_sha.update(("\n".join(new_texts) + "\n").encode("utf-8", "surrogatepass"))
            if wrapped:
                self.conn.executemany(
                    _INSERT_WRAPPER, [(first_id + position[i], shape, envelope) for i, (shape, envelope) in wrapped.items() if i in position]
                )
            if repeats:
                row_ids = {ids[i]: first_id + n for n, i in enumerate(added)}
            self.new += len(added)
        for i, j in repeats:  # compared with the version kept: the stored one, or the batch's first
            log_id = ids[i]
            if log_id in found:
                self._duplicate(texts[i], stored[log_id], found[log_id], log_id)
            else:
                self._duplicate(texts[i], texts[j], row_ids[log_id], log_id)
        self._report()

    def _duplicate(self, text: str, kept: str, row_id: int, log_id: str) -> None:
        self.duplicate += 1
        if text == kept or _same_json(text, kept):
            self.detail.identical += 1
            if self.first_row is None or row_id < self.first_row:  # brought before: a sighting
                self.sightings.append((row_id, self.import_id))
        else:
            self.detail.conflicting += 1
            self.conflicts.append((self.import_id, row_id, log_id, self.source, text))
        if len(self.sightings) + len(self.conflicts) >= BATCH_ROWS:
            self._write_duplicates()

    def _write_duplicates(self) -> None:
        self.conn.executemany(_INSERT_SIGHTING, self.sightings)
        self.conn.executemany(_INSERT_CONFLICT, self.conflicts)
        self.sightings, self.conflicts = [], []

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(self.read)

    def finish(self) -> None:
        self.flush()
        if self.reject_rows:
            self.conn.executemany(_INSERT_REJECT, self.reject_rows)
            self.reject_rows = []
        self._write_duplicates()
        self.mirror.add_irregular(dict(zip(INDEXED_PATHS, self.irregular)))


def _same_json(a: str, b: str) -> bool:
    try:
        return json.loads(a) == json.loads(b)
    except (ValueError, RecursionError):
        return False


def backfill_paths(mirror: Mirror) -> None:
    """Fill the `path_*` columns and their irregular counts from the stored events (the schema 1
    to 2 upgrade), inside the caller's transaction."""
    conn = mirror.conn
    update = f"UPDATE logs SET {', '.join(f'{c} = ?' for c in PATH_COLUMNS)} WHERE id = ?"
    irregular = [0] * len(INDEXED_PATHS)
    cursor = conn.execute("SELECT id, json FROM raw ORDER BY id")
    while batch := cursor.fetchmany(BATCH_ROWS):
        updates = []
        for row_id, text in batch:
            event = json.loads(text)
            values, mask = path_values(event) if isinstance(event, dict) else ([None] * len(PATH_COLUMNS), 0)
            if _has_lone_surrogate(values):
                _replace_surrogates(values)
            _add_mask(irregular, mask)
            updates.append((*values, row_id))
        conn.executemany(update, updates)
    mirror.add_irregular(dict(zip(INDEXED_PATHS, irregular)))


# -- input: bytes, gzip, BOM, format ----------------------------------------------------------------

_GZIP_MAGIC = b"\x1f\x8b"
_OTHER_MAGIC = {
    b"PK\x03\x04": "a zip archive",
    b"BZh": "bzip2-compressed",
    b"\xfd7zXZ\x00": "xz-compressed",
    b"\x28\xb5\x2f\xfd": "zstd-compressed",
}
_BOM = b"\xef\xbb\xbf"
_JSON_WS = " \t\r\n"


class _Input:
    """The bytes of one source: counted and hashed exactly as read, with gzip undone."""

    def __init__(self, stream: BinaryIO, name: str):
        self.stream = stream
        self.name = name
        self.sha = _Sha256()
        self.nbytes = 0
        self.problem: str | None = None  # why the decompressed data ended early, if it did
        self.decoded = 0  # decompressed bytes handed out
        self._raw = self._read_raw()

    def _read_raw(self) -> Iterator[bytes]:
        read, update = self.stream.read, self.sha.update
        while True:
            data = read(CHUNK_BYTES)
            if not data:
                return
            if not isinstance(data, bytes):
                data = bytes(data)
            update(data)
            self.nbytes += len(data)
            yield data

    def drain(self) -> None:
        """Read (and hash) whatever the parser left unread."""
        for _ in self._raw:
            pass

    def open(self) -> tuple[bytes, Iterator[bytes]]:
        """The first bytes of the decoded input (at least HEAD_BYTES unless shorter), and all of it."""
        first = next(self._raw, b"")
        while len(first) < 6:  # enough to see a magic number, even from a trickling pipe
            more = next(self._raw, b"")
            if not more:
                break
            first += more
        if first.startswith(_GZIP_MAGIC):
            chunks = self._gunzip(first)
        else:
            for magic, what in _OTHER_MAGIC.items():
                if first.startswith(magic):
                    raise IngestError(f"{self.name} is {what}; decompress it first (only gzip is read directly)")
            chunks = _chain([first], self._raw)
        head_parts: list[bytes] = []
        size = 0
        for part in chunks:
            head_parts.append(part)
            size += len(part)
            if size >= HEAD_BYTES:
                break
        return b"".join(head_parts), _chain(head_parts, chunks)

    def _gunzip(self, first: bytes) -> Iterator[bytes]:
        data, member = first, zlib.decompressobj(31)
        in_member = True
        while True:
            while data:
                if not in_member:
                    data = data.lstrip(b"\0")  # zero padding between or after members is allowed
                    if not data:
                        break
                    member, in_member = zlib.decompressobj(31), True
                try:
                    out = member.decompress(data, CHUNK_BYTES)
                except zlib.error as exc:
                    self.problem = f"corrupt gzip data: {exc}"
                    return
                data = member.unconsumed_tail
                if out:
                    self.decoded += len(out)
                    yield out
                if member.eof:
                    data, in_member = member.unused_data, False
            data = next(self._raw, b"")
            if not data:
                break
        if in_member:
            rest = member.flush()
            if rest:
                self.decoded += len(rest)
                yield rest
            if not member.eof:
                self.problem = "truncated input: the gzip stream ends early"


def _chain(first: Iterable[bytes], rest: Iterator[bytes]) -> Iterator[bytes]:
    yield from first
    yield from rest


def _detect(head: bytes, name: str) -> str:
    """`array`, `document` (a `{` document), `ndjson` or `empty`, from the first bytes."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(f"{name} is UTF-16 text; convert it to UTF-8 first (e.g. iconv -f UTF-16 -t UTF-8)")
    text = head.decode("utf-8", "replace").lstrip(_JSON_WS)
    if not text:
        return "empty"
    if text[0] == "[":
        # A broken first line of NDJSON can start with `[` too: the lines after it decide.
        return "ndjson" if _broken_first_line(text) and _records_follow(text) else "array"
    if text[0] == "{":
        newline = text.find("\n")
        if newline < 0:
            # A single line. Short, the NDJSON reader takes it (and opens a page held on one line);
            # longer than the head, it is read as a document, in bounded memory.
            return "document" if len(head) >= HEAD_BYTES else "ndjson"
        line = text[:newline].rstrip(_JSON_WS)
        try:
            json.loads(line)
            return "ndjson"
        except json.JSONDecodeError as exc:
            # A valid first line that just stops (pretty-printed JSON) is a document; a first line
            # that is wrong in itself is a malformed NDJSON record.
            if exc.pos >= len(line) and not exc.msg.startswith("Unterminated string") and not _records_follow(text):
                return "document"
            return "ndjson"
    # Not an array or object at the start: NDJSON (of records that may not be events, or with a
    # bad first line) if any line here is JSON at all.
    for line in text.splitlines()[:100]:
        try:
            json.loads(line)
            return "ndjson"
        except ValueError:
            continue
    raise IngestError(
        f"{name} does not look like an Auth0 log export (a JSON array, an include_totals object, "
        f"or NDJSON): it starts with {text[:40]!r}"
    )


def _broken_first_line(text: str) -> bool:
    line = text.split("\n", 1)[0].rstrip(_JSON_WS)
    try:
        json.loads(line)
        return False
    except ValueError:
        return True


def _records_follow(text: str) -> bool:
    """The next two non-blank lines after the first are JSON objects each: the text is NDJSON
    whose first line is broken, not a pretty-printed document (whose second line,
    `  "key": value,` or `  {`, is no JSON document of its own)."""
    lines = []
    for ln in text.split("\n")[1:]:
        if ln.strip(_JSON_WS):
            lines.append(ln)
            if len(lines) == 2:
                break
    if not lines:
        return False
    for candidate in lines:
        try:
            if not isinstance(json.loads(candidate), dict):
                return False
        except ValueError:
            return False
    return True


# -- NDJSON -----------------------------------------------------------------------------------------


def _read_ndjson(chunks: Iterator[bytes], loader: _Loader, offset: int) -> str:
    """Import one record per line; returns the format name."""
    add, fast = loader.add, _fast_loads
    line_no = 0
    kinds: set[str] = set()
    records = 0
    carry = b""
    for chunk in chunks:
        if carry:
            chunk = carry + chunk
        lines = chunk.split(b"\n")
        carry = lines.pop()
        crlf = b"\r" in chunk
        for line in lines:
            line_no += 1
            if crlf and line.endswith(b"\r"):
                line = line[:-1]
                step = len(line) + 2
            else:
                step = len(line) + 1
            if fast is not None:
                try:
                    event = fast(line)
                except ValueError:
                    event = None
                if event.__class__ is dict and add(line.decode(), event, False) is None:
                    records += 1
                    offset += step
                    continue
            kind = _ndjson_record(line, line_no, offset, loader, final=False)
            if kind:
                records += 1
                kinds.add(kind)
            offset += step
    if carry:
        line_no += 1
        if carry.endswith(b"\r"):
            carry = carry[:-1]
        kind = _ndjson_record(carry, line_no, offset, loader, final=True)
        if kind:
            records += 1
            kinds.add(kind)
    if records == 1 and len(kinds) == 1 and kinds & {"include_totals", "array"}:
        return kinds.pop()  # a compact page or array on a single line
    return "ndjson"


def _prepare_block(block: bytes) -> bytes:
    """In a worker process: marshalled, for each line of `block` (complete lines, each ending with
    a newline), the finished `logs` row and the irregular-path mask of a plain event, the rows of
    the events of an envelope or a batch (`_prepare_wrapped`), or None where
    the line needs the careful path (not JSON, not a bare event, a wrapper, a float to re-read)."""
    loads = _fast_loads
    assert loads is not None
    out: list[tuple[list, int] | list | None] = []
    lines = block.split(b"\n")
    lines.pop()  # after the last newline
    for line in lines:
        if line.endswith(b"\r"):
            line = line[:-1]
        try:
            event = loads(line)
        except ValueError:
            out.append(None)
            continue
        if event.__class__ is not dict:
            out.append(None)
            continue
        row = _row(event, False)
        if row is _REPARSE:
            out.append(None)
        elif row is None or needs_unwrap(event):
            out.append(_prepare_wrapped(event, line.decode()))
        else:
            out.append((row, _complete_row(row, event, line.decode() if b"\\u" in line else "")))
    return marshal.dumps(out)  # marshal: a third of pickle's time each way for these lists


def _prepare_wrapped(record: dict, text: str) -> list[tuple[list, str, int, tuple[str, str | None] | None]] | None:
    """In a worker: the rows of the events `formats.unwrap` finds in a record, each with its text,
    irregular mask and (shape, envelope); None when the record needs `_Loader.add`'s judgment (no
    event in it, a partial batch, a float to re-read)."""
    try:
        found = unwrap(record, text)
    except ValueError:
        return None
    if isinstance(found, str) or not found:
        return None
    items = []
    for item in found:
        row = _row(item.event, False)
        if row is None or row is _REPARSE:
            return None
        items.append((row, item.text, _complete_row(row, item.event, item.text), _provenance(item)))
    return items


def _worker_start(importer: int) -> None:
    """In a new worker: no cyclic garbage collector (the worker makes no reference cycles, and the
    collector's passes over its growing lists of rows cost a third of its time), and an exit as
    soon as the importer is gone. A forked worker holds copies of the importer's pipes, so it
    would never see them close: killed with `kill -9`, the importer would leave it behind."""
    gc.disable()

    def watch() -> None:
        while os.getppid() == importer:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="logq-importer-watch", daemon=True).start()


def _blocks(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The input cut into blocks of whole lines of about `WORKER_BLOCK_BYTES`; the last block holds
    the rest: whole lines, then what follows the last newline (possibly nothing)."""
    pending: list[bytes] = []
    size = 0
    for chunk in chunks:
        pending.append(chunk)
        size += len(chunk)
        if size >= WORKER_BLOCK_BYTES:
            data = b"".join(pending)
            cut = data.rfind(b"\n") + 1
            if cut:
                yield data[:cut]
                pending, size = [data[cut:]], len(data) - cut
            else:
                pending, size = [data], len(data)
    yield b"".join(pending)


def _read_ndjson_with_worker(chunks: Iterator[bytes], loader: _Loader, offset: int) -> str:
    """`_read_ndjson` with the JSON parsing and row building of plain events done by a worker
    process while this one writes to SQLite: the same records, in the same order, with the same
    lines, offsets and rejects (lines the worker leaves alone take the careful path here)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    line_no = 0
    in_flight: list[tuple[bytes, Future]] = []

    def consume(block: bytes, future: Future) -> None:
        nonlocal line_no, offset
        prepared = marshal.loads(future.result())
        lines = block.split(b"\n")
        lines.pop()
        add = loader.add_prepared
        for line, ready in zip(lines, prepared):
            line_no += 1
            step = len(line) + 1
            if line.endswith(b"\r"):
                line = line[:-1]
            if ready is None:
                _ndjson_record(line, line_no, offset, loader, final=False)
            elif ready.__class__ is tuple:
                add(ready[0], line.decode(), ready[1])
            else:  # the events of an envelope or a batch
                for row, text, irregular, shape in ready:
                    add(row, text, irregular, shape)
            offset += step

    with ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("fork"), initializer=_worker_start, initargs=(os.getpid(),)) as pool:
        tail = b""
        for block in _blocks(chunks):
            if not block.endswith(b"\n"):  # the last block: lines, then what follows the last newline
                cut = block.rfind(b"\n") + 1
                block, tail = block[:cut], block[cut:]
                if not block:
                    break
            in_flight.append((block, pool.submit(_prepare_block, block)))
            if len(in_flight) > 2 * WORKERS:  # enough blocks ahead of the writer to keep workers busy
                consume(*in_flight.pop(0))
        for block, future in in_flight:
            consume(block, future)
    if tail:
        line_no += 1
        _ndjson_record(tail[:-1] if tail.endswith(b"\r") else tail, line_no, offset, loader, final=True)
    return "ndjson"


def _use_worker(total: int | None, head: bytes) -> bool:
    """Parse in a worker process when the input is large and this platform can fork."""
    import multiprocessing

    if _fast_loads is None or "fork" not in multiprocessing.get_all_start_methods():
        return False
    size = total if total is not None else (len(head) if len(head) < HEAD_BYTES else WORKER_MIN_BYTES)
    return size >= WORKER_MIN_BYTES


def _ndjson_record(line: bytes, line_no: int, offset: int, loader: _Loader, *, final: bool) -> str | None:
    """The careful path for one NDJSON line. Returns what the line held, None for a blank line."""
    original = None
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        # Kept: searches see U+FFFD for each bad byte, and the exact bytes are stored beside.
        original, text = line, line.decode("utf-8", "replace")
    if not text.strip(_JSON_WS):
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # documents one after another on the line (a Splunk HEC batch)
            kinds = _Scanner(iter((text,)), loader, offset, line_no - 1).documents()
            return "concatenated" if kinds else "reject"
        truncated = final and (exc.pos >= len(text.rstrip(_JSON_WS)) or exc.msg.startswith("Unterminated string"))
        reason = f"truncated input: the last line ends inside a record ({exc})" if truncated else f"malformed JSON: {exc}"
        loader.reject(reason, text, line_no, offset)
        return "reject"
    except RecursionError:
        loader.reject("malformed JSON: nested too deeply", text, line_no, offset)
        return "reject"
    return _record(text, value, line_no, offset, loader, original)


def _record(text: str, value: Any, line: int, offset: int, loader: _Loader, original: bytes | None = None) -> str:
    """Import one parsed record: an event, or a page or array of events (opened up).

    `original`: the record's bytes when they were not valid UTF-8 (`text` has U+FFFD for them)."""
    shown = text if original is None else original.decode("utf-8", "backslashreplace")
    if isinstance(value, dict) and (_event_id(value) is not None or not isinstance(value.get("logs"), list)):
        reason = loader.add(text, value, original=original)
        if reason is None:
            return "object"
        loader.reject(reason, shown, line, offset)
        return "reject"
    if not isinstance(value, (list, dict)):
        loader.reject(_why_not(value), shown, line, offset)
        return "reject"
    scanner = _Scanner(iter((text,)), loader, offset, line - 1)
    kinds = scanner.documents()
    return kinds[0] if kinds else "reject"


# -- JSON documents ---------------------------------------------------------------------------------

_WS = re.compile(r"[ \t\n\r]*")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # invalid UTF-8 bytes, as surrogateescape decodes them


class _Broken(Exception):
    """The document cannot be read past `index`."""

    def __init__(self, reason: str, index: int):
        super().__init__(reason)
        self.reason = reason
        self.index = index


class _Scanner:
    """Reads JSON documents from text chunks: arrays element by element, in bounded memory."""

    def __init__(self, chunks: Iterator[str], loader: _Loader, base_bytes: int, base_lines: int):
        self.chunks = chunks
        self.loader = loader
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.base_bytes = base_bytes  # input bytes before buf[0]
        self.base_lines = base_lines  # newlines before buf[0]
        self.keep: int | None = None  # text from here on must stay in the buffer
        self._where = (0, base_bytes, base_lines)  # a known (index, bytes, lines) point in buf
        self._decode = json.JSONDecoder().raw_decode
        self.kinds: list[str] = []  # of the documents read or being read

    # buffer ----------------------------------------------------------------------------------

    def more(self) -> bool:
        """Append the next chunk, dropping text already read. False at the end of the input."""
        if self.eof:
            return False
        cut = self.pos if self.keep is None else min(self.pos, self.keep)
        if cut:
            _, self.base_bytes, self.base_lines = self.where(cut)
            self.buf = self.buf[cut:]
            self.pos -= cut
            if self.keep is not None:
                self.keep -= cut
            self._where = (0, self.base_bytes, self.base_lines)
        if self.keep is not None and len(self.buf) - self.keep > MAX_RECORD_CHARS:
            line, offset = self.position(self.keep)
            raise _Broken(
                f"malformed JSON: an object larger than {MAX_RECORD_CHARS:,} characters "
                f"(line {line}, byte offset {offset}); records this large are not read",
                self.keep,
            )
        chunk = next(self.chunks, None)
        if chunk is None:
            self.eof = True
            return False
        self.buf = self.buf + chunk if self.buf else chunk
        return True

    def where(self, index: int) -> tuple[int, int, int]:
        """(index, byte offset, newlines before) of a buffer index; walks on from the last answer."""
        at, nbytes, lines = self._where
        if index < at:
            at, nbytes, lines = 0, self.base_bytes, self.base_lines
        piece = self.buf[at:index]
        nbytes += len(piece.encode("utf-8", "surrogateescape"))
        lines += piece.count("\n")
        self._where = (index, nbytes, lines)
        return self._where

    def position(self, index: int) -> tuple[int, int]:
        """(1-based line, byte offset) of a buffer index."""
        _, nbytes, lines = self.where(index)
        return lines + 1, nbytes

    def ws(self) -> str:
        """Skip whitespace; the next character, or "" at the end of the input."""
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def value(self) -> tuple[Any, int]:
        """Decode the JSON value at `pos`; returns it and its start (pos moves past it)."""
        while True:
            if len(self.buf) - self.pos < LOOKAHEAD_CHARS and not self.eof:
                self.more()
                continue
            start = self.pos
            try:
                value, end = self._decode(self.buf, start)
            except json.JSONDecodeError as exc:
                if self.eof:
                    raise self._broken(exc.msg, exc.pos, start) from None
                # An error the end of the buffer may have caused (a cut literal, escape or
                # delimiter, a string still open) may go away with more text; any other is real.
                if exc.pos < len(self.buf) - 16 and not exc.msg.startswith("Unterminated string"):
                    raise self._broken(exc.msg, exc.pos, start) from None
                if len(self.buf) - start > MAX_RECORD_CHARS:
                    line, offset = self.position(start)
                    raise _Broken(
                        f"malformed JSON: no complete value within {MAX_RECORD_CHARS:,} characters "
                        f"(line {line}, byte offset {offset}); records this large are not read",
                        start,
                    ) from None
                self._grow(len(self.buf) - start)
                continue
            except RecursionError:
                raise _Broken("malformed JSON: nested too deeply", start) from None
            if end == len(self.buf) and not self.eof:  # a number may go on in the next chunk
                self.more()
                continue
            self.pos = end
            return value, start

    def _grow(self, size: int) -> None:
        """Read until the text from `pos` on is twice `size`: a value straddles the buffer end."""
        target = len(self.buf) - self.pos + size
        while len(self.buf) - self.pos < target and self.more():
            pass

    def _broken(self, msg: str, error_index: int, start: int) -> _Broken:
        line, offset = self.position(error_index)
        ends_early = self.eof and (error_index >= len(self.buf.rstrip(_JSON_WS)) or msg.startswith("Unterminated string"))
        if ends_early:
            return _Broken(f"truncated input: the JSON ends inside a value: {msg} (line {line}, byte offset {offset})", start)
        return _Broken(f"malformed JSON: {msg} (line {line}, byte offset {offset})", start)

    def _expected(self, what: str) -> _Broken:
        if self.pos >= len(self.buf):
            return _Broken(f"truncated input: the JSON ends where {what} was expected", self.pos)
        line, offset = self.position(self.pos)
        return _Broken(f"malformed JSON: expected {what} (line {line}, byte offset {offset})", self.pos)

    # documents --------------------------------------------------------------------------------

    def documents(self) -> list[str]:
        """Import every document in the input; their kinds. A break becomes one reject."""
        kinds = self.kinds
        try:
            while True:
                c = self.ws()
                if c == "":
                    return kinds
                if c == "[":
                    kinds.append("array")
                    self.pos += 1
                    self.array()
                elif c == "{":
                    kinds.append("object")
                    self.object_document()
                elif kinds:
                    raise self._expected("another JSON document or the end of the input")
                else:
                    raise self._expected("a JSON array or object")
        except _Broken as broken:
            self._reject_rest(broken)
            return kinds

    def array(self) -> None:
        """The elements of an array whose `[` has been read, up to and including its `]`."""
        c = self.ws()
        if c == "]":
            self.pos += 1
            return
        while True:
            if c == "":
                raise self._expected("an array element")
            value, start = self.value()
            self.element(value, start)
            pos = self.pos
            if self.buf[pos : pos + 1] == "," and self.buf[pos + 1 : pos + 2] == "{":  # compact: no ws() calls
                self.pos = pos + 1
                c = "{"
                continue
            c = self.ws()
            if c == ",":
                self.pos += 1
                c = self.ws()
                continue
            if c == "]":
                self.pos += 1
                return
            raise self._expected("',' or ']' after an array element")

    def element(self, value: Any, start: int) -> None:
        """Import the value just decoded from `buf[start:pos]`."""
        text = self.buf[start : self.pos]
        if value.__class__ is dict and (text.isascii() or not _ESCAPED_BYTE.search(text)):
            if self.loader.add(text, value) is None:
                return
        line, offset = self.position(start)
        if not text.isascii() and _ESCAPED_BYTE.search(text):
            # Not valid UTF-8: searched with U+FFFD for each bad byte, the exact bytes kept beside.
            raw = text.encode("utf-8", "surrogateescape")
            clean = raw.decode("utf-8", "replace")
            _record(clean, json.loads(clean), line, offset, self.loader, raw)
        else:
            _record(text, value, line, offset, self.loader)

    def object_document(self) -> None:
        """A top-level object: a page (its `logs` array is streamed) or a single record."""
        self.keep = self.pos  # kept up to date when the buffer moves
        self.pos += 1
        page = has_id = False
        c = self.ws()
        if c == "}":
            self.pos += 1
        while c != "}":
            if c != '"':
                raise self._expected("a property name in double quotes")
            key, _ = self.value()
            if self.ws() != ":":
                raise self._expected("':' after a property name")
            self.pos += 1
            c = self.ws()
            if key == "logs" and c == "[" and not has_id:
                page, self.keep = True, None  # events are imported as they are read
                self.kinds[-1] = "include_totals"
                self.pos += 1
                self.array()
            else:
                if c == "":
                    raise self._expected("a value")
                value, _ = self.value()
                if key in ("log_id", "_id") and isinstance(value, (str, int, float)) and not isinstance(value, bool):
                    has_id = True
            c = self.ws()
            if c == ",":
                self.pos += 1
                c = self.ws()
            elif c == "}":
                self.pos += 1
            else:
                raise self._expected("',' or '}' after an object member")
        if not page:
            start, self.keep = self.keep, None
            assert start is not None
            self.element(json.loads(self.buf[start : self.pos]), start)

    def _reject_rest(self, broken: _Broken) -> None:
        """One reject for a break: where it is, and the text from there on (up to a limit)."""
        self.keep = None
        line, offset = self.position(broken.index)
        text = self.buf[broken.index : broken.index + REJECT_TEXT_LIMIT]
        while len(text) < REJECT_TEXT_LIMIT:
            chunk = next(self.chunks, None)
            if chunk is None:
                break
            text += chunk[: REJECT_TEXT_LIMIT - len(text)]
        if _ESCAPED_BYTE.search(text):
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        self.loader.reject(broken.reason, text, line, offset)


def _decode_chunks(chunks: Iterator[bytes]) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    for chunk in chunks:
        text = decoder.decode(chunk)
        if text:
            yield text
    rest = decoder.decode(b"", final=True)
    if rest:
        yield rest


# -- entry points -----------------------------------------------------------------------------------


def import_paths(mirror: Mirror, paths: Sequence[str | Path], *, progress: Progress | None = None) -> list[ImportSummary]:
    """Import files, directory trees and zip/tar archives (`-` is standard input), in order.

    Each file, or archive member, is one import with its own record; the imports of one argument
    (a file, or every file of a folder or an archive) commit together or not at all.
    `sources.expand` says what a path holds and in which order. Every path is checked before the
    first import starts, so a typo does not leave half a batch.
    """
    try:
        expand(paths)  # checks every path first
        summaries = []
        for path in paths:
            with mirror.bulk_load(), mirror.transaction():
                bulk = _Bulk(mirror)
                mine = [_import_member(mirror, member, progress, bulk) for member in expand([path])]
                _finish(bulk, mine)
                summaries += mine
    except SourceError as exc:
        raise IngestError(str(exc)) from None
    return summaries


def _import_member(mirror: Mirror, member: Member, progress: Progress | None, bulk: _Bulk) -> ImportSummary:
    if member.name == STDIN_NAME:
        return _import(mirror, sys.stdin.buffer, STDIN_NAME, progress, None, bulk)
    try:
        with member.open() as stream:
            return _import(mirror, stream, member.name, progress, member.container, bulk)
    except OSError as exc:
        raise IngestError(f"cannot read {member.name}: {exc.strerror or exc}") from None
    except IngestError as exc:
        if member.container is None:
            raise
        # A stray file in a tree or an archive (a README, a checksum list) must not stop the
        # rest: it is recorded as an import of one rejected record, kept verbatim.
        with member.open() as stream:
            return _refuse(mirror, stream, member.name, member.container, str(exc), bulk)


def import_stream(
    mirror: Mirror, stream: BinaryIO, source: str, *, progress: Progress | None = None, container: str | None = None
) -> ImportSummary:
    """Import one export read from a binary stream, as one transaction. `container`: the archive or
    directory the stream came from, recorded with the import."""
    with mirror.bulk_load(), mirror.transaction():
        bulk = _Bulk(mirror)
        summary = _import(mirror, stream, source, progress, container, bulk)
        _finish(bulk, [summary])
    return summary


def _finish(bulk: _Bulk, summaries: list[ImportSummary]) -> None:
    """Build the indexes a load dropped; the time counts in the last import's seconds."""
    clock = time.perf_counter()
    bulk.finish()
    if summaries:
        summaries[-1].seconds += time.perf_counter() - clock


def _import(mirror: Mirror, stream: BinaryIO, source: str, progress: Progress | None, container: str | None, bulk: _Bulk) -> ImportSummary:
    """One import inside the caller's transaction."""
    if isinstance(stream, io.TextIOBase):
        stream = stream.buffer  # type: ignore[attr-defined]
    started, clock = utc_now(), time.perf_counter()
    source = source or "<stdin>"
    total = _size_of(stream)
    data = _Input(stream, source)
    head, chunks = data.open()
    bom = 3 if head.startswith(_BOM) else 0
    kind = _detect(head[bom:], source)
    if bom:
        chunks = _skip(chunks, bom)
    report = None if progress is None else (lambda records: progress(records, data.nbytes, total))
    conn = mirror.conn
    import_id = _begin(conn, source, started, container)
    loader = _Loader(mirror, import_id, source, report, bulk)
    if kind == "ndjson":
        reader = _read_ndjson_with_worker if _use_worker(total, head) else _read_ndjson
        fmt = reader(chunks, loader, bom)
    elif kind == "empty":
        fmt = "empty"
        for _ in chunks:
            pass
    else:
        kinds = _Scanner(_decode_chunks(chunks), loader, bom, 0).documents()
        fmt = kinds[0] if len(kinds) == 1 else "concatenated" if kinds else "empty"
    if data.problem:
        loader.reject(data.problem, "", None, data.decoded)
    loader.finish()
    data.drain()
    summary = _end(conn, loader, source, fmt, data.nbytes, data.sha.hexdigest(), started, clock)
    if progress is not None:
        progress(summary.read, data.nbytes, total)
    return summary


def _refuse(mirror: Mirror, stream: BinaryIO, source: str, container: str, reason: str, bulk: _Bulk) -> ImportSummary:
    """Record an input that is not an export at all: an import whose one reject holds its start."""
    started, clock = utc_now(), time.perf_counter()
    sha, nbytes, head = hashlib.sha256(), 0, b""
    while chunk := stream.read(CHUNK_BYTES):
        sha.update(chunk)
        nbytes += len(chunk)
        if len(head) < REJECT_TEXT_LIMIT:
            head += chunk[: REJECT_TEXT_LIMIT - len(head)]
    conn = mirror.conn
    loader = _Loader(mirror, _begin(conn, source, started, container), source, None, bulk)
    loader.reject(f"not an Auth0 log export: {reason}", head.decode("utf-8", "backslashreplace"), 1, 0)
    loader.finish()
    return _end(conn, loader, source, "unrecognised", nbytes, sha.hexdigest(), started, clock)


def import_events(mirror: Mirror, events: Iterable[dict], source: str = "<memory>") -> ImportSummary:
    """Import events given as Python objects (tests, benchmarks); each one's text is its compact JSON.

    The summary's bytes and sha256 are those of the same events written as NDJSON.
    """
    started, clock = utc_now(), time.perf_counter()
    sha = hashlib.sha256()
    nbytes = 0
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with mirror.bulk_load(), mirror.transaction() as conn:
        bulk = _Bulk(mirror)
        import_id = _begin(conn, source, started)
        loader = _Loader(mirror, import_id, source, None, bulk)
        for line, event in enumerate(events, 1):
            offset = nbytes
            try:
                text = dumps(event)
            except (TypeError, ValueError) as exc:
                loader.reject(f"not a log event: not JSON ({exc})", repr(event), line, offset)
                continue
            if not text.isascii() and _LONE_SURROGATE.search(text):
                text = json.dumps(event, separators=(",", ":"))  # UTF-8 cannot carry them; \\u escapes can
            encoded = text.encode() + b"\n"
            sha.update(encoded)
            nbytes += len(encoded)
            if event.__class__ is not dict or loader.add(text, event) is not None:
                _record(text, json.loads(text), line, offset, loader)
        loader.finish()
        bulk.finish()
        return _end(conn, loader, source, "events", nbytes, sha.hexdigest(), started, clock)


def _begin(conn: Any, source: str, started: str, container: str | None = None) -> int:
    cur = conn.execute(
        "INSERT INTO imports (source, container, started_at, tool_version) VALUES (?, ?, ?, ?)", (source, container, started, __version__)
    )
    return int(cur.lastrowid)


def _end(conn: Any, loader: _Loader, source: str, fmt: str, nbytes: int, sha256: str, started: str, clock: float) -> ImportSummary:
    if loader.shapes:  # say what carried the events: "ndjson (log_stream)"
        fmt = f"{fmt} ({', '.join(sorted(loader.shapes, key=lambda k: -loader.shapes[k]))})"
    last_row = None if loader.first_row is None else loader.next_id - 1
    events_sha256 = None if loader.first_row is None else loader.events_sha.hexdigest()
    conn.execute(
        "UPDATE imports SET format = ?, bytes = ?, sha256 = ?, finished_at = ?, new = ?, duplicate = ?, rejected = ?, "
        "identical = ?, conflicting = ?, first_row = ?, last_row = ?, events_sha256 = ? WHERE id = ?",
        (
            fmt, nbytes, sha256, utc_now(), loader.new, loader.duplicate, loader.rejected,
            loader.detail.identical, loader.detail.conflicting, loader.first_row, last_row, events_sha256, loader.import_id,
        ),
    )
    return ImportSummary(
        source=source,
        format=fmt,
        import_id=loader.import_id,
        bytes=nbytes,
        sha256=sha256,
        read=loader.read,
        new=loader.new,
        duplicate=loader.duplicate,
        rejected=loader.rejected,
        seconds=time.perf_counter() - clock,
        rejects=list(loader.first_rejects),
        duplicate_detail=loader.detail,
    )


def _skip(chunks: Iterator[bytes], count: int) -> Iterator[bytes]:
    for chunk in chunks:
        if count:
            chunk, count = chunk[count:], max(0, count - len(chunk))
        if chunk:
            yield chunk


def _size_of(stream: BinaryIO) -> int | None:
    """The size of a regular file or an in-memory buffer; None for pipes and terminals."""
    try:
        info = os.fstat(stream.fileno())
        return info.st_size if stat.S_ISREG(info.st_mode) else None
    except (OSError, AttributeError, io.UnsupportedOperation):
        pass
    if isinstance(stream, io.BytesIO):
        return stream.getbuffer().nbytes
    return None
