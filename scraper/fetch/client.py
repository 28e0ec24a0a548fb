"""One shared httpx.AsyncClient with politeness, retries and limits.

- concurrency: a global limit and one per host, plus a minimum interval between requests
  to the same host (archives rate-limit; web.archive.org wants it conservative);
- retries (tenacity): connection errors, 429 and 5xx, with exponential backoff and jitter,
  or exactly the wait a `Retry-After` header asks for (seconds or an HTTP date);
- limits: a timeout per read, an overall deadline per request (a server dripping one
  byte at a time never trips the first), and a maximum body size enforced while
  streaming on the bytes sent and on the bytes they decode to (a gzip bomb; limits.py);
- safety: only http/https; live urls go through a client that connects only to public
  addresses it checked itself (addresses.py: no DNS rebinding), every redirect hop
  included, unless `fetch.allow_private`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx
from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from ..config import FetchConfig
from ..errors import FetchError, PermanentFetchError, RetryableFetchError
from ..syntax import check_url, joined_url
from .addresses import PinnedTransport, Resolver, resolve
from .limits import ENCODINGS, DecodedMeter

__all__ = ["Fetcher", "Response", "check_scheme"]

log = logging.getLogger(__name__)  # retries at INFO (`scrape -v`), each request at DEBUG

_RETRY_STATUS = {429, 500, 502, 503, 504, 507, 508, 509, 520, 521, 522, 523, 524}
_MAX_RETRY_AFTER = 600.0


@dataclass(frozen=True, slots=True)
class Response:
    url: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes  # as sent: Content-Encoding not undone (raw capture bytes)
    attempts: int

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


class _Retry(RetryableFetchError):
    def __init__(self, message: str, *, url: str, wait: float | None = None) -> None:
        super().__init__(message, url=url)
        self.wait = wait


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), _MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, min(when.timestamp() - time.time(), _MAX_RETRY_AFTER))


def check_scheme(url: str) -> None:
    """Refuse urls that are not http(s), name no host or a port out of range, or do not parse
    (`http://[::1/`); addresses are checked on connect."""
    check_url(url)


async def _check_location(response: httpx.Response) -> None:
    """Check a redirect's Location before httpx reads it: httpx calls a malformed one a
    protocol error, which would be retried; it is the capture's and fails it for good."""
    if response.has_redirect_location:
        joined_url(str(response.request.url), response.headers["location"])


def _client(
    cfg: FetchConfig, limits: httpx.Limits, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """An AsyncClient advertising only the encodings limits.py can measure decoded. With a
    transport of its own, httpx uses no proxy from the environment (one would resolve
    names itself, past the pinning)."""
    headers = {"User-Agent": cfg.user_agent, "Accept-Encoding": ", ".join(ENCODINGS)}
    return httpx.AsyncClient(
        timeout=httpx.Timeout(cfg.timeout),
        headers=headers,
        follow_redirects=False,
        limits=limits,
        transport=transport,
        event_hooks={"response": [_check_location]},
    )


class _Host:
    def __init__(self, concurrency: int) -> None:
        self.slots = asyncio.Semaphore(concurrency)
        self.lock = asyncio.Lock()
        self.next_at = 0.0


class Fetcher:
    """GET with politeness and retries. Use as `async with Fetcher(cfg) as f:`."""

    def __init__(
        self,
        cfg: FetchConfig,
        *,
        client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        resolve: Resolver = resolve,
    ) -> None:
        """`client` serves archive requests (default: one made here); live urls get their
        own, pinned to checked addresses, unless `cfg.allow_private`; `resolve` is the name
        lookup the pinned client uses (a test can make a name flip)."""
        self.cfg = cfg
        limits = httpx.Limits(
            max_connections=cfg.concurrency * 2, max_keepalive_connections=cfg.concurrency
        )
        self._own_client = client is None
        self.client = client or _client(cfg, limits)
        self.live_client = (
            self.client
            if cfg.allow_private
            else _client(cfg, limits, PinnedTransport(limits=limits, resolve=resolve))
        )
        self._slots = asyncio.Semaphore(cfg.concurrency)
        self._hosts: dict[str, _Host] = {}
        self._sleep = sleep
        self.waits: list[float] = []  # every backoff sleep taken, for tests and the summary

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.live_client is not self.client:
            await self.live_client.aclose()
        if self._own_client:
            await self.client.aclose()

    def _host(self, host: str) -> _Host:
        h = self._hosts.get(host)
        if h is None:
            h = self._hosts[host] = _Host(self.cfg.per_host.concurrency)
        return h

    async def _polite(self, h: _Host) -> None:
        async with h.lock:
            now = time.monotonic()
            if h.next_at > now:
                await self._sleep(h.next_at - now)
            h.next_at = time.monotonic() + self.cfg.per_host.min_interval

    async def _once(self, url: str, headers: dict[str, str] | None, live: bool) -> Response:
        h = self._host(urlsplit(url).netloc)
        client = self.live_client if live else self.client
        async with self._slots, h.slots:
            await self._polite(h)
            log.debug("GET %s", url)
            try:
                return await asyncio.wait_for(
                    self._exchange(client, url, headers), self.cfg.deadline
                )
            except asyncio.TimeoutError:
                raise _Retry(
                    f"{url}: no whole answer within fetch.deadline ({self.cfg.deadline:g} s)",
                    url=url,
                ) from None

    async def _exchange(
        self, client: httpx.AsyncClient, url: str, headers: dict[str, str] | None
    ) -> Response:
        try:
            async with client.stream("GET", url, headers=headers) as r:
                if r.status_code in _RETRY_STATUS:
                    wait = _retry_after(r.headers.get("Retry-After"))
                    raise _Retry(f"{url}: HTTP {r.status_code}", url=url, wait=wait)
                body = await self._read(r, url)
                headers_out = [
                    (k, v) for k, v in r.headers.multi_items() if k.lower() != "transfer-encoding"
                ]
                return Response(url, r.status_code, r.reason_phrase, headers_out, body, 0)
        except httpx.TransportError as e:  # reset, truncated body, timeouts, refused
            raise _Retry(f"{url}: {type(e).__name__}: {e}".rstrip(": "), url=url) from None
        except PermanentFetchError as e:  # from the connection: it knows the host, not the url
            if e.url is None:
                raise type(e)(f"{url}: {e}", url=url) from None
            raise

    async def _read(self, r: httpx.Response, url: str) -> bytes:
        """The body as sent, refused once over fetch.max_bytes sent or decoded."""
        limit = self.cfg.max_bytes
        encoding = r.headers.get("content-encoding")
        meter = DecodedMeter(encoding, limit)
        body = bytearray()
        async for chunk in r.aiter_raw():
            body += chunk
            if len(body) > limit:
                raise PermanentFetchError(
                    f"{url}: body over fetch.max_bytes ({limit} bytes)", url=url
                )
            if not meter.feed(chunk):
                raise PermanentFetchError(
                    f"{url}: body decodes to over fetch.max_bytes ({limit} bytes; "
                    f"Content-Encoding: {encoding})",
                    url=url,
                )
        return bytes(body)

    def _wait(self, state) -> float:
        exc = state.outcome.exception()
        if isinstance(exc, _Retry) and exc.wait is not None:
            wait = exc.wait
        else:
            wait = wait_random_exponential(multiplier=0.5, max=60)(state)
        return wait

    async def _backoff(self, seconds: float) -> None:
        self.waits.append(seconds)
        await self._sleep(seconds)

    def _log_retry(self, state) -> None:
        """Say why a request is tried again: an archive that does not answer is otherwise
        a long silence before the error."""
        log.info(
            "%s; retry %d of %d in %.1f s",
            state.outcome.exception(),
            state.attempt_number,
            self.cfg.retries,
            state.next_action.sleep,
        )

    async def get(
        self, url: str, *, headers: dict[str, str] | None = None, live: bool = False
    ) -> Response:
        """One GET with retries; `live` urls connect to public addresses only."""
        if live:
            check_scheme(url)
        attempts = 0
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.cfg.retries + 1),
            wait=self._wait,
            retry=retry_if_exception_type(RetryableFetchError),
            sleep=self._backoff,
            before_sleep=self._log_retry,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    attempts += 1
                    r = await self._once(url, headers, live)
        except FetchError as e:
            e.attempts = attempts
            raise
        return Response(r.url, r.status, r.reason, r.headers, r.body, attempts)

    async def get_live(self, url: str, *, max_hops: int = 5) -> Response:
        """A live url, following redirects by hand so every hop is checked again."""
        for _ in range(max_hops + 1):
            r = await self.get(url, live=True)
            location = r.header("location")
            if r.status in {301, 302, 303, 307, 308} and location:
                url = joined_url(url, location)
                continue
            return r
        raise PermanentFetchError(f"{url}: more than {max_hops} redirects", url=url)
