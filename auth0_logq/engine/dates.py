"""Dates as Auth0's log search reads them, and as events carry them.

Query dates follow Auth0's documented zero-fill rule (log search v3): a partial date is the first
instant it names and is never rounded up: `2018-12` is `2018-12-01T00:00:00.000Z`, `2018-12-18T12:22`
is `2018-12-18T12:22:00.000Z`. So `date:[2018-12-18 TO 2018-12-19]` ends at the first millisecond of
the 19th, inclusive, exactly as Auth0 documents. Times without an offset are UTC.

Elasticsearch date math is accepted too (`now`, `now-7d`, `now-1h/d`, `2024-01-01||+1M/M`): units
y M w d h H m s, `/unit` rounds down to the start of the unit (zero-fill again: never up).

Event dates are ISO 8601 strings in Auth0's exports; older tools saved `{"$date": ...}` objects or
epoch milliseconds. `event_date_ms` turns all of them into epoch milliseconds.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import time

_ISO = re.compile(
    r"""(?P<year>\d{4})
        (?:-(?P<month>\d{2})
          (?:-(?P<day>\d{2})
            (?:[T ](?P<hour>\d{2})
              (?::(?P<minute>\d{2})
                (?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?
              )?
            )?
          )?
        )?
        (?P<zone>Z|[+-]\d{2}(?::?\d{2})?)?""",
    re.X,
)
_MATH = re.compile(r"([+-])(\d+)([yMwdhHms])|/([yMwdhHms])")
_UNIT_MS = {"w": 7 * 86_400_000, "d": 86_400_000, "h": 3_600_000, "H": 3_600_000, "m": 60_000, "s": 1000}


class DateError(ValueError):
    """Text that is not a date; `position` is the offset of the problem inside the text."""

    def __init__(self, message: str, position: int = 0):
        super().__init__(message)
        self.position = position


def parse_iso(text: str) -> int:
    """ISO 8601 date or date-time, zero-filled, as epoch milliseconds (UTC unless an offset is given)."""
    m = _ISO.fullmatch(text)
    if not m:
        raise DateError(f"'{text}' is not a date (expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.sss][Z])")
    g = m.groupdict()
    try:
        stamp = dt.datetime(
            int(g["year"]),
            int(g["month"] or 1),
            int(g["day"] or 1),
            int(g["hour"] or 0),
            int(g["minute"] or 0),
            int(g["second"] or 0),
            tzinfo=dt.timezone.utc,
        )
    except ValueError as exc:
        raise DateError(f"'{text}' is not a valid date: {exc}") from None
    ms = calendar.timegm(stamp.timetuple()) * 1000 + int((g["fraction"] or "0")[:3].ljust(3, "0"))
    zone = g["zone"]
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        offset = int(digits[:2]) * 60 + int(digits[2:4] or 0)
        ms -= sign * offset * 60_000
    return ms


def parse_query_date(text: str, now_ms: int | None = None) -> int:
    """A date from a query (ISO zero-filled, or ES date math) as epoch milliseconds."""
    if text.startswith("now"):
        anchor, rest, offset = (now_ms if now_ms is not None else int(time.time() * 1000)), text[3:], 3
    elif "||" in text:
        head, rest = text.split("||", 1)
        anchor, offset = parse_iso(head), len(head) + 2
    else:
        return parse_iso(text)
    pos = 0
    while pos < len(rest):
        m = _MATH.match(rest, pos)
        if not m:
            raise DateError(f"unexpected '{rest[pos:]}' in date math '{text}' (expected +N<unit>, -N<unit> or /<unit>)", offset + pos)
        if m.group(4):
            anchor = _round_down(anchor, m.group(4))
        else:
            amount = int(m.group(2)) * (1 if m.group(1) == "+" else -1)
            anchor = _add(anchor, amount, m.group(3))
        pos = m.end()
    return anchor


def _add(ms: int, amount: int, unit: str) -> int:
    if unit in _UNIT_MS:
        return ms + amount * _UNIT_MS[unit]
    stamp = _from_ms(ms)
    months = stamp.year * 12 + stamp.month - 1 + (amount * 12 if unit == "y" else amount)
    year, month = divmod(months, 12)
    day = min(stamp.day, calendar.monthrange(year, month + 1)[1])
    return _to_ms(stamp.replace(year=year, month=month + 1, day=day))


def _round_down(ms: int, unit: str) -> int:
    stamp = _from_ms(ms)
    if unit == "y":
        stamp = stamp.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    elif unit == "M":
        stamp = stamp.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    elif unit == "w":
        stamp = (stamp - dt.timedelta(days=stamp.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    elif unit == "d":
        stamp = stamp.replace(hour=0, minute=0, second=0, microsecond=0)
    elif unit in "hH":
        stamp = stamp.replace(minute=0, second=0, microsecond=0)
    elif unit == "m":
        stamp = stamp.replace(second=0, microsecond=0)
    else:
        stamp = stamp.replace(microsecond=0)
    return _to_ms(stamp)


def _from_ms(ms: int) -> dt.datetime:
    return dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(milliseconds=ms)


def _to_ms(stamp: dt.datetime) -> int:
    return calendar.timegm(stamp.timetuple()) * 1000 + stamp.microsecond // 1000


def event_date_ms(value: object) -> int | None:
    """The instant of an event's `date` field, whatever shape an export gave it; None if unusable."""
    if isinstance(value, dict):
        value = value.get("$date", value.get("date"))
        if isinstance(value, dict):  # {"$date": {"$numberLong": "..."}}
            value = value.get("$numberLong")
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit() and len(text) >= 10:
            return int(text)
        try:
            return parse_iso(text)
        except DateError:
            return None
    return None


def ms_to_iso(ms: int) -> str:
    """Epoch milliseconds as `YYYY-MM-DDTHH:MM:SS.sssZ`."""
    stamp = _from_ms(ms)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"
