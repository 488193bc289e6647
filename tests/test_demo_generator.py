"""The demo log generator: determinism, coverage of every code, the scripted scenarios, log_id rules,
and the committed fixture being exactly what the generator writes."""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from auth0_logq.demo import EVENT_CODES, SCENARIOS, SEED_CODES, generate_events, write_demo_export
from auth0_logq.demo import generate as gen

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "fixtures" / "demo-tenant"
SEED_TABLE = Path("/work/shared/reference/seed-auth0-logs.txt")

WINDOW_START = "2026-11-01T00:00:00.000Z"
WINDOW_END = "2026-11-15T00:00:00.000Z"
DATE_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
LOG_ID_RE = re.compile(r"^900\d{53}$")
TRAILING = ["log_id", "_id", "isMobile"]


@pytest.fixture(scope="module")
def demo() -> list[dict[str, Any]]:
    return list(generate_events())


def by_type(events: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == code]


def ms(iso: str) -> int:
    return gen.parse_instant(iso)


# ---------------------------------------------------------------- determinism and counts


def test_two_runs_are_identical(demo: list[dict[str, Any]]) -> None:
    again = list(generate_events())
    assert json.dumps(again, ensure_ascii=False) == json.dumps(demo, ensure_ascii=False)


def test_same_seed_same_events_other_seed_other_background() -> None:
    a = list(generate_events(2500, seed=7))
    b = list(generate_events(2500, seed=7))
    c = list(generate_events(2500, seed=8))
    assert a == b
    assert a != c
    # The scripted part does not depend on the seed.
    stuffing = set(SCENARIOS["credential_stuffing"]["ips"])
    assert [e["date"] for e in a if e.get("ip") in stuffing] == [e["date"] for e in c if e.get("ip") in stuffing]


@pytest.mark.parametrize("count", [0, 1, 7, 50, 1000, 12_345])
def test_count_yields_exactly_n_events_in_window(count: int) -> None:
    events = list(generate_events(count, seed=3))
    assert len(events) == count
    assert all(WINDOW_START <= e["date"] < WINDOW_END for e in events)
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)


def test_default_count_is_the_demo_size(demo: list[dict[str, Any]]) -> None:
    assert len(demo) == gen.DEMO_EVENT_COUNT


@pytest.mark.parametrize(("start", "days", "end"), [
    ("2025-02-10T06:00:00.000Z", 3, "2025-02-13T06:00:00.000Z"),
    ("2024-02-28T23:30:00.000Z", 1, "2024-02-29T23:30:00.000Z"),
])
def test_other_windows_shift_everything(start: str, days: int, end: str) -> None:
    events = list(generate_events(3000, start=start, days=days))
    assert len(events) == 3000
    assert all(start <= e["date"] < end for e in events)
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)
    assert {e["type"] for e in events} >= set(SEED_CODES)


def test_bad_arguments_are_rejected() -> None:
    with pytest.raises(ValueError):
        generate_events(-1)
    with pytest.raises(ValueError):
        generate_events(10, days=0)


# ---------------------------------------------------------------- codes


def test_every_seed_code_appears(demo: list[dict[str, Any]]) -> None:
    present = {e["type"] for e in demo}
    assert set(SEED_CODES) <= present


def test_every_known_code_appears(demo: list[dict[str, Any]]) -> None:
    assert {e["type"] for e in demo} == {row.code for row in EVENT_CODES}


@pytest.mark.skipif(not SEED_TABLE.exists(), reason="reference seed table not available")
def test_seed_codes_match_the_reference_table() -> None:
    text = SEED_TABLE.read_text(encoding="utf-8")
    table = text.split("Event Code Event Event Description Additional Info", 1)[1]
    codes = [line.split()[0] for line in table.strip().splitlines() if line.strip()]
    assert sorted(codes) == sorted(SEED_CODES)


def test_traffic_is_dominated_by_everyday_codes(demo: list[dict[str, Any]]) -> None:
    counts = Counter(e["type"] for e in demo)
    top = {code for code, _ in counts.most_common(10)}
    assert {"s", "ssa", "seacft", "fp", "fu"} <= top
    assert counts["s"] > counts["sapi"] > 0


def test_description_style(demo: list[dict[str, Any]]) -> None:
    assert all("description" not in e for e in by_type(demo, "s"))
    assert all(e["description"] == "" for e in by_type(demo, "seacft"))
    assert all(e["description"] == "Wrong email or password." for e in by_type(demo, "fp"))
    assert all(e["details"]["error"]["message"] == e["description"] for e in by_type(demo, "fu"))
    for e in by_type(demo, "limit_wc"):
        assert e["user_name"] in e["description"]


# ---------------------------------------------------------------- event shape


def test_keys_follow_api_order(demo: list[dict[str, Any]]) -> None:
    for e in demo:
        keys = list(e)
        assert keys[:2] == ["date", "type"]
        tail = keys[-4:] if "location_info" in e else keys[-3:]
        assert tail[:3] == TRAILING
        if "location_info" in e:
            assert tail[3] == "location_info"
            assert set(e["location_info"]) == {"country_code", "country_code3", "country_name", "city_name",
                                               "latitude", "longitude", "time_zone", "continent_code"}


def test_dates_are_iso_milliseconds_in_window_and_sorted(demo: list[dict[str, Any]]) -> None:
    assert all(DATE_RE.match(e["date"]) for e in demo)
    assert all(WINDOW_START <= e["date"] < WINDOW_END for e in demo)
    assert [e["date"] for e in demo] == sorted(e["date"] for e in demo)


def test_realistic_field_values(demo: list[dict[str, Any]]) -> None:
    fu = by_type(demo, "fu")
    assert any("user_id" not in e for e in fu) and any(e.get("user_id") == "" for e in fu)
    scopes = [e["scope"] for e in demo if "scope" in e]
    assert any(isinstance(s, str) for s in scopes) and any(isinstance(s, list) for s in scopes)
    agents = [e["user_agent"] for e in demo if "user_agent" in e]
    assert any(a.startswith("Mozilla/5.0") for a in agents)
    assert any(re.match(r"^\S.* \d+\.\d+\.\d+ / .+ \d+\.\d+\.\d+$", a) for a in agents)
    assert any(":" in e.get("ip", "") for e in demo)                   # IPv6
    assert any(e.get("user_name", "").isascii() is False for e in demo)  # non-ASCII user names
    user_ids = {e["user_id"] for e in demo if e.get("user_id")}
    assert {uid.split("|")[0] for uid in user_ids} >= {"auth0", "google-oauth2", "okta", "samlp", "email", "sms"}
    assert any(uid.count("|") == 2 for uid in user_ids)
    assert all(len(e["client_id"]) == 32 for e in demo if "client_id" in e)
    assert all(re.match(r"^con_[A-Za-z0-9]{16}$", e["connection_id"]) for e in demo if e.get("connection_id"))
    assert {e["client_name"] for e in demo if "client_name" in e} >= {
        "Acme Web", "Acme iOS", "Admin Portal", "Support Console", "All Applications"}
    hostnames = {e["hostname"] for e in demo if "hostname" in e}
    assert hostnames == {"acme-prod.eu.auth0.com", "login.acme.example"}


def test_s_details(demo: list[dict[str, Any]]) -> None:
    for e in by_type(demo, "s"):
        d = e["details"]
        assert d["prompts"] and d["session_id"] and d["stats"]["loginsCount"] >= 1
        assert e["user_id"] and e["strategy"] and e["strategy_type"]


def test_sapi_details(demo: list[dict[str, Any]]) -> None:
    for e in by_type(demo, "sapi"):
        request = e["details"]["request"]
        assert request["method"] in {"post", "patch", "put", "delete"}  # lower-case, as Auth0 logs them
        assert request["path"].startswith("/api/v2/")
        assert "statusCode" in e["details"]["response"]
        assert request["auth"]["strategy"] == "jwt" and request["auth"]["credentials"]["jti"]
    paths = {e["details"]["request"]["path"] for e in by_type(demo, "sapi")}
    assert any(re.match(r"^/api/v2/users/[^/]+/roles$", p) for p in paths)
    assert any(re.match(r"^/api/v2/clients/[A-Za-z0-9]{32}$", p) for p in paths)


def test_nested_objects_are_never_shared() -> None:
    events = list(generate_events(20_000, seed=11))
    seen: set[int] = set()
    for e in events:
        for value in e.values():
            if isinstance(value, (dict, list)):
                assert id(value) not in seen
                seen.add(id(value))


# ---------------------------------------------------------------- log_id


def test_log_id_format_and_uniqueness(demo: list[dict[str, Any]]) -> None:
    ids = [e["log_id"] for e in demo]
    assert all(LOG_ID_RE.match(i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert all(e["_id"] == e["log_id"] for e in demo)


def test_log_id_carries_the_ingestion_time(demo: list[dict[str, Any]]) -> None:
    for e in demo:
        digits = e["log_id"][3:20]  # yyyyMMddHHmmssSSS
        ingested = (f"{digits[0:4]}-{digits[4:6]}-{digits[6:8]}T{digits[8:10]}:{digits[10:12]}:"
                    f"{digits[12:14]}.{digits[14:17]}Z")
        lag = ms(ingested) - ms(e["date"])
        assert 0 < lag <= 15 * 60_000


def test_log_id_order_roughly_follows_date_order(demo: list[dict[str, Any]]) -> None:
    inversions = sum(1 for a, b in zip(demo, demo[1:]) if b["log_id"] < a["log_id"])
    assert 0.002 <= inversions / len(demo) <= 0.03


def test_log_ids_unique_at_scale() -> None:
    ids = [e["log_id"] for e in generate_events(100_000, seed=5)]
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 56 for i in ids)


# ---------------------------------------------------------------- scenarios


def test_credential_stuffing(demo: list[dict[str, Any]]) -> None:
    facts = SCENARIOS["credential_stuffing"]
    ips = facts["ips"]
    assert len(ips) == 3 and sum(":" in ip for ip in ips) == 1
    wave = [e for e in demo if e.get("ip") in ips]
    failures = [e for e in wave if e["type"] in ("fu", "fp")]
    assert len(failures) == facts["failed_logins"] == facts["fu"] + facts["fp"]
    assert Counter(e["type"] for e in failures) == {"fu": facts["fu"], "fp": facts["fp"]}
    assert len({e["user_name"] for e in failures}) == facts["distinct_user_names"] >= 100
    assert all(facts["start"] <= e["date"] <= facts["end"] for e in failures)
    assert all(e["client_name"] == facts["client_name"] for e in failures)
    # Each IP is blocked (limit_mu) after its wave of failures.
    blocks = by_type(demo, "limit_mu")
    assert [(b["ip"], b["date"]) for b in blocks] == [(x["ip"], x["date"]) for x in facts["limit_mu"]]
    for block in blocks:
        assert all(e["date"] < block["date"] for e in failures if e["ip"] == block["ip"])
    # Brute-force protection (limit_wc) for the accounts hammered ten times in a row.
    wc = by_type(demo, "limit_wc")
    assert [(e["ip"], e["user_name"], e["date"]) for e in wc] == [
        (x["ip"], x["user_name"], x["date"]) for x in facts["limit_wc"]]
    for block in wc:
        tries = [e for e in failures if e["ip"] == block["ip"] and e["user_name"] == block["user_name"]]
        assert len(tries) >= 10 and all(e["type"] == "fp" for e in tries)
    assert any(not e["user_name"].isascii() for e in wc)


def test_breached_passwords(demo: list[dict[str, Any]]) -> None:
    facts = SCENARIOS["breached_password"]
    for code in ("pwd_leak", "reset_pwd_leak", "signup_pwd_leak"):
        (event,) = by_type(demo, code)
        assert event["date"] == facts[code]["date"]
        assert event["ip"] == facts[code]["ip"]
        assert event["user_name"] == facts[code]["user_name"]
        assert f"IP address: {event['ip']}" in event["description"]


def test_admin_changes(demo: list[dict[str, Any]]) -> None:
    facts = SCENARIOS["admin_changes"]
    rogue = facts["suspicious"]
    admin_events = [e for e in demo if e["type"] in ("sapi", "mgmt_api_read")
                    and e["details"]["request"].get("auth", {}).get("user", {}).get("email") == rogue["admin"]]
    night = [e for e in admin_events if e["ip"] == rogue["ip"]]
    assert [(e["date"], e["type"], e["details"]["request"]["method"], e["details"]["request"]["path"])
            for e in night] == [(op["date"], op["type"], op["method"], op["path"]) for op in rogue["operations"]]
    assert all(e["location_info"]["country_code"] == rogue["country_code"] for e in night)
    assert all(e["date"][11:13] < "05" for e in night)
    assert any(op["path"].endswith("/roles") and op["method"] == "post" for op in rogue["operations"])
    # Everything else this admin did came from the office, on weekdays, in office hours.
    for e in admin_events:
        if e["ip"] != rogue["ip"]:
            assert e["ip"] in facts["office_ips"]
            assert "07" <= e["date"][11:13] < "18"
    # The role went to an account that signed up from the same IP minutes earlier.
    (signup,) = [e for e in by_type(demo, "ss") if e["user_name"] == rogue["rogue_account"]]
    assert signup["ip"] == rogue["ip"] and signup["date"] < rogue["operations"][0]["date"]
    for op in facts["routine"]:
        assert any(e["date"] == op["date"] and e["description"] == op["description"] for e in demo)


def test_account_takeover(demo: list[dict[str, Any]]) -> None:
    facts = SCENARIOS["account_takeover"]
    mine = [e for e in demo if e.get("user_id") == facts["user_id"] or e.get("user_name") == facts["user_name"]]
    failures = [e for e in mine if e["type"] == "fp" and e["ip"] == facts["ip"]]
    assert [e["date"] for e in failures] == facts["failures"]
    (takeover,) = [e for e in mine if e["type"] == "s" and e["ip"] == facts["ip"]]
    assert takeover["date"] == facts["success"] > max(facts["failures"])
    assert takeover["location_info"]["country_code"] == facts["country_code"] != facts["home_country_code"]
    assert takeover["details"]["riskAssessment"]["assessments"]["ImpossibleTravel"]["code"]
    earlier = [e for e in mine if e["type"] == "s" and e["date"] < takeover["date"]]
    assert earlier and all(e["location_info"]["country_code"] == facts["home_country_code"] for e in earlier)


def test_deprecation_notices(demo: list[dict[str, Any]]) -> None:
    notes = by_type(demo, "depnote")
    assert [(e["date"], e["description"]) for e in notes] == [
        (n["date"], n["description"]) for n in SCENARIOS["deprecation_notice"]]
    assert all("deprecat" in e["description"].lower() for e in notes)
    assert any(e["details"].get("size_exceeded") is True for e in notes)


def test_mfa_events(demo: list[dict[str, Any]]) -> None:
    facts = SCENARIOS["mfa"]
    assert any(e["type"] == "gd_enrollment_complete" and e["user_name"] == facts["enrollment"]["user_name"]
               for e in demo)
    rejected = [e for e in by_type(demo, "gd_auth_rejected") if e["user_name"] == facts["push_rejected"]["user_name"]]
    assert len(rejected) >= facts["push_rejected"]["rejections"]
    assert any(e["ip"] == facts["push_rejected"]["rejected_from"] for e in rejected)
    assert any(e["type"] == "gd_recovery_succeed" and e["user_name"] == facts["recovery"]["user_name"]
               for e in demo)
    carmen = [e for e in demo if e.get("user_name") == facts["otp_rate_limit"]["user_name"]]
    assert sum(e["type"] == "gd_auth_failed" for e in carmen) >= 10
    assert any(e["type"] == "gd_otp_rate_limit_exceed" for e in carmen)
    assert len({e["user_id"] for e in demo if e["type"].startswith("gd_") and e.get("user_id")}) >= 10


def test_scenario_facts_match_for_other_windows() -> None:
    facts = gen.scenario_facts("2026-01-05T00:00:00.000Z", 7)
    events = list(generate_events(3000, start="2026-01-05T00:00:00.000Z", days=7))
    blocks = by_type(events, "limit_mu")
    assert [b["date"] for b in blocks] == [x["date"] for x in facts["credential_stuffing"]["limit_mu"]]


# ---------------------------------------------------------------- export


def test_committed_fixture_equals_fresh_generation(tmp_path: Path) -> None:
    manifest = write_demo_export(tmp_path)
    fresh = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(FIXTURE).as_posix() for p in FIXTURE.rglob("*") if p.is_file())
    assert committed == fresh, "regenerate with: python -m auth0_logq.demo.generate fixtures/demo-tenant"
    for rel in fresh:
        assert (FIXTURE / rel).read_bytes() == (tmp_path / rel).read_bytes(), rel
    assert json.loads((FIXTURE / "manifest.json").read_text(encoding="utf-8")) == manifest


def test_export_files_are_what_the_manifest_says(demo: list[dict[str, Any]]) -> None:
    manifest = json.loads((FIXTURE / "manifest.json").read_text(encoding="utf-8"))
    total = 0
    for f in manifest["files"]:
        data = (FIXTURE / f["path"]).read_bytes()
        assert len(data) == f["bytes"] and hashlib.sha256(data).hexdigest() == f["sha256"]
        total += len(data)
    assert total < 5_000_000
    lines = (FIXTURE / "tenant-logs.ndjson").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == demo
    assert manifest["events"] == len(demo)
    assert manifest["types"] == dict(sorted(Counter(e["type"] for e in demo).items()))


def test_api_pages(demo: list[dict[str, Any]]) -> None:
    manifest = json.loads((FIXTURE / "manifest.json").read_text(encoding="utf-8"))
    arrays = [f for f in manifest["files"] if f["format"] == "mgmt-api-array"]
    totals = [f for f in manifest["files"] if f["format"] == "mgmt-api-include-totals"]
    assert arrays and len(arrays) == len(totals)
    day = arrays[0]["path"].split("logs-")[1][:10]
    expected = sorted((e for e in demo if e["date"].startswith(day)), key=lambda e: (e["date"], e["log_id"]),
                      reverse=True)
    paged: list[dict[str, Any]] = []
    for n, (array_file, totals_file) in enumerate(zip(arrays, totals)):
        page = json.loads((FIXTURE / array_file["path"]).read_text(encoding="utf-8"))
        obj = json.loads((FIXTURE / totals_file["path"]).read_text(encoding="utf-8"))
        assert list(obj) == ["start", "limit", "length", "total", "logs"]
        assert obj["logs"] == page and obj["start"] == n * 100 and obj["length"] == len(page) <= 100
        assert f"page={n}" in array_file["request"] and "include_totals=true" in totals_file["request"]
        paged.extend(page)
    assert paged == expected
    assert (FIXTURE / totals[0]["path"]).read_text(encoding="utf-8").startswith('{\n  "start": 0,')


def test_ndjson_writer_matches_export_bytes(demo: list[dict[str, Any]]) -> None:
    buffer = io.BytesIO()
    assert gen.write_ndjson(demo, buffer) == len(demo)
    assert buffer.getvalue() == (FIXTURE / "tenant-logs.ndjson").read_bytes()


def test_orjson_and_stdlib_lines_agree(demo: list[dict[str, Any]]) -> None:
    orjson = pytest.importorskip("orjson")
    for e in demo:
        assert orjson.dumps(e) == json.dumps(e, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def test_command_line_streams_ndjson(tmp_path: Path) -> None:
    out = tmp_path / "events.ndjson"
    assert gen.main(["--count", "500", "--seed", "9", "--ndjson", str(out)]) == 0
    lines = out.read_bytes().splitlines()
    assert len(lines) == 500
    assert [json.loads(line) for line in lines] == list(generate_events(500, seed=9))
