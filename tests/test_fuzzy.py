"""Tests for auth0_logq.engine.fuzzy: ES query_string fuzziness and OSA edit distance."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auth0_logq.engine.fuzzy import FuzzyError, auto_edits, edits_from_slop, within_edits


@pytest.mark.parametrize(
    ("term", "edits"),
    [("", 0), ("a", 0), ("ab", 0), ("abc", 1), ("abcde", 1), ("abcdef", 2), ("Übersetzung", 2)],
)
def test_auto_edits(term: str, edits: int) -> None:
    assert auto_edits(term) == edits


def test_auto_edits_counts_code_points() -> None:
    assert auto_edits("\U0001f600\U0001f600") == 0  # 2 code points (4 UTF-16 units)
    assert auto_edits("e\u0301t\u00e9") == 1  # a combining accent is its own code point


# Expected outcomes from shared/compat/corpus.jsonl (lucene_oracle.es_kw_or), plus ES rules.
SLOP_CASES = [
    ("", "term", 1),  # term~
    ("", "Term", 1),
    ("", "a", 0),  # a~
    ("", "ab", 0),
    ("", "xunit", 1),
    ("", "Zellweger", 2),
    ("", "b-c", 1),  # a:b\-c~ : the term is unescaped first
    ("1", "term", 1),
    ("1", "a", 1),
    ("2", "ab", 2),
    ("2", "foobar", 2),
    ("4", "foo", 2),  # capped at 2
    ("10", "a", 2),
    ("0.7", "term", 0),  # (int) 0.7
    ("1.1", "term", 1),  # no "fractional edit distance" error in ES
    ("0.9", "Übersetzung", 0),
    ("0.75", "Mötley", 0),
    ("0.2", "12", 0),
    ("1", "\u0e40\u0e02", 1),
    ("AUTO", "abcdef", 2),
    ("auto", "ab", 0),  # case-insensitive
    ("AUTO:1,2", "ab", 2),
    ("auto:4,8", "abcde", 1),
    ("1.5", "x", 1),
    ("-0.5", "x", 0),  # truncates to 0, which is a valid distance
    ("1e0", "abc", 1),  # Float.parseFloat syntax
    ("2f", "abc", 2),
    ("0x1p1", "abc", 2),
    ("0.99999999", "abc", 1),  # rounds to 1.0f in single precision
    ("1e99", "abc", 2),  # Infinity saturates the int cast
]


@pytest.mark.parametrize(("slop", "term", "edits"), SLOP_CASES)
def test_edits_from_slop(slop: str, term: str, edits: int) -> None:
    assert edits_from_slop(slop, term) == edits


@pytest.mark.parametrize(
    ("slop", "message"),
    [
        ("XXX", 'For input string: "XXX"'),  # corpus: term~XXX
        ("1€", 'For input string: "1€"'),  # corpus: 12.45~1€
        ("abc", 'For input string: "ABC"'),  # ES upper-cases before parsing
        ("NaN", 'For input string: "NAN"'),  # ... which also rules out NaN and Infinity
        ("1_0", 'For input string: "1_0"'),
        ("-1", "Valid edit distances are [0, 1, 2] but was [-1]"),
        ("-7.5", "Valid edit distances are [0, 1, 2] but was [-7]"),
        ("AUTO:3", "failed to find low and high distance values"),
        ("AUTO:3,", "failed to find low and high distance values"),
        ("AUTO:a,3", 'failed to parse [AUTO:a,3] as a "auto:int,int"'),
        ("AUTO:4,3", "fuzziness wrongly configured"),
    ],
)
def test_edits_from_slop_errors(slop: str, message: str) -> None:
    with pytest.raises(FuzzyError) as info:
        edits_from_slop(slop, "term")
    assert info.value.message.startswith(message)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("a", "b", "max_edits", "expected"),
    [
        ("kitten", "kitten", 0, True),
        ("kitten", "kitte", 0, False),
        ("kitten", "sitten", 1, True),
        ("kitten", "sitting", 2, False),
        ("kitten", "sitting", 3, True),
        ("ab", "ba", 1, True),  # one transposition
        ("abcd", "badc", 2, True),  # two transpositions
        ("ca", "abc", 2, False),  # OSA: no edit of an already swapped pair
        ("ca", "abc", 3, True),
        ("a", "", 1, True),
        ("", "ab", 1, False),
        ("", "ab", 2, True),
        ("\U0001f600x", "x\U0001f600", 1, True),  # code points, not UTF-16 units
        ("Mötley", "Motley", 1, True),
    ],
)
def test_within_edits(a: str, b: str, max_edits: int, expected: bool) -> None:
    assert within_edits(a, b, max_edits) is expected


def osa_distance(a: str, b: str) -> int:
    """Plain optimal-string-alignment table, no early exit."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(
                d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


_WORDS = st.text(alphabet="abcd\u00e9\U0001f600", max_size=7)


@settings(max_examples=500, deadline=None)
@given(_WORDS, _WORDS, st.integers(min_value=0, max_value=3))
def test_within_edits_agrees_with_plain_table(a: str, b: str, max_edits: int) -> None:
    assert within_edits(a, b, max_edits) == (osa_distance(a, b) <= max_edits)


@settings(max_examples=300, deadline=None)
@given(_WORDS, _WORDS, st.integers(min_value=0, max_value=2))
def test_within_edits_is_symmetric(a: str, b: str, max_edits: int) -> None:
    assert within_edits(a, b, max_edits) == within_edits(b, a, max_edits)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=6), st.text(max_size=12))
def test_edits_from_slop_is_total(slop: str, term: str) -> None:
    """Either 0, 1 or 2 edits, or a FuzzyError: never anything else."""
    try:
        assert edits_from_slop(slop, term) in (0, 1, 2)
    except FuzzyError:
        pass
