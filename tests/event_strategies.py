"""Hypothesis strategies for small realistic log events, and for queries over the same values.

Both sides draw from SMALL alphabets so that generated queries actually match generated events:
the query values are the event values, their fragments, and a few near misses (other case, one
edit away, a number written differently). The awkward characters are in there on purpose: spaces,
`|`, non-ASCII, and the wildcard and SQL metacharacters `*`, `?`, `\\`, `%`, `_`, `'`.

* `events()`: one event (a JSON object as Auth0 exports it; keys may be missing, null, empty,
  or of an unexpected type).
* `event_lists`: 1 to 6 events with distinct `log_id`s.
* `queries`: ASTs in the shapes the parser builds (see `tests/strategies.py`), over the fields
  in `QUERY_FIELDS` and the values above.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import strategies as st

from auth0_logq.engine import ast

# ---------------------------------------------------------------------------------------------
# Event alphabets

LOG_IDS = [
    "90020240110000000000000000000000000000000000000000000001",
    "90020240110000000000000000000000000000000000000000000002",
    "90020240110000000000000000000000000000000000000000000010",
    "90020240111000000000000000000000000000000000000000000003",
    "90020240109000000000000000000000000000000000000000000004",
    "log-a",
    "log-b",
    "log*c",
]
TYPES = ["s", "f", "fp", "fu", "sapi", "limit_wc"]
USER_NAMES = ["jane@acme.example", "john doe", "Jane@acme.example", "Zoë Åström", "a*b", "what?", "back\\slash", "j|k", "", "emoji😀"]
IPS = ["10.0.0.1", "10.0.0.12", "10.0.0.2", "2001:db8::1", "192.168.1.1"]
CONNECTIONS = ["Username-Password-Authentication", "google-oauth2", "acme ad", "conn|x", "50%_off"]
DESCRIPTIONS = [
    "Wrong email or password.",
    "Success Login",
    "success login",
    "",
    "Ünïcode ✓ 用户",
    "rate*limit?",
    "a\\b",
    "it's",
]
CLIENT_NAMES = ["My App", "Default App", "app*", "ACME Dashboard"]
CLIENT_IDS = ["abc123", "AbC123", "xyz"]
CONNECTION_IDS = ["con_1", "con_2", "con_10"]
HOSTNAMES = ["acme.auth0.com", "login.acme.example"]
ORGANIZATION_IDS = ["org_1", "org_2"]
USER_IDS = ["auth0|123", "auth0|1234", "google-oauth2|456", ""]
USER_AGENTS = ["Chrome 120.0.0 / Mac OS X 10.15.7", "curl/8.0"]
STRATEGIES = ["auth0", "google-oauth2", "samlp"]
STRATEGY_TYPES = ["database", "social", "enterprise"]
METHODS = ["GET", "POST", "get", ""]
PROMPT_NAMES = ["login", "consent", "lock-password-authenticate", "Login"]
COUNTRY_CODES = ["US", "DE", "FR", "us"]
SCOPES = ["openid", "profile", "openid profile", "email", ""]
ODD_KEYS = ["a b", 'q"uote', "ü", "$", "[0]", "x-y", "it's", "0"]

KEYWORD_ALPHABETS: dict[str, list[str]] = {
    "client_id": CLIENT_IDS,
    "client_name": CLIENT_NAMES,
    "connection": CONNECTIONS,
    "connection_id": CONNECTION_IDS,
    "description": DESCRIPTIONS,
    "hostname": HOSTNAMES,
    "ip": IPS,
    "organization_id": ORGANIZATION_IDS,
    "user_id": USER_IDS,
    "user_name": USER_NAMES,
    "user_agent": USER_AGENTS,
    "strategy": STRATEGIES,
    "strategy_type": STRATEGY_TYPES,
    "type": TYPES,
}

# Event dates: a grid within a few days of 2024-01-10 with the edges that matter (midnight, the
# millisecond after, the last millisecond of a day), written as Auth0 writes them.
DAYS = ["2024-01-08", "2024-01-09", "2024-01-10", "2024-01-11", "2024-01-12"]
TIMES = ["00:00:00.000", "00:00:00.001", "12:00:00.000", "12:30:15.250", "23:59:59.999"]
ISO_DATES = [f"{d}T{t}Z" for d in DAYS for t in TIMES]
# Other spellings of instants on the same grid (usable dates whose raw text differs).
OTHER_DATES: list[Any] = [
    "2024-01-10T12:00:00Z",
    "2024-01-10T12:00:00.000999Z",
    "2024-01-10T13:00:00.000+01:00",
    1704844800000,  # 2024-01-10T00:00:00.000Z as epoch ms
    {"$date": "2024-01-11T00:00:00.000Z"},
]
UNUSABLE_DATES: list[Any] = [None, "yesterday", ""]

# ---------------------------------------------------------------------------------------------
# Events


def _maybe(strategy: st.SearchStrategy[Any], *, missing: float = 0.2) -> st.SearchStrategy[Any]:
    """A value, or the marker `_MISSING` (key left out) about `missing` of the time."""
    return st.one_of(strategy, st.just(_MISSING)) if missing else strategy


_MISSING = object()


def _keyword_value(name: str) -> st.SearchStrategy[Any]:
    """Mostly a string from the field's alphabet; sometimes null, or another JSON type."""
    odd = st.sampled_from([None, True, False, 42, 1.5, 10.0, 1e16, 0.1 + 0.2, -0.0, ["x"], {"k": "v"}])
    return st.one_of(st.sampled_from(KEYWORD_ALPHABETS[name]), st.sampled_from(KEYWORD_ALPHABETS[name]), odd)


_scalar = st.one_of(
    st.sampled_from(["GET", "login", "x", "", "10", "true", "a*b", "ü"]),
    st.sampled_from([0, 1, 5, 9, 10, 10.0, 10.5, 12, 20, 100, -1]),
    st.booleans(),
    st.none(),
)

_prompt = st.fixed_dictionaries(
    {},
    optional={
        "name": st.one_of(st.sampled_from(PROMPT_NAMES), st.none()),
        "elapsedTime": st.sampled_from([0, 5, 120, None]),
        "flow": st.sampled_from(["universal-login", ""]),
    },
)

_details = st.fixed_dictionaries(
    {},
    optional={
        "request": st.fixed_dictionaries(
            {},
            optional={
                "method": st.one_of(st.sampled_from(METHODS), st.none(), st.just(["GET", "POST"])),
                "path": st.sampled_from(["/oauth/token", "/u/login", "/api/v2/users"]),
                "channel": st.sampled_from(["https://manage.auth0.com/", "api"]),
            },
        ),
        "stats": st.fixed_dictionaries(
            {},
            optional={
                "loginsCount": st.one_of(
                    st.sampled_from([0, 1, 5, 9, 10, 10.0, 10.5, 12, 20, 100, -1]),
                    st.sampled_from(["10", "9", "ten", True, None, -0.0, 9007199254740993, 2**64, 0.1 + 0.2]),
                    st.lists(st.sampled_from([3, 10, 12]), max_size=2),
                )
            },
        ),
        "prompts": st.one_of(
            st.lists(_prompt, max_size=3),
            st.lists(st.lists(_prompt, max_size=2), max_size=2),  # nested arrays
            st.none(),
        ),
        "error": st.fixed_dictionaries({"message": st.sampled_from(["Wrong email or password.", "login required"])}),
        "flag": st.one_of(st.booleans(), st.none()),
        "tags": st.lists(_scalar, max_size=3),
        "empty": st.sampled_from([{}, [], "", None]),
        # keys that need quoting in a SQLite JSON path, or look like path syntax
        "odd": st.fixed_dictionaries(
            {}, optional={k: st.sampled_from(["x", "GET", 10, True]) for k in ODD_KEYS}
        ),
    },
)
_details_value = st.one_of(_details, _details, _details, st.none(), st.just("GET"))

_scope = st.one_of(
    st.sampled_from(SCOPES),
    st.lists(st.sampled_from(SCOPES), max_size=3),
    st.none(),
)
_is_mobile = st.one_of(st.booleans(), st.booleans(), st.none(), st.just("true"))
_location = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            # a number now and then: the indexed column must then give way to the JSON
            "country_code": st.one_of(st.sampled_from(COUNTRY_CODES), st.none(), st.just(49)),
            "city_name": st.sampled_from(["Berlin", "Paris", "São Paulo"]),
            "latitude": st.sampled_from([52.52, -23.5, 0]),
        },
    ),
    st.none(),
)
_date = st.one_of(
    st.sampled_from(ISO_DATES),
    st.sampled_from(ISO_DATES),
    st.sampled_from(ISO_DATES),
    st.sampled_from(OTHER_DATES),
    st.sampled_from(UNUSABLE_DATES),
)


@st.composite
def events(draw: st.DrawFn, log_id: str | None = None) -> dict[str, Any]:
    """One event. Every generated event has a string `log_id` (given, or drawn from `LOG_IDS`)."""
    event: dict[str, Any] = {}
    event["date"] = draw(_maybe(_date, missing=0.1))
    event["type"] = draw(_maybe(st.sampled_from(TYPES), missing=0.1))
    for name in KEYWORD_ALPHABETS:
        if name == "type":
            continue
        event[name] = draw(_maybe(_keyword_value(name)))
    event["details"] = draw(_maybe(_details_value))
    event["scope"] = draw(_maybe(_scope))
    event["isMobile"] = draw(_maybe(_is_mobile))
    event["location_info"] = draw(_maybe(_location))
    event["log_id"] = log_id if log_id is not None else draw(st.sampled_from(LOG_IDS))
    if draw(st.booleans()):
        event["_id"] = event["log_id"]
    return {k: v for k, v in event.items() if v is not _MISSING}


@st.composite
def _event_list(draw: st.DrawFn) -> list[dict[str, Any]]:
    ids = draw(st.lists(st.sampled_from(LOG_IDS), unique=True, min_size=1, max_size=6))
    return [draw(events(log_id)) for log_id in ids]


event_lists: st.SearchStrategy[list[dict[str, Any]]] = _event_list()

# ---------------------------------------------------------------------------------------------
# Queries

JSON_FIELDS = [
    "details.request.method",
    "details.stats.loginsCount",
    "details.prompts.name",
    "scope",
    "isMobile",
    "location_info.country_code",
]
ODD_FIELDS = [f"details.odd.{k}" for k in ODD_KEYS] + ["details.odd.*", "details.odd", "*.odd.a*"]
QUERY_FIELDS: list[str | None] = [
    None, *KEYWORD_ALPHABETS, "log_id", "date", *JSON_FIELDS, "details.*", "*", "no_such_field", *ODD_FIELDS
]

FIELD_VALUES: dict[str | None, list[str]] = {
    **KEYWORD_ALPHABETS,
    "log_id": LOG_IDS,
    "details.request.method": METHODS,
    "details.stats.loginsCount": [
        "0", "5", "10", "10.0", "1e1", "10.5", "12", "100", "-1", "9", "ten", "true", "-0",
        "9007199254740992", "9007199254740993", "18446744073709551616", "0.30000000000000004", "0.3",
    ],
    "details.prompts.name": PROMPT_NAMES,
    "scope": SCOPES,
    "isMobile": ["true", "false", "True", "1"],
    "location_info.country_code": COUNTRY_CODES,
    "details.*": ["GET", "login", "10", "true", "false", "x", "a*b", "Wrong email or password.", "/u/login", "api"],
    "*": ["s", "jane@acme.example", "10", "true", "GET", "login", "US", "openid", "2024-01-10T00:00:00.000Z", "Berlin"],
    "no_such_field": ["x", "10"],
    **{f: ["x", "GET", "10", "true"] for f in ODD_FIELDS},
}
ALL_VALUES: list[str] = sorted({v for values in FIELD_VALUES.values() for v in values}) + ["Success*", "nobody"]
# Default-field values: the union of the seven default fields' alphabets.
FIELD_VALUES[None] = sorted(
    {v for f in ("client_name", "connection", "description", "ip", "type", "user_name") for v in KEYWORD_ALPHABETS[f]}
    | set(LOG_IDS)
)

# Query dates: full instants on the event grid, partial dates (zero-filled), offsets, date math
# anchored on a fixed instant (never `now`: the two evaluators would read different clocks).
QUERY_DATES = (
    ISO_DATES[::3]
    + ["2024-01-10", "2024-01-11", "2024-01", "2024", "2024-01-10T12", "2024-01-10T12:00", "2024-01-10T12:30:15.250Z"]
    + ["2024-01-10T13:00:00+01:00", "2024-01-10||+1d", "2024-01-10T12:00:00Z||/d", "2024-01-12||-1d/d"]
)
NUMERIC_BOUNDS = ["0", "5", "9", "10", "10.0", "10.5", "1e1", "12", "20", "-1", "100", "9007199254740992", "0.3"]
STRING_BOUNDS = ["a", "f", "fp", "jane", "m", "s", "z", "A", "US", "auth0|2", "10.0.0.2", "Ü", "get", "login", "", "\uffff", "😀"]


def _values_for(field: str | None) -> st.SearchStrategy[str]:
    if field == "date":
        return st.sampled_from(QUERY_DATES)
    return st.one_of(st.sampled_from(FIELD_VALUES[field]), st.sampled_from(FIELD_VALUES[field]), st.sampled_from(ALL_VALUES))


def _fragments(value: str) -> list[str]:
    """Non-empty prefixes of a value (for prefix queries)."""
    return [value[:i] for i in range(1, len(value) + 1)]


def _prefixes_for(field: str | None) -> st.SearchStrategy[str]:
    if field == "date":
        pool = ["2024", "2024-01-1", "2024-01-10T", "2024-01-10T12:", "2024-01-10T00:00:00.00", "2023"]
    else:
        pool = sorted({p for v in FIELD_VALUES[field] for p in _fragments(v)})
    return st.sampled_from(pool)


_WILDCARD_SPECIAL = "*?\\"


@st.composite
def _wildcard_for(draw: st.DrawFn, field: str | None) -> str:
    """A raw wildcard pattern made from a value: some characters become `?`, some runs `*`."""
    value = draw(st.sampled_from(QUERY_DATES[:5] if field == "date" else FIELD_VALUES[field] + ALL_VALUES[:8]))
    out: list[str] = []
    for ch in value:
        action = draw(st.sampled_from(["keep", "keep", "keep", "one", "star", "drop"]))
        if action == "one":
            out.append("?")
        elif action == "star":
            if not out or out[-1] != "*":
                out.append("*")
        elif action == "keep":
            out.append("\\" + ch if ch in _WILDCARD_SPECIAL else ch)
    if draw(st.booleans()):
        out.insert(0, "*")
    if draw(st.booleans()):
        out.append(draw(st.sampled_from(["*", "?"])))
    pattern = "".join(out)
    # The parser only makes a Wildcard of a pattern with an unescaped `*`/`?` that is not a
    # plain prefix (`abc*`) and not `*` alone (exists); fix up the rest with a trailing `?`.
    unescaped = re.sub(r"\\[\s\S]", "", pattern)
    prefix_shape = unescaped.count("*") == 1 and "?" not in unescaped and unescaped.endswith("*") and not pattern.endswith("\\*")
    if "*" not in unescaped and "?" not in unescaped or pattern == "*" or prefix_shape:
        pattern += "?"
    return pattern


REGEXES = [
    "[a-z]+",
    "jane.*",
    "10\\.0\\.0\\.[0-9]+",
    "auth0\\|[0-9]+",
    "f[pu]?",
    "(GET|POST)",
    "lo.in",
    ".*",
    "2024-01-1[01]T.*",
    "US|DE",
    "[0-9]+",
    ".*[Ss]uccess.*",
    "a\\*b",
    ".*\\?",
    "s|f",
    ".*@acme\\.example",
    "[Jj]ane.*",
    "google-oauth2.*",
    "[0-9]+(\\.[0-9]+)?",
    "con_[0-9]",
]


def _bounds_for(field: str | None) -> st.SearchStrategy[str | None]:
    if field == "date":
        return st.one_of(st.none(), st.sampled_from(QUERY_DATES))
    return st.one_of(
        st.none(), st.sampled_from(NUMERIC_BOUNDS), st.sampled_from(STRING_BOUNDS), st.sampled_from(FIELD_VALUES[field])
    )


@st.composite
def leaf_queries(draw: st.DrawFn) -> ast.Query:
    """A leaf query (or MatchAll / MatchNone) over `QUERY_FIELDS`."""
    field = draw(st.sampled_from(QUERY_FIELDS))
    kind = draw(st.sampled_from(["term", "term", "prefix", "wildcard", "regexp", "fuzzy", "range", "range", "exists", "all"]))
    if kind == "term":
        return ast.Term(field, draw(_values_for(field)))
    if kind == "prefix":
        return ast.Prefix(field, draw(_prefixes_for(field)))
    if kind == "wildcard":
        return ast.Wildcard(field, draw(_wildcard_for(field)))
    if kind == "regexp":
        return ast.Regexp(field, draw(st.sampled_from(REGEXES)))
    if kind == "fuzzy":
        source = st.sampled_from(QUERY_DATES[:5]) if field == "date" else _values_for(field).filter(bool)
        return ast.Fuzzy(field, draw(source), draw(st.integers(0, 2)))
    if kind == "range":
        return ast.Range(field, draw(_bounds_for(field)), draw(_bounds_for(field)), draw(st.booleans()), draw(st.booleans()))
    if kind == "exists":
        return ast.Exists(field)
    return draw(st.sampled_from([ast.MatchAll(), ast.MatchAll(), ast.MatchNone()]))


def _boolean(children: st.SearchStrategy[ast.Query]) -> st.SearchStrategy[ast.Query]:
    clause = st.builds(ast.Clause, st.sampled_from(list(ast.Occur)), children)
    negative = st.builds(ast.Clause, st.just(ast.Occur.MUST_NOT), children)
    many = st.lists(clause, min_size=2, max_size=4)
    pure_negative = st.lists(negative, min_size=1, max_size=3)
    one = st.builds(ast.Clause, st.sampled_from([ast.Occur.MUST, ast.Occur.MUST_NOT]), children).map(lambda c: [c])
    return st.one_of(many, many, pure_negative, one).map(lambda cs: ast.BooleanQuery(tuple(cs)))


queries: st.SearchStrategy[ast.Query] = st.recursive(
    leaf_queries(),
    lambda children: st.one_of(
        _boolean(children), _boolean(children), st.builds(ast.Boost, children, st.sampled_from([0.5, 2.0, 10.0]))
    ),
    max_leaves=8,
)


# ---------------------------------------------------------------------------------------------
# Awkward JSON keys: a focused pair of strategies (the general ones reach these keys rarely)


@st.composite
def odd_key_events(draw: st.DrawFn, log_id: str = LOG_IDS[0]) -> dict[str, Any]:
    """An event whose `details.odd` object has keys that need quoting in a JSON path."""
    odd = draw(st.dictionaries(st.sampled_from(ODD_KEYS), st.sampled_from(["x", "GET", 10, True, None, ["x", 10]]), max_size=4))
    return {"log_id": log_id, "type": "s", "details": {"odd": odd}}


@st.composite
def odd_key_leaf_queries(draw: st.DrawFn) -> ast.Query:
    """A leaf query on one of the awkward keys (or a pattern over them)."""
    field = draw(st.sampled_from(ODD_FIELDS + ["details.*", "*"]))
    kind = draw(st.sampled_from(["term", "prefix", "wildcard", "regexp", "fuzzy", "range", "exists"]))
    value = draw(st.sampled_from(["x", "GET", "10", "true"]))
    if kind == "term":
        return ast.Term(field, value)
    if kind == "prefix":
        return ast.Prefix(field, value[:1])
    if kind == "wildcard":
        return ast.Wildcard(field, "*" + value[-1:])
    if kind == "regexp":
        return ast.Regexp(field, draw(st.sampled_from(["x", "G.*", "[0-9]+"])))
    if kind == "fuzzy":
        return ast.Fuzzy(field, value, draw(st.integers(0, 2)))
    if kind == "range":
        return ast.Range(field, draw(st.sampled_from([None, "5", "a"])), None, True, True)
    return ast.Exists(field)
