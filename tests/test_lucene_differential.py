"""Differential tests against Apache Lucene itself (the classic QueryParser, run in a JVM).

`tests/lucene/setup.sh` installs Lucene from Debian's `liblucene8-java` and compiles a small
harness; `.ci/run` does this before the tests. The harness parses with a keyword analyzer (Auth0's
fields are untokenised), leading wildcards allowed and split-on-whitespace off, like
Elasticsearch's `query_string`.

Compared on every generated query: accept/reject. Compared where Elasticsearch does not override
Lucene: the canonical `Query.toString()`. The overrides that make the two differ on purpose are
fuzzy distances (`~`), the `>`/`<` shorthand, `_exists_` / `field:*` / `*`, and `*` read from a
quoted or escaped range bound.
"""

from __future__ import annotations

import os
import random
from typing import Iterator

import pytest
from hypothesis import given

from auth0_logq.engine.errors import QueryError
from auth0_logq.engine.parser import parse
from auth0_logq.engine.printer import to_lucene

from .lucene.oracle import LuceneOracle, available
from .strategies import QUERY_ALPHABET, query_text

if not available():
    if os.environ.get("CI"):
        pytest.fail("the Lucene oracle is not set up: .ci/run must run tests/lucene/setup.sh", pytrace=False)
    pytest.skip("Lucene oracle not set up (run tests/lucene/setup.sh)", allow_module_level=True)

_JAVA_TRIM = "".join(chr(c) for c in range(0x21))
_ES_ONLY_FEATURES = {"exists", "comparison"}


@pytest.fixture(scope="module")
def lucene() -> Iterator[LuceneOracle]:
    with LuceneOracle() as oracle:
        yield oracle


def _request(q: str) -> dict[str, object]:
    return {"q": q, "analyzer": "keyword", "allow_leading_wildcard": True, "split_on_whitespace": False}


def _comparable(q: str) -> bool:
    """Queries on which Elasticsearch and plain Lucene must agree on accept/reject."""
    # Blank: ES returns no hits where Lucene throws. `~`: ES computes fuzzy distances differently.
    return bool(q.strip(_JAVA_TRIM)) and "~" not in q


def _check(q: str, theirs: str) -> None:
    try:
        parsed = parse(q)
    except QueryError:
        assert theirs.startswith("ERROR"), f"we reject {q!r}; Lucene accepts it as {theirs!r}"
        return
    assert not theirs.startswith("ERROR"), f"we accept {q!r}; Lucene rejects it: {theirs}"
    if {u.feature for u in parsed.syntax} & _ES_ONLY_FEATURES or '"*"' in q or "\\*" in q:
        return
    assert to_lucene(parsed.query, default_field="field") == theirs, q


@given(query_text.filter(_comparable))
def test_generated_queries_agree_with_lucene(lucene: LuceneOracle, q: str) -> None:
    (theirs,) = lucene.run_requests([_request(q)])
    _check(q, theirs)


def test_twenty_thousand_random_queries_agree_with_lucene(lucene: LuceneOracle) -> None:
    """A fixed-seed bulk run: many more queries than hypothesis sends, in one JVM round trip."""
    rng = random.Random(20261125)
    alphabet = [a for a in QUERY_ALPHABET if a != "~"]
    queries = {
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 16))) for _ in range(20_000)
    }
    ordered = sorted(q for q in queries if _comparable(q))
    results = lucene.run_requests([_request(q) for q in ordered])
    accepted = 0
    for q, theirs in zip(ordered, results):
        _check(q, theirs)
        accepted += not theirs.startswith("ERROR")
    assert accepted > 1000, "the generator should produce many valid queries, not only errors"
