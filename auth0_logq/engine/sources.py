"""What the path arguments of an import hold: files, directory trees, zip and tar archives, stdin.

`expand` turns the paths a user gives into `Member`s, each a stream of bytes the importer reads as
one export (it detects JSON, NDJSON, pages and gzip itself). Archives are recognised by their content,
never by their names:

| what | recognised by | members |
|---|---|---|
| zip | starts with `PK\\x03\\x04` (or `PK\\x05\\x06`, an empty archive) | its files, sorted by name |
| tar | a valid ustar/GNU header: `ustar` at offset 257 and a correct checksum | its regular files, in archive order |
| gzip'd tar | gzip magic `\\x1f\\x8b`, and the first 512 decompressed bytes are such a header | as tar |
| directory | `os.path.isdir` | every file below it, walked recursively in sorted order, archives opened |
| `-` | the argument itself | standard input, one member named `<stdin>` |
| anything else | | the file itself (a plain `.gz` file stays one member: the importer gunzips it) |

Rules:

* Every path is checked before anything is yielded: a missing or unreadable path raises
  `SourceError` naming all of them, so a typo fails before an import starts. `-` may appear once.
* Hidden files and directories (a name starting with `.`) are skipped inside directories and
  archives, as are macOS `__MACOSX/` folders in zips; a hidden file named explicitly is read.
  Symbolic links are followed; a directory reached twice through links is walked once.
* Archives inside directories are opened; archives inside archives are not (they are yielded as
  plain members, and the importer reports what they are).
* Zip members are sorted by name, so a zip of a tree lists its files in the order the tree itself
  is walked; tar members keep the archive's order, because sorting a compressed tar would mean
  reading it twice.
* Nothing is read into memory whole. `Member.open()` returns a fresh binary stream each call: a file
  opened again, `ZipFile.open` on its own handle, a tar member through `TarFile.extractfile` (while
  `expand` is at that member, on the handle it iterates with; afterwards on a new handle, which for a
  gzip'd tar decompresses from the start). Standard input can be read once.
* A path that is not a regular file or directory (a pipe, `/dev/stdin`, process substitution) is one
  member, read as it comes: looking for archive magic would consume its first bytes.
* A broken archive raises `SourceError` when `expand` reaches it (the members before it have been
  yielded): the message names the archive and what is wrong.

Names, as reports show them: a file as given (`exports/day1.json`); a file found in a directory,
the directory as given joined with its relative path in `/` form (`exports/2024/01/01/00/x.json`); an
archive member `archive!member` (`logs.zip!a/b.json`, `exports/x.tar.gz!a.json`); `<stdin>`.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import sys
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO, cast

__all__ = ["STDIN_NAME", "Member", "SourceError", "expand"]

STDIN_NAME = "<stdin>"  # the name of the standard-input member
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_GZIP_MAGIC = b"\x1f\x8b"
_TAR_BLOCK = 512


class SourceError(Exception):
    """A path that cannot be read as import input: the message names the path and the reason."""


@dataclass(frozen=True)
class Member:
    """One importable stream of bytes and where it came from."""

    name: str  # as reports name it (module docstring)
    container: str | None  # the archive or directory it came from; None for a path given as is, or stdin
    size: int | None  # bytes the stream yields (a .gz member's compressed size), when known
    open: Callable[[], BinaryIO]  # a fresh binary stream of the member's bytes, gzip left as it is


def expand(paths: Sequence[str | Path]) -> Iterator[Member]:
    """Every importable member of the arguments, in the arguments' order and a stable order within each.

    A file is itself; a directory is walked recursively in sorted order, hidden entries skipped; a zip,
    tar or gzip'd tar (known by its magic bytes, never its name) gives its files, also when found in a
    directory; `-` is standard input. Every path is checked when `expand` is called, before anything
    is yielded: `SourceError` lists all that are missing or unreadable. Archives are opened lazily, as
    iteration reaches them, and their members are streamed, never loaded whole.
    """
    paths = list(paths)
    problems = []
    stdin_seen = False
    for path in paths:
        text = str(path)
        if text == "-":
            if stdin_seen:
                problems.append("'-' (standard input) is given more than once")
            stdin_seen = True
        elif not os.path.lexists(text):
            problems.append(f"no such file or directory: {text}")
        elif not os.path.exists(text):
            problems.append(f"broken symbolic link: {text}")
        elif not os.access(text, os.R_OK | (os.X_OK if os.path.isdir(text) else 0)):
            problems.append(f"permission denied: {text}")
    if problems:
        raise SourceError("; ".join(problems))
    return _members(paths)


def _members(paths: Sequence[str | Path]) -> Iterator[Member]:
    for path in paths:
        text = str(path)
        if text == "-":
            yield Member(STDIN_NAME, None, None, _stdin)
        elif os.path.isdir(text):
            yield from _walk(text)
        else:
            yield from _file(text, text, None)


def _stdin() -> BinaryIO:
    return sys.stdin.buffer


def _walk(top: str) -> Iterator[Member]:
    """The members of a directory tree, sorted by name at every level, hidden entries skipped."""
    seen: set[tuple[int, int]] = set()
    base = Path(top)

    def visit(directory: str, rel: tuple[str, ...]) -> Iterator[Member]:
        st = os.stat(directory)
        if (st.st_dev, st.st_ino) in seen:  # a link back up the tree, or to a directory already walked
            return
        seen.add((st.st_dev, st.st_ino))
        try:
            names = sorted(os.listdir(directory))
        except OSError as exc:
            raise SourceError(f"cannot list directory {directory}: {exc.strerror or exc}") from exc
        for entry in names:
            if entry.startswith("."):
                continue
            full = os.path.join(directory, entry)
            try:
                mode = os.stat(full).st_mode
            except OSError:
                continue  # a broken link inside a tree is not an export
            if stat.S_ISDIR(mode):
                yield from visit(full, (*rel, entry))
            elif stat.S_ISREG(mode):
                yield from _file(full, base.joinpath(*rel, entry).as_posix(), top)

    yield from visit(top, ())


def _file(path: str, name: str, container: str | None) -> Iterator[Member]:
    """A file: the members of the archive it is, or itself."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise SourceError(f"cannot read {name}: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(st.st_mode):
        yield Member(name, container, None, _opener(path))
        return
    kind = _archive_kind(path, name)
    if kind == "zip":
        yield from _zip_members(path, name)
    elif kind == "tar":
        yield from _tar_members(path, name)
    else:
        yield Member(name, container, st.st_size, _opener(path))


def _opener(path: str) -> Callable[[], BinaryIO]:
    def open_file() -> BinaryIO:
        return open(path, "rb")

    return open_file


def _archive_kind(path: str, name: str) -> str | None:
    """"zip", "tar" (plain or gzip'd) or None, from the first bytes of the file."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_TAR_BLOCK)
    except OSError as exc:
        raise SourceError(f"cannot read {name}: {exc.strerror or exc}") from exc
    if head[:4] in _ZIP_MAGIC:
        return "zip"
    if _is_tar_header(head):
        return "tar"
    if head[:2] == _GZIP_MAGIC:
        try:
            with gzip.open(path, "rb") as gz:
                block = gz.read(_TAR_BLOCK)
        except (OSError, EOFError, zlib.error):
            return None  # a damaged gzip is the importer's to report, with its position
        if _is_tar_header(block):
            return "tar"
    return None


def _is_tar_header(block: bytes) -> bool:
    """A ustar/GNU tar header: the magic at offset 257 and a checksum that adds up."""
    if len(block) < _TAR_BLOCK or block[257:262] != b"ustar":
        return False
    try:
        tarfile.TarInfo.frombuf(block[:_TAR_BLOCK], tarfile.ENCODING, "surrogateescape")
    except tarfile.HeaderError:
        return False
    return True


def _hidden(member_path: str) -> bool:
    parts = [p for p in member_path.split("/") if p]
    return any(p.startswith(".") for p in parts) or (bool(parts) and parts[0] == "__MACOSX")


# -- zip ----------------------------------------------------------------------------------------------


def _zip_members(path: str, name: str) -> Iterator[Member]:
    try:
        zf = zipfile.ZipFile(path)
        infos = sorted((i for i in zf.infolist() if not i.is_dir() and not _hidden(i.filename)), key=lambda i: i.filename)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SourceError(f"{name} is not a readable zip archive: {exc}") from exc
    # One open archive for the whole walk: opening it per member re-reads the central directory
    # each time, which made a zip of many small files quadratic.
    with zf:
        for info in infos:
            yield Member(f"{name}!{info.filename}", name, info.file_size, _zip_opener(zf, path, name, info))


def _zip_opener(zf: zipfile.ZipFile, path: str, name: str, info: zipfile.ZipInfo) -> Callable[[], BinaryIO]:
    def open_member() -> BinaryIO:
        archive = zf
        if zf.fp is None:  # the walk is over and closed it: open the archive again
            try:
                archive = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as exc:
                raise SourceError(f"{name} is not a readable zip archive: {exc}") from exc
        try:
            # The member stream keeps the archive's file open after a close (zipfile counts its users).
            stream = archive.open(info)
        except (RuntimeError, NotImplementedError, zipfile.BadZipFile) as exc:  # encrypted, unsupported method
            raise SourceError(f"cannot read {name}!{info.filename}: {exc}") from exc
        finally:
            if archive is not zf:
                archive.close()
        return _guarded(stream, f"{name}!{info.filename}")

    return open_member


# -- tar ----------------------------------------------------------------------------------------------


def _tar_members(path: str, name: str) -> Iterator[Member]:
    try:
        tf = tarfile.open(path, "r:*")
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise SourceError(f"{name} is not a readable tar archive: {exc}") from exc
    with tf:
        while True:
            try:
                info = tf.next()
            except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
                raise SourceError(f"{name} is not a readable tar archive: {exc}") from exc
            if info is None:
                return
            if info.isfile() and not _hidden(info.name):
                yield Member(f"{name}!{info.name}", name, info.size, _tar_opener(path, name, tf, info))


def _tar_opener(path: str, name: str, tf: tarfile.TarFile, info: tarfile.TarInfo) -> Callable[[], BinaryIO]:
    def open_member() -> BinaryIO:
        if not tf.closed:  # type: ignore[attr-defined]  # set by TarFile.__init__, missing from typeshed
            # Reads seek before every block, so this stream and the iteration share the handle safely.
            return _guarded(_extract(tf, info, name), f"{name}!{info.name}")
        try:
            own = tarfile.open(path, "r:*")
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            raise SourceError(f"{name} is not a readable tar archive: {exc}") from exc
        return _guarded(_extract(own, info, name), f"{name}!{info.name}", own)

    return open_member


def _extract(tf: tarfile.TarFile, info: tarfile.TarInfo, name: str) -> IO[bytes]:
    stream = tf.extractfile(info)
    if stream is None:  # only for non-files, which are never yielded
        raise SourceError(f"{name}!{info.name} is not a regular file")
    return stream


_ARCHIVE_ERRORS = (EOFError, zlib.error, tarfile.TarError, zipfile.BadZipFile, OSError)


def _guarded(stream: IO[bytes], name: str, owner: tarfile.TarFile | None = None) -> BinaryIO:
    return cast(BinaryIO, io.BufferedReader(_MemberReader(stream, name, owner)))


class _MemberReader(io.RawIOBase):
    """An archive member's stream: damage inside the archive (a truncated gzip, a bad CRC) is raised
    as `SourceError` naming the member; closing it closes the archive handle it owns, if any."""

    def __init__(self, stream: IO[bytes], name: str, owner: tarfile.TarFile | None):
        super().__init__()
        self._stream = stream
        self._name = name
        self._owner = owner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self._stream.read(len(buffer))
        except _ARCHIVE_ERRORS as exc:
            raise SourceError(f"cannot read {self._name}: the archive is damaged ({exc})") from exc
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            try:
                self._stream.close()
            finally:
                if self._owner is not None:
                    self._owner.close()
        super().close()
