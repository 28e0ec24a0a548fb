"""What a url and a CDX filter must look like, checked the same way wherever one comes from.

config.yaml is checked when it is loaded, so a typo is one line naming the file, line and
key before anything is fetched; a url an archive or a urls file hands over at collect
time is checked before it is asked for, so one bad item fails alone, with its reason,
instead of a traceback that stops the run (and stops it again on every rerun).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from .errors import PermanentFetchError

__all__ = ["cdx_filter", "check_url", "joined_url", "url_pattern_problem", "url_problem"]

_SCHEMES = ("http", "https")


def _parts_problem(url: str) -> str | None:
    """Why urlsplit cannot take `url` apart (a bracket not closed, a port out of range)."""
    try:
        urlsplit(url).port  # noqa: B018  (reading it is the check: it raises when bad)
    except ValueError as e:
        return f"not a url ({e})"
    return None


def url_problem(url: str) -> str | None:
    """Why `url` cannot be fetched, or None: it is http(s), names a host, and its port (if
    any) is a number from 0 to 65535."""
    if problem := _parts_problem(url):
        return problem
    parts = urlsplit(url)
    if parts.scheme not in _SCHEMES:
        return "only http and https urls are fetched"
    if not parts.hostname or any(c.isspace() for c in parts.hostname):
        return "no host in url"
    return None


def url_pattern_problem(pattern: str) -> str | None:
    """Why a CDX url pattern (`example.com/2012/`, `*.example.com`, a full url) is not one."""
    if not pattern.strip():
        return "empty url pattern"
    return url_problem(pattern if "://" in pattern else f"http://{pattern}")


def check_url(url: str) -> str:
    """`url`, or a PermanentFetchError naming it and what is wrong with it."""
    if problem := url_problem(url):
        raise PermanentFetchError(f"{url}: {problem}", url=url)
    return url


def joined_url(base: str, location: str) -> str:
    """A redirect's target resolved against the url that sent it, checked like any url: a
    `Location` an archive or a site sends is data, and may be malformed."""
    try:
        target = urljoin(base, location)
    except ValueError as e:
        raise PermanentFetchError(f"{base}: redirect to a malformed url ({e})", url=base) from None
    return check_url(target)


def cdx_filter(spec: str) -> tuple[bool, str, re.Pattern[str]]:
    """A CDX `filter` value, `[!]field:regex`, as (negate, field, compiled regex); a
    ValueError says what is wrong (no field, a regex that does not compile)."""
    negate = spec.startswith("!")
    field, colon, pattern = spec.removeprefix("!").partition(":")
    if not colon or not field:
        raise ValueError(f"{spec!r} is not a filter: write [!]field:regex, e.g. statuscode:200")
    try:
        return negate, field, re.compile(pattern)
    except re.error as e:
        raise ValueError(f"{spec!r}: the regex does not compile ({e})") from None
