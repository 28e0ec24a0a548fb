"""Live urls reach public addresses only.

"Public" is `is_global` and not multicast, for the address itself and for an IPv4
address carried inside an IPv6 one (mapped, 6to4, NAT64): carrier-grade NAT
(100.64.0.0/10) and other special-purpose ranges are refused, not only "private" ones.
"""

from __future__ import annotations

import ipaddress

from ..errors import PermanentFetchError

__all__ = ["RefusedAddress", "refusal"]

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
