"""Export record shapes: where the Auth0 log event sits inside each record a tool left on disk.

The importer parses records (array elements, NDJSON lines, the elements of a page's `logs`); this
module says, for one parsed record and its exact source text, which log events it holds. Pure: no
I/O, no printing, nothing kept between calls.

How the importer uses it (the fast path stays a few dict lookups per event)::

    if <value has a usable log_id/_id> and not needs_unwrap(value):
        store(text, value)                      # a bare event, as today
    else:
        found = unwrap(value, text)             # [Unwrapped, ...], [] or "not a log event: ..."

Shapes, tried in this order on an object (reference/auth0-logs.md §4). "Event at" is the key path of
the log event; `"..."` marks a value that is a JSON *string* holding the event's JSON text.

| shape | recognised by | event at | source |
|---|---|---|---|
| `event` | a bare event: string/number `log_id` or `_id`, none of the rules below | the record | Management API array or page element; Auth0 CLI `logs list --json` (every key present, null when empty: indistinguishable from go-auth0-serialised API output, and nothing to unwrap); legacy Sumo Logic extension lines (the log plus `sessionId`, `timestamp`) |
| `legacy_extension` | a bare event with a string `type_code` | the record | "Auth0 Logs to Azure Blob Storage" per-log files `YYYY/MM/DD/HH/<_id>.json`: `type` holds the human name ("Success Login"), `type_code` the code. `event` is a copy with `type` = `type_code`, so `type:s` finds it |
| `eventbridge` | `detail` object, and `detail-type` present or `source` starting `aws.partner/auth0.com` | `detail.data` | Amazon EventBridge envelope, `detail` = `{log_id, data}` |
| `eventbridge_detail` | as above, `detail` is itself the event | `detail` | hand-made EventBridge test events (aws-samples) |
| `datadog` | `attributes` object | `attributes[.attributes]...data` | Datadog Logs API v2 element `{id, type: "log", attributes: {service, attributes: {log_id, data}}}` and Datadog archive lines `{_id, date, service, attributes: {log_id, data}}` |
| `datadog` | `data` object, and `ddsource`, `ddtags` or `service` present | `data` | a Datadog log flattened to `{data, log_id, service, ...}` |
| `log_stream` | `data` object | `data` | log stream custom webhook record `{log_id, data}` (JSONLINES; JSONARRAY and JSONOBJECT are batches, below), also Elastic's CEL wrapper |
| `splunk_hec` | `event` object, or `event` string holding JSON | `event` | Splunk HEC payloads: the log stream's `{event: {log_id, data}}`; the legacy extension's `{time, event: {message: <log>, severity}}` |
| `splunk_export` | `result` object | `result._raw` "..." | `splunk search ... -output json` / REST export lines `{preview, offset, result: {_raw, _time, ...}}` |
| `sumo` | `map` object | `map._raw` "..." | Sumo Logic Search Job API messages `{map: {_raw, _messagetime, ...}}` |
| `mixpanel` | `properties` object and `event` a string (the type name) | `properties` | legacy Mixpanel extension events |
| `splunk_extension` | `message` object | `message` | legacy Splunk extension body `{message: <log>, metadata: {time}}` |
| `gcp_logging` | `jsonPayload` object | `jsonPayload` | Google Cloud Logging entries (legacy Cloud Logging extensions) |
| `logstash` | `message` string and `post_date` or `type_description` present | `message` "..." | legacy Logstash extension: the log, plus `post_date`, `type_description`, `index`, and `message` = JSON.stringify(log) |
| `cloudwatch` | `message` string and `timestamp`, `ingestionTime` or `logStreamName` present; or `@message` string | `message` "..." | legacy CloudWatch extension `{timestamp, message}`, `aws logs get-log-events` / `filter-log-events` events, Logs Insights JSON export (`@message`) |
| `sumo` | `_raw` or `message` string, and a Sumo field (`_messagetime`, `_receipttime`, `_sourcecategory`, `_collector`) present | `_raw`/`message` "..." | Sumo Logic search exports |
| `splunk_export` | `_raw` string | `_raw` "..." | Splunk search results (`results` elements) |
| `json_message` | `message` string | `message` "..." | any other shipper that kept the log as a JSON string in `message` |

Batches: a record that is an array, or an object that is not itself an event holding a list under
`logs` (log-stream JSONOBJECT, Management API page), `events` (`aws logs get-log-events`),
`logEvents` (CloudWatch subscription / Firehose), `messages` (Sumo Search Job API), `results`
(Splunk JSON results) or `data` (Datadog Logs API page), gives the events of every element, each
element unwrapped on its own; an empty batch gives `[]`. One element that holds no event rejects the
whole record (the reason names the element): the record is kept verbatim as a reject, never
partly imported. Batches are opened only at the top of a record.

Decision rules:

* Wrapping is recursive (at most `MAX_NESTING` layers): the inner value of a rule is resolved by the
  same table, so `{event: {log_id, data}}`, `{result: {_raw: "{\\"log_id\\":…,\\"data\\":…}"}}` and
  `{message: "<JSON of {log_id, data}>"}` all reach the log. The shape is named after the outermost
  rule.
* A record that is itself an event (string/number `log_id` or `_id`) is only looked into through the
  keys `needs_unwrap` tests (`data`, `detail`, `attributes`, `message`, `type_code`); if none of them
  leads to an event it is a bare event, so a `message` that is plain text, or a `data` object that is
  no log, leaves the record as it is. Real Auth0 events carry `details` (plural), never `data`,
  `detail`, `attributes` or `message` (reference §3.1, §3.2).
* A record that is not itself an event and whose rules lead nowhere is not a log event; the reason
  names the path (`not a log event: message is a string that is not JSON (...)`, `... no log_id or
  _id in detail.data`).
* Log id inheritance: when `data` (or `detail.data`) has no `log_id`/`_id` but its wrapper has one,
  and `data` looks like a log (a string `type` or `date`), the wrapper's id is the event's: `event`
  is then a copy of `data` with `log_id` added; `text` stays the verbatim `data` text. An inner
  `log_id` always wins over the wrapper's. Only `data` borrows (the log-stream record's meaning):
  an `attributes`, `event` or `message` object without an id is no event, whatever its wrapper has.
* Legacy `type_code` is honoured wherever the event sits; the shape then names the outer wrapper.
* `text` is the exact substring of the record text holding the event, found by the span finder
  below (never re-serialised). For string-carried events it is the decoded string, without the
  whitespace around the JSON value; a lone UTF-16 surrogate that only the outer string's escapes could
  carry is written back as its `\\uXXXX` escape (the same JSON value, storable as UTF-8).
* `wrapper` is the record text with the event's span replaced by `null`, so `wrapper[:i] + text +
  wrapper[i + 4:]` is the record again, `i` being where the `null` went. For string-carried events
  the whole string literal is replaced (by `null` when the string was exactly the event, else by the
  JSON string of the inner wrapper), so the record comes back up to the spelling of escapes in that
  string. For a batch element, `wrapper` is relative to the element's own text. `None` for an event
  that needed no unwrapping (a bare or legacy-extension record, or a bare element of a batch).
* Value semantics follow `json.loads`: duplicate keys, last one wins (the span finder picks the
  same occurrence), `NaN`, big integers; strings inside strings are parsed strictly.

Speed: the shape is decided on the parsed values alone, then the text is walked once along that path
(wrapper members skipped by regex, the event scanned once by json's C scanner), however deep it sits.
On the 2-core dev box, under load: `needs_unwrap` about 0.1 µs; `unwrap` about 13 µs for a log-stream
line (75,000/s), 20 µs for an EventBridge envelope (50,000/s); string-carried shapes (CloudWatch,
Logstash, Sumo, Splunk export) parse the string once more, about 22 µs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

__all__ = ["MAX_NESTING", "Unwrapped", "element_spans", "find_span", "needs_unwrap", "unwrap"]

MAX_NESTING = 8  # wrapper layers looked through before a record is called malformed


@dataclass(frozen=True, slots=True)
class Unwrapped:
    """One log event found in a record.

    `text`: the event's own JSON text, verbatim (see the module docstring for string-carried events).
    `event`: the parsed event as the typed columns should see it; a copy when normalised (legacy
    `type_code`, inherited `log_id`), the record's own object otherwise.
    `shape`: how the record carried it (module docstring table).
    `wrapper`: the record text with the event replaced by `null`; None when nothing was unwrapped.
    """

    text: str
    event: dict[str, Any]
    shape: str
    wrapper: str | None


# -- the span finder ----------------------------------------------------------------------------------

_WS = re.compile(r"[ \t\n\r]*")
_skip_ws = cast(Callable[[str, int], "re.Match[str]"], _WS.match)  # always matches
_DECODER = json.JSONDecoder()
_scan_once: Callable[[str, int], tuple[Any, int]] = _DECODER.scan_once  # type: ignore[attr-defined]  # json.loads' C scanner
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]  # C, strict
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _end_of_value(text: str, i: int) -> int:
    """The index just past the JSON value starting at `text[i]`."""
    try:
        return _scan_once(text, i)[1]
    except StopIteration as stop:
        raise json.JSONDecodeError("Expecting value", text, stop.value) from None


# Members are read with regexes: a member whose value is a string, number, true, false or null (most
# wrapper members) in one match, key, value and the separator after it; any other member by its key,
# then its value scanned (or walked, when it is on the path), then the separator.
_WS_CLASS = r"[ \t\n\r]*+"
_KEY = r'"((?:[^"\\\x00-\x1f]++|\\.)*+)"' + _WS_CLASS + ":" + _WS_CLASS
_SCALAR = (  # strings with escapes take the other path: the regex would step through every escape
    r'"[^"\\\x00-\x1f]*+"'
    r"|-?+(?:0|[1-9][0-9]*+)(?:\.[0-9]++)?+(?:[eE][+-]?+[0-9]++)?+|true|false|null"
)
_SCALAR_MEMBER = re.compile(_WS_CLASS + _KEY + "(" + _SCALAR + ")" + _WS_CLASS + "([,}])", re.S)
_MEMBER_KEY = re.compile(_WS_CLASS + _KEY, re.S)
# A run of such members, each followed by a comma, with no backslash in it: skipped in one match when
# the quoted key does not occur in it (a key spelled without escapes is then not among them).
_SCALAR_RUN = cast(
    Callable[[str, int], "re.Match[str]"],  # always matches, maybe nothing
    re.compile(
        "(?:" + _WS_CLASS + r'"[^"\\\x00-\x1f]*+"' + _WS_CLASS + ":" + _WS_CLASS + "(?:" + _SCALAR + ")" + _WS_CLASS + ",)*+"
    ).match,
)
_AFTER_MEMBER = re.compile(_WS_CLASS + "([,}])")


def _walk_object(text: str, i: int, keys: Sequence[str], k: int) -> tuple[int, tuple[int, int] | None]:
    """Walk the object whose `{` is at `text[i]`: (the index past its `}`, the span at `keys[k:]`).

    Every member is read and the last occurrence of a repeated key wins, as in `json.loads`. A member
    on the path is walked, not parsed, so the event at the end of the path is scanned once.
    """
    key = keys[k]
    inner = k + 1 < len(keys)
    found: tuple[int, int] | None = None
    i = _skip_ws(text, i + 1).end()
    if text[i : i + 1] == "}":
        return i + 1, None
    quoted = f'"{key}"'
    while True:
        run = _SCALAR_RUN(text, i).end()
        if run > i and quoted not in text[i:run]:
            i = run
        m = _SCALAR_MEMBER.match(text, i)
        if m is not None:
            name = m.group(1)
            if name == key or ("\\" in name and _scanstring(name + '"', 0)[0] == key):
                found = None if inner else m.span(2)
            if m.group(3) == "}":
                return m.end(), found
            i = m.end()
            continue
        m = _MEMBER_KEY.match(text, i)
        if m is None:
            raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, i)
        name = m.group(1)
        if "\\" in name:
            name = _scanstring(name + '"', 0)[0]
        start = m.end()
        if name != key:
            i = _scanstring(text, start + 1)[1] if text[start : start + 1] == '"' else _end_of_value(text, start)
        elif not inner:
            i = _scanstring(text, start + 1)[1] if text[start : start + 1] == '"' else _end_of_value(text, start)
            found = (start, i)
        elif text[start : start + 1] == "{":
            i, found = _walk_object(text, start, keys, k + 1)
        else:
            i = _end_of_value(text, start)
            found = None  # a later value of the key replaces an earlier one, even one that led somewhere
        m = _AFTER_MEMBER.match(text, i)
        if m is None:
            raise json.JSONDecodeError("Expecting ',' delimiter", text, i)
        if m.group(1) == "}":
            return m.end(), found
        i = m.end()


def _path_span(text: str, keys: Sequence[str], i: int | None = None) -> tuple[int, int]:
    """(start, end) of the value at the object-key path `keys` in the JSON text (at `i`, or its start)."""
    if i is None:
        i = _skip_ws(text, 0).end()
    if text[i : i + 1] != "{":
        raise KeyError(keys[0])
    found = _walk_object(text, i, keys, 0)[1]
    if found is None:
        raise KeyError(".".join(keys))
    return found


def _array_spans(text: str, i: int) -> list[tuple[int, int]]:
    """(start, end) of every element of the array whose `[` is at `text[i]`."""
    if text[i : i + 1] != "[":
        raise TypeError("not an array")
    spans: list[tuple[int, int]] = []
    i = _skip_ws(text, i + 1).end()
    if text[i : i + 1] == "]":
        return spans
    while True:
        end = _end_of_value(text, i)
        spans.append((i, end))
        i = _skip_ws(text, end).end()
        c = text[i : i + 1]
        if c == ",":
            i = _skip_ws(text, i + 1).end()
        elif c == "]":
            return spans
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter", text, i)


def find_span(text: str, path: Sequence[str | int] = ()) -> tuple[int, int]:
    """(start, end) of the JSON value at `path` (object keys and array indexes) inside `text`.

    `text[start:end]` is the exact source text of the value that `json.loads(text)` holds at that
    path: any whitespace, indentation, escapes and nesting; a repeated key resolves to its last
    occurrence, as `json.loads` does. With an empty path, the span of the whole document without the
    whitespace around it. Raises KeyError / IndexError when the path is not there (or crosses a
    value of the wrong kind) and `json.JSONDecodeError` (a ValueError) when the text is not JSON.
    """
    i = _skip_ws(text, 0).end()
    if not path:
        return i, _end_of_value(text, i)
    end = i
    n = 0
    while n < len(path):
        step = path[n]
        if isinstance(step, str):
            keys: list[str] = []
            while n < len(path) and isinstance(path[n], str):
                keys.append(path[n])  # type: ignore[arg-type]
                n += 1
            i, end = _path_span(text, keys, i)
            continue
        spans = _array_spans(text, i) if text[i : i + 1] == "[" else []
        if not -len(spans) <= step < len(spans):
            raise IndexError(step)
        i, end = spans[step]
        n += 1
    return i, end


def element_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every element of the JSON array that `text` holds (whitespace around allowed)."""
    return _array_spans(text, _skip_ws(text, 0).end())


# -- the shape table ----------------------------------------------------------------------------------


def _is_eventbridge(record: dict[str, Any]) -> bool:
    source = record.get("source")
    return "detail-type" in record or (isinstance(source, str) and source.startswith("aws.partner/auth0.com"))


def _is_datadog(record: dict[str, Any]) -> bool:
    return "ddsource" in record or "ddtags" in record or "service" in record


def _is_logstash(record: dict[str, Any]) -> bool:
    return "post_date" in record or "type_description" in record


def _is_cloudwatch(record: dict[str, Any]) -> bool:
    return "timestamp" in record or "ingestionTime" in record or "logStreamName" in record


_SUMO_FIELDS = ("_messagetime", "_receipttime", "_sourcecategory", "_collector")


def _is_sumo(record: dict[str, Any]) -> bool:
    return any(f in record for f in _SUMO_FIELDS)


@dataclass(frozen=True, slots=True)
class _Rule:
    shape: str
    key: str
    carries: type  # dict: the event (or another wrapper) is the object; str: a JSON string of it
    when: Callable[[dict[str, Any]], bool] | None = None
    leaf_shape: str | None = None  # the shape when the inner value is the event itself
    lends_id: bool = False  # the inner value may take the wrapper's log_id (log-stream `{log_id, data}`)


_RULES: tuple[_Rule, ...] = (
    _Rule("eventbridge", "detail", dict, _is_eventbridge, leaf_shape="eventbridge_detail"),
    _Rule("datadog", "attributes", dict),
    _Rule("datadog", "data", dict, _is_datadog, lends_id=True),
    _Rule("log_stream", "data", dict, lends_id=True),
    _Rule("splunk_hec", "event", dict),
    _Rule("splunk_export", "result", dict),
    _Rule("sumo", "map", dict),
    _Rule("mixpanel", "properties", dict, lambda r: isinstance(r.get("event"), str)),
    _Rule("splunk_extension", "message", dict),
    _Rule("gcp_logging", "jsonPayload", dict),
    _Rule("splunk_hec", "event", str),
    _Rule("logstash", "message", str, _is_logstash),
    _Rule("cloudwatch", "message", str, _is_cloudwatch),
    _Rule("cloudwatch", "@message", str),
    _Rule("sumo", "_raw", str, _is_sumo),
    _Rule("sumo", "message", str, _is_sumo),
    _Rule("splunk_export", "_raw", str),
    _Rule("json_message", "message", str),
)

# The keys through which a record that is itself an event may still be a wrapper: exactly the keys
# `needs_unwrap` tests. The other rules' keys never sit beside a top-level log_id in any known export.
_EVENT_WRAPPER_KEYS = frozenset(("data", "detail", "attributes", "message", "type_code"))
_RULE_KEYS = frozenset(rule.key for rule in _RULES)
_BATCH_KEYS = ("logs", "events", "logEvents", "messages", "results", "data")


def needs_unwrap(value: dict[str, Any]) -> bool:
    """True when a record that has a usable `log_id`/`_id` may still be a wrapper or need normalising.

    Run on every event, so it is five dict lookups: `data`, `message`, `type_code`, `attributes`,
    `detail` (none of them is a key of a real Auth0 event). False means the record is a bare event
    and `unwrap` would return it unchanged; True means call `unwrap`, which may still find the record
    to be a bare event.
    """
    return "data" in value or "message" in value or "type_code" in value or "attributes" in value or "detail" in value


def unwrap(value: Any, text: str) -> list[Unwrapped] | str:
    """The log events inside one record, or a reason `not a log event: ...` when there is none.

    `value` is the parsed record (json or orjson), `text` its exact source text (whitespace around it
    allowed). A list because batches carry several events (an array of log-stream records, a page,
    `{"logs": [...]}`); an empty batch gives `[]`. A bare event gives
    `[Unwrapped(text, value, "event", None)]`. `event` is (a part of) `value`, so orjson's where
    orjson parsed the record; an event carried in a JSON string is parsed by `json`. Raises
    ValueError only if `text` is not the JSON of `value` (a caller's mistake, not the data's).
    """
    try:
        if isinstance(value, list):
            return _batch(value, text, _array_spans(text, _skip_ws(text, 0).end()), "the array")
        if isinstance(value, dict) and _own_id(value) is None:
            for key in _BATCH_KEYS:
                items = value.get(key)
                if isinstance(items, list) and (key != "data" or not items or isinstance(items[0], dict)):
                    start, _ = _path_span(text, (key,))
                    return _batch(items, text, _array_spans(text, start), key)
    except (LookupError, TypeError) as exc:
        raise ValueError(f"the record text does not hold the parsed record ({exc!r})") from None
    plan = _resolve(value, 0, None, "")
    if isinstance(plan, str):
        return "not a log event: " + plan
    return [_materialise(plan, text)]


def _batch(items: list[Any], text: str, spans: list[tuple[int, int]], where: str) -> list[Unwrapped] | str:
    if len(spans) != len(items):
        raise ValueError("the record text does not hold the parsed record")
    plans: list[_Plan] = []
    for n, item in enumerate(items, 1):
        plan = _resolve(item, 1, None, "")
        if isinstance(plan, str):
            return f"not a log event: element {n} of {where}: {plan}"
        plans.append(plan)
    return [_materialise(plan, text[start:end]) for plan, (start, end) in zip(plans, spans)]


def _own_id(record: dict[str, Any]) -> Any:
    """The record's log id value (string or number, as the importer accepts it), or None."""
    for key in ("log_id", "_id"):
        value = record.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return value
    return None


# Resolution runs on the parsed values only and yields a plan: the keys leading to the event. The
# text is then walked once along that path (`_materialise`), so the event is scanned once, however
# deep it sits. Plans and steps are plain tuples: they are built for every wrapped record.

_Step = tuple[str, "str | None", int, int]  # key; for a string-carried layer the string and its JSON's (start, end)
_Plan = tuple[tuple[_Step, ...], dict[str, Any], str]  # steps outermost first (none: the value is the event), event, shape


def _resolve(value: Any, depth: int, inherited: Any, path: str) -> _Plan | str:
    """Where the event inside `value` is; a reason (without the `not a log event: ` prefix) otherwise."""
    if not isinstance(value, dict):
        return _not_an_object(value, path)
    own = value.get("log_id")
    if own.__class__ is not str:
        own = _own_id(value)
    if value.keys().isdisjoint(_RULE_KEYS):
        return _leaf(value, own, inherited, path)
    if depth >= MAX_NESTING:
        return f"wrappers nested more than {MAX_NESTING} deep at {path}"
    first_reason: str | None = None
    for rule in _RULES:
        inner = value.get(rule.key)
        if inner.__class__ is not rule.carries or (own is not None and rule.key not in _EVENT_WRAPPER_KEYS):
            continue
        if rule.when is not None and not rule.when(value):
            continue
        where = f"{path}.{rule.key}" if path else rule.key
        pass_id = (own if own is not None else inherited) if rule.lends_id else None
        step: _Step
        if rule.carries is dict:
            step = (rule.key, None, 0, 0)
            found = _resolve(inner, depth + 1, pass_id, where)
        else:
            found, step = _resolve_string(rule.key, cast(str, inner), depth, pass_id, where)
        if isinstance(found, str):
            first_reason = first_reason or found
            continue
        steps, event, _ = found
        shape = rule.leaf_shape if rule.leaf_shape and not steps else rule.shape
        return ((step, *steps), event, shape)
    leaf = _leaf(value, own, inherited, path)
    if isinstance(leaf, str) and first_reason is not None:
        return first_reason
    return leaf


def _resolve_string(key: str, decoded: str, depth: int, pass_id: Any, where: str) -> tuple[_Plan | str, _Step]:
    step: _Step = (key, None, 0, 0)
    lead = _skip_ws(decoded, 0).end()
    if lead == len(decoded):
        return f"{where} is a string that is not JSON (it is empty)", step
    try:
        parsed, stop = _DECODER.raw_decode(decoded, lead)
    except (ValueError, RecursionError) as exc:
        return f"{where} is a string that is not JSON ({exc})", step
    if _skip_ws(decoded, stop).end() != len(decoded):
        return f"{where} is a string with text after its JSON value (char {stop})", step
    if not isinstance(parsed, dict):
        return _not_an_object(parsed, where + " (a JSON string)"), step
    return _resolve(parsed, depth + 1, pass_id, where), (key, decoded, lead, stop)


def _leaf(value: dict[str, Any], own: Any, inherited: Any, path: str) -> _Plan | str:
    """The value as the event itself: its own id, or the wrapper's if it looks like a log."""
    event = value
    if own is None:
        if inherited is None or not _looks_like_log(value):
            return _no_id(value, path)
        event = {**value, "log_id": inherited}
    code = value.get("type_code")
    if code.__class__ is not str:
        return ((), event, "event")
    if value.get("type") != code:
        event = {**event, "type": code}
    return ((), event, "legacy_extension")


def _looks_like_log(value: dict[str, Any]) -> bool:
    return isinstance(value.get("type"), str) or isinstance(value.get("date"), str)


def _materialise(plan: _Plan, text: str) -> Unwrapped:
    steps, event, shape = plan
    event_text, wrapper = _cut(steps, text)
    return Unwrapped(event_text, event, shape, wrapper)


def _cut(steps: tuple[_Step, ...], text: str) -> tuple[str, str | None]:
    """(event text, wrapper) for the path `steps` through `text` (the exact text of that value)."""
    if not steps:
        return text, None
    n = 0  # the object keys up to and including the first string-carried layer, walked in one pass
    while n < len(steps) and steps[n][1] is None:
        n += 1
    keys = tuple(step[0] for step in steps[: n + 1])
    try:
        start, end = _path_span(text, keys)
    except (LookupError, ValueError) as exc:
        raise ValueError(f"the record text does not hold the parsed record ({exc!r})") from None
    if n == len(steps):
        return text[start:end], text[:start] + "null" + text[end:]
    _, decoded, lead, stop = steps[n]
    assert decoded is not None
    event_text, inner_wrapper = _cut(steps[n + 1 :], decoded[lead:stop])
    if inner_wrapper is None:
        literal = "null"
    else:
        inner = decoded[:lead] + inner_wrapper + decoded[stop:]
        literal = json.dumps(inner, ensure_ascii=not inner.isascii() and _has_lone_surrogate(inner))
    if not event_text.isascii() and _has_lone_surrogate(event_text):
        event_text = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", event_text)
    return event_text, text[:start] + literal + text[end:]


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")  # only a lone surrogate fails, and this is faster than searching for one
    except UnicodeEncodeError:
        return True
    return False


_KINDS = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}


def _not_an_object(value: Any, path: str) -> str:
    kind = _KINDS.get(type(value), "a number")
    return f"{path} is {kind}, not an object" if path else f"{kind}, not an object"


def _no_id(value: dict[str, Any], path: str) -> str:
    present = [k for k in ("log_id", "_id") if k in value]
    where = f" in {path}" if path else ""
    if not present:
        return f"no log_id or _id{where}"
    shown = ", ".join(f"{k} is {_describe(value[k])}" for k in present)
    return f"{shown}{where}"


def _describe(value: Any) -> str:
    return {list: "an array", dict: "an object", bool: "a boolean", type(None): "null"}.get(type(value), type(value).__name__)
