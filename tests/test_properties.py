"""Properties of the parser and printers, over generated input."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from auth0_logq.engine import ast
from auth0_logq.engine.errors import QueryError
from auth0_logq.engine.parser import parse
from auth0_logq.engine.printer import describe, to_es_tree, to_lucene, to_query

from .strategies import queries, query_text


@given(st.one_of(query_text, st.text()))
@example("XY\\")
@example('"a\\"')
@example("[a\tTO b]")
@example("a:b^ ")
def test_any_text_parses_or_raises_query_error_with_a_column(text: str) -> None:
    """Totality: a ParsedQuery, or our QueryError pointing inside the query. Nothing else."""
    try:
        parsed = parse(text)
    except QueryError as error:
        assert 0 <= error.column <= len(text)
        assert error.render()
    else:
        for warning in parsed.warnings:
            assert 0 <= warning.column <= len(text)
        for use in parsed.syntax:
            assert 0 <= use.span.start <= use.span.end <= len(text)


@given(queries)
def test_print_then_parse_is_the_identity(query: ast.Query) -> None:
    assert parse(to_query(query)).query == query


@given(queries)
def test_every_printer_handles_every_ast(query: ast.Query) -> None:
    assert isinstance(to_lucene(query), str)
    assert isinstance(to_es_tree(query), str)
    assert isinstance(describe(query), str)


@given(query_text)
def test_normalising_a_parsed_query_is_stable(text: str) -> None:
    """Whatever parses, its normal form parses to the same meaning (and is itself a fixed point)."""
    try:
        query = parse(text).query
    except QueryError:
        return
    normal = to_query(query)
    assert parse(normal).query == query
    assert to_query(parse(normal).query) == normal
