"""Java's number rules, where Lucene and Elasticsearch behaviour depends on them.

Lucene parses boosts with `Float.parseFloat` (single precision) and prints them with
`Float.toString`; repeat counts and fuzziness bounds go through `Integer.parseInt`. Reproducing
those exactly is what makes `term^0.1` and `a{2147483648}` behave as they do in Elasticsearch.
"""

from __future__ import annotations

import struct
import unicodedata

INT_MIN, INT_MAX = -(2**31), 2**31 - 1


def parse_int(text: str) -> int | None:
    """`Integer.parseInt`: optional sign, BMP Unicode decimal digits, 32-bit range; None if invalid."""
    body = text[1:] if text[:1] in ("+", "-") else text
    if not body:
        return None
    value = 0
    for ch in body:
        digit = unicodedata.decimal(ch, None) if ord(ch) <= 0xFFFF else None
        if digit is None:
            return None
        value = value * 10 + digit
    value = -value if text[0] == "-" else value
    return value if INT_MIN <= value <= INT_MAX else None


def float32(value: float) -> float:
    """`value` rounded to single precision, as a Java `float` holds it."""
    return struct.unpack("<f", struct.pack("<f", value))[0]


def float_to_string(value: float) -> str:
    """`Float.toString` for the values a boost takes: the shortest digits that round-trip."""
    if value == int(value) and abs(value) < 1e7:
        return f"{int(value)}.0"
    target = float32(value)
    for digits in range(1, 10):
        text = f"{value:.{digits}g}"
        if float32(float(text)) == target:
            return text if "e" in text or "." in text else text + ".0"
    return repr(value)
