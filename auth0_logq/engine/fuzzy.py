"""Fuzzy terms (``term~``, ``term~N``) the way Elasticsearch's ``query_string`` builds them.

Contract
--------
* :func:`edits_from_slop` turns the text after ``~`` into a number of edits, or raises
  :class:`FuzzyError` where Elasticsearch answers HTTP 400.
* :func:`within_edits` says whether an indexed value is close enough to the query term.

Where the numbers come from. ES overrides Lucene's ``handleBareFuzzy``: a bare ``~`` uses the
query's ``fuzziness`` (default ``AUTO``); ``~text`` becomes
``Fuzziness.build(text).asDistance(term)``, i.e. ``AUTO`` / ``AUTO:low,high`` (case-insensitive)
or ``min(2, (int) Float.parseFloat(TEXT))`` on the upper-cased text. So ``~0.7`` is 0 edits and
``~1.5`` is 1, with no error for fractions. The result then goes through
``Fuzziness.fromEdits``, which refuses anything but 0, 1 or 2: that is where a negative value
fails. Unparsable text fails in ``Float.parseFloat`` with Java's ``NumberFormatException``
message (``For input string: "XXX"``). These are the outcomes recorded in the compatibility
corpus (``lucene_oracle.es_kw_or``). The newest ES ``Fuzziness.fromString`` is stricter
(``~0.7`` and ``~10`` become errors too); we follow the corpus.

Matching. Lucene's ``FuzzyQuery`` with ES defaults: ``transpositions=true`` (an adjacent swap
costs one edit, as in ``LevenshteinAutomata`` with transpositions, i.e. the optimal string
alignment distance, in which no substring is edited twice), ``prefixLength=0``, distances in
Unicode code points, ``~0`` meaning exact equality. Not reproduced: ``maxExpansions`` (ES
default 50). Lucene rewrites a fuzzy query to at most the 50 best-scoring matching terms (per
segment); we keep every value within the distance, so on a field with many near-identical
values we can match more documents than Elasticsearch would.
"""

from __future__ import annotations

from .java import INT_MAX, INT_MIN, float32, parse_int

import math
import re

__all__ = ["MAX_EDITS", "FuzzyError", "auto_edits", "edits_from_slop", "within_edits"]

MAX_EDITS = 2  # LevenshteinAutomata.MAXIMUM_SUPPORTED_DISTANCE
AUTO_LOW, AUTO_HIGH = 3, 6  # Fuzziness DEFAULT_LOW_DISTANCE / DEFAULT_HIGH_DISTANCE

# java.lang.Float.parseFloat (FloatingDecimal.readJavaFormatString), after String.trim().
_JAVA_FLOAT = re.compile(
    r"[+-]?(?:NaN|Infinity"
    r"|(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
    r"|0[xX](?:[0-9a-fA-F]+\.?|[0-9a-fA-F]*\.[0-9a-fA-F]+)[pP][+-]?[0-9]+)[fFdD]?)"
)
_JAVA_WHITESPACE = "".join(chr(c) for c in range(0x21))  # String.trim() strips <= U+0020


class FuzzyError(ValueError):
    """A fuzziness Elasticsearch rejects; ``message`` is ES's own wording."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def auto_edits(term: str, low: int = AUTO_LOW, high: int = AUTO_HIGH) -> int:
    """Fuzziness AUTO: 0 edits below ``low`` code points, 1 below ``high``, else 2."""
    length = len(term)  # Python str length is in code points, like codePointCount
    return 0 if length < low else 1 if length < high else 2


def edits_from_slop(slop_text: str, term: str) -> int:
    """Edits for ``term~slop_text`` (``slop_text`` without the ``~``; empty for a bare ``~``)."""
    if slop_text == "":
        return auto_edits(term)
    upper = slop_text.upper()
    if upper == "AUTO":
        return auto_edits(term)
    if upper.startswith("AUTO:"):
        return auto_edits(term, *_custom_auto(slop_text))
    edits = min(MAX_EDITS, _float_to_int(_parse_java_float(upper)))
    if edits < 0:  # Fuzziness.fromEdits
        raise FuzzyError(f"Valid edit distances are [0, 1, 2] but was [{edits}]")
    return edits


def _custom_auto(text: str) -> tuple[int, int]:
    """``Fuzziness.parseCustomAuto`` for ``AUTO:low,high``."""
    parts = text[5:].split(",")
    while parts and parts[-1] == "":  # Java's String.split drops trailing empty strings
        parts.pop()
    if len(parts) != 2:
        raise FuzzyError("failed to find low and high distance values")
    low, high = parse_int(parts[0]), parse_int(parts[1])
    if low is None or high is None:
        raise FuzzyError(f'failed to parse [{text}] as a "auto:int,int"')
    if low < 0 or high < 0 or low > high:
        raise FuzzyError(
            "fuzziness wrongly configured, must be: lowDistance > 0, highDistance > 0 "
            "and lowDistance <= highDistance"
        )
    return low, high


def _parse_java_float(text: str) -> float:
    """``Float.parseFloat``, including its rounding to single precision."""
    trimmed = text.strip(_JAVA_WHITESPACE)
    if not trimmed:
        raise FuzzyError("empty String")
    body = trimmed[1:] if trimmed[:1] in ("+", "-") else trimmed
    if body[:1] not in ("N", "I") and body[:2] not in ("0x", "0X"):
        mantissa = body[: len(body) - len(body.lstrip("0123456789."))]
        if mantissa.count(".") > 1:  # FloatingDecimal's digit loop has its own message
            raise FuzzyError("multiple points")
    if not _JAVA_FLOAT.fullmatch(trimmed):
        raise FuzzyError(f'For input string: "{trimmed}"')
    number = trimmed[:-1] if trimmed[-1] in "fFdD" else trimmed  # the type suffix, if any
    value = float.fromhex(number) if "x" in number.lower() else float(number)
    if math.isinf(value) or math.isnan(value):
        return value
    try:  # float32 rounding matters: "0.99999999" is 1.0f in Java, hence 1 edit
        return float32(value)
    except OverflowError:
        return math.copysign(math.inf, value)


def _float_to_int(value: float) -> int:
    """Java's ``(int)`` cast: truncation, NaN to 0, saturation at the int range."""
    if math.isnan(value):
        return 0
    if value >= INT_MAX:
        return INT_MAX
    if value <= INT_MIN:
        return INT_MIN
    return int(value)


def within_edits(a: str, b: str, max_edits: int) -> bool:
    """Is the optimal-string-alignment distance between ``a`` and ``b`` at most ``max_edits``?

    Insertions, deletions, substitutions and swaps of two adjacent code points each cost one.
    Stops as soon as a whole row of the table exceeds the budget (a swap only skips one row,
    and the skipped row always holds a value no larger than the swap's result).
    """
    if a == b:
        return max_edits >= 0
    if max_edits <= 0 or abs(len(a) - len(b)) > max_edits:
        return False
    previous: list[int] = []
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous, row = previous, row, [i] + [0] * len(b)
        ca = a[i - 1]
        for j in range(1, len(b) + 1):
            cb = b[j - 1]
            best = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb and ca != cb:
                best = min(best, before[j - 2] + 1)
            row[j] = best
        if min(row) > max_edits:
            return False
    return row[-1] <= max_edits
