"""One exception tree for everything a user can get wrong or an archive can do to us.

    ScraperError
    ├── ConfigError          config.yaml is unreadable, has an unknown key or a bad value
    │   └── RuleError        a rule file is invalid (bad regex, unsorted dates, unknown extends)
    ├── UsageError           a command's argument cannot be used (a file to explain is empty)
    ├── InputError           one input document cannot be used (empty, binary, not UTF-8)
    │   └── NoTextError      it parsed, but holds no main text (a filter reason, not a failure)
    ├── DatasetError         the dataset folder is inconsistent or a version is unknown
    ├── PublishError         publishing stopped (says what was and was not published)
    ├── StorageError         a file cannot be written: disk full, read-only, not permitted
    ├── LockedError          another run holds the folder (with --no-wait)
    ├── ClusterError         the Dask scheduler cannot be reached
    ├── PartlyFailed         a run finished, but some of its items failed (its summary lists them)
    ├── FetchError           a capture could not be fetched
    │   ├── RetryableFetchError   worth another try (connection reset, 429, 5xx)
    │   └── PermanentFetchError   never worth another try (404, refused address)
    └── Skip                 the archive holds nothing worth keeping for a capture

Every message names the file, url or key it is about, on one line, so the CLI can print
it without a traceback; each class carries the exit status `scrape` leaves with (`Exit`).
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path

__all__ = [
    "ClusterError",
    "ConfigError",
    "DatasetError",
    "Exit",
    "FetchError",
    "InputError",
    "NoTextError",
    "LockedError",
    "PartlyFailed",
    "PermanentFetchError",
    "PublishError",
    "RetryableFetchError",
    "RuleError",
    "ScraperError",
    "Skip",
    "StorageError",
    "UsageError",
    "storage_errors",
]


class Exit(IntEnum):
    """How `scrape` ends, for scripts: the same meaning for every command."""

    OK = 0  # all done
    FAILED = 1  # finished with failures (listed), or stopped by one; a rerun may fix it
    USAGE = 2  # a bad option, argument, config or rule file: nothing was done
    BUSY = 75  # EX_TEMPFAIL: another run holds the folder and --no-wait was given
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it


class ScraperError(Exception):
    """Base of every error this package raises on purpose."""

    exit_code: Exit = Exit.FAILED


class ConfigError(ScraperError):
    """config.yaml (or a file it names) cannot be used as written."""

    exit_code = Exit.USAGE


class RuleError(ConfigError):
    """A rule file is invalid; the message names the file, version and key."""


class UsageError(ScraperError):
    """A command's argument or option cannot be used as given; nothing was done."""

    exit_code = Exit.USAGE


class InputError(ScraperError):
    """One input document cannot be cleaned; the run skips it and records why."""


class NoTextError(InputError):
    """The page parsed, but no main text was found in it: counted as dropped, not failed."""


class PublishError(ScraperError):
    """Publishing stopped; the message says what was and was not published."""


class DatasetError(ScraperError):
    """The dataset folder cannot be read or written as asked."""


class StorageError(ScraperError):
    """A file or folder cannot be written (disk full, read-only, not permitted); the
    message names it, so the user knows what to free or fix before running again."""


class LockedError(ScraperError):
    """Another run holds the folder and the caller asked not to wait (`--no-wait`)."""

    exit_code = Exit.BUSY  # nothing is wrong, try again later


class PartlyFailed(ScraperError):
    """A run finished, but some fetches or inputs failed (its summary lists them); the
    message says how many and what a rerun does about them."""


class ClusterError(ScraperError):
    """The Dask scheduler given cannot be reached (or started); a rerun may find it up."""


# Errors a user fixes outside the program: free space, remount, change permissions.
_STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})


@contextmanager
def storage_errors(path: Path) -> Iterator[None]:
    """Turn a full, read-only or forbidden disk under the block into one line naming `path`
    (the file the user knows, not a temporary beside it); any other OSError is a bug and
    keeps its traceback."""
    try:
        yield
    except OSError as e:
        if e.errno not in _STORAGE_ERRNOS:
            raise
        raise StorageError(f"{path}: {e.strerror}") from None


class FetchError(ScraperError):
    """A capture could not be fetched."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.attempts = 1  # set by the fetcher to the attempts it made


class RetryableFetchError(FetchError):
    """A failure that another attempt may cure."""


class PermanentFetchError(FetchError):
    """A failure that no further attempt will cure."""


class Skip(ScraperError):
    """The archive holds nothing worth keeping for this capture (an error page, nothing).

    `reason` is the short cause shown in the summary; `detail` goes to the run state."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason} ({detail})" if detail else reason)
        self.reason = reason
