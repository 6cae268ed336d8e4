"""Which addresses sitrep may fetch from: public ones only, unless the user allows more.

A report URL or a feed entry comes from outside, so a fetch must not reach the machine's own
services or its network's (loopback, private ranges, link-local and the cloud metadata address,
multicast): the page's text would be stored and published.  A host is resolved once, every
address it resolves to is checked, and the connection then goes to the checked address itself,
so a second DNS answer cannot point it elsewhere (OWASP's SSRF prevention: validate the resolved
address, pin it, re-check every redirect).  IPv6 forms that carry an IPv4 address (mapped,
compatible, 6to4, NAT64) are judged by that IPv4 address.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterable

from .errors import InputError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

METADATA = frozenset(map(ipaddress.ip_address, ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")))
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_COMPAT = ipaddress.ip_network("::/96")


def _embedded(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, if it is one of the forms that carry one."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _COMPAT or any(ip in net for net in _NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_kind(ip: Address) -> str | None:
    """Why an address is not a public one ('loopback', 'private', ...), or None if it is public."""
    if ip in METADATA:
        return "cloud metadata"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if isinstance(ip, ipaddress.IPv6Address) and (inner := _embedded(ip)) is not None:
        return address_kind(inner)
    for kind, hit in (("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
                      ("private", ip.is_private), ("reserved", ip.is_reserved)):
        if hit:
            return kind
    return None if ip.is_global else "non-public"


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """Networks ('10.1.0.0/16', '127.0.0.2') the user allows besides public addresses."""
    out = []
    for value in values:
        try:
            out.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise InputError(f"invalid network {value!r}: expected an address or CIDR range (10.1.0.0/16)") from None
    return tuple(out)


def _allowed(ip: Address, networks: tuple[Network, ...]) -> bool:
    forms = [ip] + ([inner] if isinstance(ip, ipaddress.IPv6Address) and (inner := _embedded(ip)) else [])
    return any(form in net for form in forms for net in networks if form.version == net.version)


def _getaddrinfo(host: str, port: int, seconds: float | None, label: str) -> list:
    """socket.getaddrinfo within ``seconds``: the resolver has no timeout of its own to set, and a slow
    DNS server must not hold a download past its time limit (the lookup is left to finish alone)."""
    found: dict = {}

    def lookup() -> None:
        try:
            found["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            found["error"] = exc

    worker = threading.Thread(target=lookup, name="sitrep-resolve", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise InputError(f"{label}: unreachable (no answer from DNS for {host} in time)")
    if "error" in found:
        exc = found["error"]
        raise InputError(f"{label}: unreachable (cannot resolve {host}: {getattr(exc, 'strerror', None) or exc})")
    return found["infos"]


def resolve_checked(host: str, port: int, allow_private: bool = False, networks: tuple[Network, ...] = (),
                    label: str = "", seconds: float | None = None) -> Address:
    """The address to connect to for host:port, after checking every address the host resolves to.

    A host with any refused address is refused as a whole: which one a connection would take is
    not the caller's to choose.  Raises InputError with a one-line reason."""
    label = label or host
    infos = _getaddrinfo(host, port, seconds, label)
    addresses: list[Address] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise InputError(f"{label}: unreachable (no address for {host})")
    if not allow_private:
        for ip in addresses:
            kind = address_kind(ip)
            if kind and not _allowed(ip, networks):
                shown = host if host == str(ip) else f"{host} ({ip})"
                raise InputError(f"{label}: refused to fetch from {shown}, a {kind} address "
                                 "(--allow-private allows it)")
    return addresses[0]
