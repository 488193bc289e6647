"""Mirror schema 2: indexed JSON-path columns, the custody records of imports, the upgrade from
schema 1, the first-import journal, and counts of purely negative queries."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auth0_logq.engine import search
from auth0_logq.engine.fields import INDEXED_PATHS
from auth0_logq.engine.ingest import import_events, import_paths, import_stream
from auth0_logq.engine.store import PATH_COLUMNS, SCHEMA_VERSION, Mirror

DEMO = Path(__file__).resolve().parent.parent / "fixtures" / "demo-tenant" / "tenant-logs.ndjson"


def event(n: int, **extra: Any) -> dict[str, Any]:
    ev: dict[str, Any] = {
        "date": f"2026-11-0{1 + n % 9}T10:{n % 60:02d}:54.699Z",
        "type": "sapi",
        "description": "Update a user",
        "ip": f"198.51.100.{n % 250}",
        "details": {"request": {"method": "patch" if n % 2 else "post", "path": f"/api/v2/users/auth0|{n}"}},
        "location_info": {"country_code": "DE" if n % 3 else "US"},
        "log_id": f"9002026110110{n:043d}",
    }
    ev.update(extra)
    return ev


def ndjson(events: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in events).encode()


def ids(m: Mirror, q: str) -> set[str]:
    return {json.loads(t)["log_id"] for t in search.search(m, q).logs}


# -- indexed paths ----------------------------------------------------------------------------------


def test_regular_paths_are_answered_by_their_columns() -> None:
    m = Mirror.open(":memory:")
    import_events(m, [event(n) for n in range(20)])
    assert m.path_columns() == INDEXED_PATHS
    compiled = search.search(m, "details.request.method:patch").compiled
    assert compiled is not None and not compiled.needs_raw
    assert "path_details_request_method" in compiled.where.text
    assert len(ids(m, "details.request.method:patch")) == 10
    assert len(ids(m, "details.request.method:pat*")) == 10
    assert len(ids(m, "location_info.country_code:US")) == 7
    # Numeric bounds match numbers only, and the column holds strings.
    assert ids(m, "details.request.method:[1 TO 9]") == set()
    assert len(ids(m, "details.request.method:[a TO q]")) == 20
    # Existence always reads the JSON (a dotted key could name the same path).
    exists = search.search(m, "_exists_:details.request.method").compiled
    assert exists is not None and exists.needs_raw


@pytest.mark.parametrize(
    "odd",
    [
        {"details": {"request": {"method": ["GET", "POST"]}}},
        {"details": {"request": {"method": 7}}},
        {"details": [{"request": {"method": "patch"}}]},
        {"details": {"request": {"method": {"verb": "patch"}}}},
    ],
    ids=["array", "number", "array on the way", "object"],
)
def test_one_irregular_event_sends_the_path_back_to_the_json(odd: dict[str, Any]) -> None:
    m = Mirror.open(":memory:")
    import_events(m, [event(n) for n in range(4)] + [event(99, **odd)])
    assert "details.request.method" not in m.path_columns()
    assert "location_info.country_code" in m.path_columns()
    compiled = search.search(m, "details.request.method:patch").compiled
    assert compiled is not None and compiled.needs_raw
    # Still the right answer: the JSON semantics, arrays crossed.
    expected = {event(n)["log_id"] for n in (1, 3)}
    if odd["details"] == [{"request": {"method": "patch"}}]:
        expected.add(event(99)["log_id"])
    assert ids(m, "details.request.method:patch") == expected


def test_irregular_counts_add_up_across_imports() -> None:
    m = Mirror.open(":memory:")
    import_events(m, [event(1)])
    import_events(m, [event(2, location_info={"country_code": 49})])
    import_events(m, [event(3, location_info={"country_code": 49})])
    counts = dict(m.conn.execute("SELECT key, value FROM meta WHERE key LIKE 'irregular:%'"))
    assert counts == {"irregular:location_info.country_code": "2"}


# -- custody records ---------------------------------------------------------------------------------


def test_import_records_its_rows_and_their_hash(tmp_path: Path) -> None:
    data = ndjson([event(n) for n in range(30)])
    (tmp_path / "a.ndjson").write_bytes(data)
    m = Mirror.open(tmp_path / "m.db")
    import_paths(m, [tmp_path / "a.ndjson"])
    row = m.conn.execute("SELECT first_row, last_row, events_sha256, sha256, new FROM imports").fetchone()
    assert row[:2] == (1, 30) and row[4] == 30
    # One NDJSON file, no duplicates: the events hash is the file's own sha256.
    assert row[2] == row[3] == hashlib.sha256(data).hexdigest()


def test_duplicates_become_sightings_and_conflicts_are_kept() -> None:
    m = Mirror.open(":memory:")
    first = import_events(m, [event(n) for n in range(5)])
    changed = event(2, description="Changed after the fact")
    second = import_stream(m, io.BytesIO(ndjson([event(0), event(1), changed, event(7)])), "second.ndjson")
    assert (second.new, second.duplicate) == (1, 3)
    assert (second.duplicate_detail.identical, second.duplicate_detail.conflicting) == (2, 1)
    sightings = set(m.conn.execute("SELECT row_id, import_id FROM sightings"))
    assert sightings == {(1, second.import_id), (2, second.import_id)}
    conflict = m.conn.execute("SELECT import_id, row_id, log_id, source, json FROM conflicts").fetchone()
    assert conflict[:4] == (second.import_id, 3, changed["log_id"], "second.ndjson")
    assert json.loads(conflict[4]) == changed
    # The first version stays the one searched and returned.
    assert ids(m, 'description:"Changed after the fact"') == set()
    counts = m.conn.execute("SELECT identical, conflicting FROM imports WHERE id = ?", (second.import_id,)).fetchone()
    assert counts == (2, 1)
    assert first.new == 5


def test_duplicates_inside_one_import_compare_with_the_first() -> None:
    m = Mirror.open(":memory:")
    summary = import_events(m, [event(1), event(1), event(1, type="s")])
    assert (summary.new, summary.duplicate_detail.identical, summary.duplicate_detail.conflicting) == (1, 1, 1)
    assert m.conn.execute("SELECT count(*) FROM sightings").fetchone()[0] == 0  # the import added it itself
    assert m.conn.execute("SELECT count(*) FROM conflicts").fetchone()[0] == 1


# -- schema 1 -> 2 -----------------------------------------------------------------------------------


def _as_schema_1(path: Path) -> None:
    """Turn a fresh mirror into the shape schema 1 had."""
    conn = sqlite3.connect(path)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'logs_path_%'").fetchall():
        conn.execute(f"DROP INDEX {name}")
    for column in PATH_COLUMNS:
        conn.execute(f"ALTER TABLE logs DROP COLUMN {column}")
    for column in ("container", "first_row", "last_row", "events_sha256", "identical", "conflicting"):
        conn.execute(f"ALTER TABLE imports DROP COLUMN {column}")
    for table in ("sightings", "conflicts", "wrappers", "originals"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DELETE FROM meta WHERE key LIKE 'irregular:%'")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()


def test_schema_1_mirror_is_upgraded_with_its_paths_filled(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with Mirror.open(db) as m:
        import_events(m, [event(n) for n in range(10)] + [event(50, location_info={"country_code": ["DE"]})])
        before = ids(m, "details.request.method:patch")
    _as_schema_1(db)
    with Mirror.open(db, readonly=True) as ro:  # read-only: not upgraded, the JSON answers
        assert ro.path_columns() == {}
        assert ids(ro, "details.request.method:patch") == before
    with Mirror.open(db) as m:
        assert m.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
        assert m.path_columns() == {p: c for p, c in INDEXED_PATHS.items() if p != "location_info.country_code"}
        assert ids(m, "details.request.method:patch") == before
        assert m.conn.execute("SELECT count(path_details_request_method) FROM logs").fetchone()[0] == 11
        import_events(m, [event(60)])  # and it takes new imports
        assert m.conn.execute("SELECT first_row, last_row FROM imports ORDER BY id DESC").fetchone() == (12, 12)


# -- the first import's journal ----------------------------------------------------------------------


def test_first_import_leaves_the_mirror_in_wal_mode(tmp_path: Path) -> None:
    (tmp_path / "a.ndjson").write_bytes(ndjson([event(n) for n in range(10)]))
    m = Mirror.open(tmp_path / "m.db")
    import_paths(m, [tmp_path / "a.ndjson"])
    assert m.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert m.conn.execute("SELECT count(*) FROM logs").fetchone()[0] == 10


def test_first_import_with_a_reader_attached_stays_in_wal(tmp_path: Path) -> None:
    (tmp_path / "a.ndjson").write_bytes(ndjson([event(n) for n in range(10)]))
    m = Mirror.open(tmp_path / "m.db")
    reader = Mirror.open(tmp_path / "m.db", readonly=True)
    reader.conn.execute("BEGIN")
    reader.conn.execute("SELECT count(*) FROM logs").fetchone()
    import_paths(m, [tmp_path / "a.ndjson"])
    reader.conn.execute("COMMIT")
    assert reader.conn.execute("SELECT count(*) FROM logs").fetchone()[0] == 10
    assert m.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_failed_first_import_leaves_an_empty_mirror(tmp_path: Path) -> None:
    (tmp_path / "a.ndjson").write_bytes(ndjson([event(n) for n in range(12000)]))
    m = Mirror.open(tmp_path / "m.db")

    def stop(records: int, *_: object) -> None:
        if records > 6000:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_paths(m, [tmp_path / "a.ndjson"], progress=stop)
    assert m.conn.execute("SELECT count(*) FROM logs").fetchone()[0] == 0
    assert m.conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 0
    assert m.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert m.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert len(m.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()) >= 19


# -- counting purely negative queries ----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> Mirror:
    m = Mirror.open(":memory:")
    import_paths(m, [DEMO])
    return m


@pytest.mark.parametrize(
    "q",
    [
        "NOT type:s",
        "NOT type:s NOT type:fp",
        "-(type:s OR ip:203.0.113.7)",
        "NOT details.request.method:post",
        "NOT _exists_:details.request.method",
        "NOT nosuchfield:x",
        "(NOT type:s)^2",
    ],
)
def test_negative_counts_equal_the_results(demo: Mirror, q: str) -> None:
    assert search.count(demo, q) == sum(1 for _ in search.search(demo, q).logs)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["type:s", "type:fp", "ip:203.0.113.7", "details.request.method:post", "user_name:*a*"]), min_size=1, max_size=3))
def test_negative_counts_property(demo: Mirror, clauses: list[str]) -> None:
    q = " ".join(f"NOT {c}" for c in clauses)
    assert search.count(demo, q) == sum(1 for _ in search.search(demo, q).logs)


def test_upgraded_mirror_verifies_with_its_old_imports_untraceable(tmp_path: Path) -> None:
    from auth0_logq.engine.custody import verify

    db = tmp_path / "old.db"
    with Mirror.open(db) as m:
        import_events(m, [event(n) for n in range(10)])
    _as_schema_1(db)
    with Mirror.open(db) as m:
        import_events(m, [event(n) for n in range(5, 20)])
        report = verify(m)
        assert [s.status for s in report.imports] == ["not traceable", "ok"]
        assert not report.problems
        # A later import that lost its range is a problem, not schema 1's doing.
        m.conn.execute("UPDATE imports SET first_row = NULL, last_row = NULL, events_sha256 = NULL WHERE id = 2")
        assert verify(m).problems
