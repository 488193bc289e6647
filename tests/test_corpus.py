"""The shared compatibility corpus: 1,194 queries from eight parsers' test suites.

Each query carries the outcome real Lucene gives with Elasticsearch's `query_string` overrides and
a keyword analyzer (`lucene_oracle.es_kw_or`), which is how Auth0 indexes log fields. We must
agree on accept/reject for every query and on the structure for every accepted one, except the
cases listed, with their reasons, in tests/data/corpus_exclusions.json.

The corpus oracle uses a single default field named `field`, so bare `>10` is a range there
(`bare_comparisons=True`); Auth0's seven default fields make it a plain value instead.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from auth0_logq.engine.errors import QueryError
from auth0_logq.engine.parser import ParseOptions, parse
from auth0_logq.engine.printer import to_es_tree

from .conftest import CORPUS, DATA, load_jsonl

CORPUS_OPTIONS = ParseOptions(default_operator="OR", bare_comparisons=True)
EXCLUSIONS: dict[str, str] = json.loads((DATA / "corpus_exclusions.json").read_text(encoding="utf-8"))["exclusions"]
ROWS = load_jsonl(CORPUS) if CORPUS.exists() else []


def outcome(query: str) -> str:
    """Our answer in the corpus's notation: the structure, or `ERROR` when we reject it."""
    try:
        return to_es_tree(parse(query, CORPUS_OPTIONS).query, default_field="field")
    except QueryError:
        return "ERROR"


def agrees(row: dict[str, Any]) -> bool:
    expected: str = row["lucene_oracle"]["es_kw_or"]
    ours = outcome(row["query"])
    if expected.startswith("ERROR"):
        return ours == "ERROR"
    return ours == expected


@pytest.mark.parametrize("row", ROWS, ids=[f"{i}:{r['query'][:40]!r}" for i, r in enumerate(ROWS)])
def test_corpus_query(row: dict[str, Any]) -> None:
    if row["query"] in EXCLUSIONS:
        pytest.skip(f"excluded: {EXCLUSIONS[row['query']]}")
    expected = row["lucene_oracle"]["es_kw_or"]
    ours = outcome(row["query"])
    if expected.startswith("ERROR"):
        assert ours == "ERROR", f"Elasticsearch rejects this ({expected[:120]}) but we accept it as {ours}"
    else:
        assert ours == expected


def test_corpus_agreement_is_complete(corpus: list[dict[str, Any]]) -> None:
    """The headline number: agreement with Lucene/ES on every applicable corpus query."""
    assert len(corpus) == 1194
    unknown = set(EXCLUSIONS) - {r["query"] for r in corpus}
    assert not unknown, f"exclusions that are not in the corpus: {sorted(unknown)}"
    applicable = [r for r in corpus if r["query"] not in EXCLUSIONS]
    failures = [r["query"] for r in applicable if not agrees(r)]
    accepted = sum(1 for r in applicable if not r["lucene_oracle"]["es_kw_or"].startswith("ERROR"))
    print(
        f"\ncorpus: {len(applicable) - len(failures)}/{len(applicable)} applicable queries agree "
        f"({accepted} accepted with identical structure checked, {len(applicable) - accepted} rejected); "
        f"{len(EXCLUSIONS)} excluded"
    )
    assert failures == []


def test_every_exclusion_still_disagrees() -> None:
    """An exclusion that starts agreeing is stale and must be removed from the data file."""
    rows = {r["query"]: r for r in ROWS}
    stale = [q for q in EXCLUSIONS if q in rows and agrees(rows[q])]
    assert stale == []
