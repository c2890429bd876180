"""Reading files without trusting them: regular files only, bounded in bytes read.

Every reader of user files (stakeholder files, source texts, imported CSV and zip members)
goes through this module, so that a hostile path can neither hang the program nor exhaust
its memory:

- Only regular files are read. A FIFO would block forever and ``/dev/zero`` never ends; the
  file is opened without blocking and checked with ``fstat`` on the open descriptor, so a
  path swapped between a check and the open cannot slip through.
- The limit is counted in the bytes actually read, never taken from the size the file
  claims (``/proc`` files claim 0 bytes; a file can grow while it is read).
- A zip member is refused by its declared size before it is opened, and its inflated bytes
  are counted too, since the declared size can lie.
- A ``text:`` path of a source must stay inside the map's folder or the source-text folder:
  no absolute path, no ``..`` leaving it, no symbolic link pointing out of it.

Refusals raise ``ReadRefused``, which carries the path and a plain reason; the caller turns
it into a positioned ``Problem`` (``ReadRefused.problem()`` gives the file-level one).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO

from explorer.errors import ExplorerError, Problem

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_BYTES_ENV",
    "ReadRefused",
    "max_bytes",
    "parse_size",
    "read_bounded",
    "read_stream_bounded",
    "read_zip_member",
    "source_text_path",
    "too_big_reason",
]

#: Largest file read by default: 256 MiB (the 20,000-actor benchmark file is about 60 MB).
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
#: The environment variable that changes the limit (``10MB``, ``512KiB`` or a number of bytes).
MAX_BYTES_ENV = "STAKEHOLDER_EXPLORER_MAX_BYTES"

_CHUNK = 1024 * 1024
_UNITS = {
    "": 1,
    "b": 1,
    "k": 1000,
    "kb": 1000,
    "m": 1000**2,
    "mb": 1000**2,
    "g": 1000**3,
    "gb": 1000**3,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
}
_SIZE = re.compile(r"^\s*(\d{1,15})(?:\.(\d{1,6}))?\s*([a-zA-Z]{0,3})\s*$")


class ReadRefused(ExplorerError):
    """A file that was not read: not a regular file, too big, outside its folder, missing."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    def problem(self, where: str = "file") -> Problem:
        """The refusal as a problem at the start of the file."""
        return Problem(self.path, 1, 1, where, self.reason)


def max_bytes(given: int | None = None) -> int:
    """The read limit: ``given``, else ``$STAKEHOLDER_EXPLORER_MAX_BYTES``, else 256 MiB.

    The variable takes a number of bytes or a size with a unit (``10MB``, ``512KiB``);
    anything else raises ``ReadRefused`` naming the variable.

    >>> max_bytes(1000)
    1000
    """
    if given is not None:
        return given
    text = os.environ.get(MAX_BYTES_ENV)
    if text is None or not text.strip():
        return DEFAULT_MAX_BYTES
    return parse_size(text, MAX_BYTES_ENV)


def parse_size(text: str, variable: str) -> int:
    """A size in bytes from ``text`` (``10000000``, ``10MB``, ``512KiB``, ``1.5GB``).

    Anything else, or less than one byte, raises ``ReadRefused`` naming ``variable``.

    >>> parse_size("512KiB", "SIZE")
    524288
    """
    match = _SIZE.match(text)
    unit = match[3].casefold() if match else ""
    if not match or unit not in _UNITS:
        raise ReadRefused(
            variable,
            f"{variable} is {text[:40]!r}; expected a size such as 10000000, 10MB or 512KiB",
        )
    whole, fraction = int(match[1]), match[2] or ""
    size = whole * _UNITS[unit] + int(fraction or 0) * _UNITS[unit] // 10 ** len(fraction)
    if size < 1:
        raise ReadRefused(variable, f"{variable} must be at least 1 byte, got {text!r}")
    return int(size)


def too_big_reason(size_text: str, limit: int) -> str:
    """The words for a file over the limit."""
    return (
        f"file is {size_text} bytes, over the limit of {limit:,} bytes "
        f"(set {MAX_BYTES_ENV} to raise it)"
    )


def read_stream_bounded(handle: BinaryIO, name: str, limit: int) -> bytes:
    """Read ``handle`` to its end, refusing it once more than ``limit`` bytes have come."""
    parts: list[bytes] = []
    total = 0
    while True:
        part = handle.read(min(_CHUNK, limit + 1 - total))
        if not part:
            return b"".join(parts)
        total += len(part)
        if total > limit:
            raise ReadRefused(name, too_big_reason(f"more than {limit:,}", limit))
        parts.append(part)


def read_bounded(
    path: str | os.PathLike[str], *, limit: int | None = None, follow_links: bool = True
) -> bytes:
    """Return the bytes of the regular file ``path``; raise ``ReadRefused`` otherwise.

    Refused: anything that is not a regular file (folders, FIFOs, devices, sockets), a file
    that cannot be opened, and a file over ``limit`` bytes (default ``max_bytes()``),
    counted while reading. Without ``follow_links``, a symbolic link (as the last part of
    the path) is refused too: the program's own records are never read through one.
    """
    name = os.fspath(path)
    bound = max_bytes(limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
        fd = os.open(name, flags)
    except OSError as exc:
        raise ReadRefused(name, _os_reason(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ReadRefused(name, f"cannot read: {_kind(info.st_mode)}, not a regular file")
        if info.st_size > bound:
            # A quick refusal with the true size; smaller claims are still counted below.
            raise ReadRefused(name, too_big_reason(f"{info.st_size:,}", bound))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return read_stream_bounded(handle, name, bound)
    except OSError as exc:
        raise ReadRefused(name, _os_reason(exc)) from None
    finally:
        os.close(fd)


def read_zip_member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, *, limit: int | None = None
) -> bytes:
    """Return one zip member's bytes, refused before reading if it says it is too big.

    The inflated bytes are counted as well, so a member whose header lies stops at the limit.
    """
    bound = max_bytes(limit)
    shown = f"{archive.filename or '<zip>'}/{member.filename}"
    if member.file_size > bound:
        raise ReadRefused(shown, too_big_reason(f"{member.file_size:,}", bound))
    try:
        with archive.open(member) as handle:
            return read_stream_bounded(handle, shown, bound)  # type: ignore[arg-type]
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ReadRefused(shown, f"cannot read this zip member: {exc}") from None


def source_text_path(text: str, roots: Iterable[str | os.PathLike[str] | None]) -> Path:
    """Resolve a source's ``text:`` path inside one of ``roots``; raise ``ReadRefused``.

    ``roots`` are the map's folder and the source-text folder (``None`` entries are skipped).
    The path must be relative, may not climb out with ``..``, and once symbolic links are
    followed must still lie inside the root it was found in. The first root holding the
    file wins. The reason of a refusal names no file outside the roots.
    """
    folders = [Path(r) for r in roots if r is not None]
    if not text.strip():
        raise ReadRefused(text, "the text path is empty")
    if "\x00" in text:
        raise ReadRefused(text, "the text path holds a NUL character")
    if (
        PurePosixPath(text).is_absolute()
        or PureWindowsPath(text).is_absolute()
        or PureWindowsPath(text).drive
        or text.startswith("~")
    ):
        raise ReadRefused(
            text, "absolute paths are not allowed; give a path relative to the map's folder"
        )
    parts = PurePosixPath(text.replace("\\", "/")).parts
    if ".." in parts:
        raise ReadRefused(
            text, "'..' is not allowed in a text path; keep source texts beside the map"
        )
    if not folders:
        raise ReadRefused(text, "no folder to look for source texts in")
    outside = False
    for folder in folders:
        root = folder.resolve()
        candidate = folder.joinpath(*parts)
        if not os.path.lexists(candidate):
            continue
        real = candidate.resolve()
        if not real.is_relative_to(root):
            outside = True
            continue
        return real
    if outside:
        raise ReadRefused(text, "the path leads out of the map's folder through a symbolic link")
    where = " or ".join(str(f) for f in folders)
    raise ReadRefused(text, f"no such file in {where}")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno == errno.EISDIR:
        return "cannot read: a folder, not a regular file"
    if exc.errno == errno.ELOOP:
        return "cannot read: a symbolic link where none is followed (or a loop of them)"
    return f"cannot read: {exc.strerror or exc}"
