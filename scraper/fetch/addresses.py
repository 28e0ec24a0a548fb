"""Live urls reach public addresses only, and connect to the very address that was checked.

Checking a name and then letting the HTTP library resolve it again to connect is open to
DNS rebinding: the second answer can be 127.0.0.1. Here each connection resolves its host
once, refuses it if any address is not public, and opens the socket to a checked address.
TLS still verifies (SNI) and the Host header still names the url's host: both come from
the request, not from the socket. Every hop of a redirect is a new request, so the same.

"Public" is `is_global` and not multicast, for the address itself and for an IPv4
address carried inside an IPv6 one (mapped, 6to4, NAT64): carrier-grade NAT
(100.64.0.0/10) and other special-purpose ranges are refused, not only "private" ones.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable

import httpcore
import httpx

from ..errors import PermanentFetchError

__all__ = ["PinnedBackend", "PinnedTransport", "RefusedAddress", "Resolver", "refusal", "resolve"]

Resolver = Callable[[str, int], Awaitable[list[str]]]
IP = ipaddress.IPv4Address | ipaddress.IPv6Address

_SHARED = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class RefusedAddress(PermanentFetchError):
    """A live url's host resolves to an address that is not public."""


def _embedded_v4(ip: IP) -> list[ipaddress.IPv4Address]:
    if isinstance(ip, ipaddress.IPv4Address):
        return []
    inside = [ip.ipv4_mapped, ip.sixtofour]
    if ip in _NAT64:
        inside.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return [a for a in inside if a is not None]


def _kind(ip: IP) -> str | None:
    checks = (
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (ip.is_unspecified, "unspecified"),
        (ip in _SHARED, "carrier-grade NAT, 100.64.0.0/10"),
        (ip.is_private, "private or special-purpose"),
        (not ip.is_global, "not globally routable"),
    )
    return next((kind for hit, kind in checks if hit), None)


def refusal(address: str) -> str | None:
    """Why `address` must not be fetched from (its kind, e.g. 'loopback'), or None if public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # fe80::1%eth0: the scope is no help
    for candidate in (*_embedded_v4(ip), ip):  # the IPv4 address inside says most
        if kind := _kind(candidate):
            return kind if candidate is ip else f"{kind}, as {candidate}"
    return None


async def resolve(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for `host`, looked up off the event loop."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def _public_addresses(host: str, port: int, resolve: Resolver) -> list[str]:
    try:
        addresses = await resolve(host, port)
    except socket.gaierror as e:
        raise PermanentFetchError(f"cannot resolve {host} ({e.strerror})") from None
    if not addresses:
        raise PermanentFetchError(f"cannot resolve {host} (no address)")
    for address in addresses:
        if kind := refusal(address):
            raise RefusedAddress(
                f"{host} resolves to {address}, a non-public address ({kind}); "
                "set fetch.allow_private: true to allow it"
            )
    return addresses


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network layer, connecting only to addresses vetted in the same lookup."""

    def __init__(
        self, resolve: Resolver = resolve, inner: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        self._resolve = resolve
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: object = None,
    ) -> httpcore.AsyncNetworkStream:
        failure: Exception = httpcore.ConnectError(f"cannot connect to {host}")
        for address in await _public_addresses(host, port, self._resolve):
            try:
                return await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,  # type: ignore[arg-type]
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:
                failure = e
        raise failure

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: object = None
    ) -> httpcore.AsyncNetworkStream:
        raise RefusedAddress(f"{path}: unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with its connection pool on a PinnedBackend."""

    def __init__(self, *, limits: httpx.Limits, resolve: Resolver = resolve) -> None:
        super().__init__(limits=limits)
        # the pool httpx built is replaced, with the same settings, by one whose connections
        # go through the backend; `_pool` is what handle_async_request sends through
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PinnedBackend(resolve),
        )
