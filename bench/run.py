#!/usr/bin/env python3
"""End-to-end benchmark of auth0-logq against DuckDB on generated Auth0 logs.

    python bench/run.py [--events N] [--workdir DIR] [--repeat K] [--keep] [--reuse]
                        [--formats ndjson,log_stream,...] [--skip-formats] [--skip-queries]

Steps (see bench/README.md for what every number means):

1. generate N events with the demo generator as NDJSON (timed on its own), and the same events as
   one JSON array (the Management API's shape);
2. import the NDJSON into a fresh mirror with `ingest.import_paths` (in a child process, so its peak
   memory is measured too) and, beside it, load the same file into DuckDB with `read_json`; then one
   import row per export format (`FORMATS`): each input is derived from the NDJSON, streamed, before
   its import starts (never part of a rate), and checked after it (every event new, none rejected,
   the same event texts and `type` counts as the input);
3. query latency in-process (median of K after a warm-up): the newest-first first page and the
   count, for the ten query classes (and two rare-value extras);
4. whole-process latency: `logq --db MIRROR count Q` beside a Python process that opens the DuckDB
   file read-only and runs the equivalent SQL, and `logq --help`;
5. a full streamed export of every event, by `logq search '' --format ndjson` and by DuckDB;
6. a report with PASS/FAIL against the targets, also written to bench/results-<N>.json.

Counts and first pages are cross-checked against DuckDB: a mismatch is printed as a finding (it is a
correctness bug in one of the two, not a timing problem).

This is a script, not a test: it needs `duckdb` (`pip install duckdb`, the `bench` extra).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import uuid
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# Targets (a 2-core machine).
TARGET_NDJSON_RATE = 100_000  # events/s importing NDJSON, every index built
TARGET_ARRAY_RATE = 50_000  # events/s importing the JSON array, every index built
TARGET_FIRST_PAGE_MS = 5.0  # newest-first first page, in-process, every class
TARGET_HELP_MS = 150.0  # `logq --help`, whole process
TARGET_SIZE_RATIO = 2.0  # mirror bytes (db + wal, after a checkpoint) / export bytes

# DuckDB column types written by hand: what a user who knows the export writes once. `details`,
# `scope` and `location_info` stay JSON, so any path can be read with json_extract_string.
DUCKDB_COLUMNS = {
    "date": "TIMESTAMPTZ", "type": "VARCHAR", "description": "VARCHAR", "connection": "VARCHAR",
    "connection_id": "VARCHAR", "client_id": "VARCHAR", "client_name": "VARCHAR", "ip": "VARCHAR",
    "user_agent": "VARCHAR", "details": "JSON", "hostname": "VARCHAR", "user_id": "VARCHAR",
    "user_name": "VARCHAR", "audience": "VARCHAR", "scope": "JSON", "log_id": "VARCHAR", "_id": "VARCHAR",
    "isMobile": "BOOLEAN", "location_info": "JSON", "organization_id": "VARCHAR", "organization_name": "VARCHAR",
    "strategy": "VARCHAR", "strategy_type": "VARCHAR", "tenant_name": "VARCHAR",
}

# Child programs. Each prints one JSON object on its last stdout line.
IMPORT_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from auth0_logq.engine import ingest
from auth0_logq.engine.store import INDEXES, Mirror
db, path = sys.argv[1], sys.argv[2]
t_open = time.perf_counter()
mirror = Mirror.open(db)  # creates the empty mirror (and imports sqlite_utils): not part of the import
t1 = time.perf_counter()
summaries = ingest.import_paths(mirror, [path])  # one per file; an archive gives one per member
t2 = time.perf_counter()
indexes = sorted(r[0] for r in mirror.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'logs'"))
analyzed = mirror.conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()[0] > 0
mirror.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
t3 = time.perf_counter()
import collections, hashlib, os
mirror.conn.execute("PRAGMA mmap_size = 0")  # the checks read every event: mapped, they would swell the peak RSS
# Untimed checks: how many events the mirror holds, their `type` counts, and an order-independent
# digest of their stored texts (bench/run.py text_hash computes the same over the input's events).
events = mirror.conn.execute("SELECT count(*) FROM logs").fetchone()[0]
types = {str(k): v for k, v in mirror.conn.execute("SELECT type, count(*) FROM logs GROUP BY type")}
total = 0
for (text,) in mirror.conn.execute("SELECT json FROM raw"):
    total += int.from_bytes(hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:16], "big")
formats = collections.Counter(s.format for s in summaries)
rejects = [{"source": r.source, "line": r.line, "reason": r.reason[:200]} for s in summaries for r in s.rejects][:5]
wal = os.path.getsize(db + "-wal") if os.path.exists(db + "-wal") else 0
db_bytes = os.path.getsize(db)
try:
    breakdown = dict(mirror.conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"))
except Exception as exc:
    breakdown = {"error": str(exc)}
mirror.close()
print(json.dumps({
    "format": "; ".join(f if c == 1 else f"{c:,} x {f}" for f, c in formats.most_common()), "formats": dict(formats),
    "members": len(summaries), "read": sum(s.read for s in summaries), "new": sum(s.new for s in summaries),
    "duplicate": sum(s.duplicate for s in summaries), "rejected": sum(s.rejected for s in summaries), "first_rejects": rejects,
    "events": events, "types": types, "digest": f"{total % (1 << 128):032x}",
    "summary_seconds": sum(s.seconds for s in summaries), "import_seconds": t2 - t1, "module_import_seconds": t_open - t0,
    "open_seconds": t1 - t_open, "checkpoint_seconds": t3 - t2, "indexes": indexes, "expected_indexes": sorted([n for n, _ in INDEXES] + ["logs_log_id"]),
    "analyzed": analyzed, "db_bytes": db_bytes, "wal_bytes": wal, "breakdown": breakdown,
}))
"""

DUCKDB_IMPORT_CHILD = r"""
import json, os, sys, time
t0 = time.perf_counter()
import duckdb
db, path, options = sys.argv[1], sys.argv[2], sys.argv[3]
con = duckdb.connect(db)
con.execute("SET enable_progress_bar = false")
t1 = time.perf_counter()
error = None
try:
    con.execute("CREATE TABLE logs AS SELECT * FROM read_json('" + path.replace("'", "''") + "'" + options + ")")
    con.execute("CHECKPOINT")
except Exception as exc:
    error = str(exc).splitlines()[0][:300]
t2 = time.perf_counter()
rows = con.execute("SELECT count(*) FROM logs").fetchone()[0] if error is None else 0
types = {r[0]: r[1] for r in con.execute("DESCRIBE logs").fetchall()} if error is None else {}
con.close()
size = os.path.getsize(db) if os.path.exists(db) else 0
wal = os.path.getsize(db + ".wal") if os.path.exists(db + ".wal") else 0
print(json.dumps({"error": error, "rows": rows, "import_seconds": t2 - t1, "module_import_seconds": t1 - t0,
                  "db_bytes": size, "wal_bytes": wal, "types": types, "version": duckdb.__version__}))
"""

DUCKDB_COUNT_CHILD = (
    "import sys, duckdb\n"
    "con = duckdb.connect(sys.argv[1], read_only=True)\n"
    "print(con.execute(sys.argv[2]).fetchone()[0])\n"
)

DUCKDB_EXPORT_CHILD = (
    "import sys, duckdb\n"
    "con = duckdb.connect(sys.argv[1], read_only=True)\n"
    "con.execute('SET enable_progress_bar = false')\n"
    "con.execute(\"COPY (SELECT * FROM logs ORDER BY \\\"date\\\" DESC, log_id DESC) TO '/dev/stdout' (FORMAT json)\")\n"
)


# -- small helpers ----------------------------------------------------------------------------------


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000.0


def fmt_ms(ms: float | None) -> str:
    if ms is None:
        return "-"
    if ms < 10:
        return f"{ms:.2f}"
    if ms < 100:
        return f"{ms:.1f}"
    return f"{ms:,.0f}"


def mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


def say(text: str = "") -> None:
    print(text, flush=True)


@dataclass
class ChildResult:
    seconds: float
    stdout: str
    stderr: str
    returncode: int
    max_rss_mb: float


# The environment of every child process. A normal install has bytecode caches; a machine that sets
# PYTHONDONTWRITEBYTECODE (CI images often do) recompiles every module of lark, click and auth0_logq on
# each start, which adds ~90 ms to every `logq` process. Children may write bytecode, into the
# workdir (PYTHONPYCACHEPREFIX), never next to the sources. `--no-pycache` measures the other case.
CHILD_ENV: dict[str, str] = dict(os.environ)


def set_child_env(work: Path, pycache: bool) -> None:
    CHILD_ENV.clear()
    CHILD_ENV.update(os.environ)
    # The package measured is the one next to this script, in this process and in every child (the
    # `logq` script included), even when another copy is installed: run a snapshot's bench/run.py to
    # measure that snapshot.
    CHILD_ENV["PYTHONPATH"] = os.pathsep.join([str(REPO)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
    if pycache:
        CHILD_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    else:
        CHILD_ENV["PYTHONDONTWRITEBYTECODE"] = "1"


def load() -> float:
    return round(os.getloadavg()[0], 2)


def run_child(argv: list[str], *, cwd: Path | None = None) -> ChildResult:
    """Run a process to completion; wall time and its own peak RSS (os.wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, cwd=cwd, env=CHILD_ENV)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        # ru_maxrss is in KiB on Linux.
        return ChildResult(seconds, out.read().decode(), err.read().decode(), proc.returncode, usage.ru_maxrss / 1024)


def last_json(text: str) -> dict[str, Any]:
    return json.loads(text.strip().splitlines()[-1])


def run_once(argv: list[str]) -> tuple[float, str]:
    """One whole process: (wall seconds, stdout)."""
    t0 = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=CHILD_ENV)
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[:4]}... exited {proc.returncode}: {proc.stderr.decode()[-500:]}")
    return dt, proc.stdout.decode()


def time_processes(commands: list[list[str]], repeat: int) -> list[tuple[list[float], str]]:
    """Each command once to warm up, then `repeat` rounds that run the commands in turn (A B A B ...),
    so that a load spike on a shared machine hits all of them alike. Per command: (samples, last stdout)."""
    results: list[tuple[list[float], str]] = [([], "") for _ in commands]
    for i in range(repeat + 1):
        for j, argv in enumerate(commands):
            dt, out = run_once(argv)
            samples = results[j][0]
            if i:
                samples.append(dt)
            results[j] = (samples, out)
    return results


def logq_command() -> list[str]:
    """The installed `logq` script of this interpreter (not a pyenv shim, which adds ~100 ms)."""
    candidate = Path(sys.executable).parent / "logq"
    if candidate.exists():
        return [str(candidate)]
    found = shutil.which("logq")
    if found:
        return [found]
    return [sys.executable, "-c", "from auth0_logq.cli.main import cli; cli()"]


def engine_fingerprint() -> dict[str, str]:
    """sha256 (first 12 hex digits) of the engine files measured: the importer changes fast."""
    import hashlib

    out = {}
    for name in ("ingest.py", "formats.py", "sources.py", "store.py", "search.py", "compiler.py", "dialect.py"):
        path = REPO / "auth0_logq" / "engine" / name
        if path.exists():
            out[name] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return out


def machine() -> dict[str, Any]:
    def sh(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.rstrip()
        except OSError:
            return ""

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import duckdb

    return {
        "git_head": sh(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
        "engine_sha256": engine_fingerprint(),
        "nproc": sh(["nproc"]),
        "free_h": sh(["free", "-h"]),
        "cpu": cpu,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "duckdb": duckdb.__version__,
    }


# -- step 1: the export ------------------------------------------------------------------------------


def generate(n: int, work: Path, reuse: bool, with_array: bool = True) -> dict[str, Any]:
    ndjson = work / f"events-{n}.ndjson"
    array = work / f"events-{n}.json"
    stamp = work / f"events-{n}.meta.json"
    if reuse and ndjson.exists() and stamp.exists():
        meta = json.loads(stamp.read_text())
        if meta.get("ndjson_bytes") == ndjson.stat().st_size:
            if array.exists() and meta.get("array_bytes") == array.stat().st_size:
                say(f"reusing {ndjson} and {array}")
                return {**meta, "reused": True}
            if not with_array:
                say(f"reusing {ndjson}")
                return {**meta, "array": None, "array_bytes": None, "reused": True}
    say(f"generating {n:,} events ...")
    res = run_child([sys.executable, "-m", "auth0_logq.demo.generate", "--count", str(n), "--ndjson", str(ndjson)], cwd=REPO)
    if res.returncode:
        raise SystemExit(f"generator failed: {res.stderr}")
    gen_seconds = res.seconds
    if not with_array:  # --formats without `array`: no need to write a second copy
        array.unlink(missing_ok=True)
        meta = {"ndjson": str(ndjson), "array": None, "ndjson_bytes": ndjson.stat().st_size, "array_bytes": None,
                "generate_seconds": gen_seconds, "generate_rate": n / gen_seconds, "array_write_seconds": None}
        stamp.write_text(json.dumps(meta))
        return {**meta, "reused": False}
    # The same events as one compact JSON array, as GET /api/v2/logs returns a page.
    t0 = time.perf_counter()
    with open(ndjson, "rb") as src, open(array, "wb") as dst:
        dst.write(b"[")
        first = True
        while True:
            lines = src.readlines(1 << 22)
            if not lines:
                break
            body = b",".join(line.rstrip(b"\r\n") for line in lines if line.strip())
            if body:
                dst.write(body if first else b"," + body)
                first = False
        dst.write(b"]")
    array_seconds = time.perf_counter() - t0
    meta = {
        "ndjson": str(ndjson),
        "array": str(array),
        "ndjson_bytes": ndjson.stat().st_size,
        "array_bytes": array.stat().st_size,
        "generate_seconds": gen_seconds,
        "generate_rate": n / gen_seconds,
        "array_write_seconds": array_seconds,
    }
    stamp.write_text(json.dumps(meta))
    return {**meta, "reused": False}


# -- step 1b: one input file per export format -------------------------------------------------------
#
# Every input is derived from the generator's NDJSON, streamed line by line (never loaded whole), and
# keeps each event's text exactly as the NDJSON line holds it wherever the real format carries the
# event as JSON (log stream, EventBridge, Splunk HEC) or as a JSON string (CloudWatch), so the mirror's
# stored texts can be checked against the NDJSON's. Writing an input is timed on its own, never part
# of an import rate.

PAGE_EVENTS = 100  # events per include_totals page, as a paging script asks for them
TAR_PARTS = 4  # NDJSON files in the .tar.gz
LEGACY_CAP = 20_000  # default events in the zip of legacy per-log files, one file each (--legacy-events)
TENANT_HOST = "acme-prod.eu.auth0.com"
EVENTBRIDGE_SOURCE = "aws.partner/auth0.com/acme-prod-3f6b2c1e-8d4a-4e7b-9c2f-1a5d7e9b0c64/auth0.logs"


@dataclass(frozen=True)
class ExportFormat:
    key: str  # --formats name
    label: str  # report row
    made: str  # how the input is made from the NDJSON (report and README); {cap}: --legacy-events
    file: str  # input file name; {n} is the event count, {cap} --legacy-events


FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("ndjson", "NDJSON", "the generator's file, one event per line", "events-{n}.ndjson"),
    ExportFormat("array", "JSON array", "one compact JSON array, as GET /api/v2/logs returns a page", "events-{n}.json"),
    ExportFormat("pages", "include_totals pages",
                 f"pages of {PAGE_EVENTS} {{start, limit, length, total, logs}} appended without separator (curl >>)", "events-{n}.pages.json"),
    ExportFormat("ndjson_gz", "gzip'd NDJSON", "the NDJSON through gzip -6", "events-{n}.ndjson.gz"),
    ExportFormat("log_stream", "log stream JSONLINES", 'one {"log_id", "data": event} per line', "events-{n}.log-stream.ndjson"),
    ExportFormat("eventbridge", "EventBridge NDJSON",
                 'one envelope per line: version, id, detail-type, source aws.partner/auth0.com/..., account, time, region, resources, '
                 'detail {"log_id", "data": event}', "events-{n}.eventbridge.ndjson"),
    ExportFormat("splunk_hec", "Splunk HEC NDJSON",
                 'one {"time": seconds, "host", "source", "sourcetype", "event": {"log_id", "data": event}} per line', "events-{n}.splunk-hec.ndjson"),
    ExportFormat("cloudwatch", "CloudWatch NDJSON", 'one {"timestamp": ms, "message": "<event JSON as a string>"} per line',
                 "events-{n}.cloudwatch.ndjson"),
    ExportFormat("tar_gz", "tar.gz of NDJSON files", f"the NDJSON split into {TAR_PARTS} files in one .tar.gz (gzip -6)", "events-{n}.tar.gz"),
    ExportFormat("legacy_zip", "zip of legacy per-log files",
                 "the first {cap:,} events, one file each, YYYY/MM/DD/HH/<log_id>.json, type = human name, type_code = code, "
                 "zip deflate", "events-{n}-legacy-{cap}.zip"),
)
FORMAT_KEYS = tuple(f.key for f in FORMATS)
FORMAT_BY_KEY = {f.key: f for f in FORMATS}

try:  # the derivations parse every line; orjson is ~4x faster than json here (same values)
    from orjson import loads as _loads
except ImportError:  # pragma: no cover
    _loads = json.loads


def ndjson_lines(path: Path, limit: int | None = None) -> Iterator[bytes]:
    """The non-blank lines of an NDJSON file without their line endings, read line by line."""
    count = 0
    with open(path, "rb", buffering=1 << 20) as src:
        for line in src:
            line = line.rstrip(b"\r\n")
            if not line.strip():
                continue
            yield line
            count += 1
            if limit is not None and count >= limit:
                return


def text_hash(text: bytes) -> int:
    """One event text's share of a digest: the digest of a set of texts is the sum of theirs, mod
    2**128, so it does not depend on their order (IMPORT_CHILD computes the same over `raw.json`)."""
    return int.from_bytes(hashlib.sha256(text).digest()[:16], "big")


def digest_hex(total: int) -> str:
    return f"{total % (1 << 128):032x}"


def expected_events(ndjson: Path) -> dict[str, Any]:
    """What a lossless import of the NDJSON holds: the event count, texts digest and `type` counts."""
    types: Counter[str] = Counter()
    total, events = 0, 0
    for line in ndjson_lines(ndjson):
        total += text_hash(line)
        types[str(_loads(line).get("type"))] += 1
        events += 1
    return {"events": events, "digest": digest_hex(total), "types": dict(types)}


def _id_json(event: dict[str, Any]) -> bytes:
    log_id = event.get("log_id") or event.get("_id")
    return json.dumps(log_id).encode()


def _date_ms(event: dict[str, Any]) -> int:
    from auth0_logq.engine.dates import event_date_ms

    ms = event_date_ms(event.get("date"))
    return 0 if ms is None else ms


def _write_lines(src: Path, out: Path, wrap: Callable[[bytes], bytes]) -> None:
    with open(out, "wb", buffering=1 << 20) as dst:
        for line in ndjson_lines(src):
            dst.write(wrap(line) + b"\n")


def write_pages(src: Path, out: Path, n: int) -> None:
    """include_totals pages of PAGE_EVENTS, appended one after the other as `curl ... >> file` does."""
    with open(out, "wb", buffering=1 << 20) as dst:
        page: list[bytes] = []
        start = 0

        def flush() -> None:
            nonlocal start
            dst.write(b'{"start":%d,"limit":%d,"length":%d,"total":%d,"logs":[' % (start, PAGE_EVENTS, len(page), n)
                      + b",".join(page) + b"]}")
            start += len(page)
            page.clear()

        for line in ndjson_lines(src):
            page.append(line)
            if len(page) == PAGE_EVENTS:
                flush()
        if page:
            flush()


def write_gzip(src: Path, out: Path, n: int) -> None:
    with open(src, "rb") as f, gzip.open(out, "wb", compresslevel=6) as dst:
        shutil.copyfileobj(f, dst, 1 << 20)


def write_log_stream(src: Path, out: Path, n: int) -> None:
    _write_lines(src, out, lambda line: b'{"log_id":' + _id_json(_loads(line)) + b',"data":' + line + b"}")


def write_eventbridge(src: Path, out: Path, n: int) -> None:
    """The envelope EventBridge delivers for an Auth0 partner event source (tests/data/formats)."""
    def wrap(line: bytes) -> bytes:
        event = _loads(line)
        log_id = _id_json(event)
        head = {"version": "0", "id": str(uuid.uuid5(uuid.NAMESPACE_OID, log_id.decode())), "detail-type": "Auth0 log",
                "source": EVENTBRIDGE_SOURCE, "account": "696982352112", "time": str(event.get("date", ""))[:19] + "Z",
                "region": "eu-central-1", "resources": []}
        return json.dumps(head, separators=(",", ":")).encode()[:-1] + b',"detail":{"log_id":' + log_id + b',"data":' + line + b"}}"

    _write_lines(src, out, wrap)


def write_splunk_hec(src: Path, out: Path, n: int) -> None:
    """What the Splunk log stream posts to HEC, one event per line."""
    def wrap(line: bytes) -> bytes:
        event = _loads(line)
        return (b'{"time":%.3f,"host":"%s","source":"auth0","sourcetype":"auth0","event":{"log_id":'
                % (_date_ms(event) / 1000, TENANT_HOST.encode()) + _id_json(event) + b',"data":' + line + b"}}")

    _write_lines(src, out, wrap)


def write_cloudwatch(src: Path, out: Path, n: int) -> None:
    """`{timestamp, message}` as the legacy CloudWatch extension puts them (message = JSON.stringify(log))."""
    def wrap(line: bytes) -> bytes:
        return (b'{"timestamp":%d,"message":' % _date_ms(_loads(line))
                + json.dumps(line.decode("utf-8"), ensure_ascii=False).encode() + b"}")

    _write_lines(src, out, wrap)


def write_tar_gz(src: Path, out: Path, n: int) -> None:
    """The NDJSON split into TAR_PARTS files of consecutive lines; each member streamed from the NDJSON."""
    bounds = [0]  # byte offsets where each part starts, found in one pass
    per_part = max(1, -(-n // TAR_PARTS))
    with open(src, "rb", buffering=1 << 20) as f:
        offset = 0
        for i, line in enumerate(f, 1):
            offset += len(line)
            if i % per_part == 0 and len(bounds) < TAR_PARTS:
                bounds.append(offset)
    bounds.append(offset)
    with tarfile.open(out, "w:gz", compresslevel=6) as tar, open(src, "rb") as f:
        for i, (a, b) in enumerate(zip(bounds, bounds[1:]), 1):
            if b <= a:
                continue
            info = tarfile.TarInfo(f"auth0-logs/events-{i:02d}.ndjson")
            info.size, info.mtime, info.mode = b - a, int(time.time()), 0o644
            f.seek(a)
            tar.addfile(info, f)


def write_legacy_zip(src: Path, out: Path, n: int, cap: int = LEGACY_CAP) -> dict[str, Any]:
    """"Auth0 Logs to Azure Blob Storage" files: YYYY/MM/DD/HH/<log_id>.json, `type` the human name,
    `type_code` the code. Only the first `cap` events: nobody holds a million such tiny files."""
    from auth0_logq.demo.codes import CODES

    types: Counter[str] = Counter()
    total = events = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for line in ndjson_lines(src, cap):
            event = json.loads(line)
            code = event.get("type")
            event["type"] = CODES[code].event if code in CODES else code
            event["type_code"] = code
            text = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
            d = str(event.get("date"))
            log_id = event.get("_id") or event.get("log_id")
            zf.writestr(f"{d[0:4]}/{d[5:7]}/{d[8:10]}/{d[11:13]}/{log_id}.json", text)
            total += text_hash(text)  # the mirror keeps the file's text as it is
            types[str(code)] += 1  # but its `type` column holds the code (formats.py)
            events += 1
    return {"expected": {"events": events, "digest": digest_hex(total), "types": dict(types)}}


WRITERS: dict[str, Callable[[Path, Path, int], Any]] = {
    "pages": write_pages, "ndjson_gz": write_gzip, "log_stream": write_log_stream, "eventbridge": write_eventbridge,
    "splunk_hec": write_splunk_hec, "cloudwatch": write_cloudwatch, "tar_gz": write_tar_gz,
}


def derive(fmt: ExportFormat, ndjson: Path, work: Path, n: int, reuse: bool, legacy_cap: int = LEGACY_CAP) -> dict[str, Any]:
    """Write one format's input from the NDJSON (or reuse one an earlier --keep run left)."""
    out = work / fmt.file.format(n=n, cap=legacy_cap)
    stamp = Path(str(out) + ".meta.json")
    if reuse and out.exists() and stamp.exists():
        meta = json.loads(stamp.read_text())
        if meta.get("bytes") == out.stat().st_size:
            return {**meta, "reused": True}
    out.unlink(missing_ok=True)
    t0 = time.perf_counter()
    if fmt.key == "legacy_zip":
        extra = write_legacy_zip(ndjson, out, n, legacy_cap)
    else:
        extra = WRITERS[fmt.key](ndjson, out, n) or {}
    meta = {"path": str(out), "bytes": out.stat().st_size, "write_seconds": time.perf_counter() - t0,
            "made": fmt.made.format(cap=legacy_cap) if fmt.key == "legacy_zip" else fmt.made, **extra}
    stamp.write_text(json.dumps(meta))
    return {**meta, "reused": False}


# -- step 2: imports ---------------------------------------------------------------------------------


def import_mirror(db: Path, source: str, expected: dict[str, Any]) -> dict[str, Any]:
    """Import `source` into a fresh mirror `db` in a child process; `expected` (see expected_events)
    is what a lossless import holds: every difference is listed in the result's `problems`."""
    for p in (db, Path(str(db) + "-wal"), Path(str(db) + "-shm"), Path(str(db) + "-journal")):
        p.unlink(missing_ok=True)
    res = run_child([sys.executable, "-c", IMPORT_CHILD, str(db), source], cwd=REPO)
    if res.returncode:
        raise SystemExit(f"import of {source} failed:\n{res.stderr[-3000:]}")
    info = last_json(res.stdout)
    info["process_seconds"] = res.seconds
    info["max_rss_mb"] = res.max_rss_mb
    info["rate"] = info["read"] / info["import_seconds"]
    info["mirror_bytes"] = info["db_bytes"] + info["wal_bytes"]
    info["missing_indexes"] = sorted(set(info["expected_indexes"]) - set(info["indexes"]))
    info["all_indexes"] = not info["missing_indexes"]
    info["expected_events"] = want = expected["events"]
    problems = []
    if info["new"] != want:
        problems.append(f"{info['new']:,} new (expected {want:,})")
    if info["duplicate"]:
        problems.append(f"{info['duplicate']:,} duplicate")
    if info["rejected"]:
        problems.append(f"{info['rejected']:,} rejected" + (f" ({info['first_rejects'][0]['reason'][:100]})" if info["first_rejects"] else ""))
    if info["events"] != want:
        problems.append(f"mirror holds {info['events']:,} events (expected {want:,})")
    if info["events"] == want and info["digest"] != expected["digest"]:
        problems.append("stored event texts differ from the input's")
    if info["types"] != expected["types"]:
        diff = sorted(k for k in set(info["types"]) | set(expected["types"]) if info["types"].get(k) != expected["types"].get(k))
        problems.append(f"`type` counts differ ({', '.join(diff[:5])}{', ...' if len(diff) > 5 else ''})")
    if not info["all_indexes"]:
        problems.append("missing indexes " + ", ".join(info["missing_indexes"]))
    info["problems"] = problems
    return info


def describe_import(label: str, info: dict[str, Any]) -> str:
    """One progress line for an import row."""
    return (f"  {label:<30} {info['rate']:>10,.0f} events/s  ({info['import_seconds']:.1f} s, peak RSS {info['max_rss_mb']:,.0f} MB, "
            f"{info['new']:,} new, {info['duplicate']:,} duplicate, {info['rejected']:,} rejected, {info['events']:,} in the mirror"
            + (f", {info['members']:,} members" if info["members"] != 1 else "") + f"; {info['format'][:60]})"
            + ("" if not info["problems"] else "  PROBLEMS: " + "; ".join(info["problems"])))


def duckdb_columns_option() -> str:
    spec = ", ".join(f"'{k}': '{v}'" for k, v in DUCKDB_COLUMNS.items())
    return ", format = 'newline_delimited', columns = {" + spec + "}"


def import_duckdb(db: Path, source: str, options: str) -> dict[str, Any]:
    for p in (db, Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)
    res = run_child([sys.executable, "-c", DUCKDB_IMPORT_CHILD, str(db), source, options], cwd=REPO)
    if res.returncode:
        raise SystemExit(f"duckdb import failed:\n{res.stderr[-3000:]}")
    info = last_json(res.stdout)
    info["process_seconds"] = res.seconds
    info["max_rss_mb"] = res.max_rss_mb
    info["rate"] = info["rows"] / info["import_seconds"] if info["rows"] else 0.0
    info["options"] = options
    return info


# -- step 3: the query classes -----------------------------------------------------------------------


@dataclass
class QueryClass:
    key: str
    label: str
    q: str
    duck_where: str
    results: dict[str, Any] = field(default_factory=dict)


def sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def pick_classes(mirror_path: Path, duck_types: dict[str, str]) -> list[QueryClass]:
    """Query values picked from the imported data, so every class has a realistic selectivity."""
    from auth0_logq.demo.generate import SCENARIOS
    from auth0_logq.engine.fields import DEFAULT_FIELDS

    conn = sqlite3.connect(f"file:{mirror_path}?mode=ro", uri=True)
    users = [r[0] for r in conn.execute(
        "SELECT user_name FROM logs WHERE user_name IS NOT NULL GROUP BY user_name ORDER BY count(*) DESC, user_name LIMIT 20")]
    first_ms = conn.execute("SELECT min(date_ms) FROM logs").fetchone()[0]
    conn.close()

    from auth0_logq.engine.dates import ms_to_iso

    day_ms = 86_400_000
    day0 = first_ms - first_ms % day_ms
    day3 = ms_to_iso(day0 + 2 * day_ms)[:10]  # the third day of the export
    day5 = ms_to_iso(day0 + 4 * day_ms)[:10]  # the fifth (exclusive upper bound)

    attacker_ip = SCENARIOS["credential_stuffing"]["ips"][0]
    bare_user = users[0]  # the busiest user: a bare term on all seven default fields
    prefix_user = next((u for u in users[1:] if u[:4] != bare_user[:4] and u[:4].isalnum()), users[1])
    prefix = prefix_user[:4]
    like_prefix = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

    date_type = duck_types.get("date", "")
    if "TIMESTAMP" in date_type.upper():
        date_where = f"\"date\" >= TIMESTAMPTZ '{day3} 00:00:00+00' AND \"date\" < TIMESTAMPTZ '{day5} 00:00:00+00'"
    else:  # ISO text sorts as time
        date_where = f"\"date\" >= '{day3}' AND \"date\" < '{day5}'"
    details_type = duck_types.get("details", "JSON").upper()
    details = "details" if details_type == "JSON" else "to_json(details)"
    method = f"json_extract_string({details}, '$.request.method')"
    def bare(value: str) -> str:
        return "(" + " OR ".join(f"{f} = {sql_str(value)}" for f in DEFAULT_FIELDS) + ")"

    return [
        QueryClass("exact", "exact field", "type:fp", "type = 'fp'"),
        QueryClass("exact2", "exact two fields", f'type:fp AND ip:"{attacker_ip}"', f"type = 'fp' AND ip = {sql_str(attacker_ip)}"),
        QueryClass("bare", "bare term", bare_user, bare(bare_user)),
        # Extra: the same class with a rare value, the one an incident responder types first.
        QueryClass("bare_rare", "bare term, rare (extra)", attacker_ip, bare(attacker_ip)),
        QueryClass("prefix", "prefix", f"user_name:{prefix}*", f"user_name LIKE {sql_str(like_prefix + '%')} ESCAPE '\\'"),
        QueryClass("infix", "infix wildcard", "description:*password*", "description LIKE '%password%'"),
        QueryClass("infix_rare", "infix, rare (extra)", "description:*stream*", "description LIKE '%stream%'"),
        QueryClass("date", "date range", f"date:[{day3} TO {day5}}}", date_where),
        QueryClass("path_and", "JSON path + type", "details.request.method:post AND type:sapi", f"{method} = 'post' AND type = 'sapi'"),
        QueryClass("path", "JSON path alone", "details.request.method:patch", f"{method} = 'patch'"),
        QueryClass("not", "negation", "NOT type:s", "type IS DISTINCT FROM 's'"),
        QueryClass("all", "empty query (all)", "", "TRUE"),
    ]


def duck_count_sql(c: QueryClass) -> str:
    return "SELECT count(*) FROM logs" if c.duck_where == "TRUE" else f"SELECT count(*) FROM logs WHERE {c.duck_where}"


def plan_text(conn: sqlite3.Connection, sql: str, params: tuple) -> list[str]:
    """EXPLAIN QUERY PLAN as indented lines (SQLite gives each row its parent's id)."""
    rows = conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    depth = {0: -1}
    lines = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


def measure_in_process(mirror_path: Path, classes: list[QueryClass], repeat: int, duck_db: Path) -> None:
    import duckdb

    from auth0_logq.engine.search import count, search
    from auth0_logq.engine.store import Mirror

    mirror = Mirror.open(mirror_path, create=False)
    duck = duckdb.connect(str(duck_db), read_only=True)
    try:
        for c in classes:
            def first_page() -> list[str]:
                return list(search(mirror, c.q, sort="date:-1", per_page=100, page=0).logs)

            def do_count() -> int:
                return count(mirror, c.q)

            page_samples, count_samples = [], []
            page: list[str] = []
            n = 0
            for i in range(repeat + 1):
                t0 = time.perf_counter()
                page = first_page()
                t1 = time.perf_counter()
                n = do_count()
                t2 = time.perf_counter()
                if i:
                    page_samples.append(t1 - t0)
                    count_samples.append(t2 - t1)
            result = search(mirror, c.q, sort="date:-1", per_page=100, page=0)
            page_sql = result.sql
            if result.compiled is not None:  # compiled for this mirror, as count() compiles it
                count_sql = result.compiled.select("count(*)")
                count_text, count_params = count_sql.text, count_sql.params
            else:
                count_text, count_params = "SELECT count(*) FROM logs", ()
            ids = [json.loads(t)["log_id"] for t in page]
            duck_ids = [r[0] for r in duck.execute(
                f"SELECT log_id FROM logs WHERE {c.duck_where} ORDER BY \"date\" DESC, log_id DESC LIMIT 100").fetchall()]
            duck_samples = []
            duck_n = duck.execute(duck_count_sql(c)).fetchone()[0]  # warm-up
            for _ in range(repeat):
                t0 = time.perf_counter()
                duck_n = duck.execute(duck_count_sql(c)).fetchone()[0]
                duck_samples.append(time.perf_counter() - t0)
            c.results.update(
                matches=n,
                page_rows=len(page),
                first_page_ms=median_ms(page_samples),
                first_page_samples_ms=[s * 1000 for s in page_samples],
                count_ms=median_ms(count_samples),
                count_samples_ms=[s * 1000 for s in count_samples],
                page_sql=page_sql.text,
                page_params=[p if isinstance(p, (int, float, str)) else repr(p) for p in page_sql.params],
                page_plan=plan_text(mirror.conn, page_sql.text, page_sql.params),
                count_sql=count_text,
                count_params=[p if isinstance(p, (int, float, str)) else repr(p) for p in count_params],
                count_plan=plan_text(mirror.conn, count_text, tuple(count_params)),
                duckdb_matches=duck_n,
                duckdb_count_ms=median_ms(duck_samples),
                duckdb_count_sql=duck_count_sql(c),
                first_page_agrees=ids == duck_ids,
            )
            say(f"  {c.label:<20} {fmt_ms(c.results['first_page_ms']):>9} ms page  {fmt_ms(c.results['count_ms']):>9} ms count  "
                f"{n:>10,} matches{'' if n == duck_n else f'  (DuckDB: {duck_n:,}!)'}"
                f"{'' if ids == duck_ids else '  (first page differs from DuckDB!)'}")
    finally:
        duck.close()
        mirror.close()


# -- step 4 and 5: whole processes ------------------------------------------------------------------


def measure_processes(mirror_path: Path, duck_db: Path, classes: list[QueryClass], repeat: int) -> dict[str, Any]:
    logq = logq_command()
    for c in classes:
        (samples, out), (duck_samples, duck_out) = time_processes(
            [logq + ["--db", str(mirror_path), "count", c.q], [sys.executable, "-c", DUCKDB_COUNT_CHILD, str(duck_db), duck_count_sql(c)]],
            repeat)
        c.results["logq_process_ms"] = median_ms(samples)
        c.results["logq_process_samples_ms"] = [s * 1000 for s in samples]
        c.results["logq_process_output"] = out.strip()
        samples, out = duck_samples, duck_out
        c.results["duckdb_process_ms"] = median_ms(samples)
        c.results["duckdb_process_samples_ms"] = [s * 1000 for s in samples]
        c.results["duckdb_process_output"] = out.strip()
        say(f"  {c.label:<20} logq {fmt_ms(c.results['logq_process_ms']):>8} ms   duckdb {fmt_ms(c.results['duckdb_process_ms']):>8} ms")
    (help_samples, _), (python_samples, _), (duck_import, _), (engine_import, _) = time_processes(
        [logq + ["--help"], [sys.executable, "-c", "pass"], [sys.executable, "-c", "import duckdb"],
         [sys.executable, "-c", "import click, auth0_logq.engine.search"]], max(repeat, 7))
    return {
        "logq_help_ms": median_ms(help_samples),
        "logq_help_samples_ms": [s * 1000 for s in help_samples],
        "python_startup_ms": median_ms(python_samples),
        "python_import_duckdb_ms": median_ms(duck_import),
        "python_import_click_and_engine_ms": median_ms(engine_import),
        "logq_command": logq,
    }


def measure_without_pycache(mirror_path: Path, work: Path, repeat: int, pycache: bool) -> dict[str, Any]:
    """`logq --help` and `logq count type:fp` with the other bytecode-cache setting (information only)."""
    set_child_env(work, not pycache)
    try:
        logq = logq_command()
        (help_samples, _), (count_samples, _) = time_processes(
            [logq + ["--help"], logq + ["--db", str(mirror_path), "count", "type:fp"]], repeat)
    finally:
        set_child_env(work, pycache)
    return {"bytecode_cache": not pycache, "logq_help_ms": median_ms(help_samples), "logq_count_exact_ms": median_ms(count_samples)}


def count_stdout_lines(argv: list[str]) -> tuple[int, int]:
    """(lines, bytes) a process writes to stdout, read in chunks (untimed check run)."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=CHILD_ENV)
    lines = nbytes = 0
    assert proc.stdout is not None
    while True:
        chunk = proc.stdout.read(1 << 20)
        if not chunk:
            break
        lines += chunk.count(b"\n")
        nbytes += len(chunk)
    err = proc.stderr.read() if proc.stderr else b""
    if proc.wait():
        raise RuntimeError(f"{argv[:4]} exited {proc.returncode}: {err.decode()[-500:]}")
    return lines, nbytes


def measure_export(mirror_path: Path, duck_db: Path, n: int, repeat: int) -> dict[str, Any]:
    logq_argv = logq_command() + ["--db", str(mirror_path), "search", "", "--format", "ndjson"]
    duck_argv = [sys.executable, "-c", DUCKDB_EXPORT_CHILD, str(duck_db)]
    out: dict[str, Any] = {"repeat": repeat}
    commands = {"logq": logq_argv, "duckdb": duck_argv}
    checked = {name: count_stdout_lines(argv) for name, argv in commands.items()}  # also the warm-up
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):  # alternating, like the count processes
        for name, argv in commands.items():
            t0 = time.perf_counter()
            proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=CHILD_ENV)
            samples[name].append(time.perf_counter() - t0)
            if proc.returncode:
                raise RuntimeError(f"{name} export exited {proc.returncode}: {proc.stderr.decode()[-500:]}")
    for name in commands:
        lines, nbytes = checked[name]
        seconds = statistics.median(samples[name])
        out[name] = {"seconds": seconds, "samples": samples[name], "rate": n / seconds, "lines": lines, "bytes": nbytes}
        say(f"  {name:<8} {seconds:8.2f} s  {n / seconds:>12,.0f} events/s  ({lines:,} lines, {mb(nbytes)})")
    return out


# -- step 6: the report ------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))) + " |"
    sep = "|" + "|".join(("-" * (w + 1) + ":") if i in right else ("-" * (w + 2)) for i, w in enumerate(widths)) + "|"
    return "\n".join([line(headers), sep] + [line(r) for r in rows])


def report(n: int, results: dict[str, Any], classes: list[QueryClass]) -> tuple[str, list[str]]:
    """The Markdown report and the list of failures."""
    failures: list[str] = []
    rows = []
    for c in classes:
        r = c.results
        page_ok = r["first_page_ms"] < TARGET_FIRST_PAGE_MS
        proc_ok = r["logq_process_ms"] <= r["duckdb_process_ms"]
        checks = []
        if not page_ok:
            checks.append("page")
            failures.append(f"first page of {c.label} ({c.q or '<empty>'}): {r['first_page_ms']:.1f} ms >= {TARGET_FIRST_PAGE_MS} ms")
        if not proc_ok:
            checks.append("process")
            failures.append(
                f"logq count process for {c.label} ({c.q or '<empty>'}): {r['logq_process_ms']:.0f} ms > DuckDB {r['duckdb_process_ms']:.0f} ms")
        agree = r["matches"] == r["duckdb_matches"] and str(r["matches"]) == r["logq_process_output"] == r["duckdb_process_output"]
        if not agree:
            failures.append(f"count mismatch for {c.label}: logq {r['matches']} / process {r['logq_process_output']}, "
                            f"DuckDB {r['duckdb_matches']} / process {r['duckdb_process_output']}")
        if not r["first_page_agrees"]:
            failures.append(f"first page of {c.label} differs from DuckDB's newest-first 100")
        rows.append([
            c.label,
            f"`{c.q}`" if c.q else "(empty)",
            fmt_ms(r["first_page_ms"]),
            fmt_ms(r["count_ms"]),
            fmt_ms(r["logq_process_ms"]),
            fmt_ms(r["duckdb_process_ms"]),
            fmt_ms(r["duckdb_count_ms"]),
            f"{r['matches']:,}" + ("" if agree else f" (DuckDB {r['duckdb_matches']:,})"),
            "PASS" if not checks else "FAIL: " + ", ".join(checks),
        ])
    m = results["machine"]
    out = [f"auth0-logq {m['git_head'] or 'at ' + results['source']} (engine files {', '.join(f'{k} {v[:8]}' for k, v in m['engine_sha256'].items())})"
           + (" -- ENGINE CHANGED DURING THE RUN" if results.get("engine_changed_during_run") else ""), "",
           f"Machine: {m['nproc']} cores ({m['cpu']}), {m['free_h'].splitlines()[1].split()[1] if m['free_h'] else '?'} RAM, "
           f"Python {m['python']}, SQLite {m['sqlite']}, DuckDB {m['duckdb']}; load average {results['load_average']}; "
           f"child processes {'with' if results['bytecode_cache'] else 'without'} bytecode caches.", ""]
    if classes:
        out += [f"### Queries ({n:,} events; median of {results['repeat']} after a warm-up; ms)", ""]
        out.append(table(
            ["query class", "query", "first page", "count", "logq count process", "DuckDB process", "DuckDB count in-process", "matches", "result"],
            rows, {2, 3, 4, 5, 6, 7}))
        out.append("")
        out.append(f"first page target < {TARGET_FIRST_PAGE_MS:g} ms in-process; process target: logq no slower than DuckDB. "
                   "Matches are checked against DuckDB's count and the first page against DuckDB's newest-first 100.")
        out.append("")

    imp = results["imports"]
    duck = results["duckdb"]
    peer = duck.get("duckdb_columns")
    base = imp.get("ndjson")
    import_rows = []
    targets = {"ndjson": TARGET_NDJSON_RATE, "array": TARGET_ARRAY_RATE}
    for key in results.get("formats", FORMAT_KEYS):
        i = imp.get(key)
        if not i:
            continue
        fmt = FORMAT_BY_KEY[key]
        label = fmt.label + (f" (first {i['expected_events']:,} events)" if i["expected_events"] != n else "")
        target = targets.get(key)
        fast = target is None or i["rate"] >= target
        ok = fast and not i["problems"]
        if not fast:
            failures.append(f"import {label}: {i['rate']:,.0f} events/s (target {target:,})")
        if i["problems"]:
            failures.append(f"import {label}: " + "; ".join(i["problems"]))
        import_rows.append([
            label, f"{mb(i['input']['bytes'])}, {i['format'][:44]}", f"{i['rate']:,.0f}",
            f"{i['rate'] / base['rate']:.2f}x" if base else "-",
            f"{i['import_seconds']:.1f}", f"{i['process_seconds']:.1f}", f"{i['max_rss_mb']:,.0f}",
            f"{i['new']:,} / {i['duplicate']:,} / {i['rejected']:,}", f"{i['events']:,}",
            (f">= {target:,}/s, " if target else "") + "all new, 0 rejected",
            verdict(ok) + ("" if not i["problems"] else ": " + "; ".join(i["problems"])[:80]),
        ])
        if key == "ndjson" and peer:
            import_rows.append([
                "DuckDB read_json, columns given (peer)", f"{mb(i['input']['bytes'])}, the same NDJSON file", f"{peer['rate']:,.0f}",
                f"{peer['rate'] / i['rate']:.2f}x", f"{peer['import_seconds']:.1f}", f"{peer['process_seconds']:.1f}",
                f"{peer['max_rss_mb']:,.0f}", f"{peer['rows']:,} rows", "-", "", "info"])
    if import_rows:
        out += [f"### Import by format ({n:,} events; one run each, into a fresh mirror, in a child process)", ""]
        out.append(table(["import", "input", "events/s", "vs NDJSON", "import_paths s", "process s", "peak RSS MB",
                          "new / duplicate / rejected", "mirror events", "target", "result"], import_rows, {2, 3, 4, 5, 6, 8}))
        out.append("")
        if base and peer:
            out.append(f"NDJSON import: {base['rate']:,.0f} events/s = {base['rate'] / peer['rate']:.2f}x DuckDB `read_json` with the "
                       f"columns given ({peer['rate']:,.0f} events/s, `CREATE TABLE ... AS SELECT` + `CHECKPOINT`) over the same file, "
                       f"the peer to beat; target >= {TARGET_NDJSON_RATE:,} events/s.")
        out.append("events/s = events / wall time of `ingest.import_paths` (every index built, ANALYZE). Each row checks that the mirror "
                   "holds every event once, none rejected, with the input's event texts (digest of `raw.json`) and `type` counts.")
        out.append("")
        out.append("Inputs (written from the NDJSON before each import, not timed):")
        for key in results.get("formats", FORMAT_KEYS):
            if key in imp:
                written = imp[key]["input"].get("write_seconds")
                out.append(f"- {FORMAT_BY_KEY[key].label}: {imp[key]['input'].get('made', FORMAT_BY_KEY[key].made)}"
                           + (f" (written in {written:.1f} s)" if written is not None else ""))
        out.append("")

    other = []
    for key, label in (("duckdb_auto", "DuckDB read_json, sample_size=-1"), ("duckdb_default", "DuckDB read_json, defaults")):
        d = duck.get(key)
        if not d:
            continue
        if d["error"]:
            other.append([label, "fails", d["error"][:110], "", "info"])
        else:
            other.append([label, f"{d['rate']:,.0f} events/s",
                          f"{d['import_seconds']:.1f} s, peak RSS {d['max_rss_mb']:,.0f} MB, file {mb(d['db_bytes'] + d['wal_bytes'])}; "
                          f"details typed {d['types'].get('details', '?')[:40]}", "", "info"])
    gen = results["export"]
    other.append(["generator (not import)", f"{n / gen['generate_seconds']:,.0f} events/s" if not gen.get("reused") else "reused",
                  f"{gen['generate_seconds']:.1f} s for {mb(gen['ndjson_bytes'])} NDJSON ({gen['ndjson_bytes'] / n:,.0f} bytes/event)", "", "info"])
    if base:
        size = base["mirror_bytes"]
        ratio = size / gen["ndjson_bytes"]
        size_ok = ratio <= TARGET_SIZE_RATIO
        if not size_ok:
            failures.append(f"mirror size {mb(size)} is {ratio:.2f}x the export ({mb(gen['ndjson_bytes'])}); target <= {TARGET_SIZE_RATIO}x")
        top = sorted(((k, v) for k, v in base["breakdown"].items() if isinstance(v, int)), key=lambda kv: -kv[1])[:4]
        other.append(["mirror size (NDJSON import)", f"{ratio:.3f}x export",
                      f"{mb(size)} (db {mb(base['db_bytes'])} + wal {mb(base['wal_bytes'])}) vs {mb(gen['ndjson_bytes'])} export; "
                      + ", ".join(f"{k} {mb(v)}" for k, v in top), f"<= {TARGET_SIZE_RATIO:g}x", verdict(size_ok)])
    if "array" in imp:
        arr_ratio = imp["array"]["mirror_bytes"] / gen["array_bytes"]
        other.append(["mirror size (array import)", f"{arr_ratio:.3f}x export", f"{mb(imp['array']['mirror_bytes'])} vs {mb(gen['array_bytes'])}",
                      f"<= {TARGET_SIZE_RATIO:g}x", verdict(arr_ratio <= TARGET_SIZE_RATIO)])
    if peer:
        other.append(["DuckDB file size", f"{(peer['db_bytes'] + peer['wal_bytes']) / gen['ndjson_bytes']:.2f}x export",
                      mb(peer["db_bytes"] + peer["wal_bytes"]), "", "info"])
    if "process" not in results:  # --skip-queries
        out += ["### Generator, size", ""]
        out.append(table(["measure", "value", "detail", "target", "result"], other, set()))
        return "\n".join(out), failures
    proc = results["process"]
    help_ok = proc["logq_help_ms"] < TARGET_HELP_MS
    if not help_ok:
        failures.append(f"logq --help: {proc['logq_help_ms']:.0f} ms (target < {TARGET_HELP_MS:g} ms)")
    other.append(["logq --help", f"{proc['logq_help_ms']:.0f} ms",
                  f"python -c pass: {proc['python_startup_ms']:.0f} ms; python -c 'import duckdb': {proc['python_import_duckdb_ms']:.0f} ms; "
                  f"python -c 'import click, auth0_logq.engine.search': {proc['python_import_click_and_engine_ms']:.0f} ms",
                  f"< {TARGET_HELP_MS:g} ms", verdict(help_ok)])
    alt = results.get("other_bytecode_setting")
    if alt:
        other.append([f"logq without bytecode cache" if not alt["bytecode_cache"] else "logq with bytecode cache",
                      f"--help {alt['logq_help_ms']:.0f} ms", f"`logq count type:fp` {alt['logq_count_exact_ms']:.0f} ms (process)", "", "info"])
    ex = results["streamed_export"]
    for name, label in (("logq", "export: logq search '' --format ndjson"), ("duckdb", "export: DuckDB COPY ... (FORMAT json)")):
        e = ex[name]
        complete = e["lines"] == n
        if not complete:
            failures.append(f"{label} wrote {e['lines']:,} lines for {n:,} events")
        other.append([label, f"{e['rate']:,.0f} events/s", f"{e['seconds']:.1f} s whole process, {mb(e['bytes'])} out"
                      + ("" if complete else f", {e['lines']:,} lines!"), "", "info"])
    out += ["### Size, start-up, export", ""]
    out.append(table(["measure", "value", "detail", "target", "result"], other, set()))
    return "\n".join(out), failures


def print_plans(classes: list[QueryClass], failures_only: bool) -> None:
    for c in classes:
        r = c.results
        slow_page = r["first_page_ms"] >= TARGET_FIRST_PAGE_MS
        slow_proc = r["logq_process_ms"] > r["duckdb_process_ms"]
        if failures_only and not (slow_page or slow_proc):
            continue
        say(f"\n{c.label}: {c.q or '(empty)'}")
        if slow_page or not failures_only:
            say(f"  first page {r['first_page_ms']:.2f} ms: {r['page_sql']}")
            say(f"    params {r['page_params']}")
            for line in r["page_plan"]:
                say(f"    QUERY PLAN {line}")
        if slow_proc or not failures_only:
            say(f"  count {r['count_ms']:.2f} ms: {r['count_sql']}")
            say(f"    params {r['count_params']}")
            for line in r["count_plan"]:
                say(f"    QUERY PLAN {line}")


# -- main --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000, help="events to generate (default 1,000,000)")
    ap.add_argument("--workdir", type=Path, help="where the export and databases go (default: a temporary directory)")
    ap.add_argument("--repeat", type=int, default=7, help="timed runs per measurement, after one warm-up (default 7)")
    ap.add_argument("--keep", action="store_true", help="keep the export and databases")
    ap.add_argument("--reuse", action="store_true", help="reuse an export already generated in --workdir by an earlier --keep run")
    ap.add_argument("--export-repeat", type=int, default=3, help="timed runs of the full export (default 3)")
    ap.add_argument("--skip-auto-duckdb", action="store_true", help="skip the slow DuckDB import with sample_size=-1")
    ap.add_argument("--label", help="what is measured, e.g. the commit when running a `git archive` snapshot's bench/run.py")
    ap.add_argument("--no-pycache", action="store_true",
                    help="time child processes without bytecode caches (as with PYTHONDONTWRITEBYTECODE=1)")
    ap.add_argument("--formats", default="all",
                    help=f"import rows to run, comma-separated (default all): {', '.join(FORMAT_KEYS)}")
    ap.add_argument("--skip-formats", action="store_true",
                    help="no import row but the NDJSON one (whose mirror the queries use): the query part alone")
    ap.add_argument("--skip-queries", action="store_true", help="only the import rows: no query, process or export timing")
    ap.add_argument("--legacy-events", type=int, default=LEGACY_CAP,
                    help=f"events in the zip of legacy per-log files, one file each (default {LEGACY_CAP:,})")
    args = ap.parse_args(argv)
    if args.formats.strip().lower() == "all":
        formats = list(FORMAT_KEYS)
    else:
        formats = [f.strip().replace("-", "_") for f in args.formats.split(",") if f.strip()]
        unknown = [f for f in formats if f not in FORMAT_BY_KEY]
        if unknown or not formats:
            ap.error(f"--formats: unknown {', '.join(unknown) or '(none given)'}; choose from {', '.join(FORMAT_KEYS)} or all")
        formats = [k for k in FORMAT_KEYS if k in formats]  # report order
    if args.skip_formats:
        formats = ["ndjson"]
    queries = not args.skip_queries
    if queries and "ndjson" not in formats:
        formats.insert(0, "ndjson")  # the queries run on the NDJSON import's mirror
    if not formats:
        ap.error("nothing to do")
    try:
        import duckdb  # noqa: F401
    except ImportError:
        raise SystemExit("bench/run.py needs duckdb: pip install duckdb (or pip install -e '.[bench]')")
    try:
        from auth0_logq.engine import ingest  # noqa: F401
    except ImportError as exc:
        raise SystemExit(f"auth0_logq.engine.ingest is not available: {exc}")

    n = args.events
    made_temp = args.workdir is None
    work = Path(tempfile.mkdtemp(prefix="logq-bench-")) if made_temp else args.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    set_child_env(work, not args.no_pycache)
    results: dict[str, Any] = {"events": n, "repeat": args.repeat, "machine": machine(), "workdir": str(work), "source": str(REPO),
                               "bytecode_cache": not args.no_pycache, "load_average": {"start": load()}}
    if args.label:
        results["machine"]["git_head"] = args.label
    say(f"auth0-logq benchmark: {n:,} events, repeat {args.repeat}, workdir {work}")
    say(f"machine: {results['machine']['nproc']} cores, {results['machine']['cpu']}, Python {results['machine']['python']}, "
        f"SQLite {results['machine']['sqlite']}, DuckDB {results['machine']['duckdb']}")
    created: list[Path] = []
    try:
        # 1. the export
        gen = generate(n, work, args.reuse, with_array="array" in formats)
        results["export"] = gen
        results["formats"] = formats
        if not gen.get("reused"):
            created += [Path(gen["ndjson"]), work / f"events-{n}.meta.json"] + ([Path(gen["array"])] if gen["array"] else [])
            say(f"  generated {mb(gen['ndjson_bytes'])} NDJSON in {gen['generate_seconds']:.1f} s ({gen['generate_rate']:,.0f} events/s)"
                + (f"; JSON array {mb(gen['array_bytes'])} in {gen['array_write_seconds']:.1f} s" if gen["array"] else ""))
        t0 = time.perf_counter()
        expected = expected_events(Path(gen["ndjson"]))
        gen["expected_seconds"] = time.perf_counter() - t0
        if expected["events"] != n:
            raise SystemExit(f"the generator wrote {expected['events']:,} events, not {n:,}")

        # 2. imports: NDJSON and, beside it, DuckDB read_json over the same file; then every other format
        mirror = work / f"mirror-{n}.db"
        mirror_other = work / f"mirror-{n}-format.db"
        duck_db = work / f"duck-{n}.duckdb"
        duck_auto = work / f"duck-{n}-auto.duckdb"
        duck_default = work / f"duck-{n}-default.duckdb"
        for p in (mirror, mirror_other, duck_db, duck_auto, duck_default):
            created += [p, Path(str(p) + "-wal"), Path(str(p) + "-shm"), Path(str(p) + "-journal"), Path(str(p) + ".wal")]
        say("importing ...")
        imports: dict[str, Any] = {}
        results["imports"] = imports
        duck: dict[str, Any] = {}
        results["duckdb"] = duck
        if "ndjson" in formats:
            imports["ndjson"] = info = import_mirror(mirror, gen["ndjson"], expected)
            info["input"] = {"path": gen["ndjson"], "bytes": gen["ndjson_bytes"], "made": FORMAT_BY_KEY["ndjson"].made}
            say(describe_import("NDJSON", info))
            # The peer: DuckDB loading the same file with its columns given (its fastest variant, and
            # the table every DuckDB query below runs on).
            duck["duckdb_columns"] = peer = import_duckdb(duck_db, gen["ndjson"], duckdb_columns_option())
            if peer["error"]:
                raise SystemExit(f"DuckDB could not load the export with the hand-written columns: {peer['error']}")
            say(f"  {'DuckDB read_json (peer)':<30} {peer['rate']:>10,.0f} events/s  ({peer['import_seconds']:.1f} s, "
                f"peak RSS {peer['max_rss_mb']:,.0f} MB); NDJSON import at {info['rate'] / peer['rate']:.2f}x DuckDB")
            if not queries and not args.keep:
                mirror.unlink(missing_ok=True)
        results["load_average"]["imports"] = load()
        for key in formats:
            if key == "ndjson":
                continue
            fmt = FORMAT_BY_KEY[key]
            if key == "array":
                source = {"path": gen["array"], "bytes": gen["array_bytes"], "write_seconds": gen["array_write_seconds"], "made": fmt.made}
            else:
                source = derive(fmt, Path(gen["ndjson"]), work, n, args.reuse, args.legacy_events)
                if not source["reused"]:
                    created += [Path(source["path"]), Path(source["path"] + ".meta.json")]
                say(f"  ({fmt.label}: {mb(source['bytes'])} input " + ("reused" if source["reused"] else f"written in {source['write_seconds']:.1f} s")
                    + ", not timed)")
            imports[key] = info = import_mirror(mirror_other, source["path"], source.get("expected", expected))
            info["input"] = source
            say(describe_import(fmt.label, info))
            for p in (mirror_other, Path(str(mirror_other) + "-wal"), Path(str(mirror_other) + "-shm")):
                p.unlink(missing_ok=True)  # only its import row is reported
            if not args.keep and key != "array" and not source["reused"]:
                Path(source["path"]).unlink(missing_ok=True)  # bounds the disk a 1M run needs
        results["load_average"]["format_imports"] = load()
        if queries:
            variants = [("duckdb_default", duck_default, ", format = 'newline_delimited'")]
            if not args.skip_auto_duckdb:
                variants.append(("duckdb_auto", duck_auto, ", format = 'newline_delimited', sample_size = -1"))
            for key, db, options in variants:
                duck[key] = info = import_duckdb(db, gen["ndjson"], options)
                if info["error"]:
                    say(f"  {key:<15} fails: {info['error'][:150]}")
                else:
                    say(f"  {key:<15} {info['rate']:>10,.0f} events/s  ({info['import_seconds']:.1f} s, peak RSS {info['max_rss_mb']:,.0f} MB, "
                        f"file {mb(info['db_bytes'] + info['wal_bytes'])}, details {info['types'].get('details', '?')[:50]})")
                db.unlink(missing_ok=True)

        classes: list[QueryClass] = []
        if queries:
            # 3. in-process latency
            classes = pick_classes(mirror, duck["duckdb_columns"]["types"])
            say(f"in-process latency (median of {args.repeat}) ...")
            measure_in_process(mirror, classes, args.repeat, duck_db)

            # 4. whole processes
            say(f"whole-process latency (median of {args.repeat}) ...")
            results["load_average"]["queries"] = load()
            results["process"] = measure_processes(mirror, duck_db, classes, args.repeat)
            results["other_bytecode_setting"] = measure_without_pycache(mirror, work, args.repeat, not args.no_pycache)

            # 5. full streamed export
            say(f"full streamed export (median of {args.export_repeat}) ...")
            results["streamed_export"] = measure_export(mirror, duck_db, n, args.export_repeat)

        # 6. report
        results["classes"] = [{"key": c.key, "label": c.label, "q": c.q, "duckdb_where": c.duck_where, **c.results} for c in classes]
        results["total_seconds"] = time.perf_counter() - started
        results["load_average"]["end"] = load()
        if engine_fingerprint() != results["machine"]["engine_sha256"]:
            results["engine_changed_during_run"] = engine_fingerprint()
            say("WARNING: engine files changed while the benchmark ran; the numbers mix two versions: run it again")
        text, failures = report(n, results, classes)
        results["report_markdown"] = text
        results["failures"] = failures
        say("")
        say(text)
        say("")
        if failures:
            say(f"{len(failures)} FAIL(s):")
            for f in failures:
                say(f"  - {f}")
            if classes:
                say("\nQuery plans of the failing classes:")
                print_plans(classes, failures_only=True)
        else:
            say("every target met")
        # An imports-only run gets its own file, so it never replaces a full run's results.
        out = BENCH_DIR / (f"results-{n}.json" if queries else f"results-{n}-imports.json")
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        say(f"\nresults written to {out} (total {results['total_seconds']:.0f} s)")
        return 1 if failures else 0
    finally:
        if not args.keep:
            if made_temp:
                shutil.rmtree(work, ignore_errors=True)
            else:
                for p in created:
                    p.unlink(missing_ok=True)
                shutil.rmtree(work / "pycache", ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
