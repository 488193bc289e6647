"""Export record shapes: the sample of every shape, verbatim spans, wrappers, rejects, properties."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auth0_logq.engine.formats import MAX_NESTING, Unwrapped, element_spans, find_span, needs_unwrap, unwrap

from .conftest import DATA, ROOT
from .event_strategies import events

SAMPLES = DATA / "formats"
DEMO = ROOT / "fixtures" / "demo-tenant"

# The four events every sample carries some of (tests/data/formats: one tenant, streamed and exported
# through each tool), by log_id.
S = "90020261103140516095187000000000000001223372160000004112"  # s
FP = "90020261103140643210934000000000000001223372160000004113"  # fp
SAPI = "90020261103140905477210000000000000001223372160000004114"  # sapi
LEAK = "90020261103141200818305000000000000001223372160000004115"  # pwd_leak
TYPES = {S: "s", FP: "fp", SAPI: "sapi", LEAK: "pwd_leak"}

# file -> (shape, log_ids in order, path from a record (or a batch element) to its event).
# "$json" in a path: the value there is a string holding JSON, parsed before going on.
CASES: dict[str, tuple[str, list[str], list[str]]] = {
    "mgmt-api-page.json": ("event", [S, FP, SAPI], []),
    "auth0-cli-logs-list.json": ("event", [LEAK, SAPI, FP, S], []),
    "log-stream-jsonlines.ndjson": ("log_stream", [S, FP, SAPI, LEAK], ["data"]),
    "log-stream-jsonarray.json": ("log_stream", [S, FP, SAPI], ["data"]),
    "log-stream-jsonobject.json": ("log_stream", [FP, SAPI, LEAK], ["data"]),
    "eventbridge.ndjson": ("eventbridge", [S, FP, SAPI, LEAK], ["detail", "data"]),
    "eventbridge-array.json": ("eventbridge", [S, FP], ["detail", "data"]),
    "eventbridge-detail.json": ("eventbridge_detail", [FP], ["detail"]),
    "splunk-hec.ndjson": ("splunk_hec", [S, FP, SAPI], ["event", "data"]),
    "splunk-extension-hec.json": ("splunk_hec", [S, FP], ["event", "message"]),
    "splunk-extension-send.ndjson": ("splunk_extension", [SAPI, LEAK], ["message"]),
    "splunk-export.ndjson": ("splunk_export", [S, FP, SAPI, LEAK], ["result", "_raw", "$json", "data"]),
    "cloudwatch.ndjson": ("cloudwatch", [S, FP, SAPI, LEAK], ["message", "$json"]),
    "cloudwatch-get-log-events.json": ("cloudwatch", [S, FP, SAPI], ["message", "$json"]),
    "logstash.ndjson": ("logstash", [S, FP, SAPI, LEAK], ["message", "$json"]),
    "sumo-search-job-messages.json": ("sumo", [S, FP, SAPI], ["map", "_raw", "$json", "data"]),
    "sumo-export.ndjson": ("sumo", [SAPI, LEAK], ["_raw", "$json", "data"]),
    "sumo-extension.ndjson": ("event", [S, FP, SAPI, LEAK], []),
    "datadog-api-logs.json": ("datadog", [S, FP, SAPI], ["attributes", "attributes", "data"]),
    "datadog-archive.ndjson": ("datadog", [S, FP, SAPI, LEAK], ["attributes", "data"]),
}
LEGACY_AZURE = sorted((SAMPLES / "legacy-azure").rglob("*.json"))


# -- helpers -----------------------------------------------------------------------------------------


def records(path: Path) -> list[str]:
    """A sample file's records as the importer reads them: lines of NDJSON, else each JSON document."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ndjson":
        return [line for line in text.splitlines() if line.strip()]
    decoder, i = json.JSONDecoder(), 0
    out: list[str] = []
    while True:
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
        if i == len(text):
            return out
        _, end = decoder.raw_decode(text, i)
        out.append(text[i:end])
        i = end


def elements(record: str) -> list[str]:
    """The texts a record's events are cut from: the record, or each element of its batch."""
    value = json.loads(record)
    if isinstance(value, list):
        return [record[s:e] for s, e in element_spans(record)]
    if isinstance(value, dict) and "log_id" not in value and "_id" not in value:
        for key in ("logs", "events", "messages", "data"):
            if isinstance(value.get(key), list):
                start, end = find_span(record, [key])
                inner = record[start:end]
                return [inner[s:e] for s, e in element_spans(inner)]
    return [record]


def one(value: Any, text: str) -> Unwrapped:
    """The single event `unwrap` finds in a record."""
    result = unwrap(value, text)
    assert not isinstance(result, str), result
    [u] = result
    return u


def follow(value: Any, path: list[str]) -> Any:
    for step in path:
        value = json.loads(value) if step == "$json" else value[step]
    return value


def assert_reconstructs(record: str, wrapper: str, event_text: str) -> None:
    """`wrapper` is `record` with `event_text` replaced by `null` at one place."""
    i = 0
    while i < min(len(record), len(wrapper)) and record[i] == wrapper[i]:
        i += 1
    assert wrapper[i : i + 4] == "null"
    assert wrapper[:i] + event_text + wrapper[i + 4 :] == record


def assert_string_wrapper(record: str, wrapper: str, path: list[str], event_text: str) -> None:
    """For an event carried in a JSON string: the string's place holds null or the inner wrapper."""
    cut = path.index("$json")
    outer, inner_path = path[:cut], path[cut + 1 :]
    original, kept = json.loads(record), json.loads(wrapper)
    decoded = follow(original, outer)
    held = follow(kept, outer)
    if inner_path:
        assert isinstance(held, str)
        assert_reconstructs(decoded, held, event_text)
    else:
        assert held is None and decoded.strip() == event_text
    parent = kept
    for step in outer[:-1]:
        parent = parent[step]
    parent[outer[-1]] = decoded  # putting the string back gives the record's value
    assert kept == original


# -- every sample -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CASES))
def test_sample_unwraps_to_its_events(name: str) -> None:
    shape, log_ids, path = CASES[name]
    found: list[tuple[str, Unwrapped, str]] = []
    for record in records(SAMPLES / name):
        result = unwrap(json.loads(record), record)
        assert not isinstance(result, str), result
        texts = elements(record)
        assert len(texts) == len(result)
        found.extend((record, u, text) for u, text in zip(result, texts))
    assert [u.event["log_id"] for _, u, _ in found] == log_ids
    for record, u, element in found:
        assert u.shape == shape
        assert u.event["type"] == TYPES[u.event["log_id"]]
        expected = follow(json.loads(element), path)
        assert json.loads(u.text) == expected == u.event
        if "$json" in path:
            assert u.wrapper is not None
            assert_string_wrapper(element, u.wrapper, path, u.text)
        elif path:
            assert u.text in record  # verbatim: a substring of the record, never re-serialised
            assert u.wrapper is not None
            assert_reconstructs(element, u.wrapper, u.text)
        else:
            assert u.text == element and u.wrapper is None


def test_every_sample_file_has_a_case() -> None:
    on_disk = {p.name for p in SAMPLES.iterdir() if p.is_file()}
    assert on_disk == set(CASES)


@pytest.mark.parametrize("path", LEGACY_AZURE, ids=lambda p: p.name[-8:])
def test_legacy_extension_file_gets_its_type_code(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    value = json.loads(text)
    assert needs_unwrap(value)
    u = one(value, text)
    assert u.shape == "legacy_extension"
    assert u.text == text and u.wrapper is None
    assert u.event["type"] == value["type_code"] == TYPES[value["log_id"]]
    assert value["type"] != value["type_code"]  # the record keeps its human-readable name
    assert {k: v for k, v in u.event.items() if k != "type"} == {k: v for k, v in value.items() if k != "type"}
    assert path.stem == value["_id"] and path.parent.name == value["date"][11:13]  # YYYY/MM/DD/HH/<_id>.json


def test_legacy_extension_tree_holds_each_event_once() -> None:
    ids = [json.loads(p.read_text(encoding="utf-8"))["log_id"] for p in LEGACY_AZURE]
    assert sorted(ids) == sorted(TYPES)


def test_auth0_cli_output_is_bare_and_needs_no_unwrap() -> None:
    text = (SAMPLES / "auth0-cli-logs-list.json").read_text(encoding="utf-8")
    assert text.startswith("[\n    {\n") and not text.endswith("\n")  # MarshalIndent, 4 spaces, no newline
    for element in elements(text):
        value = json.loads(element)
        assert value["log_id"] == value["_id"]
        assert "scope" not in value and "location_info" in value  # every struct key, scope dropped
        assert not needs_unwrap(value)


# -- needs_unwrap: the hot path -------------------------------------------------------------------------


def test_needs_unwrap_is_false_for_every_demo_event() -> None:
    # Timed over these 4,000 lines (orjson-parsed) on the 2-core dev box under load: about 0.09 µs
    # per call, loop included (`timeit` over the list, best of 3). Not asserted: timings are noisy.
    lines = (DEMO / "tenant-logs.ndjson").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4000
    for line in lines:
        value = json.loads(line)
        assert not needs_unwrap(value), line[:80]
        assert unwrap(value, line) == [Unwrapped(line, value, "event", None)]


def test_needs_unwrap_is_false_for_management_api_pages() -> None:
    for path in sorted((DEMO / "mgmt-api").glob("*.json")):
        page = json.loads(path.read_text(encoding="utf-8"))
        for event in page["logs"] if isinstance(page, dict) else page:
            assert not needs_unwrap(event)


@pytest.mark.parametrize(
    "name", ["log-stream-jsonlines.ndjson", "datadog-archive.ndjson", "logstash.ndjson", "eventbridge.ndjson"]
)
def test_needs_unwrap_is_true_for_wrappers(name: str) -> None:
    for record in records(SAMPLES / name):
        assert needs_unwrap(json.loads(record))


def test_needs_unwrap_false_means_unwrap_returns_the_record() -> None:
    # Keys other shapes use, beside a top-level log_id, leave the record a bare event.
    value = {"log_id": "1", "type": "s", "event": {"log_id": "2"}, "properties": {"log_id": "3"}, "_raw": "{}"}
    text = json.dumps(value)
    assert not needs_unwrap(value)
    assert unwrap(value, text) == [Unwrapped(text, value, "event", None)]


# -- decisions --------------------------------------------------------------------------------------------


def test_log_stream_data_without_log_id_takes_the_wrappers() -> None:
    text = '{"log_id": "900123", "data": {"date": "2026-11-03T14:05:12.927Z", "type": "s",  "user_name": "zoë"}}'
    value = json.loads(text)
    u = one(value, text)
    assert u.shape == "log_stream"
    assert u.text == '{"date": "2026-11-03T14:05:12.927Z", "type": "s",  "user_name": "zoë"}'  # verbatim
    assert u.event == {**value["data"], "log_id": "900123"}
    assert "log_id" not in value["data"]  # a copy: the parsed record is not touched
    assert u.wrapper == '{"log_id": "900123", "data": null}'


def test_inner_log_id_wins_over_the_wrappers() -> None:
    text = '{"log_id":"A","data":{"type":"s","log_id":"B"}}'
    u = one(json.loads(text), text)
    assert u.event["log_id"] == "B"


def test_eventbridge_detail_log_id_is_lent_to_data() -> None:
    text = '{"detail-type":"Auth0 log","detail":{"log_id":"900777","data":{"type":"fp","date":"2026-11-03T14:05:12.927Z"}}}'
    u = one(json.loads(text), text)
    assert (u.shape, u.event["log_id"], u.event["type"]) == ("eventbridge", "900777", "fp")


@pytest.mark.parametrize(
    "value",
    [
        {"log_id": "1", "type": "s", "data": {"foo": 1}},  # data that is no log
        {"log_id": "1", "type": "s", "message": "user logged in"},  # plain-text message
        {"log_id": "1", "type": "s", "message": "[1, 2]"},
        {"log_id": "1", "type": "s", "attributes": {"plan": "pro"}},  # attributes lend no id
        {"_id": "AAAAAZpF", "attributes": {"service": "other", "date": "2026-11-03"}},
    ],
)
def test_an_event_whose_wrapper_keys_lead_nowhere_is_a_bare_event(value: dict[str, Any]) -> None:
    text = json.dumps(value)
    assert needs_unwrap(value)
    assert unwrap(value, text) == [Unwrapped(text, value, "event", None)]


def test_logstash_message_is_the_event_the_record_is_the_wrapper() -> None:
    record = records(SAMPLES / "logstash.ndjson")[0]
    value = json.loads(record)
    u = one(value, record)
    assert u.text == value["message"]  # JSON.stringify(log): the original event text
    assert "post_date" not in u.event and "type_description" not in u.event


def test_mixpanel_and_gcp_logging_shapes() -> None:
    log = {"log_id": "900888", "type": "s", "date": "2026-11-03T14:05:12.927Z"}
    mixpanel = json.dumps({"event": "Success Login", "properties": {**log, "time": 1793714712, "distinct_id": "auth0|1"}})
    u = one(json.loads(mixpanel), mixpanel)
    assert (u.shape, u.event["log_id"]) == ("mixpanel", "900888")
    gcp = json.dumps({"insertId": "1x2y", "jsonPayload": log, "logName": "projects/acme/logs/auth0", "timestamp": "2026-11-03T14:05:13Z"})
    u = one(json.loads(gcp), gcp)
    assert (u.shape, u.event) == ("gcp_logging", log)


def test_datadog_flattened_record() -> None:
    log = {"date": "2026-11-03T14:05:12.927Z", "type": "s", "log_id": "900999"}
    text = json.dumps({"data": log, "log_id": "900999", "service": "auth0", "ddsource": "auth0", "host": "acme-prod.eu.auth0.com"})
    u = one(json.loads(text), text)
    assert (u.shape, u.event) == ("datadog", log)


def test_cloudwatch_logs_insights_export() -> None:
    log = {"date": "2026-11-03T14:05:12.927Z", "type": "f", "log_id": "900555"}
    text = json.dumps([{"@timestamp": "2026-11-03 14:05:16.000", "@message": json.dumps(log), "@logStream": "auth0"}], indent=2)
    u = one(json.loads(text), text)
    assert (u.shape, u.event, u.text) == ("cloudwatch", log, json.dumps(log))


def test_message_string_keeps_its_json_verbatim_without_surrounding_space() -> None:
    inner = '{ "log_id" : "1",\n  "type":"s" }'
    text = json.dumps({"timestamp": 1, "message": "  " + inner + "\n"})
    u = one(json.loads(text), text)
    assert u.text == inner
    assert u.wrapper == '{"timestamp": 1, "message": null}'


def test_message_with_a_wrapper_inside_keeps_the_inner_wrapper() -> None:
    stream = '{"log_id":"7","data":{"type":"s","log_id":"7"}}'
    text = json.dumps({"timestamp": 1, "message": stream})
    u = one(json.loads(text), text)
    assert u.text == '{"type":"s","log_id":"7"}'
    assert json.loads(u.wrapper or "") == {"timestamp": 1, "message": '{"log_id":"7","data":null}'}


def test_lone_surrogate_carried_by_a_string_is_written_back_as_an_escape() -> None:
    text = '{"timestamp": 1, "message": "{\\"log_id\\": \\"1\\", \\"user_name\\": \\"x\\ud800y\\"}"}'
    value = json.loads(text)
    u = one(value, text)
    assert u.text == '{"log_id": "1", "user_name": "x\\ud800y"}'
    assert json.loads(u.text) == u.event and u.event["user_name"] == "x\ud800y"
    u.text.encode("utf-8")  # storable


def test_duplicate_keys_resolve_like_json_loads() -> None:
    text = '{"log_id":"1","data":{"type":"x","log_id":"2"},"data":{"type":"s","log_id":"3"}}'
    u = one(json.loads(text), text)
    assert u.text == '{"type":"s","log_id":"3"}'
    assert_reconstructs(text, u.wrapper or "", u.text)


def test_batches() -> None:
    text = (SAMPLES / "log-stream-jsonarray.json").read_text(encoding="utf-8")
    found = unwrap(json.loads(text), text)
    assert not isinstance(found, str)
    for u, element in zip(found, elements(text)):
        assert_reconstructs(element, u.wrapper or "", u.text)  # relative to the element
    assert unwrap([], "[]") == []
    assert unwrap({"logs": []}, '{"logs": []}') == []
    page = '{"start":0,"limit":2,"length":2,"total":2,"logs":[{"log_id":"1"} , {"_id":"2"}]}'
    found = unwrap(json.loads(page), page)
    assert not isinstance(found, str)
    assert [(u.text, u.wrapper) for u in found] == [('{"log_id":"1"}', None), ('{"_id":"2"}', None)]


# -- rejects ------------------------------------------------------------------------------------------------

REJECTS: list[tuple[str, str | None]] = [
    ('"a string"', "not a log event: a string, not an object"),
    ("42", "not a log event: a number, not an object"),
    ("null", "not a log event: null, not an object"),
    ("true", "not a log event: a boolean, not an object"),
    ("{}", "not a log event: no log_id or _id"),
    ('{"log_id": null, "_id": ["x"]}', "not a log event: log_id is null, _id is an array"),
    ('{"timestamp": 1, "message": "user logged in"}', "not a log event: message is a string that is not JSON (Expecting value: line 1 column 1 (char 0))"),
    ('{"timestamp": 1, "message": ""}', "not a log event: message is a string that is not JSON (it is empty)"),
    ('{"timestamp": 1, "message": "[1, 2]"}', "not a log event: message (a JSON string) is an array, not an object"),
    ('{"timestamp": 1, "message": "{\\"foo\\": 1}"}', "not a log event: no log_id or _id in message"),
    ('{"timestamp": 1, "message": "{\\"log_id\\": \\"1\\"} {}"}', "not a log event: message is a string with text after its JSON value (char 15)"),
    ('{"timestamp": 1, "message": "{\\"log_id\\": }"}', "not a log event: message is a string that is not JSON (Expecting value: line 1 column 12 (char 11))"),
    ('{"detail-type": "Auth0 log", "detail": {"foo": 1}}', "not a log event: no log_id or _id in detail"),
    ('{"detail-type": "Auth0 log", "detail": {"log_id": "1", "data": {"foo": 1}}}', None),  # detail itself is an event
    ('{"data": {"type": "s"}}', "not a log event: no log_id or _id in data"),
    ('{"event": {"log_id": "1", "data": {}}, "time": 1}', None),
    ('{"event": "Success Login", "properties": {"foo": 1}}', "not a log event: no log_id or _id in properties"),
    ('{"result": {"_raw": "not json", "_time": "x"}}', "not a log event: result._raw is a string that is not JSON (Expecting value: line 1 column 1 (char 0))"),
    ('[{"log_id": "1"}, 5]', "not a log event: element 2 of the array: a number, not an object"),
    ('{"logs": [{"log_id": "1"}, {"x": 1}]}', "not a log event: element 2 of logs: no log_id or _id"),
    ('{"events": [{"timestamp": 1, "message": "oops"}]}', "not a log event: element 1 of events: message is a string that is not JSON (Expecting value: line 1 column 1 (char 0))"),
]


@pytest.mark.parametrize("text,reason", REJECTS)
def test_rejects_say_why(text: str, reason: str | None) -> None:
    result = unwrap(json.loads(text), text)
    if reason is None:
        assert not isinstance(result, str) and len(result) == 1
    else:
        assert result == reason


def test_nesting_is_bounded() -> None:
    value: Any = {"log_id": "1", "type": "s"}
    for _ in range(MAX_NESTING):
        value = {"event": value}
    text = json.dumps(value)
    u = one(value, text)
    assert u.event["log_id"] == "1"
    deeper = {"event": value}
    assert unwrap(deeper, json.dumps(deeper)) == f"not a log event: wrappers nested more than {MAX_NESTING} deep at " + ".".join(["event"] * MAX_NESTING)


def test_text_that_does_not_hold_the_value_is_a_caller_error() -> None:
    with pytest.raises(ValueError):
        unwrap({"log_id": "1", "data": {"type": "s"}}, '{"log_id": "1"}')


# -- the span finder ----------------------------------------------------------------------------------------


def test_find_span_examples() -> None:
    text = ' {"a" : [1, {"b\\u0022c": "x", "d": {"e" :null}}],\n "d\\u0061ta":{"k":"v"} } '
    assert text[slice(*find_span(text))] == text.strip()
    assert text[slice(*find_span(text, ["a", 1, "d", "e"]))] == "null"
    assert text[slice(*find_span(text, ["a", 1, 'b"c']))] == '"x"'
    assert text[slice(*find_span(text, ["a", -1, "d"]))] == '{"e" :null}'
    assert text[slice(*find_span(text, ["data"]))] == '{"k":"v"}'  # a key spelled with an escape
    with pytest.raises(KeyError):
        find_span(text, ["nope"])
    with pytest.raises(KeyError):
        find_span(text, ["a", "b"])  # a crosses an array
    with pytest.raises(IndexError):
        find_span(text, ["a", 2])
    with pytest.raises(ValueError):
        find_span('{"a": tru}', ["a"])
    with pytest.raises(ValueError):
        find_span('{"a": 1 "b": 2}', ["b"])


def test_find_span_takes_the_last_of_repeated_keys() -> None:
    text = '{"a": {"b": 1}, "a": {"b": 22}}'
    assert text[slice(*find_span(text, ["a", "b"]))] == "22"
    with pytest.raises(KeyError):
        find_span('{"a": {"b": 1}, "a": 2}', ["a", "b"])


_keys = st.text(st.characters(codec="utf-8"), max_size=6) | st.sampled_from(["data", "log_id", 'q"uote', "back\\slash", "é", "\n"])
_scalars = st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8)
_json_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4), max_leaves=25)
_formats = st.fixed_dictionaries(
    {
        "indent": st.sampled_from([None, 0, 1, 2, 4, "\t"]),
        "separators": st.sampled_from([(",", ":"), (", ", ": "), (" ,", " : "), (",\n", ":\t")]),
        "ensure_ascii": st.booleans(),
    }
)


def _paths(value: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


@given(st.dictionaries(_keys, _json_values, min_size=1, max_size=5), _formats, st.data())
def test_find_span_is_the_exact_text_of_the_value(value: dict[str, Any], fmt: dict[str, Any], data: st.DataObject) -> None:
    text = " " + json.dumps(value, **fmt) + "\n"
    path = data.draw(st.sampled_from(_paths(value)))
    start, end = find_span(text, path)
    expected: Any = value
    for step in path:
        expected = expected[step]
    assert json.loads(text[start:end]) == expected  # the whole span is one value, and the right one
    assert text[start] not in " \t\r\n" and text[end - 1] not in " \t\r\n"
    replaced = json.loads(text[:start] + "null" + text[end:])  # and it sits exactly at the path
    if path:
        target: Any = value
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = None
        assert replaced == value
    else:
        assert replaced is None


# -- every shape, any formatting --------------------------------------------------------------------------

WRAPS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "log_stream": lambda e: {"log_id": e["log_id"], "data": e},
    "eventbridge": lambda e: {"version": "0", "id": "6b4b", "detail-type": "Auth0 log", "source": "aws.partner/auth0.com/t/auth0.logs", "detail": {"log_id": e["log_id"], "data": e}},
    "eventbridge_detail": lambda e: {"detail-type": "Auth0 log", "detail": e, "resources": []},
    "splunk_hec": lambda e: {"time": 1.5, "event": {"log_id": e["log_id"], "data": e}, "sourcetype": "auth0"},
    "splunk_extension": lambda e: {"message": e, "metadata": {"time": 1}},
    "datadog": lambda e: {"_id": "AAAA", "date": "x", "attributes": {"log_id": e["log_id"], "data": e}, "tags": []},
    "cloudwatch": lambda e: {"timestamp": 1, "message": json.dumps(e)},
    "sumo": lambda e: {"map": {"_messagetime": "1", "_raw": json.dumps({"log_id": e["log_id"], "data": e}, indent=1)}},
}


@given(events(), st.sampled_from(sorted(WRAPS)), _formats)
def test_unwrap_finds_the_event_in_any_formatting(event: dict[str, Any], shape: str, fmt: dict[str, Any]) -> None:
    record = WRAPS[shape](event)
    text = json.dumps(record, **fmt)
    result = unwrap(json.loads(text), text)
    assert not isinstance(result, str), result
    [u] = result
    assert u.shape == shape
    assert json.loads(u.text) == event == u.event
    assert u.wrapper is not None
    if shape not in ("cloudwatch", "sumo"):
        assert u.text in text
        assert_reconstructs(text, u.wrapper, u.text)
