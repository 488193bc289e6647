"""Every construct of the syntax, with the AST it must produce (tests/data/parse_examples.jsonl).

Each case records our structure in the corpus's Elasticsearch notation and what the real Apache
Lucene classic QueryParser (8.8.1, keyword analyzer, leading wildcards allowed) printed for it.
Where Elasticsearch deliberately differs from plain Lucene the case names the override.
"""

from __future__ import annotations

import pytest

from auth0_logq.engine import ast
from auth0_logq.engine.parser import ParseOptions, parse
from auth0_logq.engine.printer import to_es_tree, to_lucene, to_query

from .conftest import DATA, load_jsonl

EXAMPLES = load_jsonl(DATA / "parse_examples.jsonl")
ES_OVERRIDES = {"es-fuzzy", "es-comparison", "es-exists", "es-open-bound"}


def _id(case: dict[str, str]) -> str:
    return f"{case['section']}: {case['q']!r}"


@pytest.mark.parametrize("case", EXAMPLES, ids=_id)
def test_example_structure(case: dict[str, str]) -> None:
    assert to_es_tree(parse(case["q"]).query, default_field="<default>") == case["es"]


@pytest.mark.parametrize("case", EXAMPLES, ids=_id)
def test_example_agrees_with_real_lucene(case: dict[str, str]) -> None:
    """Lucene's own toString, recorded from Lucene itself, unless Elasticsearch overrides it."""
    override = case.get("es_differs_from_lucene")
    ours = to_lucene(parse(case["q"]).query, default_field="field")
    if override is None:
        assert ours == case["lucene"]
    else:
        assert override in ES_OVERRIDES
        assert ours != case["lucene"]


@pytest.mark.parametrize("case", EXAMPLES, ids=_id)
def test_example_round_trips(case: dict[str, str]) -> None:
    query = parse(case["q"]).query
    assert parse(to_query(query)).query == query


def test_spans_are_excluded_from_equality_but_kept() -> None:
    a, b = parse("type:fp").query, parse("type : fp").query
    assert a == b
    assert a.span == ast.Span(0, 7) and b.span == ast.Span(0, 9)


def test_spans_point_at_clauses() -> None:
    query = parse("type:fp AND NOT ip:1.2.3.4").query
    assert isinstance(query, ast.BooleanQuery)
    assert [(c.span.start, c.span.end) for c in query.clauses if c.span] == [(0, 7), (12, 26)]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # Lucene's table for default_operator=AND (QueryParserTestBase.testSimpleDAO, testPrecedence)
        ("a AND b OR c", "+a b c"),
        ("a OR b AND c", "a +b +c"),
        ("A AND B OR C AND D", "+A B +C +D"),
        ("a AND b c", "+a +b +c"),
        ("a OR b c", "a b +c"),
        ("a OR NOT b", "a -b"),
        ("-a -b c", "-a -b +c"),
        ("+a OR b", "a b"),
        ("a NOT b", "+a -b"),
        ("a b", "a b"),  # one merged value, required
    ],
)
def test_default_operator_and(q: str, expected: str) -> None:
    query = parse(q, ParseOptions(default_operator="AND")).query
    assert to_lucene(query) == expected


def test_multi_word_value_is_required_under_and() -> None:
    query = parse("a b", ParseOptions(default_operator="AND")).query
    assert query == ast.Term(None, "a b")


@pytest.mark.parametrize(
    ("q", "bare", "expected"),
    [
        (">10", False, 'Term(field,">10")'),
        (">10", True, 'Range(field,{"10" TO *])'),
        ("<=5", True, 'Range(field,[* TO "5"])'),
        ("age:>10", False, 'Range(age,{"10" TO *])'),
    ],
)
def test_bare_comparisons_only_with_a_single_default_field(q: str, bare: bool, expected: str) -> None:
    assert to_es_tree(parse(q, ParseOptions(bare_comparisons=bare)).query) == expected


@pytest.mark.parametrize("blank", ["", " ", "\t\n", "\x01"])
def test_blank_query_matches_nothing(blank: str) -> None:
    assert parse(blank).query == ast.MatchNone()


def test_ideographic_space_alone_is_not_blank() -> None:
    """Java's trim() keeps U+3000, so Elasticsearch hands it to Lucene, which rejects it."""
    from auth0_logq.engine.errors import QuerySyntaxError

    with pytest.raises(QuerySyntaxError):
        parse("\u3000")


def test_pure_negative_groups() -> None:
    query = parse("-a").query
    assert isinstance(query, ast.BooleanQuery) and query.pure_negative
    mixed = parse("a -b").query
    assert isinstance(mixed, ast.BooleanQuery) and not mixed.pure_negative


def test_unicode_escapes_pair_surrogates() -> None:
    assert parse("\\uD83D\\uDE00").query == ast.Term(None, "\U0001F600")


def test_grammar_builds_with_lark_strict_mode() -> None:
    from auth0_logq.engine.parser import grammar_is_strict

    assert grammar_is_strict()
