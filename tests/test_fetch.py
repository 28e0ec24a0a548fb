"""The fetcher against a server that misbehaves: retries, waits, limits and final states."""

import asyncio
import contextlib
import shutil
import socket
import ssl
import subprocess
import threading
import time
import zlib
from collections import Counter

import pytest
from archives import CommonCrawl, Faults, Page, Scripted, gz, write_warc

from scraper import PermanentFetchError, RetryableFetchError
from scraper.config import FetchConfig, PerHost
from scraper.fetch import Fetcher, limits
from scraper.fetch.addresses import RefusedAddress
from scraper.fetch.limits import ENCODINGS, decoded_size_within
from scraper.models import Listing
from scraper.sources.commoncrawl import fetch_record

# A public address no test may reach: a connection to it is sent to 127.0.0.1 instead (as
# if the local server were that host); a connection to any other address is refused unsent.
PUBLIC = "93.184.215.14"


def cfg(**kw) -> FetchConfig:
    base = dict(
        retries=3,
        timeout=2,
        max_bytes=1_000_000,
        allow_private=True,
        per_host=PerHost(concurrency=2, min_interval=0),
    )
    return FetchConfig(**{**base, **kw})


def fetch(url: str, config: FetchConfig, **kw):
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    async def go():
        async with Fetcher(config, sleep=fake_sleep) as f:
            try:
                return await f.get(url, **kw), f.waits, slept
            except Exception as e:  # noqa: BLE001 - returned for the test to inspect
                return e, f.waits, slept

    return asyncio.run(go())


@pytest.fixture(scope="module")
def faults():
    with Faults() as server:
        yield server


@pytest.fixture(autouse=True)
def connects(monkeypatch) -> list[str]:
    """The address of every connection the tests open, with the rule above enforced."""
    seen: list[str] = []
    real = asyncio.BaseEventLoop.create_connection

    async def loopback_only(self, protocol_factory, host=None, port=None, **kw):
        seen.append(host)
        if host == PUBLIC:
            host = "127.0.0.1"
        elif host not in {"127.0.0.1", "::1"}:
            raise ConnectionRefusedError(f"test guard: {host} is not a loopback address")
        return await real(self, protocol_factory, host, port, **kw)

    monkeypatch.setattr(asyncio.BaseEventLoop, "create_connection", loopback_only)
    return seen


@pytest.fixture
def dns(monkeypatch) -> dict[str, list[str]]:
    """Names with made-up answers, given in turn, one per lookup: a name can flip. Patched
    where every lookup ends (socket.getaddrinfo), whoever makes it."""
    answers: dict[str, list[str]] = {}
    lookups: Counter[str] = Counter()
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kw):
        name = host.decode() if isinstance(host, bytes) else host
        if name not in answers:
            return real(host, port, *args, **kw)
        turn = answers[name][lookups[name] % len(answers[name])]
        lookups[name] += 1
        return real(turn, port, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


def echo_host(request):
    return 200, {"Content-Type": "text/plain"}, request.host.encode()


@pytest.fixture(scope="module")
def scripted_server():
    with Scripted(echo_host) as server:
        yield server


@pytest.fixture
def scripted(scripted_server) -> Scripted:
    """A server answering as the test says (`.answer = ...`); by default, the Host header."""
    return scripted_server.reset(echo_host)


def test_503_with_retry_after_is_retried_after_exactly_that_wait(faults):
    r, waits, _ = fetch(f"{faults.url}/flaky/2", cfg())
    assert r.status == 200 and r.attempts == 3
    assert waits == [2.0, 2.0]
    assert faults.hits["/flaky/2"] == 3


def test_429_with_an_http_date_waits_until_then_and_gives_up_after_the_retries(faults):
    e, waits, _ = fetch(f"{faults.url}/busy", cfg(retries=2))
    assert isinstance(e, RetryableFetchError) and "HTTP 429" in str(e)
    assert len(waits) == 2 and all(1.0 <= w <= 3.0 for w in waits)
    assert faults.hits["/busy"] == 3


def test_a_reset_connection_is_retried(faults):
    r, waits, _ = fetch(f"{faults.url}/reset", cfg())
    assert r.status == 200 and r.body == b"fine now" and r.attempts == 2
    assert len(waits) == 1 and 0 <= waits[0] <= 60  # exponential backoff with jitter


def test_a_truncated_body_is_retried_then_fails_as_retryable(faults):
    e, waits, _ = fetch(f"{faults.url}/truncated", cfg(retries=2))
    assert isinstance(e, RetryableFetchError)
    assert faults.hits["/truncated"] == 3 and len(waits) == 2


def test_a_stalled_server_times_out(faults):
    e, _, _ = fetch(f"{faults.url}/stall", cfg(retries=1, timeout=0.5))
    assert isinstance(e, RetryableFetchError) and "Timeout" in str(e)
    assert faults.hits["/stall"] == 2


def test_an_oversized_body_is_cut_off_and_not_retried(faults):
    e, waits, _ = fetch(f"{faults.url}/huge", cfg(max_bytes=200_000))
    assert isinstance(e, PermanentFetchError) and "max_bytes" in str(e)
    assert faults.hits["/huge"] == 1 and waits == []


def test_minimum_interval_per_host(faults):
    async def go():
        slept = []

        async def fake_sleep(s):
            slept.append(s)

        async with Fetcher(
            cfg(per_host=PerHost(concurrency=1, min_interval=0.5)), sleep=fake_sleep
        ) as f:
            for _ in range(3):
                await f.get(f"{faults.url}/flaky/0")
        return slept

    slept = asyncio.run(go())
    # each wait is what is left of the interval after the request itself (slow under load)
    assert len(slept) == 2 and all(0 < s <= 0.5 for s in slept)


@pytest.mark.parametrize(
    "url,message",
    [
        ("http://127.0.0.1:9/x", "non-public address"),
        ("http://localhost/x", "non-public address"),
        ("http://[::1]/x", "non-public address"),
        ("http://169.254.169.254/latest/meta-data", "non-public address"),
        ("http://100.64.0.1/x", "non-public address (carrier-grade NAT, 100.64.0.0/10)"),
        ("http://100.127.255.254/x", "non-public address (carrier-grade NAT"),
        ("http://240.0.0.1/x", "non-public address (private or special-purpose)"),
        ("http://224.0.0.251/x", "non-public address (multicast)"),
        ("http://[::ffff:127.0.0.1]/x", "non-public address (loopback"),
        (
            "http://[64:ff9b::a00:1]/x",
            "non-public address (private or special-purpose, as 10.0.0.1)",
        ),
        ("http://[2002:6440:1::1]/x", "(carrier-grade NAT, 100.64.0.0/10, as 100.64.0.1)"),
        ("ftp://example.org/file", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
    ],
)
def test_live_urls_to_private_addresses_are_refused(url, message, connects):
    e, _, _ = fetch(url, cfg(allow_private=False), live=True)
    assert isinstance(e, PermanentFetchError) and message in str(e)
    assert connects == []


def test_a_name_on_a_non_global_address_is_refused_and_the_reason_says_so(dns, connects):
    dns["cgnat.test"] = ["100.64.12.34"]
    e, _, _ = fetch("http://cgnat.test/x", cfg(allow_private=False), live=True)
    assert isinstance(e, RefusedAddress) and e.attempts == 1 and connects == []
    assert str(e) == (
        "http://cgnat.test/x: cgnat.test resolves to 100.64.12.34, a non-public address "
        "(carrier-grade NAT, 100.64.0.0/10); set fetch.allow_private: true to allow it"
    )


def test_a_name_flipping_to_loopback_is_connected_at_the_address_checked(dns, connects, scripted):
    dns["rebind.test"] = [PUBLIC, "127.0.0.1"]  # checked public, then loopback to connect
    port = scripted.url.rsplit(":", 1)[1]
    r, _, _ = fetch(f"http://rebind.test:{port}/", cfg(allow_private=False), live=True)
    assert connects == [PUBLIC]  # never 127.0.0.1 itself
    assert r.status == 200 and r.body == f"rebind.test:{port}".encode()  # Host kept


def test_every_redirect_hop_connects_at_the_address_checked(dns, connects, scripted):
    dns["start.test"] = [PUBLIC]
    dns["rebind.test"] = [PUBLIC, "127.0.0.1"]

    def answer(request):
        if request.host.startswith("start.test"):
            port = request.host.rsplit(":", 1)[1]
            return 302, {"Location": f"http://rebind.test:{port}/next"}, b""
        return echo_host(request)

    async def go(url):
        async with Fetcher(cfg(allow_private=False)) as f:
            return await f.get_live(url)

    scripted.answer = answer
    port = scripted.url.rsplit(":", 1)[1]
    r = asyncio.run(go(f"http://start.test:{port}/"))
    assert connects == [PUBLIC, PUBLIC]
    assert r.body == f"rebind.test:{port}".encode()


def test_tls_is_for_the_name_though_the_socket_is_for_the_address(tmp_path, dns, connects):
    openssl = shutil.which("openssl") or pytest.skip("no openssl to make a certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        + ["-nodes", "-subj", "/CN=pinned.test", "-days", "1"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    server_names: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: server_names.append(name)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)

    def handshake_once() -> None:
        conn, _ = listener.accept()
        with conn, contextlib.suppress(OSError):
            context.wrap_socket(conn, server_side=True).close()

    thread = threading.Thread(target=handshake_once, daemon=True)
    thread.start()
    dns["pinned.test"] = [PUBLIC]
    port = listener.getsockname()[1]
    e, _, _ = fetch(f"https://pinned.test:{port}/", cfg(allow_private=False, retries=0), live=True)
    thread.join(5)
    listener.close()
    assert connects == [PUBLIC] and server_names == ["pinned.test"]  # SNI: the name
    assert isinstance(e, RetryableFetchError) and "CERTIFICATE_VERIFY_FAILED" in str(e)


def test_the_lookup_is_the_one_given_and_made_once_per_connection(connects, scripted):
    lookups: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:  # public once, then loopback
        lookups.append(host)
        return [PUBLIC] if len(lookups) == 1 else ["127.0.0.1"]

    async def go(url: str):
        async with Fetcher(cfg(allow_private=False), resolve=resolve) as f:
            first = await f.get(url, live=True)
            try:
                await f.get(url.replace("pinned", "other"), live=True)
            except RefusedAddress as e:
                return first, e

    port = scripted.url.rsplit(":", 1)[1]
    r, e = asyncio.run(go(f"http://pinned.test:{port}/"))
    assert r.body == f"pinned.test:{port}".encode() and "127.0.0.1" in str(e)
    assert lookups == ["pinned.test", "other.test"] and connects == [PUBLIC]
    assert len(scripted.requests) == 1


def test_live_redirects_are_checked_again(faults):
    async def go():
        async with Fetcher(cfg(allow_private=False)) as f:
            return await f.get_live(f"{faults.url}/flaky/0")

    with pytest.raises(PermanentFetchError, match="non-public"):
        asyncio.run(go())


def test_a_dripping_body_stops_at_the_deadline_and_is_retried(faults):
    started = time.monotonic()
    e, waits, _ = fetch(f"{faults.url}/drip", cfg(retries=1, timeout=1, deadline=0.3))
    assert isinstance(e, RetryableFetchError) and "fetch.deadline (0.3 s)" in str(e)
    assert e.attempts == 2 and faults.hits["/drip"] == 2 and len(waits) == 1
    assert time.monotonic() - started < 1.5  # without a deadline: 2 s an attempt


def raw_deflate(data: bytes) -> bytes:
    c = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return c.compress(data) + c.flush()


def encoder(name: str):
    """(Content-Encoding, how to encode), skipping what this install cannot decode."""
    if name in {"br", "zstd"}:
        if name not in ENCODINGS:
            pytest.skip(f"no {name} decoder that can bound its output is installed")
        return name, (limits.brotli if name == "br" else limits.zstd).compress
    return {
        "gzip": ("gzip", gz),
        "x-gzip": ("x-gzip", gz),
        "deflate": ("deflate", zlib.compress),
        "raw deflate": ("deflate", raw_deflate),
        "gzip twice": ("gzip, gzip", lambda b: gz(gz(b))),
    }[name]


ENCODED = ["gzip", "x-gzip", "deflate", "raw deflate", "gzip twice", "br", "zstd"]


@pytest.mark.parametrize("name", ENCODED)
def test_a_compression_bomb_is_cut_off_on_its_decoded_size(name, scripted):
    encoding, encode = encoder(name)
    bomb = encode(b"\0" * 5_000_000)
    assert len(bomb) < 100_000

    def answer(request):
        return 200, {"Content-Type": "text/html", "Content-Encoding": encoding}, bomb

    scripted.answer = answer
    e, waits, _ = fetch(f"{scripted.url}/bomb", cfg(max_bytes=1_000_000))
    assert isinstance(e, PermanentFetchError) and waits == [] and scripted.hits["/bomb"] == 1
    assert (
        f"body decodes to over fetch.max_bytes (1000000 bytes; Content-Encoding: {encoding})"
        in str(e)
    )


@pytest.mark.parametrize("name", ENCODED)
def test_an_encoded_body_within_the_limit_is_kept_as_sent(name, scripted):
    encoding, encode = encoder(name)
    body = encode(b"<p>fine</p>" * 50_000)  # 550 kB decoded

    def answer(request):
        return 200, {"Content-Type": "text/html", "Content-Encoding": encoding}, body

    scripted.answer = answer
    r, _, _ = fetch(f"{scripted.url}/page", cfg(max_bytes=1_000_000))
    assert r.status == 200 and r.body == body
    assert decoded_size_within(body, encoding, 550_000)
    assert not decoded_size_within(body, encoding, 549_999)


@pytest.mark.parametrize(
    "body,encoding,within",
    [
        (gz(b"a" * 10) + gz(b"\0" * 2000), "gzip", False),  # the bomb in a second member
        (gz(b"a" * 10) + b"trailing garbage", "gzip", True),
        (b"\x1f\x8b not gzip at all", "gzip", True),  # undecodable: nothing to read out of it
        (b"x" * 1001, "compress", False),  # not decoded here: counted as sent
        (b"x" * 1000, "identity", True),
        (gz(b"\0" * 2000), None, True),  # not declared encoded: raw is what readers get
        (gz(gz(gz(gz(gz(b"\0" * 2000))))), "gzip, gzip, gzip, gzip, gzip", True),  # counted raw
    ],
)
def test_decoded_size_within(body, encoding, within):
    assert decoded_size_within(body, encoding, 1000) is within


@pytest.mark.parametrize(
    "body,headers",
    [
        (gz(b"\0" * 5_000_000), (("Content-Type", "text/html"), ("Content-Encoding", "gzip"))),
        (b"\0" * 5_000_000, (("Content-Type", "text/html"),)),  # a few kB as gzipped WARC
    ],
)
def test_a_common_crawl_record_past_max_bytes_is_refused(tmp_path, body, headers):
    page = Page("https://example.org/a", "20241201000000", body, "200 OK", headers)
    warc = tmp_path / "CC-TEST-00001.warc.gz"
    spans = write_warc(warc, [page])
    [(offset, length)] = spans
    assert length < 100_000

    async def go(data: str):
        listing = Listing("commoncrawl", page.url, page.timestamp, data, offset, length)
        async with Fetcher(cfg(max_bytes=1_000_000)) as f:
            return await fetch_record(listing, f)

    with CommonCrawl("CC-TEST", warc, [page], spans) as cc:
        with pytest.raises(PermanentFetchError, match=r"record body over fetch\.max_bytes"):
            asyncio.run(go(f"{cc.url}/data/crawl-data/CC-TEST/{warc.name}"))
