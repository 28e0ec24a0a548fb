"""One exception tree for everything a user can get wrong or an archive can do to us.

    ScraperError
    ├── ConfigError          config.yaml is unreadable, has an unknown key or a bad value
    ├── RuleError            a rule file is invalid (bad regex, unsorted dates, unknown extends)
    ├── InputError           one input document cannot be used (empty, binary, not UTF-8)
    │   └── NoTextError      it parsed, but holds no main text (a filter reason, not a failure)
    ├── DatasetError         the dataset folder is inconsistent or a version is unknown
    ├── FetchError           a capture could not be fetched
    │   ├── RetryableFetchError   worth another try (connection reset, 429, 5xx)
    │   └── PermanentFetchError   never worth another try (404, refused address)
    └── Skip                 the archive holds nothing worth keeping for a capture

Every message names the file, url or key it is about, on one line, so the CLI can print
it without a traceback.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "DatasetError",
    "FetchError",
    "InputError",
    "NoTextError",
    "PermanentFetchError",
    "RetryableFetchError",
    "RuleError",
    "ScraperError",
    "Skip",
]


class ScraperError(Exception):
    """Base of every error this package raises on purpose."""


class ConfigError(ScraperError):
    """config.yaml (or a file it names) cannot be used as written."""


class RuleError(ConfigError):
    """A rule file is invalid; the message names the file, version and key."""


class InputError(ScraperError):
    """One input document cannot be cleaned; the run skips it and records why."""


class NoTextError(InputError):
    """The page parsed, but no main text was found in it: counted as dropped, not failed."""


class DatasetError(ScraperError):
    """The dataset folder cannot be read or written as asked."""


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
