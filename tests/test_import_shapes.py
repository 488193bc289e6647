"""Every export shape through the whole importer: files, gzip, directory trees, zip and tar.gz
archives, standard input; the stored original is the event itself, its envelope kept aside."""

from __future__ import annotations

import gzip
import io
import json
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest

from auth0_logq.engine import search
from auth0_logq.engine.ingest import import_paths, import_stream
from auth0_logq.engine.store import Mirror

SAMPLES = Path(__file__).resolve().parent / "data" / "formats"
FILES = sorted(p for p in SAMPLES.rglob("*") if p.is_file())
# The four events every sample carries (one tenant, four moments).
TYPES = {"fp", "pwd_leak", "s", "sapi"}


def types(m: Mirror) -> set[str]:
    return {t for (t,) in m.conn.execute("SELECT type FROM logs")}


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(SAMPLES)) for p in FILES])
def test_each_sample_imports_whole_and_is_searchable(path: Path) -> None:
    m = Mirror.open(":memory:")
    (summary,) = import_paths(m, [path])
    assert summary.rejected == 0, summary.rejects
    assert summary.new >= 1 and summary.new == summary.read
    for text in search.search(m, "").logs:  # the stored original is an event, with its own id
        event = json.loads(text)
        assert isinstance(event, dict) and ("log_id" in event or "_id" in event or event.get("type_code"))
    # Codes, not the legacy extension's human names, are what `type` searches.
    assert types(m) <= TYPES
    for code in types(m):
        assert search.count(m, f"type:{code}") >= 1


def test_envelopes_are_kept_as_provenance() -> None:
    m = Mirror.open(":memory:")
    import_paths(m, [SAMPLES / "eventbridge.ndjson"])
    rows = m.conn.execute("SELECT w.shape, w.text, r.json FROM wrappers w JOIN raw r ON r.id = w.row_id").fetchall()
    assert len(rows) == 4
    for shape, envelope, original in rows:
        assert shape == "eventbridge"
        wrapper = json.loads(envelope)
        assert wrapper["detail"]["data"] is None and wrapper["detail-type"]
        assert json.loads(original)["log_id"] == wrapper["detail"]["log_id"]
    assert m.imports()[0]["format"] == "ndjson (eventbridge)"


def test_legacy_tree_is_one_import_per_file_and_type_code_is_searched() -> None:
    m = Mirror.open(":memory:")
    summaries = import_paths(m, [SAMPLES / "legacy-azure"])
    assert len(summaries) == 4 and all(s.new == 1 for s in summaries)
    assert {s.source.split("legacy-azure/")[1][:13] for s in summaries} == {"2026/11/03/14"}
    assert all(i["container"] == str(SAMPLES / "legacy-azure") for i in m.imports())
    stored = [json.loads(t) for t in search.search(m, "type:fp").logs]
    assert stored and all(e["type"] != "fp" and e["type_code"] == "fp" for e in stored)  # verbatim


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples as a user might hold them: some gzipped, all in one tree."""
    root = tmp_path_factory.mktemp("bundle") / "exports"
    shutil.copytree(SAMPLES, root)
    for path in list(root.glob("*.ndjson"))[:3]:
        path.with_name(path.name + ".gz").write_bytes(gzip.compress(path.read_bytes()))
        path.unlink()
    return root


def _expected(m: Mirror, bundle: Path) -> None:
    assert types(m) == TYPES
    assert m.stats().events == 4
    assert m.conn.execute("SELECT sum(rejected) FROM imports").fetchone()[0] == 0
    assert m.conn.execute("SELECT count(*) FROM imports").fetchone()[0] == len(list(p for p in bundle.rglob("*") if p.is_file()))


def test_a_tree_with_gzip_members(bundle: Path) -> None:
    m = Mirror.open(":memory:")
    import_paths(m, [bundle])
    _expected(m, bundle)


def test_a_zip_of_the_tree(bundle: Path, tmp_path: Path) -> None:
    archive = tmp_path / "exports.bin"  # recognised by content, not by name
    with zipfile.ZipFile(archive, "w") as z:
        for path in sorted(bundle.rglob("*")):
            if path.is_file():
                z.write(path, path.relative_to(bundle).as_posix())
    m = Mirror.open(":memory:")
    summaries = import_paths(m, [archive])
    _expected(m, bundle)
    assert all(s.source.startswith(f"{archive}!") for s in summaries)
    assert {i["container"] for i in m.imports()} == {str(archive)}


def test_a_tar_gz_of_the_tree(bundle: Path, tmp_path: Path) -> None:
    archive = tmp_path / "exports.tar.gz"
    with tarfile.open(archive, "w:gz") as t:
        t.add(bundle, arcname="exports")
    m = Mirror.open(":memory:")
    import_paths(m, [archive])
    _expected(m, bundle)


def test_shapes_on_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (SAMPLES / "log-stream-jsonlines.ndjson").read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(gzip.compress(data))))
    m = Mirror.open(":memory:")
    (summary,) = import_paths(m, ["-"])
    assert (summary.source, summary.new, summary.format) == ("<stdin>", 4, "ndjson (log_stream)")


def test_a_batch_with_one_bad_element_is_one_reject_and_the_rest_imports() -> None:
    good = json.loads((SAMPLES / "log-stream-jsonlines.ndjson").read_text().splitlines()[0])
    record = {"logs": [good, {"data": {"no": "id"}}]}
    data = (json.dumps(record) + "\n" + (SAMPLES / "log-stream-jsonlines.ndjson").read_text()).encode()
    m = Mirror.open(":memory:")
    s = import_stream(m, io.BytesIO(data), "batch.ndjson")
    assert (s.read, s.new, s.duplicate, s.rejected) == (6, 4, 1, 1)
    assert s.rejects[0].reason.startswith("not a log event")
