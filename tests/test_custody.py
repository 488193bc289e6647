"""Chain of custody: `verify` finds every tampering, `export` gives back the imported bytes."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any, Iterator

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from auth0_logq.cli.main import cli
from auth0_logq.engine import custody
from auth0_logq.engine.errors import QueryError
from auth0_logq.engine.ingest import import_events, import_paths, import_stream
from auth0_logq.engine.store import Mirror

from .conftest import ROOT
from .event_strategies import events as event_values

DEMO = ROOT / "fixtures" / "demo-tenant"
NDJSON = DEMO / "tenant-logs.ndjson"
PAGES = sorted((DEMO / "mgmt-api").glob("*.json"))


# -- helpers -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo tenant imported once: the NDJSON export, then the API pages that repeat a day of it."""
    path = tmp_path_factory.mktemp("built") / "demo.db"
    with Mirror.open(path) as m:
        import_paths(m, [NDJSON, *PAGES])
    return path


@pytest.fixture
def db(built: Path, tmp_path: Path) -> Path:
    """A private copy of the demo mirror, to tamper with."""
    path = tmp_path / "demo.db"
    shutil.copy(built, path)
    return path


def tamper(path: Path, *statements: str) -> None:
    """Change the mirror behind the engine's back, as an attacker or a bad disk would."""
    conn = sqlite3.connect(path)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


def check(path: Path, **options: Any) -> custody.VerifyReport:
    with Mirror.open(path, create=False, readonly=True) as m:
        return custody.verify(m, **options)


def exported(m: Mirror, q: str | None = None, **options: Any) -> tuple[bytes, custody.ExportManifest]:
    out = io.BytesIO()
    manifest = custody.export(m, out, q, **options)
    return out.getvalue(), manifest


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def demo_events() -> Iterator[dict]:
    with NDJSON.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


# -- verify: a fresh mirror passes --------------------------------------------------------------------


def test_verify_passes_on_the_demo_mirror(db: Path) -> None:
    report = check(db, deep=True)
    assert report.ok, report.problems
    assert report.checks == ["integrity_check", "counts", "rows", "imports", "duplicates", "references", "columns"]
    assert [s.status for s in report.imports] == ["ok"] * (1 + len(PAGES))
    assert report.counts["events"] == report.counts["raw"] == report.counts["imported_new"] == 4000
    assert report.counts["sightings"] > 0  # the API pages repeat events of the NDJSON export
    first = report.imports[0]
    assert first.computed_sha256 == first.events_sha256 == sha(NDJSON.read_bytes())


def test_verify_quick_runs_quick_check(db: Path) -> None:
    report = check(db, quick=True)
    assert report.ok and report.checks[0] == "quick_check" and "columns" not in report.checks


def test_verify_passes_on_an_empty_mirror(tmp_path: Path) -> None:
    with Mirror.open(tmp_path / "e.db") as m:
        import_stream(m, io.BytesIO(b""), "empty")
    report = check(tmp_path / "e.db", deep=True)
    assert report.ok and report.counts["events"] == 0


ids = st.lists(st.sampled_from([f"log-{n}" for n in range(12)]), min_size=1, max_size=12)


@st.composite
def import_batches(draw: st.DrawFn) -> list[list[dict]]:
    """Several imports drawing on one pool of log ids: new events, identical repeats, conflicts."""
    versions = {log_id: draw(st.lists(event_values(log_id), min_size=1, max_size=2)) for log_id in draw(ids)}
    pool = sorted(versions)
    return [
        [draw(st.sampled_from(versions[log_id])) for log_id in draw(st.lists(st.sampled_from(pool), max_size=6))]
        for _ in range(draw(st.integers(1, 4)))
    ]


@given(import_batches(), st.data())
def test_verify_passes_after_any_imports(batches: list[list[dict]], data: st.DataObject) -> None:
    with Mirror.open(":memory:") as m:
        for n, batch in enumerate(batches):
            if data.draw(st.booleans(), label="as an array"):
                text = json.dumps(batch, indent=data.draw(st.sampled_from([None, 2])))
                import_stream(m, io.BytesIO(text.encode()), f"part{n}.json")
            else:
                import_events(m, batch, f"part{n}.ndjson")
        report = custody.verify(m, deep=True)
    assert report.ok, report.problems
    assert all(s.status == "ok" for s in report.imports)


# -- verify: every tampering is found ------------------------------------------------------------------


TAMPERINGS = [
    # (what, SQL, the check that must object, words in its message, needs --deep)
    ("a byte of a stored event", "UPDATE raw SET json = substr(json, 1, 30) || 'X' || substr(json, 32) WHERE id = 10", "imports", "hash", False),
    ("a stored event removed", "DELETE FROM raw WHERE id = 10", "rows", "no stored text", False),
    ("a stored event added", "INSERT INTO raw (id, json) VALUES (99999, '{}')", "counts", "stored texts", False),
    ("an event row removed", "DELETE FROM logs WHERE id = 10", "counts", "rows are missing", False),
    ("a typed column", "UPDATE logs SET ip = '10.9.9.9' WHERE id = 5", "columns", "ip differ", True),
    ("a date column", "UPDATE logs SET date_ms = date_ms + 1 WHERE id = 7", "columns", "date_ms differ", True),
    ("an import's new count", "UPDATE imports SET new = new - 1 WHERE id = 1", "counts", "imports added 3,999", False),
    ("an import's duplicate count", "UPDATE imports SET duplicate = duplicate + 1 WHERE id = 2", "duplicates", "identical", False),
    ("an import's rejected count", "UPDATE imports SET rejected = 2 WHERE id = 3", "duplicates", "rejects table holds 0", False),
    ("an import's events hash", "UPDATE imports SET events_sha256 = 'f00d' WHERE id = 1", "imports", "recorded f00d", False),
    ("an import's row range", "UPDATE imports SET first_row = 2 WHERE id = 1", "imports", "expected 1", False),
    ("an import removed", "DELETE FROM imports WHERE id = 1", "counts", "imports added 0", False),
    ("a reject of a missing import", "INSERT INTO rejects (import_id, source, reason, text) VALUES (99, 'x', 'r', 't')", "references", "missing imports", False),
    ("a sighting of a missing row", "INSERT INTO sightings (row_id, import_id) VALUES (99999, 2)", "references", "missing row 99999", False),
    ("a sighting before the import", "INSERT INTO sightings (row_id, import_id) VALUES (1, 1)", "references", "not older", False),
    (
        "a conflict on the wrong row",
        "INSERT INTO conflicts (import_id, row_id, log_id, source, json) VALUES (2, 1, 'other', 's', '{}')",
        "references",
        "whose log_id is",
        False,
    ),
]


@pytest.mark.parametrize(("what", "sql", "check_name", "words", "deep"), TAMPERINGS, ids=[t[0] for t in TAMPERINGS])
def test_verify_finds_tampering(db: Path, what: str, sql: str, check_name: str, words: str, deep: bool) -> None:
    tamper(db, sql)
    report = check(db, deep=True)
    assert not report.ok
    found = [p for p in report.problems if p.check == check_name]
    assert any(words in p.message for p in found), report.problems
    if deep:
        assert check(db).ok  # only the deep check re-derives the columns
    else:
        assert not check(db).ok


def test_a_changed_event_names_its_import(db: Path) -> None:
    tamper(db, "UPDATE raw SET json = json || ' ' WHERE id = 3")
    report = check(db)
    (problem,) = report.problems
    assert problem.import_id == 1 and str(NDJSON) in problem.message
    assert report.imports[0].status == "mismatch" and all(s.status == "ok" for s in report.imports[1:])


def test_deep_check_finds_a_duplicated_log_id(db: Path) -> None:
    tamper(db, "DROP INDEX logs_log_id", "UPDATE logs SET log_id = (SELECT log_id FROM logs WHERE id = 1) WHERE id = 2")
    messages = [p.message for p in check(db, deep=True).problems]
    assert any("is stored 2 times" in m for m in messages)
    assert any("unique index on log_id" in m for m in messages)


def test_deep_check_finds_a_path_wrongly_counted_regular(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    with Mirror.open(path) as m:
        import_events(m, [{"log_id": "a", "details": {"request": {"method": ["GET", "POST"]}}}, {"log_id": "b"}])
    assert check(path, deep=True).ok
    tamper(path, "UPDATE meta SET value = '0' WHERE key = 'irregular:details.request.method'")
    (problem,) = check(path, deep=True).problems
    assert "details.request.method" in problem.message and "miss them" in problem.message


def test_problems_are_listed_up_to_a_limit_and_counted(db: Path) -> None:
    tamper(db, "UPDATE logs SET ip = 'x'")
    problems = [p for p in check(db, deep=True).problems if p.check == "columns"]
    assert len(problems) == custody.MAX_PROBLEMS + 1
    assert "more problems" in problems[-1].message


def test_a_corrupt_page_fails_the_integrity_check(db: Path) -> None:
    size = db.stat().st_size
    with db.open("r+b") as fh:  # scribble over a page in the middle of the file
        fh.seek(size // 2 // 16384 * 16384 + 200)
        fh.write(b"\xde\xad\xbe\xef" * 500)
    report = check(db)
    assert not report.ok
    assert any(p.check == "integrity_check" for p in report.problems)


def test_imports_made_by_schema_1_are_not_traceable_not_corrupt(db: Path) -> None:
    # What the schema 1 -> 2 upgrade leaves: imports without ranges, hashes or duplicate detail.
    tamper(db, "UPDATE imports SET first_row = NULL, last_row = NULL, events_sha256 = NULL, identical = 0, conflicting = 0")
    tamper(db, "DELETE FROM sightings")
    report = check(db, deep=True)
    assert report.ok, report.problems
    assert report.imports[0].status == "not traceable"
    assert any("schema 1" in note for note in report.notes)


def test_a_rangeless_import_after_a_ranged_one_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    with Mirror.open(path) as m:
        import_events(m, [{"log_id": "a"}], "one")
        import_events(m, [{"log_id": "b"}], "two")
    tamper(path, "UPDATE imports SET first_row = NULL, last_row = NULL, events_sha256 = NULL WHERE id = 2")
    (problem,) = check(path).problems
    assert problem.import_id == 2 and "no row range" in problem.message


def test_deep_check_accepts_what_the_importer_normalises(tmp_path: Path) -> None:
    # A legacy extension's file (`type` is the name, `type_code` the code), a log-stream record
    # whose `data` inherits the record's log_id, an EventBridge envelope.
    records = [
        {"log_id": "legacy", "type": "Success Login", "type_code": "s", "date": "2024-01-10T12:00:00.000Z"},
        {"log_id": "stream", "data": {"type": "f", "date": "2024-01-10T12:00:01.000Z", "ip": "10.0.0.1"}},
        {"detail-type": "Auth0 log", "source": "aws.partner/auth0.com/x", "detail": {"log_id": "bridge", "data": {"log_id": "bridge", "type": "fp"}}},
    ]
    path = tmp_path / "m.db"
    with Mirror.open(path) as m:
        import_stream(m, io.BytesIO("".join(json.dumps(r) + "\n" for r in records).encode()), "mixed.ndjson")
        out, manifest = exported(m, fmt="json")
        assert manifest.wrapped == m.conn.execute("SELECT count(*) FROM wrappers").fetchone()[0]
    assert len(json.loads(out)) == 3
    report = check(path, deep=True)
    assert report.ok, report.problems
    tamper(path, "UPDATE logs SET type = 'x' WHERE log_id IN ('legacy', 'stream')")
    assert {p.row_id for p in check(path, deep=True).problems} == {1, 2}


# -- export: byte for byte ------------------------------------------------------------------------------


def line(event: dict, ascii_only: bool, separators: tuple[str, str]) -> str:
    return json.dumps(event, ensure_ascii=ascii_only, separators=separators)


unique_lists = st.lists(st.sampled_from([f"log-{n}" for n in range(40)]), unique=True, max_size=25).flatmap(
    lambda names: st.tuples(*(event_values(n) for n in names)).map(list)
)
separators = st.sampled_from([(",", ":"), (", ", ": "), (" ,", " : ")])


@given(unique_lists, st.booleans(), separators)
def test_ndjson_export_after_import_is_the_input_file(events: list[dict], ascii_only: bool, seps: tuple[str, str]) -> None:
    data = "".join(line(e, ascii_only, seps) + "\n" for e in events).encode()
    with Mirror.open(":memory:") as m:
        summary = import_stream(m, io.BytesIO(data), "in.ndjson")
        out, manifest = exported(m)
        recorded = m.imports()[0]["events_sha256"]
    assert out == data
    assert manifest.sha256 == manifest.events_sha256 == sha(out) == summary.sha256
    assert recorded == (sha(data) if events else None)
    assert (manifest.events, manifest.bytes, manifest.format) == (len(events), len(data), "ndjson")
    if events:
        (entry,) = manifest.imports
        assert entry.complete and entry.added_sha256 == entry.events_sha256 == sha(data)


@st.composite
def element_texts(draw: st.DrawFn, events: list[dict]) -> list[str]:
    """Each event as an array element, compact or pretty-printed, in varied spellings."""
    return [
        json.dumps(e, ensure_ascii=draw(st.booleans()), separators=draw(separators), indent=draw(st.sampled_from([None, None, 2, "\t"])))
        for e in events
    ]


@given(unique_lists.filter(bool), st.data())
def test_json_export_after_import_keeps_every_element_verbatim(events: list[dict], data: st.DataObject) -> None:
    texts = data.draw(element_texts(events))
    gaps = st.sampled_from(["", " ", "\n", "\n  ", "\r\n\t"])
    blob = "[" + ",".join(data.draw(gaps) + t + data.draw(gaps) for t in texts) + "]"
    with Mirror.open(":memory:") as m:
        import_stream(m, io.BytesIO(blob.encode()), "in.json")
        out, manifest = exported(m, fmt="json")
        assert manifest.sha256 == sha(out)
        assert manifest.events_sha256 == sha("".join(t + "\n" for t in texts).encode()) == m.imports()[0]["events_sha256"]
        multi = [t for t in texts if "\n" in t]
        if multi:
            with pytest.raises(custody.ExportError, match="--format json"):
                exported(m)
            flat, reflowed = exported(m, reflow=True)
            assert reflowed.reflowed == len(multi)
            assert [json.loads(x) for x in flat.splitlines()] == [json.loads(t) for t in texts]
            assert [len(x) for x in flat.decode().split("\n")[:-1]] == [len(t) for t in texts]  # newlines became spaces
        else:
            assert exported(m)[0] == "".join(t + "\n" for t in texts).encode()
    assert out == ("[\n" + ",\n".join(texts) + "\n]\n").encode()
    assert json.loads(out) == json.loads(blob)


@given(import_batches())
def test_export_keeps_the_first_version_and_counts_the_rest(batches: list[list[dict]]) -> None:
    with Mirror.open(":memory:") as m:
        summaries = [import_events(m, batch, f"part{n}") for n, batch in enumerate(batches)]
        out, manifest = exported(m)
        first: dict[str, str] = {}
        for batch in batches:
            for event in batch:
                first.setdefault(event["log_id"], json.dumps(event, ensure_ascii=False, separators=(",", ":")))
        assert out == "".join(t + "\n" for t in first.values()).encode()
        assert manifest.events == len(first)
        # Every later copy is a duplicate: identical (a sighting) or conflicting (kept verbatim).
        for n, (batch, summary) in enumerate(zip(batches, summaries)):
            seen_before = {e["log_id"] for b in batches[:n] for e in b}
            assert summary.duplicate == len(batch) - len({e["log_id"] for e in batch} - seen_before)
            assert summary.duplicate == summary.duplicate_detail.identical + summary.duplicate_detail.conflicting
        conflicting = sum(s.duplicate_detail.conflicting for s in summaries)
        assert manifest.conflicting_versions == conflicting
        versions = [v for log_id in first for v in custody.provenance(m, log_id).conflicts]  # type: ignore[union-attr]
        assert len(versions) == conflicting
        for version in versions:
            assert json.loads(version["json"]) != json.loads(first[json.loads(version["json"])["log_id"]])
        assert sum(e.sighted for e in manifest.imports) == m.conn.execute("SELECT count(*) FROM sightings").fetchone()[0]
        assert sum(e.added for e in manifest.imports) == manifest.events


def test_whole_demo_mirror_exports_the_ndjson_file(db: Path) -> None:
    with Mirror.open(db) as m:
        out, manifest = exported(m)
    assert out == NDJSON.read_bytes()
    assert manifest.sha256 == manifest.imports[0].sha256
    sighted = [e for e in manifest.imports if e.sighted]
    assert len(sighted) == len(PAGES) and all(e.added == 0 for e in sighted)


def test_query_export_is_in_file_order_and_says_so(db: Path) -> None:
    with Mirror.open(db) as m:
        out, manifest = exported(m, "type:fp")
    wanted = [ln for ln in NDJSON.read_bytes().split(b"\n") if ln and json.loads(ln)["type"] == "fp"]
    assert out.split(b"\n")[:-1] == wanted
    assert manifest.query == "type:fp" and manifest.events == len(wanted) and manifest.order.startswith("import")
    (entry, *_) = manifest.imports
    assert entry.added == len(wanted) and not entry.complete and entry.added_sha256 == manifest.events_sha256


def test_empty_exports(db: Path) -> None:
    with Mirror.open(db) as m:
        assert exported(m, "type:no_such_type")[0] == b""
        out, manifest = exported(m, "type:no_such_type", fmt="json")
    assert out == b"[]\n" and manifest.events == 0 and manifest.imports == []


def test_a_bad_query_raises_before_writing(db: Path) -> None:
    with Mirror.open(db) as m, pytest.raises(QueryError):
        exported(m, "type:fp AND")


def test_manifest_is_json_with_what_an_auditor_needs(db: Path) -> None:
    with Mirror.open(db) as m:
        out, manifest = exported(m, "type:limit_mu", fmt="json")
    data = json.loads(manifest.to_json())
    assert data["manifest_version"] == 1 and data["tool"] == "auth0-logq"
    assert data["sha256"] == sha(out) and data["bytes"] == len(out) and data["events"] == 3
    assert {"id", "source", "sha256", "added", "added_sha256", "sighted"} <= set(data["imports"][0])


# -- provenance ----------------------------------------------------------------------------------------


def test_provenance_names_the_import_and_the_sightings(db: Path) -> None:
    with Mirror.open(db) as m:
        log_id = json.loads(PAGES[0].read_text(encoding="utf-8"))["logs"][0]["log_id"]
        found = custody.provenance(m, log_id)
        assert custody.provenance(m, "no-such-id") is None
    assert found is not None
    assert found.added_by is not None and found.added_by["source"] == str(NDJSON)
    assert [r["source"] for r in found.brought_again_by][:1] == [str(PAGES[0])]
    assert found.conflicts == [] and found.envelope is None


# -- the commands --------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["verify", "export", "provenance"])
def test_commands_have_help_with_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0 and "Example:" in result.output


def test_cli_verify_ok(db: Path) -> None:
    result = run("--db", str(db), "verify", "--deep")
    assert result.exit_code == 0, result.output
    assert "ok: the mirror matches its records" in result.stdout and "#1 ok" in result.stdout
    report = json.loads(run("--db", str(db), "verify", "--quick", "--json").stdout)
    assert report["ok"] is True and report["checks"][0] == "quick_check"


def test_cli_verify_fails_with_a_message_per_problem(db: Path) -> None:
    tamper(db, "UPDATE raw SET json = json || ' ' WHERE id = 1", "UPDATE imports SET rejected = 5 WHERE id = 2")
    result = run("--db", str(db), "verify")
    assert result.exit_code == 1
    assert "problem [imports]: import #1" in result.stdout and "problem [duplicates]: import #2" in result.stdout
    assert "verify found 2 problem(s)" in result.stderr
    data = json.loads(run("--db", str(db), "verify", "--json").stdout)
    assert data["ok"] is False and len(data["problems"]) == 2


def test_cli_verify_does_not_change_the_mirror(db: Path) -> None:
    before = db.read_bytes()
    assert run("--db", str(db), "verify", "--deep").exit_code == 0
    assert db.read_bytes() == before


def test_cli_verify_missing_mirror(tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "none.db"), "verify")
    assert result.exit_code == 1 and "no mirror" in result.stderr


def test_cli_export_to_a_file_writes_the_manifest_beside_it(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "all.ndjson"
    result = run("--db", str(db), "export", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == NDJSON.read_bytes()
    manifest = json.loads((tmp_path / "all.ndjson.manifest.json").read_text(encoding="utf-8"))
    assert manifest["sha256"] == sha(target.read_bytes()) and manifest["output"] == str(target)
    assert "exported 4,000 events" in result.stderr and result.stdout == ""


def test_cli_export_to_stdout_with_a_manifest(db: Path, tmp_path: Path) -> None:
    result = run("--db", str(db), "export", "type:limit_mu", "--format", "json", "--manifest", str(tmp_path / "m.json"))
    assert result.exit_code == 0, result.output
    assert [e["type"] for e in json.loads(result.stdout)] == ["limit_mu"] * 3
    manifest = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert manifest["sha256"] == sha(result.stdout_bytes) and manifest["output"] == "<stdout>"
    plain = run("--db", str(db), "export", "type:limit_mu")
    assert plain.exit_code == 0 and "manifest" not in plain.stderr and len(plain.stdout.splitlines()) == 3


def test_cli_export_bad_query_exits_2(db: Path, tmp_path: Path) -> None:
    result = run("--db", str(db), "export", "type:fp AND", "-o", str(tmp_path / "x.ndjson"))
    assert result.exit_code == 2 and "^" in result.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("x.ndjson")]  # no partial output, no manifest


def test_cli_export_multi_line_events_as_ndjson(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    source = tmp_path / "page.json"
    source.write_text(json.dumps([{"log_id": "a", "type": "s"}, {"log_id": "b"}], indent=2), encoding="utf-8")
    assert run("--db", str(path), "import", str(source)).exit_code == 0
    refused = run("--db", str(path), "export", "-o", str(tmp_path / "out.ndjson"))
    assert refused.exit_code == 1 and "--format json" in refused.stderr
    assert not (tmp_path / "out.ndjson").exists() and not (tmp_path / "out.ndjson.partial").exists()
    flat = run("--db", str(path), "export", "--reflow")
    assert flat.exit_code == 0 and [json.loads(x)["log_id"] for x in flat.stdout.splitlines()] == ["a", "b"]
    assert "2 multi-line events" in flat.stderr
    as_json = run("--db", str(path), "export", "--format", "json")
    assert as_json.exit_code == 0 and as_json.stdout == "[\n" + ",\n".join(_elements(source)) + "\n]\n"


def _elements(source: Path) -> list[str]:
    """The exact texts of a pretty-printed array's elements (json.dumps indent=2 layout)."""
    value = json.loads(source.read_text(encoding="utf-8"))
    return [json.dumps(e, indent=2).replace("\n", "\n  ") for e in value]


def test_cli_provenance(db: Path) -> None:
    log_id = json.loads(PAGES[0].read_text(encoding="utf-8"))["logs"][0]["log_id"]
    result = run("--db", str(db), "provenance", log_id)
    assert result.exit_code == 0, result.output
    assert "added by: import #1" in result.stdout and "again by: import #2" in result.stdout
    data = json.loads(run("--db", str(db), "provenance", log_id, "--json").stdout)
    assert data["added_by"]["id"] == 1
    missing = run("--db", str(db), "provenance", "nope")
    assert missing.exit_code == 1 and "no event with log_id nope" in missing.stderr
