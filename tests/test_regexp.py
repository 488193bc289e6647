"""Tests for auth0_logq.engine.regexp: Lucene RegExp (as ES query_string uses it) in Python re."""

from __future__ import annotations

import itertools
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auth0_logq.engine import regexp
from auth0_logq.engine.regexp import (
    RegexpError,
    check_complexity,
    compile_regexp,
    translate,
    validate,
)

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "compat" / "corpus.jsonl"


def matches(pattern: str, text: str) -> bool:
    return compile_regexp(pattern).fullmatch(text) is not None


def lucene_accepts(pattern: str, text: str) -> bool:
    """Run the Lucene-shaped NFA itself (independent of the emitted Python regex)."""
    automaton = regexp._build(regexp._parse(pattern))
    states = {0} if automaton.size else set()
    for ch in text:
        code = ord(ch)
        states = {d for s in states for lo, hi, d in automaton.edges[s] if lo <= code <= hi}
    return any(automaton.accept[s] for s in states)


# --------------------------------------------------------------------------- semantics

MATCH_CASES = [
    # implicitly anchored; ^ and $ are plain characters
    ("http.*", "http://x", True),
    ("http.*", "xhttp", False),
    ("^fizz", "^fizz", True),
    ("^fizz", "fizz", False),
    ("Smith$", "Smith$", True),
    ("Smith$", "Smith", False),
    ("100%", "100%", True),
    ("it's", "it's", True),
    ("pattern with ! inside", "pattern with ! inside", True),
    # classes, ranges, negation
    ("[a-z][123]", "b2", True),
    ("[a-z][123]", "B2", False),
    ("[^a]", "b", True),
    ("[^a]", "a", False),
    ("[^a]", "", False),
    ("[^a]", "\U0001f600", True),
    ("[]]", "]", True),
    ("[\\d-z]", "-", True),  # after \d the dash is a plain character
    ("[\\d-z]", "y", False),
    ("[\\.-z]", "-", True),  # an escaped char never starts a range (Lucene 10)
    ("[\\.-z]", "y", False),
    ("[a-\\d]", "c", True),  # but may end one: \d is the letter d there
    # any char is one code point, newline included
    (".", "\U0001f600", True),
    (".", "\n", True),
    (".", "ab", False),
    # predefined classes are ASCII-only
    ("\\d{3}", "123", True),
    ("\\d{3}", "\u0661\u0662\u0663", False),
    ("\\s", " ", True),
    ("\\s", "\n", True),
    ("\\s", "\x0b", False),
    ("\\s", "\u00a0", False),
    ("\\w+", "a_1Z", True),
    ("\\w", "\u00e9", False),
    ("\\W", "\u00e9", True),
    ("\\S", "x", True),
    ("\\D", "x", True),
    # escapes: anything after a backslash is literal
    ("fizz\\/buzz", "fizz/buzz", True),
    ("[a-z]\\*[123]", "a*1", True),
    ("foo\\\\bar", "foo\\bar", True),
    ("127\\.0\\.0\\.1:[1-9]\\d{3}", "127.0.0.1:8080", True),
    ("127\\.0\\.0\\.1:[1-9]\\d{3}", "127x0.0.1:8080", False),
    # quoted strings
    ('"a.b"', "a.b", True),
    ('"a.b"', "axb", False),
    ('"a*"+', "a*a*", True),
    # repeats
    ("colou?r", "color", True),
    ("a{2,3}", "aaa", True),
    ("a{2,3}", "aaaa", False),
    ("a{2,}", "aaaaa", True),
    ("a{2}", "aa", True),
    ("(ab)+", "abab", True),
    ("(ab)+", "", False),
    ("a+?", "", True),  # ES collapses +? into *
    ("a**", "aaa", True),
    # operators where an operand is expected are literals
    ("(?:a)", "?:a", True),
    ("(?:a)", "a", False),
    ("*a", "*a", True),
    ("(|a)", "|a", True),
    ("(|a)", "a", False),
    ("a||b", "|b", True),
    ("a||b", "b", False),
    ("(david)|(john)", "john", True),
    # empty pattern, empty group, empty language, any string
    ("", "", True),
    ("", "a", False),
    ("()", "", True),
    ("#", "", False),
    ("#*", "", False),  # Lucene: repeat(empty language) stays empty
    ("#{0,}", "", False),
    ("#?", "", True),
    ("#{0,2}", "", True),
    ("a|#", "a", True),
    ("@", "", True),
    ("@", "anything at all", True),
    ("a@z", "a-z", True),
    # numeric intervals
    ("<1-10>", "7", True),
    ("<1-10>", "007", True),
    ("<1-10>", "11", False),
    ("<1-10>", "", False),
    ("<01-10>", "07", True),
    ("<01-10>", "7", False),
    ("<10-1>", "5", True),  # bounds are swapped
    ("<0-5>", "0", True),
    ("<0-5>", "00", False),  # same width: fixed
    ("<00-5>", "000", True),  # different widths: any leading zeros
    ("<+5-10>", "05", True),  # Integer.parseInt accepts a sign; width counts it
    ("x<1-3>y", "x2y", True),
    # intersection and (deprecated) complement
    ("a&b", "a", False),
    (".*a.*&.*b.*", "ba", True),
    (".*a.*&.*b.*", "aa", False),
    ("[a-c]+&~(.*b.*)", "aca", True),
    ("[a-c]+&~(.*b.*)", "abc", False),
    ("(a.*&.*b)c", "axbc", True),
    ("(a.*&.*b)c", "axc", False),
    ("~a", "", True),
    ("~a", "a", False),
    ("~a", "aa", True),
    ("~#", "whatever", True),
    ("~@", "", False),
    ("~a*", "", True),  # ~ binds tighter than *: (~a)*
    ("http~0.5", "http~0.5", True),  # "http" ~("0") . "5"
    ("http~0.5", "http0x5", False),
    ("http~0.5", "httpxx5", True),
    ("(a&b)*", "", False),  # star of the empty language
]


@pytest.mark.parametrize(("pattern", "text", "expected"), MATCH_CASES)
def test_match(pattern: str, text: str, expected: bool) -> None:
    assert matches(pattern, text) is expected
    assert lucene_accepts(pattern, text) is expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("[a-z][123]", "[a-z][1-3]"),
        ("a**", "a*"),
        ("x+?", "x*"),
        ("\\d{3}", "[0-9]{3}"),
        ("<01-10>", "(?:0[1-9]|10)"),
        ("^a$", "\\^a\\$"),
        ("#*", "(?!)"),
    ],
)
def test_translation_text(pattern: str, expected: str) -> None:
    assert translate(pattern) == expected


def test_compile_regexp_is_cached() -> None:
    assert compile_regexp("ab+") is compile_regexp("ab+")


# --------------------------------------------------------------------------- errors

ERROR_CASES = [
    ('b "[c]', "expected '\"' at position 6", 6),
    ('"abc', "expected '\"' at position 4", 4),
    ("(a", "expected ')' at position 2", 2),
    ("a)", "end-of-string expected at position 1", 1),
    ("[a", "expected ']' at position 2", 2),
    ("[]", "expected ']' at position 2", 2),
    ("[z-a]", "invalid range: from (122) cannot be > to (97)", 1),
    ("[a-]", "invalid range: from (97) cannot be > to (93)", 1),
    ("a{", "integer expected at position 2", 2),
    ("a{2", "expected '}' at position 3", 3),
    ("a{3,2}", "invalid repetition range(out of order): 3..2", 1),
    ("a{99999999999}", 'For input string: "99999999999"', 2),
    ("a\\", "unexpected end-of-string", 2),
    ("a|", "unexpected end-of-string", 2),
    ("a&", "unexpected end-of-string", 2),
    ("~", "unexpected end-of-string", 1),
    ("[", "unexpected end-of-string", 1),
    ("\\n", "invalid character class \\n", 0),
    ("x[\\q]", "invalid character class \\q", 2),
    ("<1-2", "expected '>' at position 4", 4),
    ("<1-x>", "interval syntax error at position 4", 4),
    ("<-1>", "interval syntax error at position 3", 3),
    ("<1-2-3>", "interval syntax error at position 6", 6),
    ("a<foo>", "'foo' not found", 1),
    ("[~-|&-", "unexpected end-of-string", 6),  # Lucene 10 checks ranges after the class
    # positions refer to the pattern as typed, even where ES collapsed quantifiers first
    ('a**"', "expected '\"' at position 4", 4),
]


@pytest.mark.parametrize(("pattern", "message", "position"), ERROR_CASES)
def test_errors(pattern: str, message: str, position: int) -> None:
    with pytest.raises(RegexpError) as info:
        translate(pattern)
    assert info.value.message.startswith(message)
    assert info.value.position == position
    assert isinstance(info.value, ValueError)


def test_validate_length_limit() -> None:
    validate("a" * 1000)
    with pytest.raises(RegexpError, match=r"length of regex \[1001\]") as info:
        validate("a" * 1001)
    assert info.value.position == 1000
    validate("a" * 1001, max_length=None)
    with pytest.raises(RegexpError):  # ES counts UTF-16 units
        validate("\U0001f600" * 501)


# --------------------------------------------------------------------------- complexity


def test_too_complex_matches_lucene_message() -> None:
    started = time.perf_counter()
    with pytest.raises(RegexpError) as info:
        check_complexity("[ac]*a[ac]{50,200}")
    assert info.value.message == (
        "Determinizing automaton with 202 states and 403 transitions would require "
        "more than 10000 effort."
    )
    assert time.perf_counter() - started < 5


def test_work_limit_is_respected() -> None:
    check_complexity(".*a.{5}")
    with pytest.raises(RegexpError, match="more than 10 effort"):
        check_complexity(".*a.{5}", work_limit=10)


def test_deterministic_automata_skip_determinize() -> None:
    check_complexity("a{3000}", work_limit=1)  # Lucene returns DFAs untouched
    check_complexity("(a|b){40}", work_limit=1)  # union merges into one DFA state


def test_complement_is_limited_even_in_translate() -> None:
    with pytest.raises(RegexpError, match="would require more than 10000 effort"):
        translate("~(.*a.{20})")


def test_oversized_automata_are_refused_by_this_engine() -> None:
    with pytest.raises(RegexpError, match="too large"):
        check_complexity(".{0,300000}")


@pytest.mark.parametrize(
    "pattern",
    ["[^.:@\\s](?:[^:@\\s]*[^.:@\\s])?@[^.@\\s]+(?:\\.[^.@\\s]+)*", "(a|ab)*c", "<1-100000>"],
)
def test_realistic_patterns_pass(pattern: str) -> None:
    validate(pattern)


# --------------------------------------------------------------------------- corpus

_ORACLE_REGEXP = re.compile(r'Regexp\([^,"]*,"((?:[^"\\]|\\.)*)"\)')  # printed Java-escaped
_REGEX_ERRORS = (
    "ERROR(TooComplexToDeterminizeException): ",
    "ERROR(IllegalArgumentException): ",
)


def _regex_tokens(query: str) -> list[str]:
    """The /.../ bodies of a query string (quotes, ranges and escapes skipped)."""
    found, i = [], 0
    while i < len(query):
        c = query[i]
        if c == "\\":
            i += 2
        elif c in '"[{':
            close = {'"': '"', "[": "]", "{": "}"}[c]
            i += 1
            while i < len(query) and query[i] != close:
                i += 2 if query[i] == "\\" else 1
            i += 1
        elif c == "/":
            j = i + 1
            while j < len(query) and query[j] != "/":
                j += 2 if query.startswith("\\/", j) else 1
            found.append(query[i + 1 : j])
            i = j + 1
        else:
            i += 1
    return found


def _corpus_cases() -> Iterator[tuple[str, str, str | None]]:
    if not CORPUS.exists():
        return
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        oracle = row["lucene_oracle"]["es_kw_or"]
        query = row["query"]
        if "Regexp(" in oracle:
            patterns = [re.sub(r"\\(.)", r"\1", p) for p in _ORACLE_REGEXP.findall(oracle)]
            assert patterns == _regex_tokens(query), query
            for pattern in patterns:
                yield query, pattern, None
        elif oracle.startswith(_REGEX_ERRORS) and _regex_tokens(query):
            (pattern,) = _regex_tokens(query)
            yield query, pattern, oracle.split("): ", 1)[1]


CORPUS_CASES = list(_corpus_cases())


@pytest.mark.skipif(not CORPUS.exists(), reason=f"compatibility corpus not found at {CORPUS}")
@pytest.mark.parametrize(
    ("query", "pattern", "error"), CORPUS_CASES, ids=[case[0] for case in CORPUS_CASES]
)
def test_corpus_accept_reject(query: str, pattern: str, error: str | None) -> None:
    if error is None:
        validate(pattern)
        compile_regexp(pattern)
    else:
        with pytest.raises(RegexpError) as info:
            validate(pattern)
        assert info.value.message == error


@pytest.mark.skipif(not CORPUS.exists(), reason=f"compatibility corpus not found at {CORPUS}")
def test_corpus_has_both_outcomes() -> None:
    outcomes = {error is None for _, _, error in CORPUS_CASES}
    assert outcomes == {True, False}
    assert len(CORPUS_CASES) >= 50


# --------------------------------------------------------------------------- properties

_META = list("ab.*+?|&~#@()[]{}<>-^\"\\0123,9dswDSW")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_META) | st.characters(), max_size=16))
def test_translate_is_total(pattern: str) -> None:
    """Either a Python pattern that compiles, or a RegexpError: never anything else."""
    try:
        source = translate(pattern)
    except RegexpError as error:
        assert 0 <= error.position <= len(pattern)
        return
    re.compile(source)


_ATOMS = st.sampled_from(["a", "b", "."])


def _reference_match(tokens: list[tuple[str, bool]], text: str) -> bool:
    """Plain backtracking over (atom, starred) tokens; '.' is any character."""
    if not tokens:
        return not text
    (atom, starred), rest = tokens[0], tokens[1:]
    fits = bool(text) and (atom == "." or text[0] == atom)
    if starred:
        return _reference_match(rest, text) or (fits and _reference_match(tokens, text[1:]))
    return fits and _reference_match(rest, text[1:])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_ATOMS, st.booleans()), max_size=5))
def test_literal_dot_star_agrees_with_brute_force(tokens: list[tuple[str, bool]]) -> None:
    pattern = "".join(atom + ("*" if starred else "") for atom, starred in tokens)
    compiled = compile_regexp(pattern)
    for length in range(5):
        for chars in itertools.product("abc", repeat=length):
            text = "".join(chars)
            assert (compiled.fullmatch(text) is not None) == _reference_match(tokens, text), text


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pair = st.tuples(children, children)
    return st.one_of(
        pair.map(lambda p: p[0] + p[1]),
        pair.map(lambda p: f"({p[0]}|{p[1]})"),
        pair.map(lambda p: f"({p[0]}&{p[1]})"),
        children.map(lambda c: f"~({c})"),
        st.tuples(children, st.sampled_from(["*", "+", "?", "{2}", "{0,2}", "{1,}"])).map(
            lambda p: f"({p[0]}){p[1]}"
        ),
    )


_PATTERNS = st.recursive(
    st.sampled_from(
        ["a", "b", "c", ".", "[ab]", "[^a]", "#", "@", "()", '"ab"', "<1-12>", "<01-12>", "\\d"]
    ),
    _combine,
    max_leaves=5,
)


@settings(max_examples=300, deadline=None)
@given(_PATTERNS, st.lists(st.text(alphabet="abc019", max_size=5), min_size=1, max_size=8))
def test_python_regex_agrees_with_lucene_automaton(pattern: str, texts: list[str]) -> None:
    try:
        compiled = compile_regexp(pattern)
    except RegexpError:
        return  # e.g. a complement too complex to determinize: both layers refuse it
    for text in texts:
        assert (compiled.fullmatch(text) is not None) == lucene_accepts(pattern, text), text
