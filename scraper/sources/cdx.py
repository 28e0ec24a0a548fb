"""CDX answers, whatever server gave them: parse, filter, collapse.

The Internet Archive answers `output=json` with an array of arrays whose first row names
the fields (and, when paging, an empty row and a resume key at the end); pywb and Common
Crawl answer one JSON object per line. Field names differ (original/url, mimetype/mime,
statuscode/status). Some servers ignore `filter`, `collapse` or `limit` (pywb ignores the
last two), so all three are applied here as well: the result is the same on any server.

Paging is guarded (`Paging`): a server that repeats a resume key or a page would be asked
for ever. What stops a listing short is said in a warning, which the listing returns with
its rows (`Listings`) for the run summary.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

from ..errors import FetchError, PermanentFetchError
from ..fetch.client import Fetcher
from ..models import Listing
from ..syntax import cdx_filter

__all__ = ["Listings", "Paging", "ask_index", "parse_cdx", "query_index", "read_answer", "refine"]

_ALIASES = {"original": "url", "mimetype": "mime", "statuscode": "status", "urlkey": "urlkey"}


def _norm(row: dict[str, Any]) -> dict[str, Any]:
    return {_ALIASES.get(k, k): v for k, v in row.items()}


def _table(data: Any) -> tuple[list[dict[str, Any]], str | None]:
    """The Internet Archive's array of arrays: a header row, rows, and maybe a resume key."""
    if not isinstance(data, list) or not all(isinstance(r, list) for r in data):
        raise ValueError("a JSON array that is not an array of rows")
    if not data:
        return [], None
    resume = None
    if len(data) >= 2 and data[-2] == [] and len(data[-1]) == 1:
        resume, data = str(data[-1][0]), data[:-2]
    header, *rows = data
    if not all(isinstance(name, str) for name in header):
        raise ValueError("its first row does not name the fields")
    return [_norm(dict(zip(header, r, strict=False))) for r in rows if r], resume


def parse_cdx(text: str) -> tuple[list[dict[str, Any]], str | None]:
    """Rows (normalised field names) and the resume key, if the server sent one; ValueError
    when the text is not a CDX answer (an error page, a login form, JSON of another shape)."""
    text = text.strip()
    if not text:
        return [], None
    if text.startswith("["):
        return _table(json.loads(text))
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [_norm(r) for r in rows if isinstance(r, dict)], None


def read_answer(text: str, endpoint: str) -> tuple[list[dict[str, Any]], str | None]:
    """`parse_cdx`, with an answer that is not CDX JSON as a FetchError naming the endpoint
    and how the answer begins: the source's listing fails, not the run."""
    try:
        return parse_cdx(text)
    except ValueError as e:
        start = " ".join(text.split())[:60]
        raise PermanentFetchError(
            f"{endpoint}: the index answer is not CDX JSON ({e}); it begins {start!r}",
            url=endpoint,
        ) from None


def _matcher(spec: str):
    negate, field, rx = cdx_filter(spec)  # checked when the config was loaded
    field = _ALIASES.get(field, field)

    def ok(row: dict[str, Any]) -> bool:
        return bool(rx.fullmatch(str(row.get(field, "")))) != negate

    return ok


def refine(
    rows: Iterable[dict[str, Any]], *, filters: list[str], collapse: str | None, limit: int | None
) -> list[dict[str, Any]]:
    """Apply `filter`, `collapse` (urlkey, digest, or field:N prefix) and `limit`."""
    tests = [_matcher(f) for f in filters]
    field, _, width = (collapse or "").partition(":")
    field = _ALIASES.get(field, field)
    seen: set[Any] = set()
    out = []
    for row in rows:
        if not all(t(row) for t in tests):
            continue
        same = (row.get("urlkey") or row.get("url"), row.get("timestamp"))
        if same in seen:
            continue
        seen.add(same)
        if field:
            value = str(row.get(field, ""))
            key = ("collapse", value[: int(width)] if width.isdigit() else value)
            if field == "timestamp":
                key = ("collapse", row.get("urlkey"), key[1])
            if key in seen:
                continue
            seen.add(key)
        out.append(row)
        if limit is not None and len(out) >= limit:
            break
    return out


async def query_index(fetcher: Fetcher, endpoint: str, params: dict[str, object]) -> str:
    """A CDX or Common Crawl index answer as text; 404 means no captures to some servers."""
    r = await fetcher.get(f"{endpoint}?{urlencode(params, doseq=True)}")
    if r.status == 404:
        return ""
    if r.status != 200:
        raise FetchError(f"{endpoint}: index query answered HTTP {r.status}", url=r.url)
    return r.body.decode("utf-8", "replace")


async def ask_index(
    fetcher: Fetcher, endpoint: str, params: dict[str, object]
) -> tuple[list[dict[str, Any]], str | None]:
    """One index query's rows and resume key (`query_index`, then `read_answer`)."""
    return read_answer(await query_index(fetcher, endpoint, params), endpoint)


class Listings(list[Listing]):
    """Listed captures (a plain list to callers), and `warnings`: what cut the listing short."""

    def __init__(self, items: Iterable[Listing] = (), warnings: Iterable[str] = ()) -> None:
        super().__init__(items)
        self.warnings = list(warnings)

    def read(
        self, rows: Iterable[dict[str, Any]], make: Callable[[dict[str, Any]], Listing], query: str
    ) -> None:
        """Add the listings `make` reads from index rows. A row it cannot read (a field
        missing, an offset that is not a number) is left out and counted in one warning
        naming the first: one bad row does not stop the listing of the rest."""
        bad = []
        for row in rows:
            try:
                self.append(make(row))
            except (KeyError, ValueError, TypeError) as e:
                bad.append(_row_problem(e))
        if bad:
            self.warnings.append(
                f"{query}: {len(bad)} index row(s) unusable, left out (the first: {bad[0]})"
            )


def _row_problem(e: Exception) -> str:
    return f"no {e.args[0]!r} field" if isinstance(e, KeyError) else f"{type(e).__name__}: {e}"


class Paging:
    """The rows of a paged index answer, gathered so that paging always ends: a page whose
    rows were all listed already, or a resume key given before, would come back for ever."""

    def __init__(self, query: str) -> None:
        self.query = query  # named in warnings: the endpoint and the url asked for
        self.rows: list[dict[str, Any]] = []
        self.warnings: list[str] = []
        self._seen: set[str] = set()
        self._keys: set[str] = set()

    def take(self, page: list[dict[str, Any]]) -> bool:
        """Keep the page's new rows; False when it had rows and none was new."""
        new = [row for row in page if self._first(row)]
        self.rows += new
        if page and not new:
            self.warnings.append(
                f"{self.query}: the index answered a page of rows listed already; "
                "listing stopped there"
            )
        return bool(new) or not page

    def follow(self, resume: str | None) -> bool:
        """Whether to ask for the page after `resume`: not if there is none or it repeats."""
        if not resume:
            return False
        if resume in self._keys:
            self.warnings.append(
                f"{self.query}: the index gave resume key {resume!r} a second time; "
                "listing stopped there"
            )
            return False
        self._keys.add(resume)
        return True

    def _first(self, row: dict[str, Any]) -> bool:
        key = json.dumps(row, sort_keys=True, default=str)
        if key in self._seen:
            return False
        self._seen.add(key)
        return True
