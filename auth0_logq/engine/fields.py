"""What Auth0 knows about log fields, as data.

One declarative table says, for each field Auth0 documents as searchable, its type, whether bare
(unfielded) terms search it, and where the mirror keeps it. The strict checker and the SQL compiler
both read this table; nothing else hard-codes field names.

Sources: Auth0's log search query syntax page (16 searchable fields, 7 searched by bare terms,
"All search fields are case sensitive", "Log fields are not tokenized") — see
`reference/auth0-logs.md` §1.1 — and the Management API `Log` schema (§3.1) for the other keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class FieldKind(Enum):
    """How values of a field compare."""

    KEYWORD = "keyword"  # whole-value, case-sensitive strings
    DATE = "date"  # ISO 8601 instants; Auth0's zero-fill rule for partial dates
    BOOLEAN = "boolean"
    NUMBER = "number"
    OBJECT = "object"  # a JSON object: only its leaf paths are searchable


@dataclass(frozen=True)
class FieldSpec:
    """One log field."""

    name: str
    kind: FieldKind
    description: str
    searchable: bool = True  # documented by Auth0 as searchable (strict mode accepts it)
    bare: bool = False  # searched by terms written without a field
    column: str | None = None  # typed column in the mirror; None = read from the JSON


# Auth0's documented searchable fields, in the order of its documentation.
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("client_id", FieldKind.KEYWORD, "Client ID related to the event.", column="client_id"),
    FieldSpec("client_name", FieldKind.KEYWORD, "Client name related to the event.", bare=True, column="client_name"),
    FieldSpec("connection", FieldKind.KEYWORD, "Connection name related to the event.", bare=True, column="connection"),
    FieldSpec("connection_id", FieldKind.KEYWORD, "Connection ID related to the event.", column="connection_id"),
    FieldSpec("description", FieldKind.KEYWORD, "Description of the event.", bare=True, column="description"),
    FieldSpec("date", FieldKind.DATE, "Date the event occurred.", column="date"),
    FieldSpec("hostname", FieldKind.KEYWORD, "Hostname used for the authentication flow.", column="hostname"),
    FieldSpec("ip", FieldKind.KEYWORD, "IP address the request came from.", bare=True, column="ip"),
    FieldSpec("log_id", FieldKind.KEYWORD, "Log ID of the event.", bare=True, column="log_id"),
    FieldSpec("organization_id", FieldKind.KEYWORD, "Organization ID related to the event.", column="organization_id"),
    FieldSpec("user_id", FieldKind.KEYWORD, "User ID related to the event.", column="user_id"),
    FieldSpec("user_name", FieldKind.KEYWORD, "User name related to the event.", bare=True, column="user_name"),
    FieldSpec("user_agent", FieldKind.KEYWORD, "User agent related to the event.", column="user_agent"),
    FieldSpec("strategy", FieldKind.KEYWORD, "Connection strategy related to the event.", column="strategy"),
    FieldSpec("strategy_type", FieldKind.KEYWORD, "Connection strategy type related to the event.", column="strategy_type"),
    FieldSpec("type", FieldKind.KEYWORD, "Type (event code) of the event.", bare=True, column="type"),
)

# Keys of the Management API `Log` object that Auth0 does not document as searchable. The default
# (non-strict) mode searches them, and any other JSON path, straight from the stored event.
EXTRA_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("details", FieldKind.OBJECT, "Event-specific details (search its paths, details.x.y).", searchable=False),
    FieldSpec("audience", FieldKind.KEYWORD, "API audience requested.", searchable=False),
    FieldSpec("scope", FieldKind.KEYWORD, "Scopes requested (a string or an array).", searchable=False),
    FieldSpec("isMobile", FieldKind.BOOLEAN, "Whether the client was a mobile device.", searchable=False),
    FieldSpec("location_info", FieldKind.OBJECT, "IP geolocation (location_info.country_code, ...).", searchable=False),
    FieldSpec("organization_name", FieldKind.KEYWORD, "Organization name.", searchable=False),
    FieldSpec("tenant_name", FieldKind.KEYWORD, "Tenant name.", searchable=False),
    FieldSpec("_id", FieldKind.KEYWORD, "Same as log_id (older API responses).", searchable=False),
)

BY_NAME: dict[str, FieldSpec] = {f.name: f for f in FIELDS + EXTRA_FIELDS}
SEARCHABLE: frozenset[str] = frozenset(f.name for f in FIELDS)
# The fields a bare term searches, in documentation order.
DEFAULT_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.bare)

# Auth0 documents `details.<path>` searches (`details.request.channel:"https://manage.auth0.com/"`,
# and `details.size_exceeded:true` in a 2026 migration guide) although its field list omits them.
DOCUMENTED_PATH_PREFIXES: tuple[str, ...] = ("details.",)


# JSON paths that the mirror also keeps in indexed columns, because investigations filter on them
# all the time (admin changes by method and path, logins by country). A path's column is used only
# while every stored event holds a plain string (or nothing) there; `store.Mirror.path_columns`
# says which are, and the compiler falls back to reading the JSON for the others.
INDEXED_PATHS: dict[str, str] = {
    "details.request.method": "path_details_request_method",
    "details.request.path": "path_details_request_path",
    "location_info.country_code": "path_location_info_country_code",
}


def is_documented(name: str) -> bool:
    """Would Auth0's log search accept this field name?"""
    return name in SEARCHABLE or any(name.startswith(p) and len(name) > len(p) for p in DOCUMENTED_PATH_PREFIXES)
