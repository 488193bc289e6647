"""What path arguments hold: files, trees, zip and tar archives found by content, stdin, errors."""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import zipfile
from pathlib import Path
from typing import Callable, Literal

import pytest

from auth0_logq.engine.sources import Member, SourceError, expand

from .conftest import DATA

EVENT = b'{"log_id":"90020261103140516095187000000000000001223372160000004112","type":"s"}\n'
GZ = gzip.compress(EVENT, mtime=0)


def read(member: Member) -> bytes:
    with member.open() as stream:
        return stream.read()


def listing(paths: list[str | Path]) -> list[tuple[str, str | None, int | None, bytes]]:
    return [(m.name, m.container, m.size, read(m)) for m in expand(paths)]


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """exports/ with nested dirs, hidden entries and a gzip'd file; the test runs in tmp_path."""
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "exports"
    for rel, data in {
        "2026/11/03/14/b.json": b"[]",
        "2026/11/03/14/a.json": EVENT,
        "2026/11/03/09/z.json": EVENT,
        "top.ndjson": EVENT * 2,
        "day.ndjson.gz": GZ,
        ".hidden.json": EVENT,
        ".git/config": b"[core]",
        "2026/.cache/x.json": EVENT,
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


def test_plain_file_is_itself(tree: Path) -> None:
    assert listing(["exports/top.ndjson"]) == [("exports/top.ndjson", None, len(EVENT) * 2, EVENT * 2)]


def test_gzip_file_stays_compressed(tree: Path) -> None:
    [member] = expand(["exports/day.ndjson.gz"])
    assert read(member) == GZ and member.size == len(GZ)


def test_directory_walked_sorted_hidden_skipped(tree: Path) -> None:
    names = [m.name for m in expand(["exports/"])]
    assert names == [
        "exports/2026/11/03/09/z.json",
        "exports/2026/11/03/14/a.json",
        "exports/2026/11/03/14/b.json",
        "exports/day.ndjson.gz",
        "exports/top.ndjson",
    ]
    assert {m.container for m in expand(["exports"])} == {"exports"}


def test_hidden_file_named_explicitly_is_read(tree: Path) -> None:
    assert [m.name for m in expand(["exports/.hidden.json"])] == ["exports/.hidden.json"]


def test_order_follows_the_arguments(tree: Path) -> None:
    names = [m.name for m in expand(["exports/top.ndjson", "exports/2026/11/03/09", "exports/top.ndjson"])]
    assert names == ["exports/top.ndjson", "exports/2026/11/03/09/z.json", "exports/top.ndjson"]


def test_symlink_loop_is_walked_once(tree: Path) -> None:
    os.symlink("..", tree / "2026" / "11" / "up")  # back to 2026, being walked
    os.symlink(".", tree / "2026" / "11" / "03" / "here")
    names = [m.name for m in expand(["exports/2026"])]
    assert names == ["exports/2026/11/03/09/z.json", "exports/2026/11/03/14/a.json", "exports/2026/11/03/14/b.json"]


def _zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def _tar(path: Path, members: dict[str, bytes], mode: Literal["w", "w:gz"] = "w") -> None:
    with tarfile.open(path, mode) as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        folder = tarfile.TarInfo("logs/sub")
        folder.type = tarfile.DIRTYPE
        tf.addfile(folder)


MEMBERS = {"logs/b.json": b"[]", "logs/a.json": EVENT, "logs/.DS_Store": b"\0", "x.ndjson.gz": GZ}


def test_zip_members_sorted_hidden_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _zip(tmp_path / "logs.zip", {**MEMBERS, "__MACOSX/logs/._a.json": b"\0", "logs/empty/": b""})
    assert listing(["logs.zip"]) == [
        ("logs.zip!logs/a.json", "logs.zip", len(EVENT), EVENT),
        ("logs.zip!logs/b.json", "logs.zip", 2, b"[]"),
        ("logs.zip!x.ndjson.gz", "logs.zip", len(GZ), GZ),
    ]


@pytest.mark.parametrize("mode", ["w", "w:gz"])
def test_tar_members_in_archive_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: Literal["w", "w:gz"]) -> None:
    monkeypatch.chdir(tmp_path)
    _tar(tmp_path / "logs.tar", MEMBERS, mode)
    assert listing(["logs.tar"]) == [
        ("logs.tar!logs/b.json", "logs.tar", 2, b"[]"),
        ("logs.tar!logs/a.json", "logs.tar", len(EVENT), EVENT),
        ("logs.tar!x.ndjson.gz", "logs.tar", len(GZ), GZ),
    ]


@pytest.mark.parametrize(
    "make,name",
    [
        (lambda p: _zip(p, MEMBERS), "export.json"),  # a zip named like JSON
        (lambda p: _tar(p, MEMBERS), "export.zip"),  # a tar named like a zip
        (lambda p: _tar(p, MEMBERS, "w:gz"), "export.ndjson.gz"),  # a tar.gz named like gzip'd NDJSON
        (lambda p: _tar(p, MEMBERS, "w:gz"), "export"),
    ],
)
def test_archives_are_found_by_content_not_name(tmp_path: Path, make: Callable[[Path], None], name: str) -> None:
    path = tmp_path / name
    make(path)
    members = list(expand([path]))
    assert sorted(m.name.split("!", 1)[1] for m in members) == ["logs/a.json", "logs/b.json", "x.ndjson.gz"]
    assert all(m.container == str(path) for m in members)


@pytest.mark.parametrize("name", ["data.zip", "data.tar", "data.tar.gz", "data.tgz"])
def test_files_named_like_archives_are_files(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(EVENT)
    assert [(m.container, read(m)) for m in expand([tmp_path / name])] == [(None, EVENT)]


def test_plain_gzip_is_not_a_tar(tmp_path: Path) -> None:
    (tmp_path / "x.tar.gz").write_bytes(gzip.compress(EVENT * 40))
    assert [read(m) for m in expand([tmp_path / "x.tar.gz"])] == [gzip.compress(EVENT * 40)]


def test_json_with_ustar_at_257_is_not_a_tar(tmp_path: Path) -> None:
    text = b'{"user_name":"' + b"c" * 242 + b'custard"}' + b" " * 300  # "ustar" at offset 257, no tar checksum
    assert text[257:262] == b"ustar"
    (tmp_path / "x.json").write_bytes(text)
    assert [read(m) for m in expand([tmp_path / "x.json"])] == [text]


def test_archives_inside_directories_are_opened_not_nested_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d" / "sub").mkdir(parents=True)
    inner = tmp_path / "inner.zip"
    _zip(inner, {"a.json": EVENT})
    _tar(tmp_path / "d" / "sub" / "logs.tgz", {"nested.zip": inner.read_bytes(), "a.json": EVENT}, "w:gz")
    (tmp_path / "d" / "plain.json").write_bytes(EVENT)
    assert [(m.name, m.container) for m in expand(["d"])] == [
        ("d/plain.json", "d"),
        ("d/sub/logs.tgz!nested.zip", "d/sub/logs.tgz"),
        ("d/sub/logs.tgz!a.json", "d/sub/logs.tgz"),
    ]


def test_member_streams_are_fresh_and_usable_after_iteration(tmp_path: Path) -> None:
    modes: tuple[tuple[Literal["w", "w:gz"], str], ...] = (("w", "a.tar"), ("w:gz", "a.tgz"))
    for mode, name in modes:
        _tar(tmp_path / name, MEMBERS, mode)
        members = list(expand([tmp_path / name]))  # the iteration is over, the handle closed
        assert [read(m) for m in members] == [read(m) for m in members] == [b"[]", EVENT, GZ]
    _zip(tmp_path / "a.zip", MEMBERS)
    member = next(iter(expand([tmp_path / "a.zip"])))
    with member.open() as one, member.open() as two:
        assert one.read(3) == two.read(3) == EVENT[:3]


def test_tar_member_read_while_iterating(tmp_path: Path) -> None:
    _tar(tmp_path / "a.tgz", {f"{n}.json": EVENT.replace(b"4112", f"{n:04d}".encode()) for n in range(50)}, "w:gz")
    seen = []
    for member in expand([tmp_path / "a.tgz"]):
        stream = member.open()
        seen.append(stream.read(10) + stream.read())
    assert seen == [EVENT.replace(b"4112", f"{n:04d}".encode()) for n in range(50)]


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO(EVENT)

    monkeypatch.setattr("sys.stdin", FakeStdin())
    [member] = expand(["-"])
    assert (member.name, member.container, member.size) == ("<stdin>", None, None)
    assert member.open().read() == EVENT


def test_stdin_only_once() -> None:
    with pytest.raises(SourceError, match="standard input"):
        expand(["-", "-"])


def test_missing_paths_fail_before_anything_is_yielded(tree: Path) -> None:
    with pytest.raises(SourceError) as err:
        expand(["exports/top.ndjson", "exprots", "exports/nope.json"])
    assert str(err.value) == "no such file or directory: exprots; no such file or directory: exports/nope.json"


def test_broken_link_is_reported(tmp_path: Path) -> None:
    os.symlink(tmp_path / "gone.json", tmp_path / "link.json")
    with pytest.raises(SourceError, match="broken symbolic link"):
        expand([tmp_path / "link.json"])


def test_broken_archives_name_themselves(tmp_path: Path) -> None:
    good = tmp_path / "a.zip"
    _zip(good, MEMBERS)
    (tmp_path / "cut.zip").write_bytes(good.read_bytes()[:60])  # local header, no central directory
    with pytest.raises(SourceError, match=r"cut\.zip is not a readable zip archive"):
        list(expand([tmp_path / "cut.zip"]))
    _tar(tmp_path / "a.tgz", MEMBERS, "w:gz")
    (tmp_path / "cut.tgz").write_bytes((tmp_path / "a.tgz").read_bytes()[:-40])
    with pytest.raises(SourceError, match=r"cut\.tgz is not a readable tar archive"):
        [read(m) for m in expand([tmp_path / "cut.tgz"])]


def test_a_pipe_is_read_as_it_comes(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    [member] = expand([fifo])
    assert (member.name, member.size) == (str(fifo), None)  # not opened, so nothing blocks


def test_the_samples_directory_lists_every_sample() -> None:
    names = [m.name for m in expand([DATA / "formats"])]
    assert names == sorted(names) and len(names) == len({*names})
    assert sum("/legacy-azure/2026/11/03/14/" in n for n in names) == 4


def test_damage_inside_a_member_names_the_member(tmp_path: Path) -> None:
    big = os.urandom(1 << 16).hex().encode()  # does not compress away: the cut falls inside it
    _tar(tmp_path / "a.tgz", {"big.json": big}, "w:gz")
    data = (tmp_path / "a.tgz").read_bytes()
    (tmp_path / "cut.tgz").write_bytes(data[: len(data) // 2])
    member = next(iter(expand([tmp_path / "cut.tgz"])))  # read while the iteration is at it
    with pytest.raises(SourceError, match=r"cannot read .*cut\.tgz!big\.json: the archive is damaged"):
        read(member)
