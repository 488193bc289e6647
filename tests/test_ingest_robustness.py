"""Nothing lost, nothing invented: every record ends as exactly one of imported, duplicate
(identical or conflicting, both versions kept), or rejected (kept verbatim with its place); odd
events stay searchable; a killed import leaves the mirror consistent and a re-run completes it."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auth0_logq.engine import search
from auth0_logq.engine.ingest import IngestError, import_paths, import_stream
from auth0_logq.engine.store import Mirror


def event(n: int, **extra: Any) -> dict[str, Any]:
    ev: dict[str, Any] = {
        "date": f"2026-11-0{1 + n % 9}T10:{n % 60:02d}:54.699Z",
        "type": "fp" if n % 2 else "s",
        "description": "Wrong email or password." if n % 2 else "Successful login",
        "ip": f"203.0.113.{n % 250}",
        "user_name": f"user.{n}@example.com",
        "log_id": f"9002026110110{n:043d}",
    }
    ev.update(extra)
    return ev


def line(ev: Any) -> bytes:
    return json.dumps(ev, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


# -- the accounting property -------------------------------------------------------------------------

# A record is (kind, n): a valid event n, the conflicting version of event n, or a broken line.
# Lines that are one broken record whatever surrounds them. (A line that stops inside an object, or
# an unclosed `[`, can also start a pretty-printed document: alone in a file it is read as one.)
# (A file of nothing but text that is no JSON is no export: `test_a_stray_file_in_a_folder_is_kept_aside`.)
BROKEN = [b'{"log_id": "x", "type": }', b'{"no_id": true}', b'"a string"', b"42", b'{"log_id": null}', b'{"log_id": "x" "y"}']
records = st.lists(
    st.one_of(
        st.tuples(st.just("event"), st.integers(0, 12)),
        st.tuples(st.just("conflict"), st.integers(0, 12)),
        st.tuples(st.just("broken"), st.integers(0, len(BROKEN) - 1)),
    ),
    max_size=40,
)


def record_bytes(kind: str, n: int) -> bytes:
    if kind == "event":
        return line(event(n))
    if kind == "conflict":
        return line(event(n, description="Edited after export"))
    return BROKEN[n] + b"\n"


def mirror_content(m: Mirror) -> tuple[frozenset, Counter]:
    """What the mirror holds whatever the import order: every version of every log, the rejects."""
    versions = set(m.conn.execute("SELECT l.log_id, r.json FROM logs l JOIN raw r ON r.id = l.id"))
    versions |= set(m.conn.execute("SELECT log_id, json FROM conflicts"))
    rejected = Counter((text, reason.split(":")[0]) for text, reason in m.conn.execute("SELECT text, reason FROM rejects"))
    return frozenset(versions), rejected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(records=records, data=st.data())
def test_any_mix_split_in_any_order_gives_the_same_mirror_and_counts_add_up(
    tmp_path_factory: pytest.TempPathFactory, records: list[tuple[str, int]], data: st.DataObject
) -> None:
    results = []
    for attempt in range(2):
        order = records if attempt == 0 else data.draw(st.permutations(records), label="order")
        cuts = sorted(data.draw(st.lists(st.integers(0, len(order)), max_size=3), label="cuts"))
        files = [order[a:b] for a, b in zip([0, *cuts], [*cuts, len(order)])]
        folder = tmp_path_factory.mktemp("parts")
        for i, part in enumerate(files):  # a folder of exports, imported in name order
            (folder / f"part{i:02d}.ndjson").write_bytes(b"".join(record_bytes(*r) for r in part))
        m = Mirror.open(":memory:")
        summaries = import_paths(m, [folder])
        for s in summaries:  # every record is exactly one thing
            assert s.read == s.new + s.duplicate + s.rejected
            assert s.duplicate == s.duplicate_detail.identical + s.duplicate_detail.conflicting
        valid = [r for r in order if r[0] != "broken"]
        assert sum(s.new for s in summaries) == len({n for _, n in valid}) == m.stats().events
        assert sum(s.duplicate for s in summaries) == len(valid) - len({n for _, n in valid})
        assert sum(s.rejected for s in summaries) == len(order) - len(valid)
        assert m.conn.execute("SELECT count(*) FROM conflicts").fetchone()[0] == sum(s.duplicate_detail.conflicting for s in summaries)
        results.append(mirror_content(m))
        m.close()
    assert results[0] == results[1]


def test_a_stray_file_in_a_folder_is_kept_aside(tmp_path: Path) -> None:
    (tmp_path / "a.ndjson").write_bytes(line(event(1)))
    (tmp_path / "README.txt").write_bytes(b"These are the exports of March.\n")
    (tmp_path / "z.ndjson").write_bytes(line(event(2)))
    m = Mirror.open(":memory:")
    summaries = import_paths(m, [tmp_path])
    assert [(s.source.rsplit("/", 1)[1], s.new, s.rejected, s.format) for s in summaries] == [
        ("README.txt", 0, 1, "unrecognised"),
        ("a.ndjson", 1, 0, "ndjson"),
        ("z.ndjson", 1, 0, "ndjson"),
    ]
    source, reason, text = m.conn.execute("SELECT source, reason, text FROM rejects").fetchone()
    assert source.endswith("README.txt") and reason.startswith("not an Auth0 log export")
    assert text == "These are the exports of March.\n"
    # Named on its own, the same file is an error: nothing is imported from it.
    with pytest.raises(IngestError, match="does not look like an Auth0 log export"):
        import_paths(m, [tmp_path / "README.txt"])


# -- odd events --------------------------------------------------------------------------------------


ODD = [
    event(1, scope="openid profile"),
    event(2, scope=["openid", "email"]),
    event(3, date={"$date": "2026-11-03T10:00:00.000Z"}),
    event(4, isMobile="false", details={"stats": {"loginsCount": "12"}}),
    event(5, details={"note": "x" * 200_000}),
    event(6, user_name=None, ip=None, description=None),
    {"log_id": f"9002026110110{7:043d}"},
    event(8, user_name=12345, type=["fp"], connection={"name": "db"}),
    event(9, date=1_762_164_000_000),
]


@pytest.fixture(scope="module")
def odd_mirror() -> Mirror:
    m = Mirror.open(":memory:")
    s = import_stream(m, io.BytesIO(b"".join(line(e) for e in ODD)), "odd.ndjson")
    assert (s.new, s.rejected) == (len(ODD), 0)
    return m


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("scope:openid", {2}),
        ('scope:"openid profile"', {1}),
        ("date:[2026-11-03 TO 2026-11-03T10:00:00.000Z]", {3}),
        ("isMobile:false", {4}),
        ("details.stats.loginsCount:12", {4}),
        ("details.note:x*", {5}),
        ("_exists_:log_id -_exists_:type", {7, 8}),  # an array in a typed field is no value
        ("user_name:12345", {8}),
        ("type:fp", {1, 3, 5, 9}),
        ("date:[2025-01-01 TO 2027-01-01]", {1, 2, 3, 4, 5, 6, 8, 9}),
    ],
)
def test_odd_events_stay_searchable(odd_mirror: Mirror, q: str, expected: set[int]) -> None:
    got = {json.loads(t)["log_id"] for t in search.search(odd_mirror, q).logs}
    assert got == {f"9002026110110{n:043d}" for n in expected}


def test_odd_events_come_back_byte_for_byte(odd_mirror: Mirror) -> None:
    stored = [t for (t,) in odd_mirror.conn.execute("SELECT json FROM raw ORDER BY id")]
    assert [s.encode() + b"\n" for s in stored] == [line(e) for e in ODD]


# -- a killed import ---------------------------------------------------------------------------------


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _size(db: Path, suffix: str) -> int:
    side = db.with_name(db.name + suffix)
    return side.stat().st_size if side.exists() else 0


def _big_export(path: Path, count: int) -> None:
    with path.open("wb") as out:
        for n in range(count):
            out.write(line(event(n, details={"padding": "p" * 400})))


@pytest.mark.parametrize("first", [True, False], ids=["into an empty mirror", "into a mirror with logs"])
def test_kill_9_midway_leaves_the_mirror_consistent_and_a_rerun_completes(tmp_path: Path, first: bool) -> None:
    export = tmp_path / "big.ndjson"
    _big_export(export, 150_000)
    db = tmp_path / "m.db"
    if not first:
        (tmp_path / "small.ndjson").write_bytes(b"".join(line(event(n)) for n in range(1_000_000, 1_000_050)))
        with Mirror.open(db) as m:
            import_paths(m, [tmp_path / "small.ndjson"])
    before = 0 if first else 50
    proc = subprocess.Popen(
        [sys.executable, "-c", "from auth0_logq.cli.main import cli; cli()", "--db", str(db), "import", str(export)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Kill it once it has written a good part of the load (the mirror file grows as pages spill).
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if db.exists() and db.stat().st_size + _size(db, "-wal") > 20_000_000:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the import finished before it could be killed; make the export bigger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # Nothing of the killed import lives on (its parsing worker shares its command line).
    deadline = time.monotonic() + 5
    while _processes_mentioning(str(db)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _processes_mentioning(str(db)), "the killed import left processes behind"
    with Mirror.open(db) as m:
        assert m.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert m.stats().events == before
        assert m.conn.execute("SELECT count(*) FROM raw").fetchone()[0] == before
        assert m.conn.execute("SELECT count(*) FROM imports").fetchone()[0] == (0 if first else 1)
        (summary,) = import_paths(m, [export])
        assert (summary.new, summary.rejected) == (150_000, 0)
        assert m.stats().events == before + 150_000
        assert m.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# -- the worker process ------------------------------------------------------------------------------


def _tables(m: Mirror) -> tuple:
    return (
        m.conn.execute("SELECT * FROM logs ORDER BY id").fetchall(),
        m.conn.execute("SELECT * FROM raw ORDER BY id").fetchall(),
        m.conn.execute("SELECT import_id, source, line, byte_offset, reason, text FROM rejects ORDER BY id").fetchall(),
        m.conn.execute("SELECT * FROM conflicts ORDER BY id").fetchall(),
        m.conn.execute("SELECT * FROM wrappers ORDER BY row_id").fetchall(),
        m.conn.execute("SELECT key, value FROM meta WHERE key LIKE 'irregular:%' ORDER BY key").fetchall(),
        [(i["new"], i["duplicate"], i["rejected"], i["identical"], i["conflicting"], i["events_sha256"]) for i in m.imports()],
    )


def _messy_export() -> bytes:
    demo = (Path(__file__).resolve().parent.parent / "fixtures" / "demo-tenant" / "tenant-logs.ndjson").read_bytes()
    lines = demo.splitlines(keepends=True)
    mixed = []
    for n, text in enumerate(lines):
        mixed.append(text)
        if n % 97 == 0:
            mixed.append(b'{"log_id": "broken", \n')  # a broken record
        if n % 89 == 0:
            mixed.append(lines[n // 2])  # an identical duplicate
        if n % 131 == 0:
            mixed.append(line(event(n, description="edited")).replace(b"9002026110110", b"9002026110111"))
            mixed.append(line(event(n, description="edited again")).replace(b"9002026110110", b"9002026110111"))
        if n % 151 == 0:
            mixed.append(line({"log_id": f"w{n}", "data": event(n)}))  # a log-stream record
            mixed.append(line({"detail-type": "Auth0 log", "source": "aws.partner/auth0.com/t/auth0.logs", "detail": {"log_id": f"e{n}", "data": event(n + 500_000)}}))
            mixed.append(line({"timestamp": 1, "message": json.dumps(event(n + 600_000))}))  # CloudWatch
            mixed.append(line({"logs": [event(n + 700_000), {"log_id": "s", "data": event(n + 800_000)}]}))  # a batch
            mixed.append(line({"detail-type": "Auth0 log", "detail": {"data": {"no": "id"}}}))  # no event inside
            mixed.append(b'{"log_id": "f%d", "date": "x", "details": {"request": {"method": 1e400}}}\r\n' % n)
    return b"".join(mixed) + line(event(99_999))[:-30]  # and a truncated last line


def test_the_worker_gives_the_same_mirror_as_the_single_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from auth0_logq.engine import ingest

    export = tmp_path / "messy.ndjson"
    export.write_bytes(_messy_export())
    results = []
    for use in (False, True):
        monkeypatch.setattr(ingest, "WORKER_MIN_BYTES", 0 if use else 1 << 62)
        monkeypatch.setattr(ingest, "WORKER_BLOCK_BYTES", 64 << 10)  # many blocks, lines across chunk edges
        m = Mirror.open(":memory:")
        (summary,) = import_paths(m, [export])
        assert summary.rejected > 0 and summary.duplicate > 0
        results.append((_tables(m), summary.read, [(r.line, r.byte_offset, r.reason) for r in summary.rejects]))
        m.close()
    assert results[0] == results[1]


# -- memory ------------------------------------------------------------------------------------------


def _array_export(path: Path, count: int) -> None:
    with path.open("wb") as out:
        out.write(b"[\n")
        for n in range(count):
            out.write((b",\n" if n else b"") + line(event(n, details={"padding": "p" * 700}))[:-1])
        out.write(b"\n]\n")


def test_a_json_array_imports_in_bounded_memory(tmp_path: Path) -> None:
    """Python's peak allocation does not grow with the size of the array (a streaming parser)."""
    import tracemalloc

    peaks = []
    for count in (15_000, 60_000):
        export = tmp_path / f"array-{count}.json"
        _array_export(export, count)
        with Mirror.open(tmp_path / f"m-{count}.db") as m:
            tracemalloc.start()
            (summary,) = import_paths(m, [export])
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
        assert summary.new == count
        export.unlink()
    assert peaks[1] < 1.5 * peaks[0], f"peak Python memory {peaks[0]:,} -> {peaks[1]:,} bytes for 4x the input"
