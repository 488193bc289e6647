"""Python driver for the real-Lucene oracle (tests/lucene/LuceneOracle.java).

Run ``tests/lucene/setup.sh`` first; it writes ``tests/lucene/.build/classpath``.
Alternatively set ``LUCENE_ORACLE_CLASSPATH`` (full java -cp value, harness classes included).

    from tests.lucene.oracle import LuceneOracle, available   # repo root on sys.path
    # (or: sys.path.insert(0, "tests/lucene"); from oracle import ...)

    if available():
        with LuceneOracle() as lucene:
            lucene.parse("a AND b c")                          # '+a +b c'
            lucene.parse_many(["a b", "*x"], default_operator="AND")
            # ['+a +b', "ERROR: Cannot parse '*x': '*' or '?' not allowed as first ..."]

Results are exactly what the harness prints (see LuceneOracle.java): ``Query.toString(field)``,
``ERROR: <ParseException message>`` or ``ERROR(ExceptionClass): <message>``, whitespace in
error messages collapsed to single spaces. ``corpus_form()`` additionally applies the
160-character truncation used by /work/shared/compat/corpus.jsonl.

One JVM is started per LuceneOracle instance and reused; queries are streamed in batches.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Iterable, Sequence

HERE = Path(__file__).resolve().parent
BUILD_DIR = Path(os.environ.get("LUCENE_ORACLE_BUILD", HERE / ".build"))

# Small, short-lived JVM: C1 only, serial GC. Overridable.
DEFAULT_JVM_OPTS = ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss8m", "-Xshare:auto")

CORPUS_ERROR_MAX = 160  # corpus.jsonl keeps 160 characters after "ERROR: "
CORPUS_EMPTY = "<empty BooleanQuery: matches nothing>"  # corpus.jsonl's rendering of toString() == ""


def classpath() -> str | None:
    """The java -cp value for the oracle, or None if setup.sh has not been run."""
    env = os.environ.get("LUCENE_ORACLE_CLASSPATH")
    if env:
        return env
    f = BUILD_DIR / "classpath"
    if f.is_file():
        return f.read_text(encoding="utf-8").strip() or None
    return None


def available() -> bool:
    """True if java and a compiled harness + Lucene jars are present (cheap; no JVM is started)."""
    cp = classpath()
    if not cp or shutil.which(os.environ.get("JAVA", "java")) is None:
        return False
    entries = [Path(p) for p in cp.split(os.pathsep) if p]
    if not entries or not all(p.exists() for p in entries):
        return False
    return any((p / "LuceneOracle.class").is_file() for p in entries if p.is_dir())


def lucene_version() -> str | None:
    f = BUILD_DIR / "lucene-version"
    return f.read_text(encoding="utf-8").strip() if f.is_file() else None


def corpus_form(result: str) -> str:
    """Normalise a harness result to the corpus.jsonl conventions.

    * ``ERROR: ...`` (ParseException) text is truncated to 160 characters after ``ERROR: ``;
    * an empty ``toString()`` (the empty BooleanQuery Lucene returns when the analyzer yields no
      tokens, e.g. for ``""``) is shown as ``<empty BooleanQuery: matches nothing>``.
    """
    if result == "":
        return CORPUS_EMPTY
    if result.startswith("ERROR"):
        head, sep, rest = result.partition(": ")
        if head == "ERROR" and sep:
            return "ERROR: " + rest[:CORPUS_ERROR_MAX]
    return result


class LuceneOracleError(RuntimeError):
    pass


class LuceneOracle:
    """A long-lived `java LuceneOracle --json` process."""

    def __init__(
        self,
        cp: str | None = None,
        java: str | None = None,
        jvm_opts: Sequence[str] = DEFAULT_JVM_OPTS,
        batch_size: int = 512,
        timeout: float = 120.0,
    ) -> None:
        cp = cp or classpath()
        if not cp:
            raise LuceneOracleError("Lucene oracle not set up: run tests/lucene/setup.sh")
        self.batch_size = batch_size
        self.timeout = timeout
        self._lock = threading.Lock()
        self._proc = subprocess.Popen(
            [java or os.environ.get("JAVA", "java"), *jvm_opts, "-cp", cp, "LuceneOracle", "--json"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=1 << 16,
        )
        self._stderr: list[bytes] = []
        self._stderr_thread = threading.Thread(target=self._drain_stderr, daemon=True)
        self._stderr_thread.start()

    # -- public API -------------------------------------------------------------------------

    def parse(self, q: str, default_operator: str = "OR", **options: object) -> str:
        return self.parse_many([q], default_operator=default_operator, **options)[0]

    def parse_many(self, queries: Iterable[str], default_operator: str = "OR", **options: object) -> list[str]:
        """Parse every query; options: field, allow_leading_wildcard, split_on_whitespace."""
        reqs = [{"q": q, "default_operator": default_operator, **options} for q in queries]
        return self.run_requests(reqs)

    def run_requests(self, requests: Sequence[dict]) -> list[str]:
        """Send raw request objects (see LuceneOracle.java for keys); one result per request."""
        out: list[str] = []
        for i in range(0, len(requests), self.batch_size):
            out.extend(self._batch(requests[i : i + self.batch_size]))
        return out

    def close(self) -> None:
        p = self._proc
        if p.poll() is None:
            try:
                p.stdin.close()
                p.wait(timeout=10)
            except Exception:
                p.kill()
                p.wait()
        for s in (p.stdout, p.stderr):
            try:
                s.close()
            except Exception:
                pass

    def __enter__(self) -> "LuceneOracle":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals --------------------------------------------------------------------------

    def _drain_stderr(self) -> None:
        for line in self._proc.stderr:
            self._stderr.append(line)

    def _fail(self, why: str) -> LuceneOracleError:
        try:  # let a dying JVM finish so that its exit status and stderr are reported
            self._proc.wait(timeout=5)
            self._stderr_thread.join(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        err = b"".join(self._stderr[-50:]).decode("utf-8", "replace")
        return LuceneOracleError(f"Lucene oracle {why} (exit={self._proc.poll()}); stderr:\n{err}")

    def _batch(self, reqs: Sequence[dict]) -> list[str]:
        payload = "".join(json.dumps(r, ensure_ascii=True) + "\n" for r in reqs).encode("ascii")
        with self._lock:
            if self._proc.poll() is not None:
                raise self._fail("is not running")
            # Write from a thread so a large batch cannot deadlock against a full stdout pipe.
            write_error: list[BaseException] = []

            def writer() -> None:
                try:
                    self._proc.stdin.write(payload)
                    self._proc.stdin.flush()
                except BaseException as e:  # broken pipe if the JVM died
                    write_error.append(e)

            t = threading.Thread(target=writer, daemon=True)
            t.start()
            watchdog = threading.Timer(self.timeout, self._proc.kill)
            watchdog.start()
            try:
                results = []
                for _ in reqs:
                    line = self._proc.stdout.readline()
                    if not line:
                        raise self._fail("died or timed out" if not write_error else f"died ({write_error[0]!r})")
                    results.append(json.loads(line))
            finally:
                watchdog.cancel()
                t.join()
            return results


__all__ = ["LuceneOracle", "LuceneOracleError", "available", "classpath", "corpus_form", "lucene_version"]
