#!/usr/bin/env python3
"""End-to-end benchmark of auth0-logq against DuckDB on generated Auth0 logs.

    python bench/run.py [--events N] [--workdir DIR] [--repeat K] [--keep] [--reuse]

Steps (see bench/README.md for what every number means):

1. generate N events with the demo generator as NDJSON (timed on its own), and the same events as
   one JSON array (the Management API's shape);
2. import each file into a fresh mirror with `ingest.import_paths` (each in a child process, so its
   peak memory is measured too) and, for comparison, load the NDJSON into DuckDB with `read_json`;
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
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# Targets (a 2-core machine).
TARGET_IMPORT_RATE = 50_000  # events/s, every index built
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
t1 = time.perf_counter()
mirror = Mirror.open(db)
(s,) = ingest.import_paths(mirror, [path])
t2 = time.perf_counter()
indexes = sorted(r[0] for r in mirror.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'logs'"))
analyzed = mirror.conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()[0] > 0
mirror.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
t3 = time.perf_counter()
import os
wal = os.path.getsize(db + "-wal") if os.path.exists(db + "-wal") else 0
db_bytes = os.path.getsize(db)
try:
    breakdown = dict(mirror.conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"))
except Exception as exc:
    breakdown = {"error": str(exc)}
mirror.close()
print(json.dumps({
    "format": s.format, "read": s.read, "new": s.new, "duplicate": s.duplicate, "rejected": s.rejected,
    "summary_seconds": s.seconds, "import_seconds": t2 - t1, "module_import_seconds": t1 - t0,
    "checkpoint_seconds": t3 - t2, "indexes": indexes, "expected_indexes": sorted([n for n, _ in INDEXES] + ["logs_log_id"]),
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
    for name in ("ingest.py", "store.py", "search.py", "compiler.py", "dialect.py"):
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


def generate(n: int, work: Path, reuse: bool) -> dict[str, Any]:
    ndjson = work / f"events-{n}.ndjson"
    array = work / f"events-{n}.json"
    stamp = work / f"events-{n}.meta.json"
    if reuse and ndjson.exists() and array.exists() and stamp.exists():
        meta = json.loads(stamp.read_text())
        if meta.get("ndjson_bytes") == ndjson.stat().st_size and meta.get("array_bytes") == array.stat().st_size:
            say(f"reusing {ndjson} and {array}")
            return {**meta, "reused": True}
    say(f"generating {n:,} events ...")
    res = run_child([sys.executable, "-m", "auth0_logq.demo.generate", "--count", str(n), "--ndjson", str(ndjson)], cwd=REPO)
    if res.returncode:
        raise SystemExit(f"generator failed: {res.stderr}")
    gen_seconds = res.seconds
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


# -- step 2: imports ---------------------------------------------------------------------------------


def import_mirror(db: Path, source: str, n: int) -> dict[str, Any]:
    for p in (db, Path(str(db) + "-wal"), Path(str(db) + "-shm")):
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
    return info


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
    out += [f"### Queries ({n:,} events; median of {results['repeat']} after a warm-up; ms)", ""]
    out.append(table(
        ["query class", "query", "first page", "count", "logq count process", "DuckDB process", "DuckDB count in-process", "matches", "result"],
        rows, {2, 3, 4, 5, 6, 7}))
    out.append("")
    out.append(f"first page target < {TARGET_FIRST_PAGE_MS:g} ms in-process; process target: logq no slower than DuckDB. "
               "Matches are checked against DuckDB's count and the first page against DuckDB's newest-first 100.")

    imp = results["imports"]
    other = []
    for key, label in (("ndjson", "import NDJSON"), ("array", "import JSON array")):
        i = imp[key]
        ok = i["rate"] >= TARGET_IMPORT_RATE and i["all_indexes"] and i["new"] == n
        if not ok:
            failures.append(f"{label}: {i['rate']:,.0f} events/s (target {TARGET_IMPORT_RATE:,}), "
                            f"indexes {'all built' if i['all_indexes'] else 'missing ' + ', '.join(i['missing_indexes'])}, new {i['new']:,}")
        other.append([label, f"{i['rate']:,.0f} events/s",
                      f"{i['import_seconds']:.1f} s import_paths, {i['process_seconds']:.1f} s process, peak RSS {i['max_rss_mb']:,.0f} MB; "
                      f"{i['new']:,} new, {i['rejected']:,} rejected; {'all ' + str(len(i['indexes'])) + ' indexes' if i['all_indexes'] else 'MISSING ' + ', '.join(i['missing_indexes'])}"
                      f"{', ANALYZEd' if i['analyzed'] else ', no ANALYZE'}",
                      f">= {TARGET_IMPORT_RATE:,}/s", verdict(ok)])
    for key, label in (("duckdb_columns", "DuckDB read_json, columns given"), ("duckdb_auto", "DuckDB read_json, sample_size=-1"),
                       ("duckdb_default", "DuckDB read_json, defaults")):
        d = results["duckdb"].get(key)
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
    size = imp["ndjson"]["mirror_bytes"]
    ratio = size / gen["ndjson_bytes"]
    size_ok = ratio <= TARGET_SIZE_RATIO
    if not size_ok:
        failures.append(f"mirror size {mb(size)} is {ratio:.2f}x the export ({mb(gen['ndjson_bytes'])}); target <= {TARGET_SIZE_RATIO}x")
    top = sorted(((k, v) for k, v in imp["ndjson"]["breakdown"].items() if isinstance(v, int)), key=lambda kv: -kv[1])[:4]
    other.append(["mirror size (NDJSON import)", f"{ratio:.3f}x export",
                  f"{mb(size)} (db {mb(imp['ndjson']['db_bytes'])} + wal {mb(imp['ndjson']['wal_bytes'])}) vs {mb(gen['ndjson_bytes'])} export; "
                  + ", ".join(f"{k} {mb(v)}" for k, v in top), f"<= {TARGET_SIZE_RATIO:g}x", verdict(size_ok)])
    arr_ratio = imp["array"]["mirror_bytes"] / gen["array_bytes"]
    other.append(["mirror size (array import)", f"{arr_ratio:.3f}x export", f"{mb(imp['array']['mirror_bytes'])} vs {mb(gen['array_bytes'])}",
                  f"<= {TARGET_SIZE_RATIO:g}x", verdict(arr_ratio <= TARGET_SIZE_RATIO)])
    dc = results["duckdb"]["duckdb_columns"]
    other.append(["DuckDB file size", f"{(dc['db_bytes'] + dc['wal_bytes']) / gen['ndjson_bytes']:.2f}x export",
                  mb(dc["db_bytes"] + dc["wal_bytes"]), "", "info"])
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
    out += ["", "### Import, size, start-up, export", ""]
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
    args = ap.parse_args(argv)
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
        gen = generate(n, work, args.reuse)
        results["export"] = gen
        if not gen.get("reused"):
            created += [Path(gen["ndjson"]), Path(gen["array"]), work / f"events-{n}.meta.json"]
            say(f"  generated {mb(gen['ndjson_bytes'])} NDJSON in {gen['generate_seconds']:.1f} s "
                f"({gen['generate_rate']:,.0f} events/s); JSON array {mb(gen['array_bytes'])} in {gen['array_write_seconds']:.1f} s")

        # 2. imports
        mirror = work / f"mirror-{n}.db"
        mirror_array = work / f"mirror-{n}-array.db"
        duck_db = work / f"duck-{n}.duckdb"
        duck_auto = work / f"duck-{n}-auto.duckdb"
        duck_default = work / f"duck-{n}-default.duckdb"
        for p in (mirror, mirror_array, duck_db, duck_auto, duck_default):
            created += [p, Path(str(p) + "-wal"), Path(str(p) + "-shm"), Path(str(p) + ".wal")]
        say("importing ...")
        imports = {}
        for key, db, src in (("ndjson", mirror, gen["ndjson"]), ("array", mirror_array, gen["array"])):
            imports[key] = info = import_mirror(db, src, n)
            say(f"  {key:<8} {info['rate']:>10,.0f} events/s  ({info['import_seconds']:.1f} s, peak RSS {info['max_rss_mb']:,.0f} MB, "
                f"{info['new']:,} new, {info['rejected']:,} rejected, mirror {mb(info['mirror_bytes'])}, "
                f"indexes {'all' if info['all_indexes'] else 'MISSING ' + ', '.join(info['missing_indexes'])})")
        results["imports"] = imports
        results["load_average"]["imports"] = load()
        mirror_array.unlink(missing_ok=True)  # only its import rate and size are reported
        duck: dict[str, Any] = {}
        variants = [("duckdb_columns", duck_db, duckdb_columns_option()),
                    ("duckdb_default", duck_default, ", format = 'newline_delimited'")]
        if not args.skip_auto_duckdb:
            variants.append(("duckdb_auto", duck_auto, ", format = 'newline_delimited', sample_size = -1"))
        for key, db, options in variants:
            duck[key] = info = import_duckdb(db, gen["ndjson"], options)
            if info["error"]:
                say(f"  {key:<15} fails: {info['error'][:150]}")
            else:
                say(f"  {key:<15} {info['rate']:>10,.0f} events/s  ({info['import_seconds']:.1f} s, peak RSS {info['max_rss_mb']:,.0f} MB, "
                    f"file {mb(info['db_bytes'] + info['wal_bytes'])}, details {info['types'].get('details', '?')[:50]})")
            if key != "duckdb_columns":
                db.unlink(missing_ok=True)
        results["duckdb"] = duck
        if duck["duckdb_columns"]["error"]:
            raise SystemExit("DuckDB could not load the export with the hand-written columns")

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
            say("\nQuery plans of the failing classes:")
            print_plans(classes, failures_only=True)
        else:
            say("every target met")
        out = BENCH_DIR / f"results-{n}.json"
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
