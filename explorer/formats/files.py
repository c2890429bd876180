"""Files written whole or not at all, never over an input; files read within a size limit.

Every export and import goes through here: ``write_atomic`` and ``write_folder_atomic`` for
what they write, ``read_input`` and ``read_member`` for what they read.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from explorer import reading
from explorer.errors import DataErrors, ExportError, Problem
from explorer.reading import ReadRefused

__all__ = [
    "read_input",
    "read_member",
    "refuse_inputs",
    "write_atomic",
    "write_folder_atomic",
]


def max_bytes() -> int:
    """The largest input read, in bytes (``STAKEHOLDER_EXPLORER_MAX_BYTES`` changes it)."""
    try:
        return reading.max_bytes()
    except ReadRefused as exc:
        raise DataErrors([exc.problem()]) from None


def read_input(path: str | os.PathLike[str], *, limit: int | None = None) -> bytes:
    """The bytes of a regular file, counted as read: no device, FIFO or file over ``limit``."""
    try:
        return reading.read_bounded(path, limit=limit if limit is not None else max_bytes())
    except ReadRefused as exc:
        raise DataErrors([exc.problem()]) from None


def read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, *, budget: list[int]
) -> bytes:
    """A zip member's bytes, bounded before reading; all members stay within ``budget[0]``."""
    try:
        data = reading.read_zip_member(archive, info, limit=budget[0])
    except ReadRefused as exc:
        raise DataErrors([Problem(shown, 1, 1, "file", exc.reason)]) from None
    budget[0] -= len(data)
    return data


def _refuse_existing(path: Path) -> ExportError:
    return ExportError(f"{path} already exists; add --force to replace it")


Protected = Iterable["str | os.PathLike[str]"]


def refuse_inputs(target: str | os.PathLike[str], protect: Protected) -> None:
    """Raise ``ExportError`` if writing ``target`` would replace one of the input files.

    No export, import or merge replaces a file it reads, not even with ``--force``: only
    the editing commands change a stakeholder file in place.
    """
    path = Path(target)
    if not path.exists():
        return
    for source in protect:
        try:
            same = os.path.samefile(path, source)
        except OSError:
            same = False
        if same:
            raise ExportError(
                f"{path} is the input {source}; no export or import replaces a file it "
                "reads, even with --force: choose another output name"
            )


def write_atomic(
    path: str | os.PathLike[str],
    data: bytes | Iterable[bytes],
    *,
    force: bool = False,
    protect: Protected = (),
) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A failure at any point (even half way through ``data``, which may be an iterable of
    chunks) leaves an existing file as it was and no temporary file behind. An existing
    file is replaced only with ``force``, and never when it is one of ``protect`` (the
    files the command reads).
    """
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"{target} is a folder; give a file name")
    refuse_inputs(target, protect)
    if target.exists() and not force:
        raise _refuse_existing(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in [data] if isinstance(data, (bytes, bytearray)) else data:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        if force:
            os.replace(temp, target)
        else:
            # link() fails if the name exists, so a file that appeared meanwhile is kept.
            try:
                os.link(temp, target)
            except FileExistsError:
                raise _refuse_existing(target) from None
            except OSError:
                if target.exists():
                    raise _refuse_existing(target) from None
                os.replace(temp, target)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    return target


def write_folder_atomic(
    path: str | os.PathLike[str],
    files: Mapping[str, bytes],
    *,
    force: bool = False,
    protect: Protected = (),
) -> Path:
    """Write ``files`` into the folder ``path``; never touch a file the export does not write.

    A new folder is built beside ``path`` and renamed into place, so it appears whole or not
    at all. Into an existing folder (only with ``force``) each of ``files`` is written
    atomically over its old copy; every other file in the folder stays as it was, and a
    file of ``protect`` (an input of the command) is never replaced.
    """
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target} exists and is not a folder")
    if target.exists():
        if not force:
            raise _refuse_existing(target)
        for name in files:
            refuse_inputs(target / name, protect)
        _replace_in_folder(target, files)
        return target
    folder = target.parent if str(target.parent) else Path(".")
    try:
        temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=folder))
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror}") from None
    try:
        for name, data in files.items():
            (temp / name).write_bytes(data)
        os.chmod(temp, 0o755)
        # rename() onto an empty folder that appeared meanwhile would succeed; a
        # non-empty one makes it fail, and then nothing is lost either.
        os.rename(temp, target)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        if temp.exists():
            shutil.rmtree(temp, ignore_errors=True)
    return target


def _replace_in_folder(target: Path, files: Mapping[str, bytes]) -> None:
    """Write every file to a temporary name in ``target`` first, then rename each into place.

    A failure while writing (a full disk) leaves every old file as it was and no temporary
    file behind; only the renames, which do not fail for want of space, change the folder.
    """
    staged: dict[str, Path] = {}
    try:
        for name, data in files.items():
            handle, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=target)
            os.close(handle)
            staged[name] = Path(temp)
            staged[name].write_bytes(data)
            os.chmod(temp, 0o644)
        for name, staged_path in staged.items():
            os.replace(staged_path, target / name)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        for staged_path in staged.values():
            if staged_path.exists():
                staged_path.unlink()


def refuse_dtd(data: bytes, path: str) -> None:
    """Refuse XML with a document type declaration: no DTD, no entity is ever expanded."""
    for marker in (b"<!DOCTYPE", b"<!ENTITY"):
        at = data.find(marker)
        if at >= 0:
            line = data[:at].count(b"\n") + 1
            raise DataErrors(
                [Problem(path, line, 1, "file", "XML with a DTD or entities; refused unread")]
            )


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold: characters it forbids become U+FFFD (documented as lost)."""
    return _XML_BAD.sub("\ufffd", text)
