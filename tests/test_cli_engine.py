"""The engine commands of `logq` (import, search, count, stats, demo) through CliRunner."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from auth0_logq.cli.main import cli

from .conftest import ROOT

DEMO = ROOT / "fixtures" / "demo-tenant"
NDJSON = DEMO / "tenant-logs.ndjson"


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "m.db")
    result = CliRunner().invoke(cli, ["--db", path, "import", str(NDJSON)])
    assert result.exit_code == 0, result.output
    return path


def run(*args: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


def test_import_reports_counts_and_is_idempotent(tmp_path: Path) -> None:
    path = str(tmp_path / "m.db")
    first = run("--db", path, "import", str(NDJSON))
    assert first.exit_code == 0
    assert "4,000 new, 0 duplicate, 0 rejected" in first.output
    again = run("--db", path, "import", str(NDJSON))
    assert "0 new, 4,000 duplicate" in again.output


def test_import_from_stdin_gzip_and_rejects(tmp_path: Path) -> None:
    path = str(tmp_path / "m.db")
    lines = NDJSON.read_text(encoding="utf-8").splitlines()[:3] + ["{not json", '{"no_id": 1}']
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    result = run("--db", path, "import", "-", input=data)
    assert result.exit_code == 0, result.output
    assert "3 new, 0 duplicate, 2 rejected" in result.output
    assert "line 4" in result.stderr and "line 5" in result.stderr


def test_import_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "m.db"), "import", str(tmp_path / "nope.json"))
    assert result.exit_code == 1
    assert "nope.json" in result.stderr and "Traceback" not in result.output


def test_search_json_is_the_original_events(db: str) -> None:
    result = run("--db", db, "search", "type:limit_mu")
    assert result.exit_code == 0
    events = json.loads(result.stdout)
    assert [e["type"] for e in events] == ["limit_mu"] * 3
    originals = set(NDJSON.read_text(encoding="utf-8").splitlines())
    assert all(json.dumps(e, ensure_ascii=False, separators=(",", ":")) in originals for e in events)


def test_search_formats(db: str) -> None:
    ndjson = run("--db", db, "search", "type:limit_mu", "--format", "ndjson").stdout.splitlines()
    assert len(ndjson) == 3 and all(json.loads(line)["type"] == "limit_mu" for line in ndjson)
    rows = list(csv.reader(io.StringIO(run("--db", db, "search", "type:limit_mu", "--format", "csv", "--fields", "ip,type").stdout)))
    assert rows[0] == ["ip", "type"] and len(rows) == 4
    table = run("--db", db, "search", "type:limit_mu", "--format", "table").stdout.splitlines()
    assert table[0].startswith("date") and len(table) == 4


def test_search_include_totals_and_paging(db: str) -> None:
    data = json.loads(run("--db", db, "search", "type:fp", "--include-totals", "--per-page", "5").stdout)
    assert data["length"] == 5 and data["limit"] == 5 and data["total"] > 5 and len(data["logs"]) == 5


def test_search_exclude_fields(db: str) -> None:
    (event,) = json.loads(run("--db", db, "search", "type:pwd_leak", "--exclude-fields", "details,location_info").stdout)
    assert "details" not in event and event["type"] == "pwd_leak"


def test_search_checkpoint(db: str) -> None:
    ids = sorted(json.loads(line)["log_id"] for line in NDJSON.read_text(encoding="utf-8").splitlines())
    page = json.loads(run("--db", db, "search", "--from", ids[0], "--take", "3").stdout)
    assert [e["log_id"] for e in page] == ids[1:4]


def test_search_bad_query_exits_2_with_caret(db: str) -> None:
    result = run("--db", db, "search", "type:fp AND")
    assert result.exit_code == 2
    assert "^" in result.stderr and "Traceback" not in result.output


def test_search_auth0_limits(db: str) -> None:
    result = run("--db", db, "search", "", "--page", "10", "--per-page", "100", "--auth0-limits")
    assert result.exit_code == 2
    assert "exceeds the allowed maximum of 1000 records" in result.stderr


def test_search_strict(db: str) -> None:
    result = run("--db", db, "search", "user_email:x", "--strict")
    assert result.exit_code == 2 and 'unknown field "user_email"' in result.stderr


def test_search_warns_on_stderr_without_polluting_stdout(db: str) -> None:
    result = run("--db", db, "search", "type:fp AND ip:203.0.113.7 OR type:fu", "--format", "ndjson")
    assert result.exit_code == 0
    assert "no precedence" in result.stderr
    assert all(json.loads(line) for line in result.stdout.splitlines())


def test_count(db: str) -> None:
    assert run("--db", db, "count", "type:limit_mu").stdout.strip() == "3"
    assert run("--db", db, "count").stdout.strip() == "4000"


def test_stats(db: str) -> None:
    out = run("--db", db, "stats").stdout
    assert "events:   4,000" in out and "2026-11-01" in out and "sha256" in out
    data = json.loads(run("--db", db, "stats", "--json").stdout)
    assert data["events"] == 4000 and len(data["import_log"]) == 1


def test_missing_mirror_is_a_clear_error(tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "none.db"), "search", "type:fp")
    assert result.exit_code == 1
    assert "no mirror" in result.stderr


def test_newer_mirror_schema_is_refused(db: str) -> None:
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    result = run("--db", db, "count")
    assert result.exit_code == 1 and "newer auth0-logq" in result.stderr


def test_demo_tour(tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "demo.db"), "demo")
    assert result.exit_code == 0, result.output
    assert "4,000 logs" in result.output and "duplicates dropped" in result.output
    assert "300 matching logs" in result.output  # the credential-stuffing spray
    assert "no precedence" in result.output
    assert "Chain of custody" in result.output and "ok: 4,000 events from 7 imports" in result.output


@pytest.mark.parametrize("command", ["import", "search", "count", "stats", "demo"])
def test_engine_commands_have_help_with_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0 and "Example:" in result.output
