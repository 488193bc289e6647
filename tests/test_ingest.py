"""The importer: formats, verbatim raw text, rejects with their place, dedupe, atomicity, properties."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import auth0_logq
from auth0_logq.engine import ingest
from auth0_logq.engine.dates import event_date_ms, ms_to_iso
from auth0_logq.engine.ingest import IngestError, columns_for_event, import_events, import_paths, import_stream
from auth0_logq.engine.fields import INDEXED_PATHS
from auth0_logq.engine.store import INDEXES, KEYWORD_COLUMNS, LOG_COLUMNS, Mirror

OTHER_COLUMNS = [c for c in KEYWORD_COLUMNS if c != "log_id"]


# -- helpers -----------------------------------------------------------------------------------------


def event(n: int, **extra: Any) -> dict[str, Any]:
    """An event shaped like the Management API's (reference/auth0-logs.md §3.3)."""
    ev: dict[str, Any] = {
        "date": f"2026-11-0{1 + n % 9}T10:{n % 60:02d}:54.699Z",
        "type": "fp",
        "description": "Wrong email or password.",
        "connection": "Username-Password-Authentication",
        "connection_id": "con_ABC123",
        "client_id": "ABCDEFG123456789",
        "client_name": "All Applications",
        "ip": f"203.0.113.{n % 250}",
        "user_agent": "Chrome 86.0.4240 / Mac OS X 10.15.6",
        "details": {"error": {"message": "Wrong email or password."}},
        "user_id": f"auth0|{n}",
        "user_name": f"zoë.{n}@example.com",
        "strategy": "auth0",
        "strategy_type": "database",
        "log_id": f"9002026110110{n:043d}",
        "_id": f"9002026110110{n:043d}",
        "isMobile": False,
    }
    ev.update(extra)
    return ev


def compact(ev: Any) -> str:
    return json.dumps(ev, ensure_ascii=False, separators=(",", ":"))


def ndjson(events: list[Any]) -> bytes:
    return "".join(compact(e) + "\n" for e in events).encode()


@pytest.fixture
def mirror(tmp_path: Path):
    m = Mirror.open(tmp_path / "mirror.db")
    yield m
    m.close()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def raw_by_id(m: Mirror) -> dict[str, str]:
    return dict(m.conn.execute("SELECT logs.log_id, raw.json FROM logs JOIN raw ON raw.id = logs.id"))


def logs_rows(m: Mirror) -> list[tuple]:
    """`logs` rows without `id` (which depends on import order), sorted."""
    return sorted(m.conn.execute(f"SELECT {', '.join(LOG_COLUMNS[1:])} FROM logs"), key=repr)


def rejects(m: Mirror) -> list[tuple]:
    return m.conn.execute("SELECT import_id, source, line, byte_offset, reason, text FROM rejects ORDER BY id").fetchall()


def snapshot(m: Mirror) -> dict[str, list]:
    """Everything an import may touch, including the indexes it may drop."""
    tables = ["logs", "raw", "imports", "rejects"]
    state = {t: m.conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in tables}
    state["schema"] = m.conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    return state


def index_names(m: Mirror) -> set[str]:
    return {r[0] for r in m.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


# -- formats -----------------------------------------------------------------------------------------


def test_ndjson_lines_are_events_and_raw_is_the_line(mirror: Mirror, tmp_path: Path) -> None:
    lines = [compact(event(1)), "", compact(event(2)) + "  ", "   ", json.dumps(event(3))]
    path = write(tmp_path, "logs.txt", ("\r\n".join(lines) + "\r\n").encode())
    (s,) = import_paths(mirror, [path])
    assert (s.format, s.read, s.new, s.duplicate, s.rejected) == ("ndjson", 3, 3, 0, 0)
    raw = raw_by_id(mirror)
    assert raw[event(1)["log_id"]] == lines[0]
    assert raw[event(2)["log_id"]] == lines[2]  # trailing spaces kept, "\r\n" not
    assert raw[event(3)["log_id"]] == lines[4]
    assert s.source == str(path)


def test_typed_columns_follow_the_rules(mirror: Mirror) -> None:
    ev = event(7, ip=None, hostname=True, connection_id=12, client_id=1.5, user_id=["x"], user_name={"a": 1}, strategy="")
    import_events(mirror, [ev])
    row = dict(zip(LOG_COLUMNS, mirror.conn.execute("SELECT * FROM logs").fetchone()))
    assert row["log_id"] == ev["log_id"]
    assert row["date"] == "2026-11-08T10:07:54.699Z"
    assert row["date_ms"] == event_date_ms("2026-11-08T10:07:54.699Z")
    assert (row["ip"], row["hostname"], row["connection_id"], row["client_id"]) == (None, "true", "12", "1.5")
    assert (row["user_id"], row["user_name"], row["strategy"], row["organization_id"]) == (None, None, "", None)
    assert row["type"] == "fp"


def test_array_elements_keep_their_exact_text(mirror: Mirror, tmp_path: Path) -> None:
    texts = [json.dumps(event(1), indent=4), compact(event(2)), json.dumps(event(3), ensure_ascii=True, indent="\t")]
    data = ("[\n  " + " ,\n\n  ".join(texts) + "\n]\n").encode()
    (s,) = import_paths(mirror, [write(tmp_path, "page.json", data)])
    assert (s.format, s.new, s.rejected) == ("array", 3, 0)
    assert raw_by_id(mirror) == {event(i)["log_id"]: t for i, t in zip((1, 2, 3), texts)}


@pytest.mark.parametrize("order", [["start", "limit", "length", "total", "logs"], ["logs", "total", "start"], ["start", "logs", "limit"]])
def test_include_totals_page_in_any_key_order(mirror: Mirror, order: list[str]) -> None:
    elements = [json.dumps(event(i), indent=2) for i in range(3)]
    values = {"start": "0", "limit": "50", "length": "3", "total": "3", "logs": "[" + ",".join(elements) + "]"}
    data = "{" + ", ".join(f'"{k}": {values[k]}' for k in order) + "}"
    s = import_stream(mirror, io.BytesIO(data.encode()), "page.json")
    assert (s.format, s.new, s.rejected) == ("include_totals", 3, 0)
    assert sorted(raw_by_id(mirror).values()) == sorted(elements)


def test_one_line_include_totals_page(mirror: Mirror) -> None:
    data = compact({"start": 0, "limit": 50, "length": 2, "total": 2, "logs": [event(1), event(2)]}).encode()
    s = import_stream(mirror, io.BytesIO(data), "page.json")
    assert (s.format, s.new) == ("include_totals", 2)
    assert raw_by_id(mirror)[event(1)["log_id"]] == compact(event(1))


def test_single_pretty_printed_event(mirror: Mirror) -> None:
    text = json.dumps(event(5), indent=2)
    s = import_stream(mirror, io.BytesIO(text.encode() + b"\n"), "one.json")
    assert (s.format, s.new) == ("object", 1)
    assert raw_by_id(mirror) == {event(5)["log_id"]: text}


def test_pages_inside_ndjson_and_arrays_are_opened(mirror: Mirror) -> None:
    page = {"start": 0, "limit": 2, "length": 2, "total": 2, "logs": [event(1), event(2)]}
    s = import_stream(mirror, io.BytesIO(ndjson([page, [event(3), event(4)], event(5)])), "pages.ndjson")
    assert (s.format, s.new, s.rejected) == ("ndjson", 5, 0)
    s = import_stream(mirror, io.BytesIO(compact([{"logs": [event(6)]}, [event(7)]]).encode()), "pages.json")
    assert (s.format, s.new, s.rejected) == ("array", 2, 0)


def test_concatenated_documents(mirror: Mirror) -> None:
    data = (json.dumps([event(1)]) + "\n" + json.dumps([event(2), event(3)], indent=1) + json.dumps(event(4), indent=2)).encode()
    s = import_stream(mirror, io.BytesIO(data), "appended.json")
    assert (s.format, s.new, s.rejected) == ("concatenated", 4, 0)


def test_empty_input_still_records_the_import(mirror: Mirror) -> None:
    s = import_stream(mirror, io.BytesIO(b" \n\n"), "empty.json")
    assert (s.format, s.read, s.new) == ("empty", 0, 0)
    assert mirror.imports()[0]["format"] == "empty"
    s = import_stream(mirror, io.BytesIO(b"[]"), "none.json")
    assert (s.format, s.read) == ("array", 0)


def test_utf8_bom_is_skipped_and_counted_in_offsets(mirror: Mirror) -> None:
    data = b"\xef\xbb\xbf" + ndjson([event(1)]) + b"oops\n"
    s = import_stream(mirror, io.BytesIO(data), "bom.ndjson")
    assert (s.new, s.rejected) == (1, 1)
    reject = s.rejects[0]
    assert (reject.line, reject.text) == (2, "oops")
    assert data[reject.byte_offset :].startswith(b"oops")
    s = import_stream(mirror, io.BytesIO(b"\xef\xbb\xbf" + json.dumps([event(2)]).encode()), "bom.json")
    assert (s.format, s.new) == ("array", 1)


def test_not_an_export_is_refused_before_anything_is_written(mirror: Mirror) -> None:
    with pytest.raises(IngestError, match="does not look like an Auth0 log export"):
        import_stream(mirror, io.BytesIO(b"Type,Description,Date\nfp,Wrong,Jan 02\n"), "logs.csv")
    with pytest.raises(IngestError, match="UTF-16"):
        import_stream(mirror, io.BytesIO("[]".encode("utf-16")), "logs.json")
    with pytest.raises(IngestError, match="zip"):
        import_stream(mirror, io.BytesIO(b"PK\x03\x04rest"), "logs.zip")
    assert mirror.imports() == []


def test_missing_file_is_refused_before_any_import(mirror: Mirror, tmp_path: Path) -> None:
    good = write(tmp_path, "good.ndjson", ndjson([event(1)]))
    with pytest.raises(IngestError, match="no such file or directory: .*nope.json"):
        import_paths(mirror, [good, tmp_path / "nope.json"])
    assert mirror.imports() == []


def test_malformed_first_line_does_not_hide_the_ndjson(mirror: Mirror) -> None:
    data = b'{"log_id": "1", oops}\n' + ndjson([event(1), event(2)])
    s = import_stream(mirror, io.BytesIO(data), "x.ndjson")
    assert (s.format, s.new, s.rejected, s.rejects[0].line) == ("ndjson", 2, 1, 1)


def test_a_single_line_longer_than_the_head_is_read_as_a_document(mirror: Mirror, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "HEAD_BYTES", 100)
    monkeypatch.setattr(ingest, "CHUNK_BYTES", 50)
    data = compact({"start": 0, "limit": 3, "logs": [event(1), event(2), event(3)], "total": 3}).encode()
    s = import_stream(mirror, io.BytesIO(data), "page.json")
    assert (s.format, s.new, s.rejected) == ("include_totals", 3, 0)


def test_without_orjson_the_results_are_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    odd = '{"log_id": 123456789012345678901234567890, "ip": NaN}'
    lines = [compact(event(1)), "{bad", odd, compact(event(1)), "[1]", compact(event(2))]
    data = "\n".join(lines).encode()
    results = []
    for number, fast in enumerate((ingest._fast_loads, None)):
        monkeypatch.setattr(ingest, "_fast_loads", fast)
        with Mirror.open(tmp_path / f"run-{number}.db") as m:
            s = import_stream(m, io.BytesIO(data), "x")
            results.append(((s.read, s.new, s.duplicate, s.rejected), [(r.line, r.reason) for r in s.rejects], logs_rows(m), raw_by_id(m)))
    assert results[0] == results[1]


# -- gzip and stdin ----------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["ndjson", "array"])
def test_gzip_is_detected_by_magic_and_hashed_compressed(mirror: Mirror, tmp_path: Path, shape: str) -> None:
    events = [event(i) for i in range(20)]
    plain = ndjson(events) if shape == "ndjson" else json.dumps(events, indent=2).encode()
    packed = gzip.compress(plain)
    (s,) = import_paths(mirror, [write(tmp_path, "export.bin", packed)])  # no .gz suffix on purpose
    assert (s.format, s.new, s.rejected) == (shape, 20, 0)
    assert (s.bytes, s.sha256) == (len(packed), hashlib.sha256(packed).hexdigest())


def test_multi_member_gzip(mirror: Mirror) -> None:
    packed = gzip.compress(ndjson([event(1)])) + gzip.compress(ndjson([event(2)])) + b"\0\0"
    s = import_stream(mirror, io.BytesIO(packed), "cat.gz")
    assert (s.new, s.rejected) == (2, 0)


def test_truncated_gzip_imports_what_it_holds(mirror: Mirror) -> None:
    packed = gzip.compress(ndjson([event(i) for i in range(200)]), compresslevel=1)
    s = import_stream(mirror, io.BytesIO(packed[: len(packed) * 3 // 4]), "cut.gz")
    assert 0 < s.new < 200
    assert any(r.reason.startswith("truncated input: the gzip stream ends early") for r in s.rejects)
    assert s.read == s.new + s.duplicate + s.rejected


def test_stdin_as_a_stream_and_as_dash(mirror: Mirror, monkeypatch: pytest.MonkeyPatch) -> None:
    s = import_stream(mirror, io.BytesIO(ndjson([event(1)])), "<stdin>")
    assert (s.source, s.new) == ("<stdin>", 1)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(gzip.compress(ndjson([event(2)])))))
    (s,) = import_paths(mirror, ["-"])
    assert (s.source, s.new) == ("<stdin>", 1)
    assert [i["source"] for i in mirror.imports()] == ["<stdin>", "<stdin>"]


# -- duplicates --------------------------------------------------------------------------------------


def test_duplicates_within_and_across_files(mirror: Mirror, tmp_path: Path) -> None:
    changed = event(2, description="Different")
    first = write(tmp_path, "a.ndjson", ndjson([event(1), event(2), event(1)]))
    second = write(tmp_path, "b.json", json.dumps([event(2), changed, event(3)], indent=2).encode())
    a, b = import_paths(mirror, [first, second])
    assert (a.new, a.duplicate, a.read) == (2, 1, 3)
    assert (b.new, b.duplicate, b.read) == (1, 2, 3)
    # the pretty-printed copy of event 2 is the same JSON value; the changed one conflicts
    assert (a.duplicate_detail.identical, a.duplicate_detail.conflicting) == (1, 0)
    assert (b.duplicate_detail.identical, b.duplicate_detail.conflicting) == (1, 1)
    assert raw_by_id(mirror)[event(2)["log_id"]] == compact(event(2))  # the first one stays
    assert mirror.conn.execute("SELECT count(*) FROM logs").fetchone()[0] == 3


def test_duplicates_across_batches_of_one_import(mirror: Mirror, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "BATCH_ROWS", 3)
    events = [event(i % 5) for i in range(17)]
    s = import_events(mirror, events)
    assert (s.new, s.duplicate, s.read) == (5, 12, 17)
    ids = [r[0] for r in mirror.conn.execute("SELECT id FROM logs ORDER BY id")]
    assert ids == list(range(1, 6))
    assert ids == [r[0] for r in mirror.conn.execute("SELECT id FROM raw ORDER BY id")]


def test_log_id_and_id_rules() -> None:
    assert columns_for_event({"_id": "abc"})[0] == "abc"  # type: ignore[index]
    assert columns_for_event({"log_id": None, "_id": "abc"})[0] == "abc"  # type: ignore[index]
    assert columns_for_event({"log_id": "", "_id": "abc"})[0] == ""  # type: ignore[index]
    big = 90020230602105804441281000000000000001223372045029304287
    assert columns_for_event({"log_id": big})[0] == str(big)  # type: ignore[index]
    assert columns_for_event({"log_id": True}) is None
    assert columns_for_event({"log_id": ["1"], "_id": {"a": 1}}) is None
    assert columns_for_event(["log_id"]) is None
    assert len(columns_for_event({"log_id": "x"})) == len(LOG_COLUMNS) - 1  # type: ignore[arg-type]


def test_orjson_is_overruled_where_it_differs_from_json(mirror: Mirror) -> None:
    lines = [
        '{"log_id": 123456789012345678901234567890, "ip": 98765432109876543210987654321}',
        '{"log_id": "nan", "client_id": NaN, "user_id": -Infinity}',
        '{"log_id": "s", "user_name": "a\\ud800b", "description": "\\ud83d\\ude00"}',
    ]
    s = import_stream(mirror, io.BytesIO("\n".join(lines).encode()), "odd.ndjson")
    assert (s.new, s.rejected) == (3, 0)
    cols = {r[0]: r for r in mirror.conn.execute("SELECT log_id, ip, client_id, user_id, user_name, description FROM logs")}
    assert cols["123456789012345678901234567890"][1] == "98765432109876543210987654321"
    assert cols["nan"][2:4] == ("NaN", "-Infinity")
    assert cols["s"][4:6] == ("a\ufffdb", "\U0001f600")
    assert raw_by_id(mirror)["s"] == lines[2]  # the escape is kept in the raw text


# -- rejects -----------------------------------------------------------------------------------------


def test_ndjson_rejects_carry_line_and_offset_and_the_rest_imports(mirror: Mirror) -> None:
    data = ndjson([event(1)]) + b'{"log_id": "2", oops}\n' + b"[1, 2]\n" + b'{"no": "id"}\n' + b"42\n" + ndjson([event(3)])
    s = import_stream(mirror, io.BytesIO(data), "mixed.ndjson")
    assert (s.new, s.rejected, s.read) == (2, 5, 7)
    got = [(r.line, r.reason.split(":")[0], r.text) for r in s.rejects]
    assert got == [
        (2, "malformed JSON", '{"log_id": "2", oops}'),
        (3, "not a log event", "1"),
        (3, "not a log event", "2"),
        (4, "not a log event", '{"no": "id"}'),
        (5, "not a log event", "42"),
    ]
    assert "Expecting property name" in s.rejects[0].reason
    assert s.rejects[3].reason == "not a log event: no log_id or _id"
    for r in s.rejects:
        assert data[r.byte_offset :].startswith(r.text.encode())
    stored = rejects(mirror)
    assert [row[2:] for row in stored] == [(r.line, r.byte_offset, r.reason, r.text) for r in s.rejects]
    assert {row[:2] for row in stored} == {(s.import_id, "mixed.ndjson")}


def test_array_rejects_carry_byte_offset(mirror: Mirror) -> None:
    body = [json.dumps(event(1), indent=2), '{"what": "no id"}', '"text"', json.dumps(event(2))]
    data = ("[\n" + ",\n".join(body) + "\n]").encode()
    s = import_stream(mirror, io.BytesIO(data), "page.json")
    assert (s.new, s.rejected) == (2, 2)
    for r, text in zip(s.rejects, body[1:3]):
        assert r.text == text
        assert data[r.byte_offset :].startswith(text.encode())
        assert r.line == data[: r.byte_offset].count(b"\n") + 1


def test_truncated_array_keeps_complete_elements(mirror: Mirror) -> None:
    data = json.dumps([event(i) for i in range(5)], indent=2).encode()
    cut = data.index(event(3)["log_id"].encode())
    s = import_stream(mirror, io.BytesIO(data[:cut]), "cut.json")
    assert (s.format, s.new, s.rejected) == ("array", 3, 1)
    (r,) = s.rejects
    assert r.reason.startswith("truncated input")
    assert data[: cut][r.byte_offset :].decode() == r.text  # the reject holds the unread rest
    assert r.text.lstrip().startswith("{")


def test_corrupt_array_stops_at_the_break(mirror: Mirror) -> None:
    texts = [compact(event(i)) for i in range(4)]
    data = ("[" + texts[0] + "," + texts[1] + " " + texts[2] + "," + texts[3] + "]").encode()
    s = import_stream(mirror, io.BytesIO(data), "broken.json")
    assert (s.new, s.rejected) == (2, 1)
    (r,) = s.rejects
    assert r.reason.startswith("malformed JSON: expected ',' or ']' after an array element")
    assert data[r.byte_offset :].decode() == r.text


def test_malformed_element_reports_the_decoder_message(mirror: Mirror) -> None:
    data = ('[{"log_id": "1"},\n {"log_id": "2", "x": tru}, {"log_id": "3"}]').encode()
    s = import_stream(mirror, io.BytesIO(data), "bad.json")
    assert (s.new, s.rejected) == (1, 1)
    (r,) = s.rejects
    assert r.reason == "malformed JSON: Expecting value (line 2, byte offset 40)"
    assert (r.line, r.byte_offset) == (2, 19)
    assert data[40:].startswith(b"tru}")


def test_trailing_garbage_after_a_document(mirror: Mirror) -> None:
    s = import_stream(mirror, io.BytesIO(json.dumps([event(1)]).encode() + b"\n--- end ---\n"), "tail.json")
    assert (s.new, s.rejected) == (1, 1)
    assert s.rejects[0].text == "--- end ---\n"


def _latin1_event(n: int) -> bytes:
    """An event whose user name was written in Latin-1: one byte that is not UTF-8."""
    return compact(event(n)).replace("zoë", "zo\udcebX").encode("utf-8", "surrogateescape")


def _stored_original(m: Mirror, log_id: str) -> tuple[str, bytes | None]:
    return m.conn.execute(
        "SELECT raw.json, originals.bytes FROM logs JOIN raw ON raw.id = logs.id "
        "LEFT JOIN originals ON originals.row_id = logs.id WHERE logs.log_id = ?",
        (log_id,),
    ).fetchone()


def test_invalid_utf8_line_is_kept_with_its_exact_bytes() -> None:
    m = Mirror.open(":memory:")
    bad = _latin1_event(2)
    data = ndjson([event(1)]) + bad + b"\n" + ndjson([event(3)])
    s = import_stream(m, io.BytesIO(data), "latin.ndjson")
    assert (s.new, s.rejected) == (3, 0)
    text, original = _stored_original(m, event(2)["log_id"])
    assert original == bad
    assert json.loads(text)["user_name"] == "zo\ufffdX.2@example.com"  # what searches see
    assert m.conn.execute("SELECT user_name FROM logs WHERE log_id = ?", (event(2)["log_id"],)).fetchone()[0] == "zo\ufffdX.2@example.com"
    # The events hash covers the bytes as they came: for one NDJSON file, the file's own hash.
    assert m.conn.execute("SELECT events_sha256 FROM imports").fetchone()[0] == hashlib.sha256(data).hexdigest()


def test_invalid_utf8_array_element_is_kept_with_its_exact_bytes() -> None:
    m = Mirror.open(":memory:")
    bad = _latin1_event(2)
    data = b"[" + compact(event(1)).encode() + b",\n" + bad + b",\n" + compact(event(3)).encode() + b"]"
    s = import_stream(m, io.BytesIO(data), "latin.json")
    assert (s.new, s.rejected) == (3, 0)
    assert _stored_original(m, event(2)["log_id"])[1] == bad
    assert _stored_original(m, event(1)["log_id"])[1] is None


def test_invalid_utf8_that_is_no_event_is_rejected_with_its_bytes_shown(mirror: Mirror) -> None:
    data = ndjson([event(1)]) + b'{"note": "caf\xe9"}\n'
    s = import_stream(mirror, io.BytesIO(data), "latin-junk.ndjson")
    assert s.rejected == 1
    (r,) = s.rejects
    assert r.line == 2 and "caf\\xe9" in r.text


def test_truncated_last_ndjson_line(mirror: Mirror) -> None:
    data = ndjson([event(1)]) + compact(event(2)).encode()[:-40]
    s = import_stream(mirror, io.BytesIO(data), "cut.ndjson")
    assert (s.new, s.rejected) == (1, 1)
    assert s.rejects[0].reason.startswith("truncated input: the last line ends inside a record")


def test_summary_keeps_the_first_hundred_rejects_and_the_table_all(mirror: Mirror) -> None:
    s = import_stream(mirror, io.BytesIO(b"[" + b",".join(b"%d" % i for i in range(250)) + b"]"), "numbers.json")
    assert (s.rejected, len(s.rejects)) == (250, 100)
    assert len(rejects(mirror)) == 250
    assert mirror.stats().rejected == 250


# -- streaming: tiny chunks force every value across buffer boundaries --------------------------------


@pytest.mark.parametrize("chunk", [1, 7, 64])
def test_values_straddling_tiny_chunks(mirror: Mirror, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(ingest, "CHUNK_BYTES", chunk)
    monkeypatch.setattr(ingest, "LOOKAHEAD_CHARS", 0)
    docs = {
        "array": ("[" + ", ".join(json.dumps(event(i), indent=i % 3 or None) for i in range(6)) + ", 1234567 ]").encode(),
        "page": json.dumps({"total": 6, "logs": [event(10 + i) for i in range(6)], "start": 0}, indent=2).encode(),
        "ndjson": ndjson([event(20 + i) for i in range(6)]) + b"1234567\n",
        "gzip": gzip.compress(json.dumps([event(30 + i) for i in range(6)] + [1234567]).encode()),
    }
    for name, data in docs.items():
        s = import_stream(mirror, io.BytesIO(data), name)
        assert (s.new, s.rejected) == (6, 1 if name != "page" else 0), name
        if s.rejects:
            assert s.rejects[0].text == "1234567"
    assert all(json.loads(t) for t in raw_by_id(mirror).values())


def test_a_record_larger_than_the_limit_is_a_break(mirror: Mirror, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "CHUNK_BYTES", 100)
    monkeypatch.setattr(ingest, "LOOKAHEAD_CHARS", 0)
    monkeypatch.setattr(ingest, "MAX_RECORD_CHARS", 2000)
    data = json.dumps([event(1), event(2, details={"blob": "x" * 5000}), event(3)]).encode()
    s = import_stream(mirror, io.BytesIO(data), "big.json")
    assert (s.new, s.rejected) == (1, 1)
    assert "no complete value within 2,000 characters" in s.rejects[0].reason
    assert data[s.rejects[0].byte_offset :].startswith(b'{"date"')


# -- the imports row, progress, indexes --------------------------------------------------------------


def test_imports_row(mirror: Mirror, tmp_path: Path) -> None:
    data = ndjson([event(1), event(2)]) + b"nope\n"
    (s,) = import_paths(mirror, [write(tmp_path, "x.ndjson", data)])
    (row,) = mirror.imports()
    assert row["id"] == s.import_id
    assert row["source"] == str(tmp_path / "x.ndjson")
    assert (row["format"], row["bytes"], row["sha256"]) == ("ndjson", len(data), hashlib.sha256(data).hexdigest())
    assert (row["new"], row["duplicate"], row["rejected"]) == (2, 0, 1)
    assert row["tool_version"] == auth0_logq.__version__
    assert row["started_at"] <= row["finished_at"]
    assert row["started_at"].endswith("Z")
    assert (s.bytes, s.sha256, s.read) == (len(data), row["sha256"], 3)


def test_import_events_hashes_the_equivalent_ndjson(mirror: Mirror) -> None:
    events = [event(1), event(2)]
    s = import_events(mirror, events, "mem")
    assert (s.format, s.source, s.bytes, s.sha256) == ("events", "mem", len(ndjson(events)), hashlib.sha256(ndjson(events)).hexdigest())
    assert raw_by_id(mirror)[event(1)["log_id"]] == compact(event(1))


def test_progress_reports_records_and_bytes(mirror: Mirror, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "BATCH_ROWS", 10)
    monkeypatch.setattr(ingest, "CHUNK_BYTES", 4096)
    data = ndjson([event(i) for i in range(55)])
    calls: list[tuple] = []
    import_paths(mirror, [write(tmp_path, "p.ndjson", data)], progress=lambda *a: calls.append(a))
    assert len(calls) >= 6
    assert calls[-1] == (55, len(data), len(data))
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)
    assert all(c[2] == len(data) for c in calls)
    calls.clear()
    import_stream(mirror, io.BytesIO(data), "again", progress=lambda *a: calls.append(a))
    assert calls[-1] == (55, len(data), len(data))


def test_bulk_load_rebuilds_every_index_and_analyzes(mirror: Mirror) -> None:
    import_events(mirror, [event(i) for i in range(30)])
    assert {name for name, _ in INDEXES} <= index_names(mirror)
    assert mirror.conn.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'logs'").fetchone()[0] > 0
    plan = " ".join(r[3] for r in mirror.conn.execute("EXPLAIN QUERY PLAN SELECT id FROM logs WHERE ip = ? ORDER BY date_ms DESC", ("x",)))
    assert "logs_ip_date" in plan


def test_small_import_into_a_big_mirror_keeps_indexes(mirror: Mirror, monkeypatch: pytest.MonkeyPatch) -> None:
    import_events(mirror, [event(i) for i in range(30)])
    dropped: list[bool] = []
    monkeypatch.setattr(Mirror, "drop_indexes", lambda self: dropped.append(True))
    import_events(mirror, [event(i) for i in range(30, 40)])
    assert dropped == []
    dropped_big: list[bool] = []
    monkeypatch.undo()
    original = Mirror.drop_indexes
    monkeypatch.setattr(Mirror, "drop_indexes", lambda self: (dropped_big.append(True), original(self)))
    import_events(mirror, [event(i) for i in range(40, 200)])  # more than the mirror holds
    assert dropped_big == [True]
    assert {name for name, _ in INDEXES} <= index_names(mirror)


# -- atomicity ---------------------------------------------------------------------------------------


def test_failure_midway_leaves_the_mirror_unchanged(mirror: Mirror, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import_events(mirror, [event(i) for i in range(5)])
    before = snapshot(mirror)
    monkeypatch.setattr(ingest, "BATCH_ROWS", 10)
    original = ingest._Loader.flush
    calls = []

    def failing_flush(self: ingest._Loader) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise sqlite3.OperationalError("disk I/O error")
        original(self)

    monkeypatch.setattr(ingest._Loader, "flush", failing_flush)
    data = ndjson([event(i) for i in range(100)]) + b"garbage\n"
    with pytest.raises(sqlite3.OperationalError):
        import_paths(mirror, [write(tmp_path, "x.ndjson", data)])
    assert len(calls) == 3
    assert snapshot(mirror) == before
    monkeypatch.undo()
    (s,) = import_paths(mirror, [tmp_path / "x.ndjson"])  # and the mirror still works
    assert (s.new, s.duplicate, s.rejected) == (95, 5, 1)


def test_interrupt_from_progress_rolls_back(mirror: Mirror, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "BATCH_ROWS", 10)
    before = snapshot(mirror)

    def interrupt(records: int, done: int, total: int | None) -> None:
        if records >= 20:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_stream(mirror, io.BytesIO(ndjson([event(i) for i in range(50)])), "x", progress=interrupt)
    assert snapshot(mirror) == before


# -- properties --------------------------------------------------------------------------------------

ID_POOL = [f"9002026{n:049d}" for n in range(8)] + ["log-a", "z"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False), st.text(max_size=8))
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=6
)
dates = st.one_of(
    st.builds(
        lambda y, mo, d, h, mi, s, ms: f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}.{ms:03d}Z",
        st.integers(0, 9999),
        st.integers(0, 13),
        st.integers(0, 32),
        st.integers(0, 25),
        st.integers(0, 61),
        st.integers(0, 61),
        st.integers(0, 999),
    ),
    st.text(alphabet="0123456789-T:.Z+ ٣", max_size=26),
    st.integers(-(2**66), 2**66),
    st.floats(),
    st.sampled_from(
        ["2026-11-01", "2026-11-01T10:00:00Z", "2026-11-01T10:00:00.1234+02:00", "1700000000000", {"$date": "2024-01-01T00:00:00.000Z"}]
    ),
    json_values,
)


@st.composite
def log_events(draw: st.DrawFn, log_id: str | None = None) -> dict[str, Any]:
    ev: dict[str, Any] = {"log_id": log_id if log_id is not None else draw(st.sampled_from(ID_POOL))}
    if draw(st.booleans()):
        ev["date"] = draw(dates)
    for name in draw(st.lists(st.sampled_from(OTHER_COLUMNS + ["details", "isMobile", "_id"]), max_size=6)):
        ev[name] = draw(st.one_of(st.text(max_size=12), json_values))
    return ev


def reference_columns(ev: dict[str, Any]) -> tuple | None:
    """The rules of the module docstring, written out plainly."""

    def keyword(v: Any) -> str | None:
        if isinstance(v, str):
            return v
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return json.dumps(v)
        return None

    log_id = None
    for key in ("log_id", "_id"):
        v = ev.get(key)
        if isinstance(v, str) or (isinstance(v, (int, float)) and not isinstance(v, bool)):
            log_id = keyword(v)
            break
    if log_id is None:
        return None
    try:
        ms = event_date_ms(ev.get("date"))
    except (ValueError, OverflowError):
        ms = None
    if ms is not None and not -62_135_596_800_000 <= ms <= 253_402_300_799_999:
        ms = None
    def at_path(dotted: str) -> str | None:  # a string reached without crossing an array, else nothing
        node: Any = ev
        for key in dotted.split("."):
            node = node.get(key) if isinstance(node, dict) else None
        return node if isinstance(node, str) else None

    paths = (at_path(p) for p in INDEXED_PATHS)
    return (log_id, None if ms is None else ms_to_iso(ms), ms, *(keyword(ev.get(c)) for c in OTHER_COLUMNS), *paths)


@given(log_events())
def test_columns_match_the_written_rules(ev: dict[str, Any]) -> None:
    assert columns_for_event(ev) == reference_columns(ev)


@given(st.one_of(dates, st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z", fullmatch=True)))
def test_fast_date_path_agrees_with_the_dates_module(value: Any) -> None:
    ev = {"log_id": "x", "date": value}
    assert columns_for_event(ev)[1:3] == reference_columns(ev)[1:3]  # type: ignore[index]


unique_events = st.lists(st.sampled_from(ID_POOL), unique=True, min_size=1, max_size=8).flatmap(
    lambda ids: st.tuples(*(log_events(i) for i in ids)).map(list)
)


@given(unique_events, st.data())
def test_reimporting_in_any_order_and_split_gives_the_same_rows(events: list[dict], data: st.DataObject) -> None:
    with Mirror.open(":memory:") as once:
        import_events(once, events)
        expected_rows, expected_raw = logs_rows(once), raw_by_id(once)
    stream = data.draw(st.lists(st.sampled_from(events), max_size=20)) + data.draw(st.permutations(events))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=4)))
    parts = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)])]
    with Mirror.open(":memory:") as split:
        summaries = []
        for i, part in enumerate(parts):
            if data.draw(st.booleans(), label=f"part {i} as ndjson"):
                summaries.append(import_stream(split, io.BytesIO(ndjson(part)), f"part{i}"))
            else:
                summaries.append(import_events(split, part, f"part{i}"))
        assert logs_rows(split) == expected_rows
        assert raw_by_id(split) == expected_raw
    for s in summaries:
        assert s.new + s.duplicate + s.rejected == s.read
        assert s.duplicate == s.duplicate_detail.identical  # the same events: nothing conflicts
    assert sum(s.new for s in summaries) == len(events)
    assert sum(s.read for s in summaries) == len(stream)


separators = st.sampled_from([(",", ":"), (", ", ": "), (" ,", " : "), (",\t", ":  ")])
whitespace = st.text(alphabet=" \t\r\n", max_size=3)


@st.composite
def formatted(draw: st.DrawFn, ev: dict[str, Any], *, one_line: bool) -> str:
    indent = None if one_line else draw(st.sampled_from([None, 0, 2, "\t"]))
    return json.dumps(ev, ensure_ascii=draw(st.booleans()), separators=draw(separators), indent=indent, sort_keys=draw(st.booleans()))


@given(unique_events, st.data(), st.sampled_from(["ndjson", "array", "page", "gzip-array"]))
def test_raw_json_is_the_record_text_byte_for_byte(events: list[dict], data: st.DataObject, shape: str) -> None:
    texts = [data.draw(formatted(ev, one_line=shape == "ndjson")) for ev in events]
    assume(all(json.loads(t) == json.loads(json.dumps(ev)) for t, ev in zip(texts, events)))
    gaps = [data.draw(whitespace) for _ in texts]
    if shape == "ndjson":
        blob = "".join(t + data.draw(st.sampled_from(["\n", "\r\n"])) for t in texts)
    else:
        body = ",".join(g + t + data.draw(whitespace) for g, t in zip(gaps, texts))
        blob = "[" + body + "]" if shape != "page" else '{"start": 0, "logs": [' + body + '], "total": %d}' % len(texts)
    raw_bytes = blob.encode()
    if shape == "gzip-array":
        raw_bytes = gzip.compress(raw_bytes)
    with Mirror.open(":memory:") as m:
        s = import_stream(m, io.BytesIO(raw_bytes), shape)
        assert (s.new, s.rejected) == (len(events), 0)
        stored = raw_by_id(m)
    for ev, text in zip(events, texts):
        assert stored[ev["log_id"]].encode() == text.encode()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (b'[{"log_id":"a"},\n{"log_id":"b"}\n\n,{"log_id":"c"}]', "array"),  # comma-first, with a blank line
        (b'[\n{"log_id":"a"}\n,{"log_id":"b"}\n]\n', "array"),
        (b'[1, 2\n{"log_id":"a"}\n{"log_id":"b"}\n', "ndjson"),  # NDJSON whose first line is broken
        (b'[1, 2\n\n{"log_id":"a"}\n\n{"log_id":"b"}\n', "ndjson"),
        (b'{"log_id": "x", "type": \n{"log_id":"a"}\n{"log_id":"b"}\n', "ndjson"),
        (b'{\n  "log_id": "x"\n}\n', "document"),
    ],
)
def test_a_broken_first_line_is_told_from_a_pretty_printed_document(text: bytes, kind: str) -> None:
    assert ingest._detect(text, "x") == kind
