"""Deterministic generator of realistic Auth0 tenant logs, and the committed demo export.

Contract
========
``generate_events(count=None, *, seed=20261125, start="2026-11-01T00:00:00.000Z", days=14)``
    Yields plain ``dict`` events shaped like the objects the Management API returns from
    ``GET /api/v2/logs``: keys in the order the API emits them, keys absent where real logs omit
    them (no ``description`` on ``s``, no ``user_id`` on most ``fu``), ``_id == log_id``,
    ``isMobile`` and ``location_info`` last. Events come in ``date`` order and every ``date`` lies in
    ``[start, start + days)``.

    * ``count=None`` yields the demo tenant (``DEMO_EVENT_COUNT`` events); ``count=N`` yields exactly
      ``N`` events spread over the window (``N`` up to 100,000,000).
    * The fixed part of the log (the ``SCENARIOS`` and one event of every code in
      :data:`~auth0_logq.demo.codes.EVENT_CODES`) sits at fixed offsets from ``start`` and does not
      depend on ``seed``; ``seed`` drives the background traffic. With ``N`` smaller than the fixed
      part, an evenly spaced subset of the fixed part is yielded.
    * Output is a pure function of ``(count, seed, start, days)`` and this source: no clock,
      no ``os.urandom``, no hash-order dependence, only ``random.Random`` bits and integer arithmetic.
      Every yielded dict (and everything nested in it) is a fresh object the caller may keep or mutate.
    * ``log_id`` (56 digits) = ``"900"`` + the *ingestion* time as ``yyyyMMddHHmmssSSS`` + 36 digits
      shaped like modern Auth0 ids (3-digit node, 14 zeros, ``"1223372"``, a 12-digit sequence that
      grows by a random step per event). Ingestion trails ``date`` by 25-280 ms, except for ~1% of
      events that are ingested 1.5-15 minutes late, so ``log_id`` order follows ``date`` order except
      there: about 1% of consecutive pairs are inverted, as in real exports. Ids are unique.

``write_demo_export(out_dir)``
    Writes the demo export (see :func:`write_demo_export`) byte-identically on every run and machine,
    and returns its manifest.

``SCENARIOS``
    The facts of the scripted incidents (times, IPs, users, counts) for the default ``start``/``days``;
    :func:`scenario_facts` computes them for another window.

Command line::

    python -m auth0_logq.demo.generate fixtures/demo-tenant          # regenerate the demo export
    python -m auth0_logq.demo.generate --count 1000000 --ndjson big.ndjson --seed 7
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import random
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from .codes import CODES, EVENT_CODES, EventCode

try:  # optional speed-up for writing large NDJSON files; output bytes are identical either way
    import orjson as _orjson
except ImportError:  # pragma: no cover - exercised on machines without orjson
    _orjson = None

Event = dict[str, Any]

DEFAULT_SEED = 20261125
DEFAULT_START = "2026-11-01T00:00:00.000Z"
DEFAULT_DAYS = 14
#: Size of the demo tenant: ~4 MB of NDJSON, which keeps the committed export under 5 MB.
DEMO_EVENT_COUNT = 4000
MAX_EVENT_COUNT = 100_000_000

DAY_MS = 86_400_000
HOUR_MS = 3_600_000

# =====================================================================================
# Tenant data tables (pure data; the logic starts at "Tenant model" below)
# =====================================================================================

TENANT_NAME = "acme-prod"
TENANT_DOMAIN = "acme-prod.eu.auth0.com"
CUSTOM_DOMAIN = "login.acme.example"
API_AUDIENCE = "https://api.acme.example/"
USERINFO_AUDIENCE = f"https://{TENANT_DOMAIN}/userinfo"
MGMT_AUDIENCE = f"https://{TENANT_DOMAIN}/api/v2/"
DASHBOARD_CHANNEL = "https://manage.auth0.com/"

# (name, connection_id, strategy, strategy_type)
CONNECTION_TABLE: tuple[tuple[str, str, str, str], ...] = (
    ("Username-Password-Authentication", "con_5E8BsdvU9BCqLghk", "auth0", "database"),
    ("google-oauth2", "con_r8Xbejwuq7bskcgY", "google-oauth2", "social"),
    ("acme-okta", "con_vAg1afmKTVC1BDAr", "okta", "enterprise"),
    ("partners-saml", "con_4dvL60vpezQxw0DI", "samlp", "enterprise"),
    ("email", "con_0N4v0hmgTKfmNrbZ", "email", "passwordless"),
    ("sms", "con_O2S0Gi2jJmEvzGRg", "sms", "passwordless"),
)

# (key, name, client_id, app_type, hostname, audience, scope, base_url)
CLIENT_TABLE: tuple[tuple[str, str, str, str, str, str | None, str | None, str], ...] = (
    ("web", "Acme Web", "tyRP5NyJU5e4QqZEAmDxryNhTSCISTfK", "spa", CUSTOM_DOMAIN, API_AUDIENCE,
     "openid profile email offline_access read:orders", "https://app.acme.example"),
    ("ios", "Acme iOS", "1k5pgGo1PuU2pcNq6UiKGcU0BKLZG2nA", "native", CUSTOM_DOMAIN, API_AUDIENCE,
     "openid profile email offline_access read:orders write:orders", "com.acme.shop://login.acme.example/ios"),
    ("android", "Acme Android", "7lqxhwrBCA2KizcEiXAPV4OyBCX3cQyy", "native", CUSTOM_DOMAIN, API_AUDIENCE,
     "openid profile email offline_access read:orders write:orders",
     "com.acme.shop://login.acme.example/android"),
    ("admin", "Admin Portal", "gqI4fXE8NpI9BfpLRIh4b7pfBGKjnBIu", "regular_web", TENANT_DOMAIN, USERINFO_AUDIENCE,
     "openid profile email", "https://admin.acme.example"),
    ("support", "Support Console", "DaKTdN26XAycSjV7mGHuSdd4U3D39oYm", "regular_web", TENANT_DOMAIN, None,
     None, "https://support.acme.example"),
    ("orders", "Orders Service", "ZDLFEpGAUNxRYjgwkgH0rBhjtgQq474e", "non_interactive", TENANT_DOMAIN, API_AUDIENCE,
     "read:inventory write:shipments", "https://orders.internal.acme.example"),
    ("provisioning", "Acme Provisioning", "c55kglyVbZGMwAr54xrwqYg3RnXAn0Q7", "non_interactive", TENANT_DOMAIN,
     MGMT_AUDIENCE, "read:users update:users create:users delete:users read:roles create:role_members",
     "https://provisioning.internal.acme.example"),
    # The tenant's global client: what Auth0 names "All Applications" in logs of tenant-wide flows.
    ("global", "All Applications", "D1DMOmzzExW8l93equyRdcVcUuOa3ugU", "global", TENANT_DOMAIN, None, None,
     f"https://{TENANT_DOMAIN}"),
    # The Auth0 Dashboard's client: Dashboard-made `sapi` events carry its id and an empty client_name.
    ("dashboard", "", "CKJbGury5GAWgYF4MCWqqBNwxhiv2aU9", "dashboard", TENANT_DOMAIN, None, None,
     "https://manage.auth0.com"),
)

ROLE_IDS: dict[str, str] = {
    "Administrator": "rol_5RSI6bKiDCEwWpHm",
    "Support Agent": "rol_v1BjzN3vy2xARbC2",
    "Billing": "rol_WzjKldwP2Abs5qgS",
    "Read Only": "rol_ymKSxUE6GTctWbng",
}
LOG_STREAM_ID = "lst_0000000000003647"

# (city, country_code, country_code3, country_name, latitude, longitude, time_zone, continent,
#  UTC offset in November in hours)
CITY_TABLE: tuple[tuple[str, str, str, str, float, float, str, str, float], ...] = (
    ("Berlin", "DE", "DEU", "Germany", 52.5196, 13.4069, "Europe/Berlin", "EU", 1),
    ("Munich", "DE", "DEU", "Germany", 48.1374, 11.5755, "Europe/Berlin", "EU", 1),
    ("Hamburg", "DE", "DEU", "Germany", 53.5507, 9.993, "Europe/Berlin", "EU", 1),
    ("Düsseldorf", "DE", "DEU", "Germany", 51.2217, 6.7762, "Europe/Berlin", "EU", 1),
    ("Frankfurt am Main", "DE", "DEU", "Germany", 50.1155, 8.6842, "Europe/Berlin", "EU", 1),
    ("Paris", "FR", "FRA", "France", 48.8534, 2.3488, "Europe/Paris", "EU", 1),
    ("Lyon", "FR", "FRA", "France", 45.7485, 4.8467, "Europe/Paris", "EU", 1),
    ("Madrid", "ES", "ESP", "Spain", 40.4165, -3.7026, "Europe/Madrid", "EU", 1),
    ("Barcelona", "ES", "ESP", "Spain", 41.3888, 2.159, "Europe/Madrid", "EU", 1),
    ("London", "GB", "GBR", "United Kingdom", 51.5085, -0.1257, "Europe/London", "EU", 0),
    ("Manchester", "GB", "GBR", "United Kingdom", 53.4809, -2.2374, "Europe/London", "EU", 0),
    ("Dublin", "IE", "IRL", "Ireland", 53.3331, -6.2489, "Europe/Dublin", "EU", 0),
    ("Amsterdam", "NL", "NLD", "Netherlands", 52.374, 4.8897, "Europe/Amsterdam", "EU", 1),
    ("Stockholm", "SE", "SWE", "Sweden", 59.3294, 18.0687, "Europe/Stockholm", "EU", 1),
    ("Malmö", "SE", "SWE", "Sweden", 55.6059, 13.0007, "Europe/Stockholm", "EU", 1),
    ("Oslo", "NO", "NOR", "Norway", 59.9127, 10.7461, "Europe/Oslo", "EU", 1),
    ("Copenhagen", "DK", "DNK", "Denmark", 55.6759, 12.5655, "Europe/Copenhagen", "EU", 1),
    ("Warsaw", "PL", "POL", "Poland", 52.2298, 21.0118, "Europe/Warsaw", "EU", 1),
    ("Kraków", "PL", "POL", "Poland", 50.0614, 19.9366, "Europe/Warsaw", "EU", 1),
    ("Vienna", "AT", "AUT", "Austria", 48.2085, 16.3721, "Europe/Vienna", "EU", 1),
    ("Zürich", "CH", "CHE", "Switzerland", 47.3667, 8.55, "Europe/Zurich", "EU", 1),
    ("New York", "US", "USA", "United States", 40.7143, -74.006, "America/New_York", "NA", -5),
    ("San Francisco", "US", "USA", "United States", 37.7749, -122.4194, "America/Los_Angeles", "NA", -8),
    ("Chicago", "US", "USA", "United States", 41.85, -87.65, "America/Chicago", "NA", -6),
    ("Austin", "US", "USA", "United States", 30.2672, -97.7431, "America/Chicago", "NA", -6),
    ("Toronto", "CA", "CAN", "Canada", 43.7001, -79.4163, "America/Toronto", "NA", -5),
    ("São Paulo", "BR", "BRA", "Brazil", -23.5475, -46.6361, "America/Sao_Paulo", "SA", -3),
    ("Mexico City", "MX", "MEX", "Mexico", 19.4285, -99.1277, "America/Mexico_City", "NA", -6),
    ("Tokyo", "JP", "JPN", "Japan", 35.6895, 139.6917, "Asia/Tokyo", "AS", 9),
    ("Osaka", "JP", "JPN", "Japan", 34.6937, 135.5022, "Asia/Tokyo", "AS", 9),
    ("Singapore", "SG", "SGP", "Singapore", 1.2897, 103.8501, "Asia/Singapore", "AS", 8),
    ("Bengaluru", "IN", "IND", "India", 12.9719, 77.5937, "Asia/Kolkata", "AS", 5.5),
    ("Sydney", "AU", "AUS", "Australia", -33.8678, 151.2073, "Australia/Sydney", "OC", 11),
    ("Reykjavík", "IS", "ISL", "Iceland", 64.1355, -21.8954, "Atlantic/Reykjavik", "EU", 0),
    ("Ho Chi Minh City", "VN", "VNM", "Vietnam", 10.8231, 106.6297, "Asia/Ho_Chi_Minh", "AS", 7),
)

# First octets of IPv4 addresses and first two groups of IPv6 addresses by country. Loosely modelled on
# where ISPs of each country sit; reserved and documentation ranges are never produced here.
IPV4_FIRST_OCTETS: dict[str, tuple[int, ...]] = {
    "DE": (84, 87, 91, 93, 217), "FR": (82, 86, 90, 176), "ES": (79, 83, 88, 95), "GB": (81, 86, 92, 109),
    "IE": (37, 89), "NL": (77, 145), "SE": (78, 83), "NO": (84, 88), "DK": (80, 87), "PL": (83, 178),
    "AT": (62, 80), "CH": (85, 178), "US": (24, 67, 73, 98, 108), "CA": (70, 99), "BR": (177, 179, 189),
    "MX": (187, 201), "JP": (126, 153, 180), "SG": (116, 118), "IN": (49, 106), "AU": (101, 110),
    "IS": (85, 157), "VN": (113, 171),
}
IPV6_PREFIXES: dict[str, str] = {
    "DE": "2a02:8108", "FR": "2a01:cb00", "ES": "2a0c:5a80", "GB": "2a00:23c5", "IE": "2a02:8084",
    "NL": "2a02:a440", "SE": "2001:9b1", "PL": "2a02:a311", "US": "2600:1700", "CA": "2607:fea8",
    "BR": "2804:14c", "JP": "240b:10", "IN": "2401:4900", "AU": "2001:8003",
}

# User agents: (parsed form as the Management API returns it, raw header as log streams carry it,
# isMobile). The parsed form is what ua-parser makes of the raw string.
UA_DESKTOP: tuple[tuple[str, str, bool], ...] = (
    ("Chrome 142.0.0 / Windows 10.0.0",
     "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 "
     "Safari/537.36", False),
    ("Chrome 142.0.0 / Mac OS X 10.15.7",
     "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 "
     "Safari/537.36", False),
    ("Edge 142.0.0 / Windows 10.0.0",
     "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 "
     "Safari/537.36 Edg/142.0.0.0", False),
    ("Firefox 145.0.0 / Windows 10.0.0",
     "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0", False),
    ("Firefox 145.0.0 / Ubuntu 0.0.0",
     "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0", False),
    ("Safari 26.1.0 / Mac OS X 10.15.7",
     "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 "
     "Safari/605.1.15", False),
    ("Chrome 141.0.0 / Linux 0.0.0",
     "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36",
     False),
)
UA_MOBILE_WEB: tuple[tuple[str, str, bool], ...] = (
    ("Mobile Safari 26.1.0 / iOS 18.7.0",
     "Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/26.1 Mobile/15E148 Safari/604.1", True),
    ("Chrome Mobile 142.0.0 / Android 10.0.0",
     "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile "
     "Safari/537.36", True),
    ("Samsung Internet 28.0.0 / Android 10.0.0",
     "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/28.0 "
     "Chrome/130.0.0.0 Mobile Safari/537.36", True),
)
UA_IOS_APP = ("Mobile Safari UI/WKWebView 0.0.0 / iOS 18.7.0",
              "Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
              "Mobile/15E148", True)
UA_ANDROID_APP = ("Chrome Mobile WebView 142.0.0 / Android 14.0.0",
                  "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240905.003; wv) AppleWebKit/537.36 "
                  "(KHTML, like Gecko) Version/4.0 Chrome/142.0.7444.102 Mobile Safari/537.36", True)
UA_SERVER = ("Other 0.0.0 / Other 0.0.0", "Go-http-client/2.0", False)
UA_NODE = ("Other 0.0.0 / Other 0.0.0", "node-auth0/5.1.0 (node.js/22.11.0)", False)
UA_PYTHON_REQUESTS = ("Python Requests 2.32.0 / Other 0.0.0", "python-requests/2.32.3", False)
UA_HEADLESS = ("HeadlessChrome 142.0.0 / Linux 0.0.0",
               "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/142.0.0.0 "
               "Safari/537.36", False)

# Name pools by region: (cities, weight, first names, last names). Japanese names are
# (display name, romanised email local part).
REGIONS: tuple[tuple[tuple[str, ...], float, tuple[str, ...], tuple[str, ...]], ...] = (
    (("Berlin", "Munich", "Hamburg", "Düsseldorf"), 0.22,
     ("Lukas", "Anna", "Jürgen", "Lena", "Felix", "Sophie", "Jonas", "Marie", "Maximilian", "Hannah", "Paul",
      "Emma", "Leon", "Mia", "Katharina", "Tobias"),
     ("Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer",
      "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Krüger", "Weiß", "Köhler", "Groß")),
    (("Paris", "Lyon"), 0.1,
     ("Théo", "Chloé", "Hugo", "Inès", "Léa", "Mathis", "Camille", "François", "Élodie", "Louis", "Manon",
      "Raphaël"),
     ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Leroy", "Moreau", "Lefèvre",
      "Girard", "Roux", "Mercier", "Fontaine")),
    (("Madrid", "Barcelona"), 0.09,
     ("Lucía", "Pablo", "Javier", "Sofía", "Álvaro", "Marta", "Daniel", "Paula", "Alejandro", "Elena", "Sergio",
      "Nuria"),
     ("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
      "Jiménez", "Ruiz", "Hernández", "Díaz", "Muñoz")),
    (("London", "Manchester", "Dublin"), 0.13,
     ("Oliver", "Harry", "Isla", "Jack", "Ava", "George", "Emily", "Noah", "Grace", "Siobhán", "Niamh", "Seán",
      "Aoife"),
     ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Roberts", "Walker", "Wright",
      "Murphy", "Byrne", "O'Brien", "Kelly")),
    (("Amsterdam", "Stockholm", "Malmö", "Oslo", "Copenhagen"), 0.08,
     ("Ingrid", "Björn", "Freja", "Linnéa", "Mikael", "Astrid", "Lars", "Sigrid", "Henrik", "Maja", "Åsa",
      "Daan"),
     ("Johansson", "Nielsen", "Hansen", "Lindqvist", "Andersson", "Berg", "Dahl", "Holm", "Lund", "Åkesson",
      "de Vries", "Bakker")),
    (("Warsaw", "Kraków", "Vienna", "Zürich"), 0.07,
     ("Zofia", "Paweł", "Małgorzata", "Kacper", "Agnieszka", "Michał", "Katarzyna", "Wojciech", "Lea", "Lukas"),
     ("Nowak", "Kowalczyk", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Dąbrowski", "Huber", "Gruber",
      "Keller")),
    (("New York", "San Francisco", "Chicago", "Austin", "Toronto"), 0.16,
     ("Emily", "Michael", "Ashley", "Christopher", "Madison", "Daniel", "Olivia", "Ethan", "Ava", "Jacob",
      "Sophia", "Tyler", "Hailey", "Brandon"),
     ("Johnson", "Brown", "Davis", "Miller", "Wilson", "Moore", "Anderson", "Thomas", "Jackson", "White",
      "Harris", "Thompson", "Garcia", "Clark", "Lewis")),
    (("São Paulo", "Mexico City"), 0.05,
     ("João", "Ana", "Gabriel", "Fernanda", "Lucas", "Beatriz", "Diego", "Valentina", "Mateo", "Camila"),
     ("Silva", "Souza", "Oliveira", "Lima", "Pereira", "Costa", "Hernández", "Ramírez", "Torres", "Flores")),
    (("Tokyo", "Osaka"), 0.05,
     ("佐藤 美咲|misaki.sato", "鈴木 大輔|daisuke.suzuki", "高橋 結衣|yui.takahashi", "田中 翔|sho.tanaka",
      "伊藤 陽菜|hina.ito", "山本 蓮|ren.yamamoto", "中村 さくら|sakura.nakamura", "小林 拓海|takumi.kobayashi",
      "加藤 美月|mizuki.kato", "吉田 悠斗|yuto.yoshida"),
     ()),
    (("Singapore", "Bengaluru", "Sydney"), 0.05,
     ("Arjun", "Ananya", "Rahul", "Wei Ling", "Aditi", "Vikram", "Siti", "Jun Jie", "Kavya", "Chloe"),
     ("Mehta", "Iyer", "Gupta", "Tan", "Sharma", "Nair", "Rahman", "Lim", "Reddy", "Nguyen")),
)
CUSTOMER_EMAIL_DOMAINS = ("example.com", "example.com", "example.net", "example.org", "mail.example")
EMPLOYEE_DOMAIN = "acme.example"
PARTNER_DOMAIN = "partner.example"
#: Share of end users per connection (the rest of the tenant's traffic is machine or admin).
CONNECTION_MIX = (
    ("Username-Password-Authentication", 0.52), ("google-oauth2", 0.26), ("email", 0.07), ("sms", 0.05),
    ("acme-okta", 0.07), ("partners-saml", 0.03),
)
GENERATED_USER_COUNT = 320
EAI_SHARE = 0.1          # share of users whose email keeps the accents of their name (RFC 6531 addresses)
MFA_SHARE = 0.22         # share of database users enrolled in MFA
IPV6_SHARE = 0.15        # share of users whose home connection is IPv6
RAW_UA_SHARE = 0.05      # share of events carrying the raw User-Agent header instead of the parsed form
ARRAY_SCOPE_SHARE = 0.35  # share of events whose `scope` is a list instead of a space-separated string
LATE_INGEST_SHARE = 0.01  # share of events ingested minutes late (their log_id sorts after newer events)

# Tenant admins. They sign in to the Auth0 Dashboard, not to this tenant, so their ids come from
# Auth0's own tenant. (name, email, user_id, home city, office IP)
ADMINS: tuple[tuple[str, str, str, str, str], ...] = (
    ("José Álvarez", "jose.alvarez@acme.example", "google-oauth2|104873902213458816731", "Madrid", "192.0.2.11"),
    ("Priya Raman", "priya.raman@acme.example", "auth0|6523a1f0c9d8e7b6a5f40312", "Berlin", "192.0.2.10"),
    ("Fatima Benali", "fatima.benali@acme.example", "google-oauth2|117250391842275513094", "Berlin", "192.0.2.10"),
)
OFFICE_IPS = ("192.0.2.10", "192.0.2.11")
#: Where machine clients run (AWS eu-central-1 style addresses) and their location.
BACKEND_IPS = ("3.121.14.202", "3.122.57.19", "18.192.4.77", "52.28.130.9")
BACKEND_CITY = "Frankfurt am Main"

# Named users the scenarios are written around: (key, display name, user_name, connection, city, user_id, mfa)
CAST: tuple[tuple[str, str, str, str, str, str, str | None], ...] = (
    ("zoe", "Zoë Müller", "zoë.müller@example.com", "Username-Password-Authentication", "Berlin",
     "auth0|65f1c0a2e4b7d93f18a6c2e1", None),
    ("ken", "渡辺 健", "ken.watanabe@example.com", "Username-Password-Authentication", "Tokyo",
     "auth0|65f1c3d9a0b4e5f6a7b8c9d0", "push"),
    ("lukasz", "Łukasz Wiśniewski", "lukasz.wisniewski@example.net", "Username-Password-Authentication", "Warsaw",
     "auth0|6602a7e3b1c4d5e6f7a8b9c1", "otp"),
    ("carmen", "Carmen Núñez", "carmen.nunez@example.org", "Username-Password-Authentication", "Madrid",
     "auth0|66109b2c3d4e5f6a7b8c9d0e", "sms"),
    ("amelia", "Amelia Hughes", "amelia.hughes@example.com", "Username-Password-Authentication", "London",
     "auth0|65e8f7a6b5c4d3e2f1a0b9c8", None),
    ("soren", "Søren Ødegård", "søren.ødegård@example.net", "Username-Password-Authentication", "Oslo",
     "auth0|65f9e8d7c6b5a4f3e2d1c0b9", None),
    ("liam", "Liam O'Connor", "liam.oconnor@example.net", "Username-Password-Authentication", "Dublin",
     "auth0|6611c2d3e4f5a6b7c8d9e0f1", None),
    ("jane", "Jane Doe", "jane@acme.example", "acme-okta", "Berlin", "okta|acme-okta|00u8k2m4q6s8u0w2y4a6", None),
    ("mia", "Mia Jansen", "mia@partner.example", "partners-saml", "Amsterdam",
     "samlp|partners-saml|mia@partner.example", None),
    ("hugo", "Hugo Lefèvre", "+33612345678", "sms", "Paris", "sms|6620aa11bb22cc33dd44ee55", None),
)

# =====================================================================================
# Tenant model
# =====================================================================================


@dataclass(frozen=True, slots=True)
class Connection:
    name: str
    connection_id: str
    strategy: str
    strategy_type: str


@dataclass(frozen=True, slots=True)
class Client:
    key: str
    name: str
    client_id: str
    app_type: str
    hostname: str
    audience: str | None
    scope: str | None
    base_url: str

    @property
    def native(self) -> bool:
        return self.app_type == "native"

    @property
    def callback(self) -> str:
        return self.base_url + "/callback"


@dataclass(frozen=True, slots=True)
class City:
    name: str
    country_code: str
    utc_offset: float
    location_info: dict[str, Any]


@dataclass(frozen=True, slots=True)
class UserAgent:
    parsed: str
    raw: str
    mobile: bool


@dataclass(frozen=True, slots=True)
class User:
    index: int
    user_id: str
    user_name: str          # what logs show as user_name: the email, or the phone number for sms users
    email: str | None
    phone: str | None
    name: str
    connection: Connection
    city: City
    ips: tuple[str, ...]
    desktop: UserAgent
    handheld: UserAgent
    clients: tuple[Client, ...]
    mfa: str | None         # enrolled factor: "push", "otp", "sms" or None
    logins: int             # loginsCount before the window starts
    activity: float         # relative activity (heavy users log in far more often)
    identity: str = ""      # the IdP's id for the user: what follows the last "|" of user_id

    def __post_init__(self) -> None:
        object.__setattr__(self, "identity", self.user_id.rsplit("|", 1)[1])


@dataclass(frozen=True, slots=True)
class Admin:
    name: str
    email: str
    user_id: str
    city: City
    office_ip: str
    ua: UserAgent


@dataclass(frozen=True)
class Tenant:
    connections: dict[str, Connection]
    clients: dict[str, Client]
    cities: dict[str, City]
    users: tuple[User, ...]
    cast: dict[str, User]
    admins: tuple[Admin, ...]
    pools: dict[str, tuple[User, ...]] = field(default_factory=dict)


def _ascii_fold(text: str) -> str:
    """ASCII form of a name for an email local part ("Łukasz Wiśniewski" -> "lukasz.wisniewski")."""
    text = text.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("ł", "l")
    text = text.replace("Ł", "L").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _local_part(first: str, last: str, keep_accents: bool) -> str:
    raw = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
    return raw if keep_accents else _ascii_fold(raw)


def _random_ipv4(rnd: random.Random, country: str) -> str:
    first = IPV4_FIRST_OCTETS[country][int(rnd.random() * len(IPV4_FIRST_OCTETS[country]))]
    return f"{first}.{rnd.randrange(1, 255)}.{rnd.randrange(0, 256)}.{rnd.randrange(1, 255)}"


def _random_ipv6(rnd: random.Random, country: str) -> str:
    groups = ":".join(f"{rnd.getrandbits(16):x}" for _ in range(6))
    return f"{IPV6_PREFIXES[country]}:{groups}"


def _hex_id(rnd: random.Random) -> str:
    """A 24-hex-digit id like Auth0 database users get (a Mongo ObjectId, timestamp first)."""
    return f"{rnd.randrange(0x64000000, 0x68000000):08x}{rnd.getrandbits(64):016x}"


def _pick_weighted(rnd: random.Random, pairs: Iterable[tuple[Any, float]]) -> Any:
    items = list(pairs)
    x = rnd.random() * sum(w for _, w in items)
    for value, weight in items:
        x -= weight
        if x < 0:
            return value
    return items[-1][0]


def _user_agents(rnd: random.Random) -> tuple[UserAgent, UserAgent]:
    desktop = UA_DESKTOP[int(rnd.random() * len(UA_DESKTOP))]
    handheld = UA_MOBILE_WEB[int(rnd.random() * len(UA_MOBILE_WEB))]
    return UserAgent(*desktop), UserAgent(*handheld)


@lru_cache(maxsize=1)
def build_tenant() -> Tenant:
    """The demo tenant: connections, applications, cities, ~330 users and the admins.

    Built from fixed tables and a fixed RNG, so it is the same whatever seed the events use.
    """
    rnd = random.Random("acme-prod tenant")
    connections = {row[0]: Connection(*row) for row in CONNECTION_TABLE}
    clients = {row[0]: Client(*row) for row in CLIENT_TABLE}
    cities = {}
    for name, cc, cc3, country, lat, lon, tz, continent, offset in CITY_TABLE:
        info = {"country_code": cc, "country_code3": cc3, "country_name": country, "city_name": name,
                "latitude": lat, "longitude": lon, "time_zone": tz, "continent_code": continent}
        cities[name] = City(name, cc, offset, info)

    customer_apps = (clients["web"], clients["ios"], clients["android"])
    staff_apps = (clients["admin"], clients["support"], clients["web"])
    partner_apps = (clients["support"],)

    def apps_for(conn: str) -> tuple[Client, ...]:
        if conn == "acme-okta":
            return staff_apps
        if conn == "partners-saml":
            return partner_apps
        # Most customers use one or two of the three apps.
        k = 1 + int(rnd.random() < 0.45)
        start = int(rnd.random() * 3)
        return tuple(customer_apps[(start + i) % 3] for i in range(k))

    def make_user(index: int, name: str, user_name: str, conn_name: str, city: City, user_id: str,
                  mfa: str | None, phone: str | None = None) -> User:
        conn = connections[conn_name]
        ips = [_random_ipv4(rnd, city.country_code)]
        if rnd.random() < 0.4:
            ips.append(_random_ipv4(rnd, city.country_code))
        if city.country_code in IPV6_PREFIXES and rnd.random() < IPV6_SHARE:
            ips.insert(0, _random_ipv6(rnd, city.country_code))
        desktop, handheld = _user_agents(rnd)
        email = None if conn_name == "sms" else user_name
        activity = 1.0 / (1 + index % 97) ** 0.55 + 0.05
        return User(index, user_id, user_name, email, phone, name, conn, city, tuple(ips), desktop, handheld,
                    apps_for(conn_name), mfa, 1 + int(rnd.random() * 60), activity)

    users: list[User] = []
    cast: dict[str, User] = {}
    for key, name, user_name, conn, city, user_id, mfa in CAST:
        phone = user_name if conn == "sms" else ("+34612004417" if key == "carmen" else None)
        user = make_user(len(users), name, user_name, conn, cities[city], user_id, mfa, phone)
        users.append(user)
        cast[key] = user

    seen = {u.user_name for u in users}
    while len(users) < len(CAST) + GENERATED_USER_COUNT:
        region_cities, _, firsts, lasts = _pick_weighted(rnd, ((r, r[1]) for r in REGIONS))
        city = cities[region_cities[int(rnd.random() * len(region_cities))]]
        conn = _pick_weighted(rnd, CONNECTION_MIX)
        first = firsts[int(rnd.random() * len(firsts))]
        if lasts:
            last = lasts[int(rnd.random() * len(lasts))]
            display = f"{first} {last}"
            local = _local_part(first, last, rnd.random() < EAI_SHARE)
        else:  # Japanese pool: "family given|romanised"
            display, local = first.split("|")
        if rnd.random() < 0.3:
            local += str(rnd.randrange(1, 99))
        phone = None
        if conn == "acme-okta":
            user_name = f"{_ascii_fold(local)}@{EMPLOYEE_DOMAIN}"
            user_id = "okta|acme-okta|00u" + "".join(rnd.choice("abcdefghijkmnpqrstuvwxyz0123456789")
                                                     for _ in range(17))
        elif conn == "partners-saml":
            user_name = f"{_ascii_fold(local)}@{PARTNER_DOMAIN}"
            user_id = f"samlp|partners-saml|{user_name}"
        elif conn == "sms":
            phone = f"+{rnd.choice(('49', '33', '34', '44', '1', '81'))}{rnd.randrange(10**9, 10**10)}"
            user_name = phone
            user_id = f"sms|{_hex_id(rnd)}"
        else:
            user_name = f"{local}@{CUSTOMER_EMAIL_DOMAINS[int(rnd.random() * len(CUSTOMER_EMAIL_DOMAINS))]}"
            if conn == "google-oauth2":
                user_id = f"google-oauth2|1{rnd.randrange(10**19, 10**20)}"
            else:
                user_id = f"{'auth0' if conn != 'email' else 'email'}|{_hex_id(rnd)}"
        if user_name in seen:
            continue
        seen.add(user_name)
        mfa = None
        if conn == "Username-Password-Authentication" and rnd.random() < MFA_SHARE:
            mfa = _pick_weighted(rnd, (("push", 0.5), ("otp", 0.3), ("sms", 0.2)))
            if mfa == "sms":
                phone = f"+{rnd.choice(('49', '33', '34', '44', '1'))}{rnd.randrange(10**9, 10**10)}"
        users.append(make_user(len(users), display, user_name, conn, city, user_id, mfa, phone))

    admins = tuple(Admin(name, email, uid, cities[city], ip, UserAgent(*UA_DESKTOP[i % 3]))
                   for i, (name, email, uid, city, ip) in enumerate(ADMINS))
    frozen_users = tuple(users)
    pools = {
        "any": tuple(u for u in frozen_users),
        "customer": tuple(u for u in frozen_users if u.connection.strategy_type != "enterprise"),
        "db": tuple(u for u in frozen_users if u.connection.strategy == "auth0"),
        "mfa": tuple(u for u in frozen_users if u.mfa),
        "email": tuple(u for u in frozen_users if u.connection.strategy == "email"),
        "sms": tuple(u for u in frozen_users if u.connection.strategy == "sms"),
        "staff": tuple(u for u in frozen_users if u.connection.strategy_type == "enterprise"),
    }
    return Tenant(connections, clients, cities, frozen_users, cast, admins, pools)


# =====================================================================================
# Time: parsing, and table-driven formatting (the hot path formats two timestamps per event)
# =====================================================================================


def parse_instant(text: str) -> int:
    """``2026-11-01T00:00:00.000Z`` (or any ISO 8601 instant) -> epoch milliseconds."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp() * 1000)


def format_instant(epoch_ms: int) -> str:
    """Epoch milliseconds -> ``2026-11-01T00:00:00.000Z`` (the form Auth0 logs use)."""
    day, rem = divmod(epoch_ms, DAY_MS)
    minute, sec_ms = divmod(rem, 60_000)
    return _day_prefix(day) + _HHMM_COLON[minute] + _SS_MS_Z[sec_ms]


_HHMM_COLON = [f"{h:02d}:{m:02d}:" for h in range(24) for m in range(60)]
_SS_MS_Z = [f"{s:02d}.{ms:03d}Z" for s in range(60) for ms in range(1000)]
_HHMM_DIGITS = [f"{h:02d}{m:02d}" for h in range(24) for m in range(60)]
_SS_MS_DIGITS = [f"{s:02d}{ms:03d}" for s in range(60) for ms in range(1000)]


@lru_cache(maxsize=4096)
def _day_prefix(epoch_day: int) -> str:
    return (datetime(1970, 1, 1) + timedelta(days=epoch_day)).strftime("%Y-%m-%dT")


@lru_cache(maxsize=4096)
def _day_digits(epoch_day: int) -> str:
    return (datetime(1970, 1, 1) + timedelta(days=epoch_day)).strftime("%Y%m%d")


# =====================================================================================
# Event building
# =====================================================================================

_DYNAMIC = object()  # marks a description that must be chosen or formatted per event

# An actor is who/what/where an event is about:
# (user or None, client, ip, location_info or None, user_agent string, isMobile)
Actor = tuple[User | None, Client, str, dict[str, Any] | None, str, bool]
Builder = Callable[[EventCode, int, str, Actor, "dict[str, Any] | None"], Event]
#: (skeleton, fast kind, scope list items or None, has location_info, details as built, actor, overrides)
Template = tuple[Event, int, "tuple[str, ...] | None", bool, Any, Actor, "dict[str, Any] | None"]

_CODE_STARS = "*" * 42

#: Dashboard admin token scopes (a real one carries ~130; this is the part that matters for audits).
DASHBOARD_SCOPES = (
    "read:client_grants", "create:client_grants", "update:client_grants", "read:users", "update:users",
    "delete:users", "create:users", "read:users_app_metadata", "update:users_app_metadata", "read:clients",
    "update:clients", "delete:clients", "create:clients", "read:client_keys", "read:connections",
    "update:connections", "read:resource_servers", "update:resource_servers", "read:roles", "create:roles",
    "update:roles", "delete:roles", "create:role_members", "delete:role_members", "read:logs", "read:log_streams",
    "create:log_streams", "update:log_streams", "delete:log_streams", "read:tenant_settings",
    "update:tenant_settings", "read:anomaly_blocks", "delete:anomaly_blocks", "read:mfa_policies",
    "update:mfa_policies", "read:guardian_factors", "update:guardian_factors", "read:attack_protection",
    "update:attack_protection",
)
PROVISIONING_SCOPES = ("read:users", "update:users", "create:users", "delete:users", "read:roles",
                       "create:role_members", "read:clients")


def _urlsafe(value: int, length: int) -> str:
    """``length`` url-safe base64 characters encoding ``value`` (``length * 6`` bits)."""
    return base64.urlsafe_b64encode(value.to_bytes(length * 6 // 8, "big")).decode("ascii")


@lru_cache(maxsize=None)
def _path_user(user_id: str) -> str:
    """A user id as it appears in a request path: percent-encoded, as SDKs and the Dashboard send it."""
    return quote(user_id, safe="")


class EventFactory:
    """Builds event dicts, one family of codes per method, with the key order of real API output.

    Builders return the event without its trailing ``log_id``/``_id``/``isMobile``/``location_info``
    keys; the generator appends those once the event's place in the log is known. ``o`` carries
    per-event overrides for scripted (scenario) events; background traffic passes ``None``.
    """

    def __init__(self, tenant: Tenant, rnd: random.Random) -> None:
        self.t = tenant
        self.rnd = rnd
        self.random = rnd.random
        self.bits = rnd.getrandbits
        self.logins = [u.logins for u in tenant.users]   # per-run copy: loginsCount grows as users log in
        # Session ids are 32 url-safe characters: two halves drawn from pools (16M combinations) is
        # much cheaper per event than 32 random characters.
        self._sid_a = [_urlsafe(rnd.getrandbits(96), 16) for _ in range(4096)]
        self._sid_b = [_urlsafe(rnd.getrandbits(96), 16) for _ in range(4096)]
        self._code_tails = [_urlsafe(rnd.getrandbits(24), 4)[1:] for _ in range(4096)]
        self.global_client = tenant.clients["global"]
        self._prompt_skeletons = [self._prompts_for(u) for u in tenant.users]
        # Descriptions that need no per-event choice or formatting, resolved once (None = key absent).
        self.static_desc: dict[str, Any] = {}
        for row in EVENT_CODES:
            texts = row.descriptions
            self.static_desc[row.code] = (None if not texts else texts[0] if len(texts) == 1 and "{" not in texts[0]
                                          else _DYNAMIC)
        self.builders: dict[str, Builder] = {
            "login": self.login, "silent": self.silent, "login_fail": self.login_fail,
            "exchange": self.exchange, "logout": self.logout, "signup": self.signup, "account": self.account,
            "notification": self.notification, "mfa": self.mfa, "management": self.management,
            "anomaly": self.anomaly, "system": self.system,
        }

    def template(self, row: EventCode, a: Actor, kind: int) -> Template:
        """A reusable skeleton of ``row``'s event for actor ``a`` (the background loop's fast path).

        The skeleton is the builder's output plus the trailing keys, so its key order is the real one.
        Nested objects are never shared between events: ``details``, list ``scope`` and
        ``location_info`` are rebuilt per event as the returned fast kind says. Choices that real
        users repeat (which typo they make, which client a verification mail links to, the
        description of a failure) are drawn here, once per (user, application) and code.

        The skeleton is built at ``t=0``: builders must not put time-derived values into the
        ``details`` of codes that take the generic ``_FAST_COPY`` path (``s``, ``ssa``, ``slo`` ...
        have dedicated fast kinds that rebuild their timings per event).
        """
        o: dict[str, Any] | None = None
        if kind == _BY_STRANGER:
            # A username that does not exist: this user's address mistyped.
            local, _, domain = a[0].user_name.partition("@")  # type: ignore[union-attr]
            o = {"user_name": f"{local[:-1] or local}{'x' if self.random() < 0.5 else '1'}@{domain}"}
            a = (None,) + a[1:]  # type: ignore[assignment]
        elif kind == _BY_USER_OR_GLOBAL and self.random() < 0.5:
            a = (a[0], self.global_client) + a[2:]  # type: ignore[assignment]
        ev = self.builders[row.family](row, 0, "", a, o)
        details = ev.get("details")
        fast = _FAST_CODES.get(row.code)
        if fast is None:
            if details is None:
                fast = _FAST_NO_DETAILS
            elif all(type(v) is not list and (type(v) is not dict or
                                              all(type(x) not in (dict, list) for x in v.values()))
                     for v in details.values()):
                fast = _FAST_COPY
            else:
                fast = _FAST_BUILDER
        if "details" in ev:
            ev["details"] = None
        scope_items = None
        if "scope" in ev:
            if self.random() < ARRAY_SCOPE_SHARE:
                scope_items = tuple(a[1].scope.split(" "))  # type: ignore[union-attr]
                ev["scope"] = None
            else:
                ev["scope"] = a[1].scope
        ev["log_id"] = ""
        ev["_id"] = ""
        ev["isMobile"] = a[5] if "user_agent" in ev else False
        has_location = "ip" in ev
        if has_location:
            ev["location_info"] = None
        return ev, fast, scope_items, has_location, details, a, o

    @staticmethod
    def _prompts_for(u: User) -> tuple[dict[str, Any], dict[str, Any]]:
        conn = u.connection
        kind = conn.strategy_type
        name = ("prompt-authenticate" if kind == "database" else
                "passwordless-authenticate" if kind == "passwordless" else "federated-authenticate")
        first = {"name": name, "initiatedAt": 0, "completedAt": 0, "connection": conn.name,
                 "connection_id": conn.connection_id, "strategy": conn.strategy, "identity": u.identity,
                 "stats": None, "elapsedTime": 0}
        last = {"name": "login", "flow": "universal-login", "initiatedAt": 0, "completedAt": 0, "timers": None,
                "user_id": u.user_id, "user_name": u.user_name, "elapsedTime": 0}
        return first, last

    # ---- small random helpers -------------------------------------------------------

    def session_id(self) -> str:
        b = self.bits(24)
        return self._sid_a[b & 4095] + self._sid_b[b >> 12]

    def jti(self) -> str:
        return f"{self.bits(128):032x}"

    def scope_value(self, scope: str) -> str | list[str]:
        # Real logs carry `scope` either as a space-separated string or as a list.
        return scope.split(" ") if self.random() < ARRAY_SCOPE_SHARE else scope

    def description(self, row: EventCode, user: User | None = None, ip: str = "",
                    user_name: str | None = None) -> str | None:
        text = self.static_desc[row.code]
        if text is not _DYNAMIC:
            return text  # type: ignore[no-any-return]
        text = row.descriptions[int(self.random() * len(row.descriptions))]
        if "{" in text:
            name = user_name if user_name is not None else (user.user_name if user else "")
            text = text.format(user_name=name, ip=ip, email=(user.email if user and user.email else name),
                               phone_number=(user.phone if user and user.phone else name))
        return text

    # ---- actors -----------------------------------------------------------------------

    def actor(self, user: User, client: Client | None = None, *, ip: str | None = None,
              city: City | None = None, ua: UserAgent | tuple[str, str, bool] | None = None,
              raw_ua: bool | None = None) -> Actor:
        """Where and how ``user`` acts; unspecified parts are drawn from the user's habits."""
        rnd = self.random
        if client is None:
            client = user.clients[int(rnd() * len(user.clients))]
        if ua is None:
            if client.key == "ios":
                ua = UA_IOS_APP
            elif client.key == "android":
                ua = UA_ANDROID_APP
            else:
                ua = user.handheld if rnd() < 0.3 else user.desktop
        parsed, raw, mobile = ua if isinstance(ua, tuple) else (ua.parsed, ua.raw, ua.mobile)
        use_raw = rnd() < RAW_UA_SHARE if raw_ua is None else raw_ua
        if ip is None:
            ip = user.ips[int(rnd() * len(user.ips))]
        loc = (city or user.city).location_info
        return (user, client, ip, loc, raw if use_raw else parsed, mobile)

    def machine_actor(self, client: Client, ua: tuple[str, str, bool] = UA_SERVER) -> Actor:
        ip = BACKEND_IPS[int(self.random() * len(BACKEND_IPS))]
        loc = self.t.cities[BACKEND_CITY].location_info
        return (None, client, ip, loc, ua[1] if self.random() < RAW_UA_SHARE else ua[0], False)

    # ---- families --------------------------------------------------------------------

    def login(self, row: EventCode, t: int, d: str, a: Actor,
              o: dict[str, Any] | None) -> Event:
        """``s`` and its relatives: a completed interactive login with prompts and stats."""
        u, c, ip, ua = a[0], a[1], a[2], a[4]
        assert u is not None
        conn = u.connection
        if row.code in ("s", "sdel"):
            details = self.login_details(u, t)
            if o and "risk" in o:
                details["riskAssessment"] = o["risk"]
        else:
            details = {"session_id": self.session_id()}
        ev: Event = {"date": d, "type": row.code}
        desc = self.description(row, u, ip)
        if desc is not None:
            ev["description"] = desc
        ev["connection"] = conn.name
        ev["connection_id"] = conn.connection_id
        ev["client_id"] = c.client_id
        ev["client_name"] = c.name
        ev["ip"] = ip
        ev["user_agent"] = ua
        ev["details"] = details
        ev["hostname"] = c.hostname
        ev["user_id"] = u.user_id
        ev["user_name"] = u.user_name
        if c.audience and c.scope:
            ev["audience"] = c.audience
            ev["scope"] = self.scope_value(c.scope)
        ev["strategy"] = conn.strategy
        ev["strategy_type"] = conn.strategy_type
        return ev

    def login_details(self, u: User, t: int) -> dict[str, Any]:
        """``details`` of a successful login: the prompts the user went through, timings, session, count."""
        r = self.bits(56)
        elapsed = 900 + (r & 16383)
        logins = self.logins
        count = logins[u.index] = logins[u.index] + 1
        # Per-user prompt skeletons carry what never changes; copying one beats spelling out a literal.
        first, last = self._prompt_skeletons[u.index]
        p1 = first.copy()
        p1["initiatedAt"] = t - elapsed + 40
        p1["completedAt"] = t - 180
        p1["stats"] = {"loginsCount": count}
        p1["elapsedTime"] = elapsed - 220
        p2 = last.copy()
        p2["initiatedAt"] = t - elapsed
        p2["completedAt"] = t - 150
        p2["timers"] = {"rules": 2 + ((r >> 27) & 15)}
        p2["elapsedTime"] = elapsed - 150
        if u.mfa:
            mfa_ms = 3000 + ((r >> 14) & 8191)
            prompts = [p1, {"name": "mfa", "initiatedAt": t - 170 - mfa_ms, "completedAt": t - 170,
                            "performed_amr": ["mfa"], "elapsedTime": mfa_ms}, p2]
        else:
            prompts = [p1, p2]
        return {"prompts": prompts, "initiatedAt": t - elapsed - 4, "completedAt": t - 1,
                "elapsedTime": elapsed + 3, "session_id": self._sid_a[(r >> 32) & 4095] + self._sid_b[r >> 44],
                "stats": {"loginsCount": count}}

    def silent(self, row: EventCode, t: int, d: str, a: Actor,
              o: dict[str, Any] | None) -> Event:
        """``ssa``/``fsa``: silent authentication from an existing session (``prompt=none``)."""
        u, c, ip, ua = a[0], a[1], a[2], a[4]
        ok = row.code in ("ssa", "sdelsa")
        ev: Event = {"date": d, "type": row.code}
        desc = self.description(row, u, ip)
        if desc is not None:
            ev["description"] = desc
        ev["connection_id"] = ""
        ev["client_id"] = c.client_id
        ev["client_name"] = c.name
        ev["ip"] = ip
        ev["user_agent"] = ua
        if ok:
            ev["details"] = {"prompts": [], "completedAt": t - 1, "elapsedTime": None,
                             "session_id": self.session_id()}
        else:
            qs: dict[str, Any] = {"client_id": c.client_id, "response_type": "code", "response_mode": "web_message",
                                  "redirect_uri": c.base_url, "scope": c.scope or "openid profile email",
                                  "prompt": "none"}
            if c.audience:
                qs["audience"] = c.audience
            ev["details"] = {"body": {}, "qs": qs,
                             "error": {"message": desc, "oauthError": _oauth_error(desc),
                                       "type": "oauth-authorization"},
                             "riskAssessment": None}
        ev["hostname"] = c.hostname
        # A failed silent auth usually has no session, hence no user.
        if ok or desc != "Login required":
            assert u is not None
            ev["user_id"] = u.user_id
            ev["user_name"] = u.user_name
        if c.audience and c.scope:
            ev["audience"] = c.audience
            ev["scope"] = self.scope_value(c.scope)
        return ev

    def login_fail(self, row: EventCode, t: int, d: str, a: Actor,
              o: dict[str, Any] | None) -> Event:
        """``f``, ``fp``, ``fu``, ``fcoa`` ... a login attempt that did not complete."""
        u, c, ip, ua = a[0], a[1], a[2], a[4]
        code = row.code
        o = o or {}
        conn = u.connection if u else self.t.connections["Username-Password-Authentication"]
        user_name = o.get("user_name", u.user_name if u else "")
        desc = o.get("description") or self.description(row, u, ip, user_name)
        ev: Event = {"date": d, "type": code, "description": desc}
        if code == "f":
            ev["connection_id"] = ""
            ev["client_id"] = c.client_id
            ev["client_name"] = c.name
            ev["ip"] = ip
            ev["user_agent"] = ua
            ev["details"] = {"body": {}, "qs": {"client_id": c.client_id, "redirect_uri": c.callback,
                                                "response_type": "code", "scope": "openid profile email"},
                             "error": {"message": desc, "oauthError": _oauth_error(desc), "type": "request-error"}}
            ev["hostname"] = c.hostname
            return ev
        ev["connection"] = conn.name
        ev["connection_id"] = conn.connection_id
        ev["client_id"] = c.client_id
        ev["client_name"] = c.name
        ev["ip"] = ip
        ev["user_agent"] = ua
        ev["details"] = {"error": {"message": desc}}
        if code in ("fp", "fu", "fcoa"):
            # fu: the username does not exist, so most carry no user_id key and some an empty one.
            if code == "fu" or u is None:
                if o.get("empty_user_id", self.random() < 0.3):
                    ev["user_id"] = ""
            else:
                ev["user_id"] = u.user_id
            ev["user_name"] = user_name
            ev["strategy"] = conn.strategy
            ev["strategy_type"] = conn.strategy_type
            return ev
        ev["hostname"] = c.hostname
        if u is not None:
            ev["user_id"] = u.user_id
            ev["user_name"] = u.user_name
            if code in ("pla", "mfar"):
                ev["details"] = {"riskAssessment": {"confidence": "high", "version": "1", "assessments": {
                    "UntrustedIP": {"confidence": "high", "code": "not_found_on_deny_list"},
                    "NewDevice": {"confidence": "high", "code": "match"}}}}
        if not desc and code not in ("pla",):
            ev["details"] = {"session_id": self.session_id()}
        return ev

    def exchange(self, row: EventCode, t: int, d: str, a: Actor,
              o: dict[str, Any] | None) -> Event:
        """Token endpoint grants: ``seacft``, ``sertft``, ``seccft``, ``fertft`` ..."""
        u, c, ip, ua = a[0], a[1], a[2], a[4]
        code = row.code
        desc = self.description(row, u, ip) or ""
        ev: Event = {"date": d, "type": code, "description": desc, "connection_id": "",
                     "client_id": c.client_id, "client_name": c.name, "ip": ip, "user_agent": ua}
        if code == "seacft":
            ev["details"] = {"code": _CODE_STARS + self._code_tails[self.bits(12)]}
        elif desc:
            ev["details"] = {"error": {"message": desc}}
        ev["hostname"] = c.hostname
        if u is not None:
            ev["user_id"] = u.user_id
            ev["user_name"] = u.user_name
        else:
            ev["user_id"] = ""   # machine-to-machine grants have no user
        if c.audience and c.scope:
            ev["audience"] = c.audience
            ev["scope"] = self.scope_value(c.scope)
        return ev

    def logout(self, row: EventCode, t: int, d: str, a: Actor,
              o: dict[str, Any] | None) -> Event:
        u, c, ip, ua = a[0], a[1], a[2], a[4]
        assert u is not None
        ev: Event = {"date": d, "type": row.code}
        desc = self.description(row, u, ip)
        if desc is not None:
            ev["description"] = desc
        ev["connection"] = u.connection.name
        ev["connection_id"] = u.connection.connection_id
        ev["client_id"] = c.client_id
        ev["client_name"] = c.name
        ev["ip"] = ip
        ev["user_agent"] = ua
        if row.code == "slo":
            ev["details"] = {"return_to": c.base_url, "allowed_logout_url": [c.base_url],
                             "session_id": self.session_id()}
        elif desc and ("Failed" in desc or row.code == "flo"):
            ev["details"] = {"error": {"message": desc}, "session_id": self.session_id()}
        else:
            ev["details"] = {"session_id": self.session_id()}
        ev["hostname"] = c.hostname
        ev["user_id"] = u.user_id
        ev["user_name"] = u.user_name
        return ev

    def signup(self, row: EventCode, t: int, d: str, a: Actor,
              o: dict[str, Any] | None) -> Event:
        u, c, ip, ua = a[0], a[1], a[2], a[4]
        assert u is not None
        conn = u.connection
        ok = row.code == "ss"
        desc = (o or {}).get("description") or self.description(row, u, ip) or ""
        body = {"client_id": c.client_id, "tenant": TENANT_NAME, "email": u.user_name, "password": "*****",
                "connection": conn.name}
        details: dict[str, Any] = {"body": body}
        if not ok:
            details["error"] = {"message": desc}
        return {"date": d, "type": row.code, "description": desc, "connection": conn.name,
                "connection_id": conn.connection_id, "client_id": c.client_id, "client_name": c.name,
                "ip": ip, "user_agent": ua, "details": details, "user_id": u.user_id if ok else "",
                "user_name": u.user_name, "strategy": conn.strategy, "strategy_type": conn.strategy_type}

    def account(self, row: EventCode, t: int, d: str, a: Actor,
              o: dict[str, Any] | None) -> Event:
        """Self-service and user-lifecycle events (password change, email verification ...)."""
        u, c, ip, ua = a[0], a[1], a[2], a[4]
        assert u is not None
        code = row.code
        conn = u.connection
        desc = (o or {}).get("description") or self.description(row, u, ip) or ""
        if code == "sv":
            details: dict[str, Any] = {"title": "Email Verification", "email": u.email,
                                       "query": {"email": u.email, "user_id": u.user_id, "tenant": TENANT_NAME,
                                                 "client_id": c.client_id, "connection": conn.name}}
        elif code in ("scp", "fcp"):
            details = {"title": "Password Change", "email": u.email}
        elif code in ("scpr", "fcpr", "svr", "fvr"):
            details = {"body": {"email": u.email, "connection": conn.name, "client_id": c.client_id}}
        elif desc and code[0] == "f" or "failed" in code or "failure" in code:
            details = {"error": {"message": desc}}
        else:
            details = {"email": u.email} if u.email else {"phone_number": u.phone}
        if o and "details" in o:
            details.update(o["details"])
        return {"date": d, "type": code, "description": desc, "connection": conn.name,
                "connection_id": conn.connection_id, "client_id": c.client_id, "client_name": c.name,
                "ip": ip, "user_agent": ua, "details": details, "user_id": u.user_id,
                "user_name": u.user_name, "strategy": conn.strategy, "strategy_type": conn.strategy_type}

    def notification(self, row: EventCode, t: int, d: str, a: Actor,
              o: dict[str, Any] | None) -> Event:
        """Passwordless codes/links sent (``cs``/``cls``) and failed notifications (``fn``)."""
        u, c, ip, ua = a[0], a[1], a[2], a[4]
        assert u is not None
        code = row.code
        conn = u.connection
        if code == "fn":
            email = u.email or u.user_name
            return {"date": d, "type": code, "description": f"To: {email}",
                    "connection": conn.name, "connection_id": "", "client_id": c.client_id,
                    "details": {"email_type": "verify_email", "to": email,
                                "error": "the domain is blacklisted"},
                    "user_id": "", "user_name": email}
        if code == "cs":
            body: dict[str, Any] = {"client_id": c.client_id, "connection": "sms",
                                    "phone_number": u.phone or u.user_name, "send": "code"}
        else:
            body = {"client_id": c.client_id, "connection": "email", "email": u.email or u.user_name,
                    "send": "link" if self.random() < 0.4 else "code"}
        return {"date": d, "type": code, "description": "", "connection": conn.name,
                "connection_id": conn.connection_id, "client_id": c.client_id, "client_name": c.name,
                "ip": ip, "user_agent": ua, "details": {"body": body}, "hostname": c.hostname, "user_id": "",
                "user_name": u.user_name, "strategy": conn.strategy, "strategy_type": conn.strategy_type}

    def mfa(self, row: EventCode, t: int, d: str, a: Actor,
              o: dict[str, Any] | None) -> Event:
        """Guardian (``gd_*``) multi-factor events."""
        u, c, ip, ua = a[0], a[1], a[2], a[4]
        assert u is not None
        code = row.code
        factor = (o or {}).get("factor") or u.mfa or "otp"
        details: dict[str, Any] = {"authenticator": {"type": factor}}
        if code in ("gd_send_sms", "gd_send_voice", "gd_send_sms_failure", "gd_send_voice_failure"):
            phone = u.phone or "+49151000000"
            details = {"to": phone[:3] + "*" * (len(phone) - 6) + phone[-3:]}
        elif code in ("gd_send_pn", "gd_send_pn_failure", "gd_auth_rejected"):
            details = {"authenticator": {"type": "push"}, "device": "iPhone" if u.index % 2 else "Pixel 8"}
        elif code.startswith("gd_send_email") or code == "gd_send_email":
            details = {"to": u.email}
        ev: Event = {"date": d, "type": code,
                     "description": (o or {}).get("description") or self.description(row, u, ip),
                     "connection": u.connection.name, "connection_id": u.connection.connection_id,
                     "client_id": c.client_id, "client_name": c.name, "ip": ip, "user_agent": ua,
                     "details": details, "hostname": c.hostname, "user_id": u.user_id, "user_name": u.user_name}
        return ev

    def management(self, row: EventCode, t: int, d: str, a: Actor,
              o: dict[str, Any] | None) -> Event:
        """Management API calls: ``sapi`` (writes), ``mgmt_api_read``, ``fapi``, Guardian/KMS admin."""
        c, ip, ua = a[1], a[2], a[4]
        o = o or {}
        code = row.code
        admin: Admin | None = o.get("admin")
        op: SapiOp = o.get("op") or (MGMT_READS[int(self.random() * len(MGMT_READS))] if code == "mgmt_api_read"
                                     else self.default_op(code, admin))
        target = o.get("target") or self.t.users[int(self.random() * len(self.t.users))]
        path, body, status, response_body = op.render(self, target)
        if admin is not None:
            auth: dict[str, Any] = {"user": {"user_id": admin.user_id, "name": admin.name, "email": admin.email},
                                    "strategy": "jwt",
                                    "credentials": {"jti": self.jti(), "scopes": list(DASHBOARD_SCOPES)}}
            channel = DASHBOARD_CHANNEL
            request_ua = admin.ua.raw
            user_id = admin.user_id
        else:
            auth = {"strategy": "jwt", "credentials": {"jti": self.jti(), "scopes": list(PROVISIONING_SCOPES)}}
            channel = "api"
            request_ua = UA_NODE[1]
            user_id = ""
        request: dict[str, Any] = {"method": op.method, "path": path, "query": {}, "userAgent": request_ua}
        if op.method != "get":
            request["body"] = body
        request["channel"] = channel
        request["ip"] = ip
        request["auth"] = auth
        if code == "gd_tenant_update":
            # Guardian's own API logs upper-case methods and its internal path.
            request = {"method": "PATCH", "path": "/api/tenants/settings", "query": {}, "body": {},
                       "channel": channel, "ip": ip, "auth": auth}
            response_body = {"friendly_name": "[REDACTED]", "guardian_mfa_page": "[REDACTED]",
                             "name": TENANT_NAME, "picture_url": "[REDACTED]"}
            status = 200
        details: dict[str, Any] = {}
        if op.secrets:
            details["accessedSecrets"] = list(op.secrets)
        details["request"] = request
        if code == "fapi":
            status = 403
            response_body = {"statusCode": 403, "error": "Forbidden", "message": self.description(row),
                             "errorCode": "insufficient_scope"}
        details["response"] = {"statusCode": status, "body": response_body} if response_body is not None \
            else {"statusCode": status}
        desc = o.get("description") or (op.description if code in ("sapi", "mgmt_api_read")
                                        else self.description(row))
        return {"date": d, "type": code, "description": desc, "client_id": c.client_id,
                "client_name": c.name, "ip": ip, "user_agent": ua, "details": details, "user_id": user_id}

    def default_op(self, code: str, admin: Admin | None) -> SapiOp:
        ops = ADMIN_WRITES if admin is not None else MACHINE_WRITES
        return ops[int(self.random() * len(ops))]

    def anomaly(self, row: EventCode, t: int, d: str, a: Actor,
              o: dict[str, Any] | None) -> Event:
        """Attack protection: brute force (``limit_wc``), IP throttling (``limit_mu``), breached passwords."""
        u, c, ip, ua = a[0], a[1], a[2], a[4]
        o = o or {}
        code = row.code
        user_name = o.get("user_name", u.user_name if u else "")
        conn = u.connection if u else self.t.connections["Username-Password-Authentication"]
        ev: Event = {"date": d, "type": code,
                     "description": o.get("description") or self.description(row, u, ip, user_name)}
        if code == "limit_mu":
            ev.update({"client_id": c.client_id, "client_name": c.name, "ip": ip, "user_agent": ua,
                       "details": {"ip": ip, "attempts": o.get("attempts", 100)}, "hostname": c.hostname})
            return ev
        ev.update({"connection": conn.name, "connection_id": conn.connection_id, "client_id": c.client_id,
                   "client_name": c.name, "ip": ip, "user_agent": ua})
        if code == "ublkdu":
            ev["details"] = {"ip": o.get("blocked_ip", ip)}
            ev["user_id"] = u.user_id if u else ""
        else:
            ev["hostname"] = c.hostname
            ev["user_id"] = ""
        ev["user_name"] = user_name
        if code in ("limit_wc", "limit_sul"):
            ev["strategy"] = conn.strategy
            ev["strategy_type"] = conn.strategy_type
        return ev

    def system(self, row: EventCode, t: int, d: str, a: Actor,
              o: dict[str, Any] | None) -> Event:
        """Tenant-wide notices: deprecations, rate limits, directory sync, historical Private Cloud events."""
        c, ip, ua = a[1], a[2], a[4]
        o = o or {}
        code = row.code
        desc = o.get("description") or self.description(row, None, ip)
        details = o.get("details") or SYSTEM_DETAILS.get(code, {})
        details = _clone(details)  # fresh nested objects per event
        if code.startswith("sys_") or code == "admin_update_launch":
            # Private Cloud platform events: no request behind them, so no client, IP or agent.
            return {"date": d, "type": code, "description": desc, "details": details}
        ev: Event = {"date": d, "type": code, "description": desc, "client_id": c.client_id,
                     "client_name": c.name, "ip": ip, "user_agent": ua, "details": details}
        if code in ("depnote", "api_limit", "api_limit_warning", "custom_domain_verification_failed"):
            ev["hostname"] = c.hostname
        return ev


def _clone(value: Any) -> Any:
    """Deep copy of JSON-like data (dicts, lists, scalars), much faster than copy.deepcopy."""
    if type(value) is dict:
        return {k: _clone(v) for k, v in value.items()}
    if type(value) is list:
        return [_clone(v) for v in value]
    return value


def _oauth_error(desc: str | None) -> str:
    if not desc:
        return ""
    if desc.startswith("Login required"):
        return "login_required"
    if desc.startswith("Consent required"):
        return "consent_required"
    if desc.startswith("Multifactor"):
        return "interaction_required"
    if desc.startswith("Callback URL mismatch"):
        return "invalid_request"
    return "invalid_request"


@dataclass(frozen=True, slots=True)
class SapiOp:
    """One Management API operation as a ``sapi``/``mgmt_api_read`` event records it."""

    method: str              # lower-case, as Auth0 logs it in details.request.method
    path: str                # may contain {user}, {client}, {connection}, {role}
    description: str
    body: dict[str, Any] | None = None
    status: int = 200
    response: str = "echo"   # "echo" the body, "user", "client", "none"
    secrets: tuple[str, ...] = ()
    client: str | None = None   # the application a /clients/{client} operation is about (default: varies)

    def render(self, f: EventFactory, target: User) -> tuple[str, dict[str, Any], int, Any]:
        clients = f.t.clients
        client = clients[self.client] if self.client else clients["web"] if target.index % 3 else clients["admin"]
        path = self.path.format(user=_path_user(target.user_id), client=client.client_id,
                                connection=target.connection.connection_id, role=ROLE_IDS["Support Agent"],
                                stream=LOG_STREAM_ID)
        body = _clone(self.body or {})
        if isinstance(body, dict) and "user_id" in body:
            body["user_id"] = target.user_id
        if self.response == "user":
            response: Any = {"user_id": target.user_id, "email": target.email, "name": target.name,
                             "updated_at": "REDACTED"}
            if "email" in body:
                body["email"] = target.email
        elif self.response == "client":
            response = {"client_id": client.client_id, "name": client.name, "client_secret": "[REDACTED]"}
        elif self.response == "none":
            response = None
        else:
            response = body
        return path, body, self.status, response


ADMIN_WRITES: tuple[SapiOp, ...] = (
    SapiOp("post", "/api/v2/users/{user}/roles", "Assign roles to a user", {"roles": ["rol_v1BjzN3vy2xARbC2"]},
           204, "none"),
    SapiOp("delete", "/api/v2/users/{user}/roles", "Removes roles from a user", {"roles": ["rol_WzjKldwP2Abs5qgS"]},
           204, "none"),
    SapiOp("patch", "/api/v2/clients/{client}", "Update a client",
           {"callbacks": ["https://app.acme.example/callback", "https://staging.acme.example/callback"]},
           200, "client", ("client_secret",)),
    SapiOp("patch", "/api/v2/users/{user}", "Update a user", {"blocked": False}, 200, "user"),
    SapiOp("patch", "/api/v2/connections/{connection}", "Update a connection",
           {"options": {"password_policy": "good", "brute_force_protection": True}}),
    SapiOp("post", "/api/v2/tickets/password-change", "Create a password change ticket",
           {"user_id": "", "result_url": "https://app.acme.example/"}, 201, "none"),
    SapiOp("put", "/api/v2/guardian/policies", "Set the Multi-factor Authentication policies",
           ["all-applications"]),  # type: ignore[arg-type]
    SapiOp("patch", "/api/v2/attack-protection/brute-force-protection", "Update the brute force configuration",
           {"enabled": True, "shields": ["block", "user_notification"], "max_attempts": 10}),
    SapiOp("post", "/api/v2/roles", "Create a role", {"name": "Billing Viewer", "description": "Read invoices"},
           200, "echo"),
    SapiOp("delete", "/api/v2/users/{user}", "Delete a user", None, 204, "none"),
)
MACHINE_WRITES: tuple[SapiOp, ...] = (
    SapiOp("patch", "/api/v2/users/{user}", "Update a user",
           {"user_metadata": {"plan": "pro", "locale": "de-DE"}}, 200, "user"),
    SapiOp("patch", "/api/v2/users/{user}", "Update a user", {"app_metadata": {"crm_id": "0031t00000X9aQ2"}},
           200, "user"),
    SapiOp("post", "/api/v2/users/{user}/roles", "Assign roles to a user", {"roles": ["rol_ymKSxUE6GTctWbng"]},
           204, "none"),
    SapiOp("post", "/api/v2/jobs/verification-email", "Send an email address verification email",
           {"user_id": ""}, 201, "none"),
)
MGMT_READS: tuple[SapiOp, ...] = (
    SapiOp("get", "/api/v2/clients/{client}", "Get a client", None, 200, "client", ("client_secret",)),
    SapiOp("get", "/api/v2/clients", "Get clients", None, 200, "none", ("client_secret",)),
    SapiOp("get", "/api/v2/connections/{connection}", "Get a connection", None, 200, "none",
           ("options.client_secret",)),
)

#: Per-code details of system notices (copied per event).
SYSTEM_DETAILS: dict[str, dict[str, Any]] = {
    "depnote": {"feature": {"id": "legacy-lock-api", "name": "Legacy Lock API",
                            "description": "Lock versions older than 11 use the deprecated /usernamepassword/login "
                                           "and /ssodata endpoints",
                            "documentation": "https://auth0.com/docs/troubleshoot/product-lifecycle/deprecations-"
                                             "and-migrations"}},
    "api_limit": {"path": "/api/v2/users", "method": "get", "limit": 50, "remaining": 0},
    "api_limit_warning": {"path": "/api/v2/users", "method": "get", "limit": 50, "remaining": 10},
    "appi": {"rps_increase": 100, "duration_hours": 48},
    "acls_summary": {"rule": "block-datacenter-asns", "matches": 37, "window_minutes": 10},
    "directory_sync_completed": {"connection": "acme-okta", "created": 3, "updated": 12, "deleted": 1},
    "directory_sync_failed": {"connection": "acme-okta", "error": "invalid API token"},
    "directory_sync_started": {"connection": "acme-okta"},
    "kms_key_state_changed": {"key_id": "kms_3f9d2c1b", "from": "enabled", "to": "disabled"},
    "fui": {"job_id": "job_Ix3d0p7ZkQm2Rs9B", "error": "Unexpected token } in JSON at position 1834"},
    "sui": {"job_id": "job_Hw2c9o6YjPl1Qr8A", "inserted": 120, "updated": 0},
    "resource_cleanup": {"resource": "refresh_tokens", "removed": 25},
}

# =====================================================================================
# The scripted part of the log: scenarios and the one-of-every-code coverage pass
# =====================================================================================

# A step is (time, code, actor, overrides). Steps are built from a fixed RNG, not from `seed`.
Step = tuple[int, str, Actor, dict[str, Any] | None]

STUFFING_IPS = ("203.0.113.7", "198.51.100.23", "2001:db8:7a3c:1f00::51")
STUFFING_CITIES = ("Amsterdam", "Singapore", "São Paulo")
ATO_IP = "203.0.113.184"
ATO_CITY = "Ho Chi Minh City"
ROGUE_ADMIN_IP = "198.51.100.201"
ROGUE_ADMIN_CITY = "Reykjavík"
ROGUE_ACCOUNT = "svc-backup@mail.example"
UNPAGINATED_DEPNOTE = ("Unpaginated requests to GET /api/v2/organizations/{id}/members are deprecated and will "
                       "be limited to 50 results. Use the from and take parameters to paginate.")

# Breach-list usernames that do not exist in the tenant (the `fu` half of the stuffing wave).
_STUFFING_FIRST = ("michael", "jennifer", "david", "sarah", "robert", "jessica", "james", "linda", "john",
                   "karen", "thomas", "nancy", "kevin", "laura", "brian", "maria", "steven", "lisa", "mark",
                   "anna", "peter", "julia", "alex", "nina")
_STUFFING_DOMAINS = ("example.com", "example.net", "example.org", "mail.example", "inbox.example")


class _Script:
    """Collects scripted steps and the facts they establish."""

    def __init__(self, tenant: Tenant, start_ms: int, days: int) -> None:
        self.t = tenant
        self.rnd = random.Random("acme-prod scenarios")
        # Actors are drawn with the script's own RNG so the scripted part never depends on `seed`.
        self.f = EventFactory(tenant, random.Random("acme-prod scenario actors"))
        self.start_ms = start_ms
        self.days = days
        self.steps: list[Step] = []
        self.facts: dict[str, Any] = {}

    def at(self, day: int, hhmmss: str, ms: int | None = None) -> int:
        """Time of a scripted moment: ``hhmmss`` after the start of ``day`` of the 14-day plan.

        Days are counted from ``start`` (so with the default midnight start the times are wall-clock
        UTC) and scaled into shorter or longer windows.
        """
        if ms is None:
            ms = int(self.rnd.random() * 1000)
        day = min(day * self.days // DEFAULT_DAYS, self.days - 1)
        h, m, s = (int(x) for x in hhmmss.split(":"))
        return self.start_ms + day * DAY_MS + ((h * 60 + m) * 60 + s) * 1000 + ms

    def add(self, t: int, code: str, actor: Actor, o: dict[str, Any] | None = None) -> int:
        self.steps.append((t, code, actor, o))
        return t

    def user_actor(self, user: User, client: str | None = None, **kw: Any) -> Actor:
        return self.f.actor(user, self.t.clients[client] if client else None, raw_ua=False, **kw)

    def city(self, name: str) -> City:
        return self.t.cities[name]


def _scenario_credential_stuffing(s: _Script) -> None:
    """(a) Three IPs spray breached credentials at Acme Web: a wave of fu/fp, then limit_wc and limit_mu."""
    t_cast = s.t.cast
    web = s.t.clients["web"]
    rnd = s.rnd
    cast_ids = {u.user_id for u in t_cast.values()}
    existing = [u for u in s.t.pools["db"] if u.user_id not in cast_ids]
    targets_existing = [existing[int(rnd.random() * len(existing))] for _ in range(80)]
    unknown = sorted({f"{rnd.choice(_STUFFING_FIRST)}.{rnd.choice(_STUFFING_FIRST)}{rnd.randrange(1, 99)}@"
                      f"{rnd.choice(_STUFFING_DOMAINS)}" for _ in range(140)})
    uas = (UA_HEADLESS, UA_PYTHON_REQUESTS, UA_DESKTOP[0])
    starts = (s.at(4, "02:13:00"), s.at(4, "02:15:30"), s.at(4, "02:20:00"))
    wc_targets = (t_cast["amelia"], t_cast["soren"], None)
    facts: dict[str, Any] = {"ips": list(STUFFING_IPS), "client_name": web.name,
                             "connection": "Username-Password-Authentication",
                             "countries": {ip: s.city(c).country_code for ip, c in zip(STUFFING_IPS, STUFFING_CITIES)},
                             "limit_wc": [], "limit_mu": [], "user_names": set(), "fu": 0, "fp": 0}
    first_t = last_t = starts[0]
    for ip, city_name, ua, t, wc_user in zip(STUFFING_IPS, STUFFING_CITIES, uas, starts, wc_targets):
        city = s.city(city_name)
        failures = 0
        # One account hammered ten times in a row trips brute-force protection (limit_wc) for that IP.
        if wc_user is not None:
            for _ in range(10):
                t += 4000 + int(rnd.random() * 5000)
                s.add(t, "fp", (wc_user, web, ip, city.location_info, ua[0], False))
                failures += 1
                facts["fp"] += 1
                facts["user_names"].add(wc_user.user_name)
            t += 600 + int(rnd.random() * 500)
            s.add(t, "limit_wc", (wc_user, web, ip, city.location_info, ua[0], False))
            facts["limit_wc"].append({"date": format_instant(t), "ip": ip, "user_name": wc_user.user_name,
                                      "user_id": wc_user.user_id})
        while failures < 100:
            t += 3000 + int(rnd.random() * 9000)
            if rnd.random() < 0.45:
                victim = targets_existing[int(rnd.random() * len(targets_existing))]
                s.add(t, "fp", (victim, web, ip, city.location_info, ua[0], False))
                facts["fp"] += 1
                facts["user_names"].add(victim.user_name)
            else:
                name = unknown[int(rnd.random() * len(unknown))]
                s.add(t, "fu", (None, web, ip, city.location_info, ua[0], False),
                      {"user_name": name, "empty_user_id": rnd.random() < 0.3})
                facts["fu"] += 1
                facts["user_names"].add(name)
            failures += 1
        # Suspicious IP throttling: 100 failures without a success blocks the IP (limit_mu); the bot stops.
        t += 900 + int(rnd.random() * 400)
        s.add(t, "limit_mu", (None, web, ip, city.location_info, ua[0], False), {"attempts": failures})
        facts["limit_mu"].append({"date": format_instant(t), "ip": ip})
        last_t = max(last_t, t)
    facts["start"] = format_instant(first_t)
    facts["end"] = format_instant(last_t)
    facts["failed_logins"] = facts["fu"] + facts["fp"]
    facts["distinct_user_names"] = len(facts.pop("user_names"))
    s.facts["credential_stuffing"] = facts

    # (f) During the wave the bot hits Ken's real password: MFA stops it, Ken rejects the pushes.
    ken = t_cast["ken"]
    bot_city = s.city(STUFFING_CITIES[1])
    t = s.at(4, "02:19:04", 220)
    bot = (ken, web, STUFFING_IPS[1], bot_city.location_info, UA_PYTHON_REQUESTS[0], False)
    # The push is answered on Ken's phone in Tokyo, so the rejection carries his IP and device.
    phone = s.user_actor(ken, "web", ip=ken.ips[0], ua=ken.handheld)
    for _ in range(4):
        s.add(t, "gd_start_auth", bot)
        s.add(t + 310, "gd_send_pn", bot)
        t += 35_000 + int(rnd.random() * 20_000)
        s.add(t, "gd_auth_rejected", phone)
        t += 40_000 + int(rnd.random() * 30_000)
    s.facts["mfa_push_rejected"] = {"user_name": ken.user_name, "user_id": ken.user_id, "name": ken.name,
                                    "requested_from": STUFFING_IPS[1], "rejected_from": phone[2],
                                    "first": format_instant(s.at(4, "02:19:04", 220)), "rejections": 4}
    home = s.user_actor(ken, "web", ip=ken.ips[0])
    t = s.at(4, "02:58:12")
    s.add(t, "scpr", home)
    s.add(t + 95_000, "scp", home)


def _scenario_breached_passwords(s: _Script) -> None:
    """(b) Liam logs in with a password from a breach list (pwd_leak), then resets to another leaked one."""
    liam = s.t.cast["liam"]
    a = s.user_actor(liam, "web", ip=liam.ips[-1])
    t1 = s.add(s.at(2, "14:22:31", 412), "pwd_leak", a, {"user_name": liam.user_name})
    s.add(s.at(2, "14:25:02"), "scpr", a)
    t2 = s.add(s.at(2, "14:27:40", 118), "reset_pwd_leak", a, {"user_name": liam.user_name})
    s.add(s.at(2, "14:29:02"), "scp", a)
    s.add(s.at(2, "14:29:31"), "s", a)
    # A new customer signs up with a breached password, then with a fresh one.
    newcomer = next(u for u in s.t.pools["db"] if u.city.country_code == "US" and not u.mfa)
    b = s.user_actor(newcomer, "web")
    t3 = s.add(s.at(7, "16:40:12", 907), "signup_pwd_leak", b, {"user_name": newcomer.user_name})
    s.add(s.at(7, "16:41:35"), "ss", b)
    s.facts["breached_password"] = {
        "pwd_leak": {"date": format_instant(t1), "ip": a[2], "user_name": liam.user_name, "user_id": liam.user_id},
        "reset_pwd_leak": {"date": format_instant(t2), "ip": a[2], "user_name": liam.user_name},
        "signup_pwd_leak": {"date": format_instant(t3), "ip": b[2], "user_name": newcomer.user_name},
    }


def _admin_actor(s: _Script, admin: Admin, ip: str | None = None, city: City | None = None) -> Actor:
    city = city or admin.city
    return (None, s.t.clients["dashboard"], ip or admin.office_ip, city.location_info, admin.ua.parsed, False)


def _scenario_admin_changes(s: _Script) -> None:
    """(c) Routine admin work in office hours, then José's session used at night from Reykjavík."""
    jose, priya, fatima = s.t.admins
    cast = s.t.cast
    ops = {op.description: op for op in ADMIN_WRITES}
    routine = (
        (jose, 1, "10:05:44", "Update a client", cast["jane"]),
        (priya, 3, "13:40:09", "Assign roles to a user", cast["jane"]),
        (fatima, 5, "09:12:51", "Update the brute force configuration", cast["zoe"]),
        (jose, 9, "15:12:30", "Update a connection", cast["zoe"]),
        (priya, 11, "11:03:17", "Delete a user", s.t.users[200]),
        (fatima, 12, "16:48:02", "Set the Multi-factor Authentication policies", cast["zoe"]),
    )
    normal = []
    for admin, day, hhmmss, desc, target in routine:
        t = s.add(s.at(day, hhmmss), "sapi", _admin_actor(s, admin), {"admin": admin, "op": ops[desc],
                                                                     "target": target})
        normal.append({"date": format_instant(t), "admin": admin.email, "ip": admin.office_ip,
                       "description": desc})
    # Amelia was locked out by the stuffing wave; Priya lifts the block and Auth0 logs the release.
    amelia = cast["amelia"]
    unblock = SapiOp("delete", "/api/v2/user-blocks/{user}", "Unblock by user id", None, 204, "none")
    t = s.add(s.at(4, "08:41:27"), "sapi", _admin_actor(s, priya), {"admin": priya, "op": unblock,
                                                                    "target": amelia})
    s.add(t + 412, "ublkdu", s.user_actor(amelia, "web", ip=OFFICE_IPS[0], city=priya.city),
          {"blocked_ip": STUFFING_IPS[0]})
    normal.append({"date": format_instant(t), "admin": priya.email, "ip": priya.office_ip,
                   "description": "Unblock by user id"})

    # The suspicious night: a throwaway account signs up, then José's token grants it Administrator.
    rogue_city = s.city(ROGUE_ADMIN_CITY)
    rogue = User(len(s.t.users), "auth0|6910f3a2b1c0d9e8f7a6b5c4", ROGUE_ACCOUNT, ROGUE_ACCOUNT, None,
                 "svc backup", s.t.connections["Username-Password-Authentication"], rogue_city,
                 (ROGUE_ADMIN_IP,), UserAgent(*UA_DESKTOP[4]), UserAgent(*UA_MOBILE_WEB[0]),
                 (s.t.clients["web"],), None, 0, 0.0)
    s.add(s.at(8, "02:31:18"), "ss", (rogue, s.t.clients["web"], ROGUE_ADMIN_IP, rogue_city.location_info,
                                      UA_DESKTOP[4][0], False))
    night = _admin_actor(s, jose, ROGUE_ADMIN_IP, rogue_city)
    admin_portal = s.t.clients["admin"]
    rogue_ops = (
        ("02:46:30", "mgmt_api_read", SapiOp("get", "/api/v2/clients/{client}", "Get a client", None, 200, "client",
                                             ("client_secret",), "admin"), cast["jane"]),
        ("02:47:12", "sapi", SapiOp("patch", "/api/v2/clients/{client}", "Update a client",
                                    {"callbacks": ["https://admin.acme.example/callback",
                                                   "https://acme-admin.example.net/callback"]},
                                    200, "client", ("client_secret",), "admin"), cast["jane"]),
        ("02:49:40", "sapi", SapiOp("post", "/api/v2/users/{user}/roles", "Assign roles to a user",
                                    {"roles": [ROLE_IDS["Administrator"]]}, 204, "none"), rogue),
        ("02:51:05", "sapi", SapiOp("delete", "/api/v2/log-streams/{stream}", "Delete a log stream", None, 204,
                                    "none"), cast["jane"]),
    )
    suspicious = []
    for hhmmss, code, op, target in rogue_ops:
        t = s.add(s.at(8, hhmmss), code, night, {"admin": jose, "op": op, "target": target})
        path = op.path.format(user=_path_user(target.user_id), stream=LOG_STREAM_ID,
                              client=admin_portal.client_id)
        suspicious.append({"date": format_instant(t), "type": code, "method": op.method, "path": path,
                           "description": op.description})
    s.facts["admin_changes"] = {
        "admins": [a.email for a in s.t.admins],
        "office_ips": list(OFFICE_IPS),
        "routine": sorted(normal, key=lambda op: op["date"]),
        "suspicious": {"admin": jose.email, "admin_user_id": jose.user_id, "ip": ROGUE_ADMIN_IP,
                       "country_code": rogue_city.country_code, "city_name": rogue_city.name,
                       "operations": suspicious, "rogue_account": ROGUE_ACCOUNT, "rogue_user_id": rogue.user_id,
                       "role_granted": ROLE_IDS["Administrator"]},
    }


def _scenario_account_takeover(s: _Script) -> None:
    """(d) Zoë's password is guessed from Vietnam: three fp, then a successful s from the same IP."""
    zoe = s.t.cast["zoe"]
    home = s.user_actor(zoe, "web", ip=zoe.ips[0], ua=zoe.desktop)
    s.add(s.at(10, "07:58:41", 233), "s", home)
    s.add(s.at(10, "07:58:42", 20), "seacft", home)
    city = s.city(ATO_CITY)
    bad = s.user_actor(zoe, "web", ip=ATO_IP, city=city, ua=UA_DESKTOP[3])
    failures = [s.add(s.at(10, hhmmss, ms), "fp", bad) for hhmmss, ms in
                (("21:04:10", 118), ("21:04:31", 904), ("21:05:02", 377))]
    t_s = s.add(s.at(10, "21:05:40", 561), "s", bad,
                {"risk": {"confidence": "low", "version": "1", "assessments": {
                    "ImpossibleTravel": {"confidence": "low", "code": "impossible_travel_from_last_login"},
                    "NewDevice": {"confidence": "low", "code": "no_match",
                                  "details": {"device": "unknown", "useragent": "unknown"}},
                    "UntrustedIP": {"confidence": "high", "code": "not_found_on_deny_list"}}}})
    s.add(s.at(10, "21:05:41", 102), "seacft", bad)
    t_sce = s.add(s.at(10, "21:09:15", 640), "sce", bad,
                  {"details": {"new_email": "zoe.mueller.recovery@mail.example"}})
    s.facts["account_takeover"] = {
        "user_id": zoe.user_id, "user_name": zoe.user_name, "name": zoe.name,
        "home_country_code": zoe.city.country_code, "ip": ATO_IP, "country_code": city.country_code,
        "city_name": city.name, "failures": [format_instant(t) for t in failures],
        "success": format_instant(t_s), "email_changed": format_instant(t_sce),
    }


def _scenario_deprecation(s: _Script) -> None:
    """(e) Deprecation notices: the Support Console still uses Lock 10; a script pages badly."""
    support = s.t.clients["support"]
    prov = s.t.clients["provisioning"]
    jane = s.t.cast["jane"]
    t1 = s.add(s.at(5, "10:00:03", 871), "depnote", s.user_actor(jane, "support", ip=OFFICE_IPS[0]))
    unpaginated = {"feature": {"id": "unpaginated-organization-members", "name": "Unpaginated organization members",
                               "description": "GET /api/v2/organizations/{id}/members without pagination",
                               "documentation": "https://auth0.com/docs/troubleshoot/product-lifecycle/past-"
                                                "migrations/migrate-to-paginated-queries"},
                   "method": "get", "path": "/api/v2/organizations/org_Lq8Rt2Wz5Xv7Yn3K/members",
                   "size_exceeded": True}
    t2 = s.add(s.at(11, "07:30:41", 12), "depnote", s.f.machine_actor(prov, UA_NODE),
               {"description": UNPAGINATED_DEPNOTE, "details": unpaginated})
    s.facts["deprecation_notice"] = [
        {"date": format_instant(t1), "client_name": support.name,
         "description": CODES["depnote"].descriptions[0]},
        {"date": format_instant(t2), "client_name": prov.name, "description": UNPAGINATED_DEPNOTE},
    ]


def _scenario_mfa(s: _Script) -> None:
    """(f) Guardian: Ken enrolls push, Łukasz recovers with a recovery code, Carmen's SMS codes fail."""
    ken, lukasz, carmen = s.t.cast["ken"], s.t.cast["lukasz"], s.t.cast["carmen"]
    a = s.user_actor(ken, "web", ip=ken.ips[0])
    t_enroll = s.add(s.at(1, "08:14:05", 66), "gd_start_enroll", a, {"factor": "push"})
    s.add(s.at(1, "08:15:12", 431), "gd_enrollment_complete", a, {"factor": "push"})
    s.add(s.at(1, "08:15:13", 9), "s", a)
    b = s.user_actor(lukasz, "web", ip=lukasz.ips[0])
    t_rec = s.add(s.at(7, "07:20:09", 540), "gd_start_auth", b)
    s.add(s.at(7, "07:20:44", 3), "gd_recovery_failed", b)
    s.add(s.at(7, "07:21:19", 780), "gd_recovery_succeed", b)
    s.add(s.at(7, "07:21:20", 15), "s", b)
    s.add(s.at(7, "07:23:51", 200), "gd_start_enroll", b, {"factor": "otp"})
    s.add(s.at(7, "07:24:30", 650), "gd_enrollment_complete", b, {"factor": "otp"})
    c = s.user_actor(carmen, "android", ip=carmen.ips[0])
    t = s.at(9, "19:02:10", 150)
    t_sms = t
    s.add(t, "gd_start_auth", c)
    s.add(t + 800, "gd_send_sms", c)
    for _ in range(10):
        t += 9000 + int(s.rnd.random() * 6000)
        s.add(t, "gd_auth_failed", c, {"factor": "sms"})
    s.add(t + 350, "gd_otp_rate_limit_exceed", c, {"factor": "sms"})
    s.facts["mfa"] = {
        "enrollment": {"user_name": ken.user_name, "name": ken.name, "factor": "push",
                       "date": format_instant(t_enroll)},
        "push_rejected": s.facts.pop("mfa_push_rejected"),
        "recovery": {"user_name": lukasz.user_name, "name": lukasz.name, "date": format_instant(t_rec)},
        "otp_rate_limit": {"user_name": carmen.user_name, "name": carmen.name, "failures": 10,
                           "date": format_instant(t_sms)},
    }


SCENARIO_SCRIPTS: tuple[Callable[[_Script], None], ...] = (
    _scenario_credential_stuffing, _scenario_breached_passwords, _scenario_admin_changes,
    _scenario_account_takeover, _scenario_deprecation, _scenario_mfa,
)


def _pool_for(row: EventCode) -> str:
    if row.code in POOL_BY_CODE:
        return POOL_BY_CODE[row.code]
    return "mfa" if row.family == "mfa" else "customer"


def _coverage_step(s: _Script, row: EventCode, t: int, i: int) -> Step:
    """A plausible one-off event of ``row``'s code at about ``t``."""
    if row.family == "management":
        # Admin work happens in office hours: move the event to 09:00-17:00 UTC of its day.
        day_start = t - (t - s.start_ms) % DAY_MS
        t = day_start + 9 * HOUR_MS + (t - day_start) % (8 * HOUR_MS)
        admin = s.t.admins[i % len(s.t.admins)]
        return (t, row.code, _admin_actor(s, admin), {"admin": admin})
    if row.family == "system":
        return (t, row.code, s.f.machine_actor(s.t.clients["provisioning"], UA_NODE), None)
    if row.code in MACHINE_CODES:
        return (t, row.code, s.f.machine_actor(s.t.clients["orders"]), None)
    pool = s.t.pools[_pool_for(row)]
    return (t, row.code, s.user_actor(pool[int(s.rnd.random() * len(pool))]), None)


#: Codes that close an earlier event; the coverage pass places them minutes after their opener.
_CLOSING_CODES = {"sys_update_end": "sys_update_start", "sys_os_update_end": "sys_os_update_start",
                  "con": "coff", "directory_sync_completed": "directory_sync_started"}


def _coverage(s: _Script, codes_done: set[str]) -> None:
    """One event of every code the scenarios did not produce, spread evenly over the window."""
    todo = [row for row in EVENT_CODES if row.code not in codes_done and row.code not in _CLOSING_CODES]
    order = sorted(todo, key=lambda r: hashlib.sha256(r.code.encode()).hexdigest())  # stable interleaving
    span = s.days * DAY_MS
    closers = {opener: closer for closer, opener in _CLOSING_CODES.items()}
    for i, row in enumerate(order):
        t = s.start_ms + (span * (2 * i + 1)) // (2 * len(order)) + int(s.rnd.random() * 600_000)
        step = _coverage_step(s, row, min(t, s.start_ms + span - 1), i)
        s.steps.append(step)
        closer = closers.get(row.code)
        if closer:
            t_close = min(step[0] + 240_000 + int(s.rnd.random() * 600_000), s.start_ms + span - 1)
            s.steps.append(_coverage_step(s, CODES[closer], t_close, i))


@dataclass
class ScriptedLog:
    steps: list[Step]
    facts: dict[str, Any]


def _script(tenant: Tenant, start_ms: int, days: int) -> ScriptedLog:
    s = _Script(tenant, start_ms, days)
    for scenario in SCENARIO_SCRIPTS:
        scenario(s)
    _coverage(s, {code for _, code, _, _ in s.steps})
    s.steps.sort(key=lambda step: step[0])  # stable: same-millisecond steps keep script order
    return ScriptedLog(s.steps, s.facts)


def scenario_facts(start: str = DEFAULT_START, days: int = DEFAULT_DAYS) -> dict[str, Any]:
    """The facts of the scripted incidents for a window (they do not depend on the seed)."""
    tenant = build_tenant()
    return _script(tenant, parse_instant(start), days).facts


# =====================================================================================
# Background traffic
# =====================================================================================

#: Which users background events of a code are about.
POOL_BY_CODE: dict[str, str] = {
    "fp": "db", "fcoa": "db", "scoa": "db", "scp": "db", "fcp": "db", "scpr": "db", "fcpr": "db", "sv": "db",
    "svr": "db", "fv": "db", "fvr": "db", "ss": "db", "fs": "db", "sepft": "db", "fepft": "db", "sce": "db",
    "fce": "db", "scu": "db", "fcu": "db", "w": "db", "fn": "db", "wn": "db",
    "seotpft": "mfa", "feotpft": "mfa", "seoobft": "mfa", "feoobft": "mfa", "sercft": "mfa", "fercft": "mfa",
    "mfar": "mfa", "sepkoobft": "mfa", "sepkotpft": "mfa", "sepkrcft": "mfa",
    "cls": "email", "fepotpft": "email", "cs": "sms", "scpn": "sms", "fcpn": "sms", "limit_phone": "sms",
    "universal_logout_succeeded": "staff", "universal_logout_failed": "staff",
    "federated_logout_failed": "staff", "oidc_backchannel_logout_succeeded": "staff",
    "oidc_backchannel_logout_failed": "staff", "sscim": "staff", "fscim": "staff",
    "ss_sso_info": "staff", "ss_sso_success": "staff", "ss_sso_failure": "staff", "si": "staff", "fi": "staff",
    "organization_member_added": "staff",
}
#: Codes done by machines (client credentials, CIBA backends ...), not by a user's browser.
MACHINE_CODES = frozenset({"seccft", "feccft", "jwt_bearer_exchange_failed", "ciba_start_succeeded",
                           "ciba_start_failed", "ciba_exchange_succeeded", "ciba_exchange_failed",
                           "success_on_behalf_of_token_exchange", "failed_on_behalf_of_token_exchange",
                           "idjag_exchange_succeeded", "idjag_exchange_failed", "limit_delegation"})
_TYPE_TABLE_BITS = 14
_PICK_TABLE_BITS = 11


def _activity(local_hour: float) -> float:
    """How active people are at a local hour: low at night, flat by day, a dip at lunch."""
    h = local_hour % 24
    if h < 6:
        return 0.12
    if h < 7:
        return 0.35
    if h < 8:
        return 0.7
    if 12 <= h < 13:
        return 0.85
    if h < 18:
        return 1.0
    if h < 22:
        return 0.8
    return 0.4 if h < 23 else 0.22


def _quantile_table(items: list[Any], weights: list[float], bits: int) -> list[Any]:
    """A 2**bits lookup table: uniform random index -> item with probability proportional to its weight.

    Filled deterministically from the cumulative weights, so sampling costs one getrandbits call.
    """
    total = sum(weights)
    size = 1 << bits
    table: list[Any] = []
    cumulative = 0.0
    i = 0
    for item, w in zip(items, weights):
        cumulative += w
        # Slots whose midpoint falls below the running total belong to this item.
        while i < size and (i + 0.5) * total / size < cumulative:
            table.append(item)
            i += 1
    table.extend([items[-1]] * (size - i))
    return table


class _Background:
    """Seed-independent pools for the hot loop, built once per process.

    * ``type_table``: uniform index -> event code, proportional to the codes' weights.
    * ``user_tables[pool][hour]``: uniform index -> user, weighted by how active each user is at that
      UTC hour in their own time zone (so Tokyo logs in while Europe sleeps).
    * ``actor_tables[user.index]``: 8 of the user's habitual (app, IP, user agent) combinations, so the
      hot loop picks an actor with one lookup instead of several random draws.
    """

    def __init__(self, tenant: Tenant) -> None:
        rnd = random.Random("acme-prod habits")
        self.rows = [row for row in EVENT_CODES if row.weight > 0]
        self.type_table: list[EventCode] = _quantile_table(self.rows, [r.weight for r in self.rows],
                                                           _TYPE_TABLE_BITS)
        self.user_tables: dict[str, list[list[User]]] = {}
        for pool_name, pool in tenant.pools.items():
            per_hour = []
            for hour in range(24):
                weights = [u.activity * _activity(hour + u.city.utc_offset) for u in pool]
                per_hour.append(_quantile_table(list(pool), weights, _PICK_TABLE_BITS))
            self.user_tables[pool_name] = per_hour
        habits = EventFactory(tenant, rnd)
        # Background actors carry a 7th element: the number of their (user, client) pair, which keys the
        # per-run skeleton cache (IP and user agent are set per event, so they need no skeleton of their own).
        self.slots: dict[tuple[int, str], int] = {}
        self.actor_tables = [[self._number(habits.actor(u)) for _ in range(8)] for u in tenant.users]
        self.machine_tables = {key: [self._number(habits.machine_actor(tenant.clients[key], ua))
                                     for _ in range(32)]
                               for key, ua in (("orders", UA_SERVER), ("provisioning", UA_NODE))}
        users = tenant.pools["any"]
        self.hour_volume = [sum(u.activity * _activity(h + u.city.utc_offset) for u in users) for h in range(24)]


    def _number(self, actor: Actor) -> Actor:
        user, client = actor[0], actor[1]
        key = (user.index if user is not None else -1, client.key)
        slot = self.slots.setdefault(key, len(self.slots))
        return actor + (slot,)  # type: ignore[return-value]

    @property
    def n_slots(self) -> int:
        return len(self.slots)


@lru_cache(maxsize=1)
def _background() -> _Background:
    return _Background(build_tenant())


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder, ties by index)."""
    if total <= 0:
        return [0] * len(weights)
    w_sum = sum(weights)
    exact = [total * w / w_sum for w in weights]
    counts = [int(x) for x in exact]
    short = total - sum(counts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in by_remainder[:short]:
        counts[i] += 1
    return counts


# =====================================================================================
# The generator
# =====================================================================================

#: The 36 digits after the timestamp: a 3-digit node, 14 zeros and "1223372" as in modern ids, then the
#: 12-digit sequence.
_LOG_ID_TAILS = tuple(node + "00000000000000" + "1223372" for node in ("203", "547", "111", "508", "458", "162"))
_SEQ_BASE = 160_000_000_000


def generate_events(count: int | None = None, *, seed: int = DEFAULT_SEED, start: str = DEFAULT_START,
                    days: int = DEFAULT_DAYS) -> Iterator[Event]:
    """Yield Auth0 log events for the demo tenant in date order (see the module docstring)."""
    total = DEMO_EVENT_COUNT if count is None else count
    if total < 0 or total > MAX_EVENT_COUNT:
        raise ValueError(f"count must be between 0 and {MAX_EVENT_COUNT}, got {count}")
    if days < 1:
        raise ValueError("days must be at least 1")
    return _generate(total, seed, parse_instant(start), days)


# How the hot loop finds an actor for a background event of a code.
_BY_USER, _BY_USER_OR_GLOBAL, _BY_STRANGER, _BY_MACHINE, _BY_ADMIN_OR_JOB, _BY_SYSTEM = range(6)
#: Tenant-wide flows that Auth0 often logs against the "All Applications" client.
_GLOBAL_CLIENT_CODES = frozenset({"sv", "svr", "fv", "fvr", "scpr", "scp", "fn"})
#: Families whose events change in structure from one event to the next; they always use their builder.
_BUILDER_FAMILIES = frozenset({"management", "system", "anomaly"})

# How the fast path fills in an event's `details` after copying the cached skeleton.
_FAST_LOGIN, _FAST_SILENT, _FAST_CODE, _FAST_LOGOUT, _FAST_ERROR, _FAST_NO_DETAILS, _FAST_COPY, _FAST_BUILDER = \
    range(8)
#: Rarer codes use their builder: a skeleton per (actor, code) would rarely be reused.
_FAST_MIN_WEIGHT = 20
_FAST_CODES: dict[str, int] = {"s": _FAST_LOGIN, "ssa": _FAST_SILENT, "seacft": _FAST_CODE, "slo": _FAST_LOGOUT,
                               "fp": _FAST_ERROR, "fu": _FAST_ERROR, "sertft": _FAST_NO_DETAILS,
                               "seccft": _FAST_NO_DETAILS}


def _actor_kind(row: EventCode) -> int:
    if row.family == "management":
        return _BY_ADMIN_OR_JOB
    if row.code in MACHINE_CODES:
        return _BY_MACHINE
    if row.family == "system":
        return _BY_SYSTEM
    if row.code == "fu":
        return _BY_STRANGER
    if row.code in _GLOBAL_CLIENT_CODES:
        return _BY_USER_OR_GLOBAL
    return _BY_USER


def _generate(total: int, seed: int, start_ms: int, days: int) -> Iterator[Event]:
    tenant = build_tenant()
    rnd = random.Random(seed)
    factory = EventFactory(tenant, rnd)
    fixed = _script(tenant, start_ms, days).steps
    if total < len(fixed):
        fixed = [fixed[(i * len(fixed)) // total] for i in range(total)]
    n_background = total - len(fixed)

    bg = _background()
    end_ms = start_ms + days * DAY_MS
    hour_starts = list(range(start_ms - start_ms % HOUR_MS, end_ms, HOUR_MS))
    weights = []
    for h0 in hour_starts:
        weekday = ((h0 // DAY_MS) + 3) % 7  # 1970-01-01 was a Thursday; 5, 6 = Saturday, Sunday
        lo, hi = max(h0, start_ms), min(h0 + HOUR_MS, end_ms)
        weights.append(bg.hour_volume[(h0 // HOUR_MS) % 24] * (0.65 if weekday >= 5 else 1.0) * (hi - lo) / HOUR_MS)
    per_hour = _allocate(n_background, weights)

    # One lookup per event gives the code, its builder, how to find its actor, its user pool and
    # whether it may take the fast path (copy a cached per-actor skeleton, fill in what changes).
    builders = factory.builders
    code_numbers = {row.code: i for i, row in enumerate(bg.rows)}
    n_codes = len(bg.rows)
    entries = {row.code: (row, builders[row.family], _actor_kind(row), bg.user_tables[_pool_for(row)],
                          row.family not in _BUILDER_FAMILIES and row.weight >= _FAST_MIN_WEIGHT,
                          code_numbers[row.code])
               for row in bg.rows}
    entry_table = [entries[row.code] for row in bg.type_table]
    templates: dict[int, Template] = {}   # (actor slot * number of codes + code number) -> skeleton
    make_template = factory.template
    random_ = rnd.random
    bits = rnd.getrandbits
    actor_tables = bg.actor_tables
    orders_actors, job_actors = bg.machine_tables["orders"], bg.machine_tables["provisioning"]
    admins = tenant.admins
    dashboard = tenant.clients["dashboard"]
    login_details, code_tails = factory.login_details, factory._code_tails
    sid_a, sid_b = factory._sid_a, factory._sid_b
    ss_ms_z, ss_ms_digits, code_stars = _SS_MS_Z, _SS_MS_DIGITS, _CODE_STARS
    id_tails = _LOG_ID_TAILS + _LOG_ID_TAILS[:2]   # 8 entries: indexed by 3 random bits
    date_minutes: dict[int, str] = {}    # epoch minute -> "2026-11-01T12:07:"
    id_minutes: dict[int, str] = {}      # epoch minute -> "900202611011207"

    seq = _SEQ_BASE
    last_ingest = 0
    late_threshold = round(LATE_INGEST_SHARE * 1024)   # compared with 10 random bits

    def minute_prefixes(minute: int) -> tuple[str, str]:
        day, minute_of_day = divmod(minute, 1440)
        date_minutes[minute] = _day_prefix(day) + _HHMM_COLON[minute_of_day]
        id_minutes[minute] = "900" + _day_digits(day) + _HHMM_DIGITS[minute_of_day]
        return date_minutes[minute], id_minutes[minute]

    def log_id_for(t: int) -> str:
        """The next log_id: ingestion trails `t` by 25-280 ms, or by 1.5-15 minutes for ~1% of events.

        The 12-digit sequence grows by a random 1-4096 per event, so ids are unique.
        """
        nonlocal seq, last_ingest
        r = bits(33)
        if r & 1023 < late_threshold:
            ingest = t + 90_000 + (r >> 10) % 810_000
        else:
            ingest = t + 25 + ((r >> 10) & 255)
            if ingest <= last_ingest:
                ingest = last_ingest + 1
            last_ingest = ingest
        seq += 1 + (r >> 21)
        minute = ingest // 60_000
        return ((id_minutes.get(minute) or minute_prefixes(minute)[1]) + ss_ms_digits[ingest - minute * 60_000]
                + id_tails[(r >> 18) & 7] + str(seq))

    def finish(ev: Event, t: int, mobile: bool, loc: dict[str, Any] | None) -> Event:
        """Append the trailing keys: log_id, _id, isMobile, location_info."""
        ev["log_id"] = ev["_id"] = log_id_for(t)
        ev["isMobile"] = mobile if "user_agent" in ev else False
        if loc is not None and "ip" in ev:
            ev["location_info"] = loc.copy()
        return ev

    fi = 0
    n_fixed = len(fixed)
    no_more = end_ms + DAY_MS
    next_fixed = fixed[0][0] if fixed else no_more
    for h0, k in zip(hour_starts, per_hour):
        lo = max(h0, start_ms)
        width = min(h0 + HOUR_MS, end_ms) - lo
        times = sorted([lo + ((bits(32) * width) >> 32) for _ in range(k)])
        hod = (h0 // HOUR_MS) % 24
        office_hours = 7 <= hod < 18 and ((h0 // DAY_MS) + 3) % 7 < 5
        for t in times:
            if t >= next_fixed:
                while fi < n_fixed and fixed[fi][0] <= t:
                    st, code, actor, o = fixed[fi]
                    fi += 1
                    row = CODES[code]
                    yield finish(builders[row.family](row, st, format_instant(st), actor, o), st, actor[5], actor[3])
                next_fixed = fixed[fi][0] if fi < n_fixed else no_more

            row, build, kind, pool, fastable, code_number = entry_table[bits(_TYPE_TABLE_BITS)]
            minute = t // 60_000
            date = (date_minutes.get(minute) or minute_prefixes(minute)[0]) + ss_ms_z[t - minute * 60_000]

            if not fastable:
                o = None
                if kind == _BY_ADMIN_OR_JOB and office_hours and random_() < 0.55:
                    # Admins work office hours from the office; the provisioning job runs around the clock.
                    admin = admins[bits(8) % len(admins)]
                    a = (None, dashboard, admin.office_ip, admin.city.location_info, admin.ua.parsed, False)
                    o = {"admin": admin}
                elif kind == _BY_MACHINE:
                    a = orders_actors[bits(5)]
                elif kind >= _BY_ADMIN_OR_JOB:
                    a = job_actors[bits(5)]
                else:
                    a = actor_tables[pool[hod][bits(_PICK_TABLE_BITS)].index][bits(3)]
                yield finish(build(row, t, date, a, o), t, a[5], a[3])
                continue

            a = (orders_actors[bits(5)] if kind == _BY_MACHINE
                 else actor_tables[pool[hod][bits(_PICK_TABLE_BITS)].index][bits(3)])
            key = a[6] * n_codes + code_number  # type: ignore[misc]
            hit = templates.get(key)
            if hit is None:
                hit = templates[key] = make_template(row, a, kind)
            skeleton, fast, scope_items, has_location, details, a_built, o = hit
            if fast == _FAST_BUILDER:
                a = (a_built[0], a_built[1]) + a[2:]
                yield finish(build(row, t, date, a, o), t, a[5], a[3])
                continue
            ev = skeleton.copy()
            ev["date"] = date
            if fast == _FAST_LOGIN:
                ev["details"] = login_details(a[0], t)
            elif fast == _FAST_CODE:
                ev["details"] = {"code": code_stars + code_tails[bits(12)]}
            elif fast == _FAST_NO_DETAILS:
                pass
            elif fast == _FAST_COPY:
                ev["details"] = {k: (v.copy() if type(v) is dict else v) for k, v in details.items()}
            elif fast == _FAST_SILENT:
                r = bits(24)
                ev["details"] = {"prompts": [], "completedAt": t - 1, "elapsedTime": None,
                                 "session_id": sid_a[r & 4095] + sid_b[r >> 12]}
            elif fast == _FAST_ERROR:
                ev["details"] = {"error": {"message": ev["description"]}}
            elif fast == _FAST_LOGOUT:
                base = a[1].base_url
                r = bits(24)
                ev["details"] = {"return_to": base, "allowed_logout_url": [base],
                                 "session_id": sid_a[r & 4095] + sid_b[r >> 12]}
            if scope_items is not None:
                ev["scope"] = list(scope_items)
            # log_id_for(t), inlined: this is the hottest line of the generator.
            r = bits(33)
            if r & 1023 < late_threshold:
                ingest = t + 90_000 + (r >> 10) % 810_000
            else:
                ingest = t + 25 + ((r >> 10) & 255)
                if ingest <= last_ingest:
                    ingest = last_ingest + 1
                last_ingest = ingest
            seq += 1 + (r >> 21)
            minute = ingest // 60_000
            ev["log_id"] = ev["_id"] = ((id_minutes.get(minute) or minute_prefixes(minute)[1])
                                        + ss_ms_digits[ingest - minute * 60_000] + id_tails[(r >> 18) & 7]
                                        + str(seq))
            if has_location:  # this event's IP, agent and device (the skeleton has another of the user's)
                ev["ip"] = a[2]
                ev["user_agent"] = a[4]
                ev["isMobile"] = a[5]
                ev["location_info"] = a[3].copy()
            yield ev
    while fi < n_fixed:
        st, code, actor, o = fixed[fi]
        fi += 1
        row = CODES[code]
        yield finish(builders[row.family](row, st, format_instant(st), actor, o), st, actor[5], actor[3])


SCENARIOS: dict[str, Any] = scenario_facts()

# =====================================================================================
# Export
# =====================================================================================

NDJSON_FILE = "tenant-logs.ndjson"
API_DIR = "mgmt-api"
API_PAGE_DAY = 10          # the day (0-based) saved as Management API pages: the account-takeover day
API_PER_PAGE = 100


def _compact(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def ndjson_line(event: Event) -> bytes:
    """One NDJSON line: compact JSON, UTF-8, keys in event order, "\\n"-terminated."""
    if _orjson is not None:
        return _orjson.dumps(event) + b"\n"
    return (_compact(event) + "\n").encode("utf-8")


def write_ndjson(events: Iterable[Event], out: TextIO | Path | str) -> int:
    """Write events as NDJSON to a path (or a binary/text stream); return how many were written."""
    if isinstance(out, (str, Path)):
        with open(out, "wb") as fh:
            return write_ndjson(events, fh)  # type: ignore[arg-type]
    sink = getattr(out, "buffer", out)
    n = 0
    batch: list[bytes] = []
    for ev in events:
        batch.append(ndjson_line(ev))
        n += 1
        if len(batch) >= 4096:
            sink.write(b"".join(batch))
            batch.clear()
    sink.write(b"".join(batch))
    return n


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_demo_export(out_dir: Path | str) -> dict[str, Any]:
    """Write the demo tenant's export into ``out_dir`` and return its manifest.

    Files (all byte-identical across runs and machines):

    * ``tenant-logs.ndjson``: every event, date order, one compact JSON object per line.
    * ``mgmt-api/logs-<day>-page-<n>.json``: one day as the Management API pages it for
      ``GET /api/v2/logs?q=date:[<day> TO <day+1>}&sort=date:-1&per_page=100&page=<n>``: a compact
      JSON array per page, newest first, saved as received (no trailing newline).
    * ``mgmt-api/logs-<day>-page-<n>.include_totals.json``: the same pages requested with
      ``include_totals=true``: ``{"start","limit","length","total","logs"}`` indented by 2 like an SDK
      user's ``JSON.stringify(page, null, 2)``.
    * ``manifest.json``: the returned manifest (files, sizes, sha256, event counts per type).
    """
    out = Path(out_dir)
    (out / API_DIR).mkdir(parents=True, exist_ok=True)
    for stale in (out / API_DIR).glob("logs-*.json"):
        stale.unlink()  # pages from an older layout must not survive a regeneration

    events = list(generate_events())
    files: list[dict[str, Any]] = []

    data = b"".join((_compact(ev) + "\n").encode("utf-8") for ev in events)
    (out / NDJSON_FILE).write_bytes(data)
    files.append({"path": NDJSON_FILE, "format": "ndjson", "events": len(events), "bytes": len(data),
                  "sha256": _sha256(data)})

    start_ms = parse_instant(DEFAULT_START)
    day_start = start_ms + API_PAGE_DAY * DAY_MS
    day = format_instant(day_start)[:10]
    next_day = format_instant(day_start + DAY_MS)[:10]
    day_events = [ev for ev in events if ev["date"][:10] == day]
    day_events.sort(key=lambda ev: (ev["date"], ev["log_id"]), reverse=True)  # sort=date:-1
    query = f"q=date:[{day} TO {next_day}}}&sort=date:-1&per_page={API_PER_PAGE}"
    for page in range((len(day_events) + API_PER_PAGE - 1) // API_PER_PAGE):
        logs = day_events[page * API_PER_PAGE:(page + 1) * API_PER_PAGE]
        array_path = f"{API_DIR}/logs-{day}-page-{page}.json"
        blob = _compact(logs).encode("utf-8")
        (out / array_path).write_bytes(blob)
        files.append({"path": array_path, "format": "mgmt-api-array", "events": len(logs), "bytes": len(blob),
                      "sha256": _sha256(blob), "request": f"GET /api/v2/logs?{query}&page={page}"})
        totals = {"start": page * API_PER_PAGE, "limit": API_PER_PAGE, "length": len(logs), "total": len(logs),
                  "logs": logs}
        totals_path = f"{API_DIR}/logs-{day}-page-{page}.include_totals.json"
        blob = json.dumps(totals, ensure_ascii=False, indent=2).encode("utf-8")
        (out / totals_path).write_bytes(blob)
        files.append({"path": totals_path, "format": "mgmt-api-include-totals", "events": len(logs),
                      "bytes": len(blob), "sha256": _sha256(blob),
                      "request": f"GET /api/v2/logs?{query}&page={page}&include_totals=true"})

    type_counts: dict[str, int] = {}
    for ev in events:
        type_counts[ev["type"]] = type_counts.get(ev["type"], 0) + 1
    manifest = {
        "generator": "auth0_logq.demo.generate",
        "seed": DEFAULT_SEED, "start": DEFAULT_START, "days": DEFAULT_DAYS,
        "tenant": TENANT_NAME, "hostname": TENANT_DOMAIN, "custom_domain": CUSTOM_DOMAIN,
        "events": len(events), "first_date": events[0]["date"], "last_date": events[-1]["date"],
        "files": files,
        "types": dict(sorted(type_counts.items())),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                       encoding="utf-8")
    return manifest


# =====================================================================================
# Command line
# =====================================================================================


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m auth0_logq.demo.generate",
        description="Write the demo Auth0 tenant export, or stream N generated events as NDJSON.",
        epilog="Examples:\n  python -m auth0_logq.demo.generate fixtures/demo-tenant\n"
               "  python -m auth0_logq.demo.generate --count 1000000 --ndjson /tmp/1m.ndjson",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", nargs="?", type=Path, help="directory for the demo export")
    parser.add_argument("--count", type=int, help="number of events for --ndjson (default: the demo size)")
    parser.add_argument("--ndjson", help="write generated events to this NDJSON file ('-' for stdout)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--start", default=DEFAULT_START)
    parser.add_argument("--days", type=int, default=DEFAULT_DAYS)
    args = parser.parse_args(argv)
    if args.ndjson:
        events = generate_events(args.count, seed=args.seed, start=args.start, days=args.days)
        target: Any = sys.stdout if args.ndjson == "-" else args.ndjson
        n = write_ndjson(events, target)
        print(f"wrote {n} events to {args.ndjson}", file=sys.stderr)
        return 0
    if args.out_dir is None:
        parser.error("give OUT_DIR for the demo export, or --ndjson FILE")
    manifest = write_demo_export(args.out_dir)
    total = sum(f["bytes"] for f in manifest["files"])
    print(f"wrote {manifest['events']} events, {len(manifest['files'])} files, {total} bytes to {args.out_dir}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
