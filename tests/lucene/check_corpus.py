#!/usr/bin/env python3
"""Validate the real-Lucene oracle against /work/shared/compat/corpus.jsonl.

Runs every corpus query through tests/lucene/LuceneOracle.java (default operator OR and AND)
and compares with ``lucene_oracle.lucene_ws_or`` / ``lucene_ws_and``, after the corpus's
presentation conventions (``oracle.corpus_form``). Every disagreement is classified:

  STRUCTURAL (fails the run)
    accept/reject      one side parses, the other rejects
    toString           both parse, different Query.toString("field")
    exception type     both reject, with different exception kinds
  MESSAGE TEXT (expected across Lucene versions; reported, not failed)
    javacc-lexical     TokenMgrError "Lexical error ..." text; depends on the JavaCC version
                       that generated QueryParserTokenManager (Debian's 8.8.1 is built with
                       javacc 5, Lucene 9 with javacc 7, the corpus's Lucene with a newer one)
    unicode-case       "Truncated unicode escape sequence." (Lucene <= 9) vs "Unicode" (corpus)
    determinize        TooComplexToDeterminizeException wording (8.x: "would result in more
                       than N states"; 9.9: "Determinizing <regexp> would require more than N
                       effort"; corpus: "Determinizing automaton with S states and T
                       transitions would require ...")
    other-message      any other difference between two error messages of the same kind

Usage:  python3 tests/lucene/check_corpus.py [--corpus PATH] [-v] [--json OUT]
Exit status: 0 if there is no STRUCTURAL disagreement, 1 otherwise, 2 if the oracle is missing.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from oracle import LuceneOracle, available, corpus_form, lucene_version  # noqa: E402

DEFAULT_CORPUS = "/work/shared/compat/corpus.jsonl"
FIELDS = (("OR", "lucene_ws_or"), ("AND", "lucene_ws_and"))

STRUCTURAL = {"accept/reject", "toString", "exception type"}


def error_kind(s: str) -> str | None:
    """None if not an error, else 'ParseException' or the class in 'ERROR(Class):'."""
    if s.startswith("ERROR: "):
        return "ParseException"
    m = re.match(r"ERROR\((\w+)\): ", s)
    return m.group(1) if m else None


def classify(expected: str, got: str) -> str:
    ek, gk = error_kind(expected), error_kind(got)
    if (ek is None) != (gk is None):
        return "accept/reject"
    if ek is None:
        return "toString"
    if ek != gk:
        return "exception type"
    if "Lexical error at line" in expected and "Lexical error at line" in got:
        # Same position => same decision; only the JavaCC TokenMgrError rendering differs.
        pos = re.compile(r"Lexical error at line \d+, column \d+\.")
        if pos.search(expected).group(0) == pos.search(got).group(0):
            return "javacc-lexical"
    if expected.lower() == got.lower() and "unicode escape" in expected.lower():
        return "unicode-case"
    if ek == "TooComplexToDeterminizeException":
        return "determinize"
    return "other-message"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument("-v", "--verbose", action="store_true", help="print every disagreement")
    ap.add_argument("--json", metavar="OUT", help="write all disagreements to OUT as JSON")
    args = ap.parse_args()

    if not available():
        print("Lucene oracle not available: run tests/lucene/setup.sh", file=sys.stderr)
        return 2

    rows = [json.loads(line) for line in open(args.corpus, encoding="utf-8") if line.strip()]
    queries = [r["query"] for r in rows]

    t0 = time.perf_counter()
    with LuceneOracle() as lucene:
        lucene.parse("warm up")
        t1 = time.perf_counter()
        results = {op: lucene.parse_many(queries, default_operator=op) for op, _ in FIELDS}
        t2 = time.perf_counter()

    total = agree = 0
    raw_agree = 0
    diffs = []
    for i, row in enumerate(rows):
        for op, key in FIELDS:
            expected = row["lucene_oracle"][key]
            raw = results[op][i]
            got = corpus_form(raw)
            total += 1
            raw_agree += raw == expected
            if got == expected:
                agree += 1
                continue
            diffs.append({"op": op, "query": row["query"], "corpus": expected, "lucene": raw,
                          "class": classify(expected, got)})

    by_class = collections.Counter(d["class"] for d in diffs)
    structural = sum(n for c, n in by_class.items() if c in STRUCTURAL)
    ok_or = sum(1 for i in range(len(rows)) if not results["OR"][i].startswith("ERROR"))

    print(f"Lucene {lucene_version() or '?'}; corpus {args.corpus}: {len(rows)} queries x 2 operators = {total} comparisons")
    print(f"  JVM start + first query: {t1 - t0:.2f}s; {2 * len(rows)} queries: {t2 - t1:.2f}s")
    print(f"  parsed OK (default OR): {ok_or}, rejected: {len(rows) - ok_or}")
    print(f"  exact agreement (corpus conventions): {agree}/{total} ({100.0 * agree / total:.2f}%)"
          f"; byte-identical raw output: {raw_agree}/{total}")
    print(f"  structural agreement (accept/reject, toString, exception type): "
          f"{total - structural}/{total} ({100.0 * (total - structural) / total:.2f}%)")
    for c, n in sorted(by_class.items(), key=lambda kv: (kv[0] not in STRUCTURAL, kv[0])):
        kind = "STRUCTURAL" if c in STRUCTURAL else "message text"
        qs = len({d["query"] for d in diffs if d["class"] == c})
        print(f"  {kind:12s} {c:16s} {n:4d} comparisons ({qs} queries)")
    if args.verbose or structural:
        for d in diffs:
            if args.verbose or d["class"] in STRUCTURAL:
                print(f"\n[{d['class']}] {d['op']} {d['query']!r}\n  corpus: {d['corpus']}\n  lucene: {d['lucene']}")
    if args.json:
        Path(args.json).write_text(json.dumps(diffs, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if structural else 0


if __name__ == "__main__":
    sys.exit(main())
