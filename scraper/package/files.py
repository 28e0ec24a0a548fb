"""Atomic file writes: a crash leaves the old file or the new one, never half of either."""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path

from ..errors import storage_errors

__all__ = ["TMP_MARK", "atomic_write", "check_writable", "is_leftover"]

TMP_MARK = ".tmp-"  # in the name of every temporary file written here; see `is_leftover`


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename over `path`.

    On any failure the temporary file is removed at once (on a full disk it holds the
    space the user needs back), and a full or read-only disk is one line naming `path`.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    tmp = path.with_name(f".{path.name}{TMP_MARK}{os.getpid()}")
    with storage_errors(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            _write_synced(tmp, data)
            os.replace(tmp, path)
        except BaseException:
            with suppress(OSError):
                tmp.unlink(missing_ok=True)
            raise


def check_writable(folder: Path) -> None:
    """Write, sync and remove a small file in `folder` (created if missing), so a full or
    read-only disk stops a run before its work rather than after it. Actually writing
    tells what permission bits do not: root ignores them, a read-only mount does not."""
    probe = folder / f".write-check{TMP_MARK}{os.getpid()}"
    with storage_errors(folder):
        folder.mkdir(parents=True, exist_ok=True)
        try:
            _write_synced(probe, b"\0")
        finally:
            with suppress(OSError):
                probe.unlink(missing_ok=True)


def is_leftover(path: Path) -> bool:
    """A temporary file of this module: left only by a run killed while writing it."""
    return TMP_MARK in path.name
