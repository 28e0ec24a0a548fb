"""One run at a time per folder: `scrape clean` on the dataset folder, `scrape collect` on
work_dir.

Two runs at once corrupt each other: both number their version v1.0.0 and one is lost (or
names a shard the other's garbage collection removed); one collector's recovery closes
the other's live WARC file. So the second run waits for the first, saying so, or with
`--no-wait` refuses (LockedError, exit status 75).

The lock is `filelock`'s FileLock, flock(2) on a file beside the folder (`.dataset.lock`
next to `dataset/`): the kernel drops it when its holder dies, even by `kill -9`, so a
stale lock never blocks a later run; and the folder's own bytes stay exactly what the run
wrote (the dataset folder is published and compared byte for byte).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from .errors import LockedError, storage_errors

__all__ = ["OnWait", "folder_lock", "lock_path"]

OnWait = Callable[[str], None]  # told once, with a one-line message, before waiting


def lock_path(folder: Path) -> Path:
    """The lock file of `folder`: `.NAME.lock` beside it (its real path, so two spellings
    of one folder share a lock)."""
    folder = folder.resolve()
    return folder.with_name(f".{folder.name.lstrip('.')}.lock")


@contextmanager
def folder_lock(
    folder: Path, command: str, *, wait: bool = True, on_wait: OnWait | None = None
) -> Iterator[None]:
    """Hold `folder`'s lock for the block; `command` (`clean`, `collect`) names the run
    that holds it in messages. Waits for another holder unless `wait` is false."""
    path = lock_path(folder)
    lock = FileLock(path)
    with storage_errors(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            lock.acquire(blocking=False)
        except Timeout:
            busy = f"{folder}: another `scrape {command}` is running on it"
            if not wait:
                raise LockedError(f"{busy}; not waiting (--no-wait)") from None
            if on_wait:
                on_wait(f"{busy}; waiting for it to finish (--no-wait refuses instead)")
            lock.acquire()
    try:
        yield
    finally:
        lock.release()
