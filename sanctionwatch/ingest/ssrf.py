"""SSRF guard: decide whether a user-supplied URL may be fetched, and to which addresses.

Users add feed and page URLs, so a URL is an attacker's input. The guard follows Miniflux
(PR #4087) and FreshRSS (PR #8400): validate the *resolved* addresses, not the string, because
``getaddrinfo`` accepts ``2130706433``, ``0177.0.0.1``, ``0x7f.1`` and ``127.1`` as 127.0.0.1
while :mod:`ipaddress` rejects them (measured, research §3.2 S5). The addresses returned in
:class:`ParsedTarget` are the ones the caller must connect to (pinning; see ``http.py``), so a
second DNS answer (rebinding) is never used.

Rules, in order:

1. Only ``http`` and ``https``; no userinfo (``user:pass@``, ``evil.com@127.0.0.1``); no
   control characters, whitespace or backslashes (header injection, parser differentials);
   at most :data:`MAX_URL_LENGTH` characters; no port from the Fetch standard's bad-port list.
2. The host is read the way libc and browsers read it: numeric IPv4 forms (decimal, octal,
   hex, shortened) become addresses; IDN hosts are IDNA-encoded (UTS #46).
3. Every address the name resolves to must be public. IPv4-mapped, NAT64 (64:ff9b::/96) and
   6to4 (2002::/16) IPv6 addresses are judged by the IPv4 address they embed.
4. ``allow_private_networks=True`` (self-hosting, the test suite) admits private and loopback
   addresses, but link-local (cloud metadata lives at 169.254.169.254 and fd00:ec2::254),
   multicast, broadcast and unspecified addresses stay blocked.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import idna

from sanctionwatch.errors import BlockedURLError, FetchError

MAX_URL_LENGTH = 8192
ALLOWED_SCHEMES = {"http": 80, "https": 443}

# The Fetch standard's "bad ports" (fetch.spec.whatwg.org/#port-blocking): services that must
# never receive an HTTP request from a browser, so neither from us.
BAD_PORTS = frozenset(
    {1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101,
     102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389,
     427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636,
     989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665,
     6666, 6667, 6668, 6669, 6679, 6697, 10080}
)
# Metadata endpoints are blocked even when private networks are allowed.
METADATA_ADDRESSES = frozenset({ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")})
NAT64_NETWORK = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL_NETWORK = ipaddress.ip_network("64:ff9b:1::/48")
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # RFC 6598 carrier-grade NAT

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class ParsedTarget:
    """A URL that passed the guard.

    ``host`` is the ASCII host for the ``Host`` header and TLS SNI (IDNA-encoded, no brackets);
    ``addresses`` are the checked IP addresses, in resolver order, to connect to.
    """

    url: str
    scheme: str
    host: str
    port: int
    addresses: tuple[str, ...]


def parse_ipv4_like_libc(host: str) -> ipaddress.IPv4Address | None:
    """Read ``host`` as ``inet_aton`` does, or return None if it is not a numeric IPv4 form.

    Accepts one to four dot-separated parts, each decimal, octal (leading ``0``) or hex
    (``0x``); the last part fills the remaining bytes: ``127.1`` is 127.0.0.1,
    ``2130706433`` is 127.0.0.1 and ``0`` is 0.0.0.0.
    """
    parts = host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers: list[int] = []
    for part in parts:
        try:
            if part.lower().startswith("0x"):
                numbers.append(int(part[2:] or "0", 16))
            elif len(part) > 1 and part.startswith("0"):
                numbers.append(int(part, 8))
            else:
                if not part.isdigit():
                    return None
                numbers.append(int(part, 10))
        except ValueError:
            return None
    *leading, last = numbers
    if any(number > 255 for number in leading) or last >= 256 ** (5 - len(numbers)):
        return None
    value = 0
    for number in leading:
        value = value * 256 + number
    value = value * 256 ** (5 - len(numbers)) + last
    return ipaddress.IPv4Address(value)


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, NAT64 or 6to4), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in NAT64_NETWORK:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


def address_block_reason(address: IPAddress, *, allow_private_networks: bool = False) -> str | None:
    """Why ``address`` may not be fetched, or None if it may."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            address = ipaddress.IPv6Address(str(address).split("%", 1)[0])
        inner = embedded_ipv4(address)
        if inner is not None:
            reason = address_block_reason(inner, allow_private_networks=allow_private_networks)
            return f"embeds {inner}, which is {reason}" if reason else None
        if address in NAT64_LOCAL_NETWORK:
            return "a local-use NAT64 address"
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_link_local:
        return "a link-local address"
    if isinstance(address, ipaddress.IPv4Address) and address == ipaddress.IPv4Address("255.255.255.255"):
        return "the broadcast address"
    if allow_private_networks:
        return None
    if address.is_loopback:
        return "a loopback address"
    if address in SHARED_ADDRESS_SPACE:
        return "carrier-grade NAT space (100.64.0.0/10)"
    if address.is_private:
        return "a private address"
    if address.is_reserved:
        return "a reserved address"
    if isinstance(address, ipaddress.IPv6Address) and address.is_site_local:
        return "a site-local address"
    if not address.is_global:
        return "not a public address"
    return None


def system_resolver(host: str, port: int) -> list[str]:
    """Resolve ``host`` with ``getaddrinfo``; the addresses in resolver order, deduplicated."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"cannot resolve host {host!r}: {error}") from error
    addresses: list[str] = []
    for _family, _type, _proto, _canonname, sockaddr in infos:
        address = str(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def normalise_host(raw_host: str, url: str) -> str:
    """ASCII form of a URL host: IDNA for names, canonical text for IP literals."""
    host = raw_host.rstrip(".").lower()
    if not host:
        raise BlockedURLError("URL has no host", url=url)
    if ":" in host:  # bracketed IPv6 literal, brackets already removed by urlsplit
        try:
            return str(ipaddress.IPv6Address(host.split("%", 1)[0]))
        except ValueError as error:
            raise BlockedURLError(f"invalid IPv6 host {raw_host!r}", url=url) from error
    numeric = parse_ipv4_like_libc(host)
    if numeric is not None:
        return str(numeric)
    if host.isascii():
        if not all(character.isalnum() or character in "-_." for character in host):
            raise BlockedURLError(f"invalid characters in host {raw_host!r}", url=url)
        if host.startswith("xn--") or ".xn--" in host:
            try:  # a punycode label must decode, or it is a crafted name
                idna.decode(host)
            except idna.IDNAError as error:
                raise BlockedURLError(f"invalid punycode host {raw_host!r}: {error}", url=url) from error
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError as error:
        raise BlockedURLError(f"invalid internationalised host {raw_host!r}: {error}", url=url) from error


def check_url(
    url: str,
    *,
    allow_private_networks: bool = False,
    resolver: Resolver | None = None,
) -> ParsedTarget:
    """Check ``url`` against the rules in the module docstring and resolve its host.

    Raises :class:`BlockedURLError` naming the rule that refused it, or :class:`FetchError` if
    the host cannot be resolved. ``resolver(host, port)`` returns address strings; the default
    is :func:`system_resolver`. It is not called for IP-literal hosts.
    """
    if len(url) > MAX_URL_LENGTH:
        raise BlockedURLError(f"URL is longer than {MAX_URL_LENGTH} characters", url=url[:200])
    if any(ord(character) < 0x21 or ord(character) == 0x7F for character in url):
        raise BlockedURLError("URL contains whitespace or control characters (CR/LF injection?)", url=url)
    try:
        parts = urlsplit(url)
        explicit_port = parts.port
    except ValueError as error:
        raise BlockedURLError(f"malformed URL: {error}", url=url) from error
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise BlockedURLError(f"scheme {scheme or '(none)'!r} is not allowed; only http and https", url=url)
    if "@" in parts.netloc or parts.username is not None:
        raise BlockedURLError("URL carries userinfo (user:password@); refused", url=url)
    if "\\" in parts.netloc:
        raise BlockedURLError("backslash in URL authority", url=url)
    host = normalise_host(parts.hostname or "", url)
    port = explicit_port if explicit_port is not None else ALLOWED_SCHEMES[scheme]
    if port == 0 or port in BAD_PORTS:
        raise BlockedURLError(f"port {port} is not allowed for HTTP", url=url)
    if not allow_private_networks and (host == "localhost" or host.endswith(".localhost")):
        raise BlockedURLError(f"host {host!r} is local", url=url)

    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    raw_addresses = [host] if literal is not None else (resolver or system_resolver)(host, port)
    if not raw_addresses:
        raise FetchError(f"host {host!r} resolved to no address", url=url)
    addresses: list[str] = []
    for raw_address in raw_addresses:
        try:
            address = ipaddress.ip_address(raw_address.split("%", 1)[0])
        except ValueError as error:
            raise BlockedURLError(f"resolver returned a non-address {raw_address!r}", url=url) from error
        reason = address_block_reason(address, allow_private_networks=allow_private_networks)
        if reason is not None:
            raise BlockedURLError(f"host {host!r} resolves to {address}, {reason}; refused", url=url)
        addresses.append(str(address))
    return ParsedTarget(url=url, scheme=scheme, host=host, port=port, addresses=tuple(addresses))
