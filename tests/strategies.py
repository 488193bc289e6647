"""Hypothesis strategies: query-like text, and well-formed ASTs in the shapes the parser produces."""

from __future__ import annotations

import re

from hypothesis import strategies as st

from auth0_logq.engine import ast
from auth0_logq.engine.parser import java_float
from auth0_logq.engine.printer import escape

# Characters that exercise every lexer rule, plus a few that must be ordinary.
QUERY_ALPHABET = list(' \t\n\u3000\u00a0+-!():^[]"{}~*?\\/&|<>=.@,\'#_abcAZ019ü用') + ["AND", "OR", "NOT", "TO", "_exists_"]

query_text = st.lists(st.sampled_from(QUERY_ALPHABET), max_size=24).map("".join)

FIELD_NAMES = st.sampled_from(
    [None, None, "type", "user_name", "details.request.method", "location_info.country_code", "first name", "a:b", "AND", "*", "details.*"]
)
# Values: anything printable, including whitespace, operators, quotes and backslashes.
VALUES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=0, max_size=12
)
NONEMPTY = VALUES.filter(bool)
BOOSTS = st.sampled_from(["0.5", "1", "2", "2.5", "10", "0.1", "3.75"]).map(java_float)
REGEXES = st.sampled_from(["[a-z]+", "ab.*", "a\\/b", "(foo|bar)", "x{2,3}", ".*@acme\\.example"])


@st.composite
def wildcard_patterns(draw: st.DrawFn) -> str:
    """Raw wildcard text that the lexer reads as a WILDTERM (not a prefix, not `*` alone)."""
    parts = draw(st.lists(st.one_of(st.sampled_from(["*", "?"]), NONEMPTY.map(escape)), min_size=1, max_size=5))
    pattern = "".join(parts)
    unescaped = re.sub(r"\\[\s\S]", "", pattern)
    prefix_shape = unescaped.count("*") == 1 and "?" not in unescaped and pattern.endswith("*") and not pattern.endswith("\\*")
    if "*" not in unescaped and "?" not in unescaped or pattern == "*" or (prefix_shape and len(pattern) > 1):
        pattern += "?"
    return pattern


RANGE_BOUND = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters='\x00\\'), min_size=1, max_size=8).filter(
        lambda v: v != "*"
    ),
)


def leaf_queries() -> st.SearchStrategy[ast.Query]:
    plain_field = FIELD_NAMES.filter(lambda f: f != "*")
    return st.one_of(
        st.builds(ast.Term, FIELD_NAMES, VALUES),
        st.builds(ast.Prefix, FIELD_NAMES, NONEMPTY),
        st.builds(ast.Wildcard, FIELD_NAMES, wildcard_patterns()),
        st.builds(ast.Regexp, FIELD_NAMES, REGEXES),
        st.builds(ast.Fuzzy, FIELD_NAMES, NONEMPTY, st.integers(0, 2)),
        st.builds(ast.Range, FIELD_NAMES, RANGE_BOUND, RANGE_BOUND, st.booleans(), st.booleans()),
        st.builds(ast.Exists, plain_field),
        st.just(ast.MatchAll()),
    )


def _boolean(children: st.SearchStrategy[ast.Query]) -> st.SearchStrategy[ast.Query]:
    clause = st.builds(ast.Clause, st.sampled_from(list(ast.Occur)), children)
    many = st.lists(clause, min_size=2, max_size=4)
    # A group of one clause without an operator is that clause itself, so it needs + or -.
    one = st.builds(ast.Clause, st.sampled_from([ast.Occur.MUST, ast.Occur.MUST_NOT]), children).map(lambda c: [c])
    return st.one_of(many, one).map(lambda cs: ast.BooleanQuery(tuple(cs)))


queries: st.SearchStrategy[ast.Query] = st.recursive(
    leaf_queries(),
    lambda children: st.one_of(_boolean(children), st.builds(ast.Boost, children, BOOSTS)),
    max_leaves=8,
)
