"""Safe HTTP fetching of feeds and pages: one function, :func:`fetch`, and its settings.

What it guarantees (ARCHITECTURE "Safety", research §3.1 and §3.2):

* **SSRF**: every hop's URL goes through :func:`ssrf.check_url`; the connection is then
  *pinned* to the addresses that check approved. A custom httpcore network backend
  (:class:`PinnedBackend`) connects to those IPs instead of resolving the host again, while the
  ``Host`` header and TLS SNI/certificate check keep the host name. A DNS answer that changes
  between check and connect (rebinding) is therefore never used. After connecting, the
  socket's peer address is compared with the approved one as a second check.
* **Redirects** are followed by hand (at most ``max_redirects``): relative ``Location`` resolved,
  non-http(s) schemes refused, https→http downgrade refused, loops refused.
* **Wall-clock deadline**: every socket operation gets ``min(its timeout, time left)``, so a
  server dripping one byte every 4 s fails at the deadline although no single read times out.
* **Body cap** counted on *decoded* bytes; decoding is done here (:mod:`decompress`) so that a
  bomb stops at the cap.
* **TLS** is always verified against certifi's CA bundle; there is no switch to turn it off.
* HTTP errors raise :class:`HTTPStatusError` with ``retry_after_seconds`` parsed.

A caller fetching many URLs shares a :class:`HostGate` (politeness) and a :class:`Backoff`
policy; both live in :mod:`politeness` and are re-exported here.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from sanctionwatch import __version__
from sanctionwatch.errors import BlockedURLError, FetchError, FetchLimitError, HTTPStatusError
from sanctionwatch.ingest.charset import charset_from_content_type
from sanctionwatch.ingest.decompress import decoded_chunks
from sanctionwatch.ingest.politeness import Backoff, HostGate, cache_lifetime_seconds, parse_retry_after
from sanctionwatch.ingest.ssrf import Resolver, check_url
from sanctionwatch.ingest.transport import (
    LOCATION_HEADER,
    REDIRECT_STATUSES,
    LocationShieldTransport,
    PinnedBackend,
    PinnedTransport,
)

__all__ = ["Backoff", "FetchResult", "FetchSettings", "HostGate", "PinnedBackend", "fetch"]

MEBIBYTE = 1024 * 1024
CONNECT_TIMEOUT_SECONDS = 10.0
ERROR_BODY_BYTES = 64 * 1024  # enough of an error page to recognise a challenge page
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, text/html;q=0.8, application/json;q=0.7, */*;q=0.5"
)


@dataclass(frozen=True)
class FetchSettings:
    """Limits for one :func:`fetch`. Defaults follow Miniflux (research §3.1)."""

    timeout_seconds: float = 20.0  # wall-clock deadline for the whole fetch, redirects included
    max_body_bytes: int = 15 * MEBIBYTE  # counted after decompression
    max_redirects: int = 5
    min_delay_per_host_seconds: float = 1.0  # for a HostGate built from these settings
    user_agent: str = f"sanctionwatch/{__version__} (+https://github.com/sanctionwatch/sanctionwatch)"
    allow_private_networks: bool = False

    def host_gate(self) -> HostGate:
        return HostGate(self.min_delay_per_host_seconds)


@dataclass(frozen=True)
class FetchResult:
    """What :func:`fetch` got. ``headers`` has lowercase names.

    ``not_modified`` is True for a 304 (then ``body`` is empty) and also for a 200 whose ETag
    equals the one supplied, for servers that never answer 304 (Miniflux's rule; the body is
    kept). ``charset`` is the Content-Type charset parameter, a hint for :mod:`charset`.
    ``redirects`` lists the URLs that answered with a redirect, in order.
    """

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    etag: str | None
    last_modified: str | None
    not_modified: bool
    content_type: str | None
    charset: str | None
    redirects: tuple[str, ...] = ()
    cache_lifetime_seconds: float | None = None
    elapsed_seconds: float = 0.0
    retry_after_seconds: float | None = field(default=None)


def build_request_headers(settings: FetchSettings, etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {
        "User-Agent": settings.user_agent,
        "Accept": ACCEPT,
        "Accept-Encoding": "gzip, deflate, br, zstd",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def next_hop(current_url: str, location: str | None, visited: list[str]) -> str:
    """The URL a redirect leads to, or an error if following it would be unsafe."""
    if not location:
        raise FetchError("redirect without a Location header", url=current_url)
    target = urljoin(current_url, location.strip())
    scheme = urlsplit(target).scheme.lower()
    if scheme not in {"http", "https"}:
        raise BlockedURLError(f"redirect to scheme {scheme or '(none)'!r} refused", url=current_url)
    if urlsplit(current_url).scheme.lower() == "https" and scheme == "http":
        raise FetchLimitError(f"redirect from https to http refused (downgrade to {target})", url=current_url)
    if target in visited:
        raise FetchLimitError(f"redirect loop back to {target}", url=current_url)
    return target


def describe_error_status(response: httpx.Response, snippet: bytes) -> str:
    """A one-line description of an error response; names Cloudflare challenges."""
    text = snippet.decode("latin-1", errors="replace").lower()
    challenge = response.headers.get("cf-mitigated", "").lower() == "challenge" or any(
        marker in text for marker in ("cf-chl", "challenge-platform", "just a moment...", "attention required! | cloudflare")
    )
    if challenge and response.status_code in {403, 429, 503}:
        return f"HTTP {response.status_code}: blocked by a bot challenge page (Cloudflare-style)"
    return f"HTTP {response.status_code} {response.reason_phrase}".rstrip()


def read_body(response: httpx.Response, settings: FetchSettings, deadline: float, url: str) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_body_bytes:
        raise FetchLimitError(
            f"Content-Length {declared} exceeds the {settings.max_body_bytes}-byte cap", url=url
        )
    parts: list[bytes] = []
    chunks = decoded_chunks(
        response.iter_raw(), response.headers.get("content-encoding"), max_bytes=settings.max_body_bytes, url=url
    )
    for chunk in chunks:
        if time.monotonic() > deadline:
            raise httpcore.ReadTimeout("wall-clock deadline exceeded")
        parts.append(chunk)
    return b"".join(parts)


def fetch(
    url: str,
    *,
    settings: FetchSettings = FetchSettings(),
    etag: str | None = None,
    last_modified: str | None = None,
    resolver: Resolver | None = None,
    transport: httpx.BaseTransport | None = None,
    gate: HostGate | None = None,
) -> FetchResult:
    """GET ``url`` under ``settings`` and return the final response, body decoded.

    ``etag`` / ``last_modified`` (from an earlier result) make the request conditional.
    ``resolver`` replaces DNS for the SSRF check (tests use a stub). ``transport`` replaces the
    network (an ``httpx.MockTransport``); the SSRF check still runs, but pinning and the
    socket-level deadline then do not apply. ``gate`` serialises requests per host.

    Raises :class:`BlockedURLError` (SSRF guard, unsafe redirect), :class:`FetchLimitError`
    (deadline, body cap, redirect limit or loop, downgrade), :class:`HTTPStatusError` (status
    ≥ 400, with ``status`` and ``retry_after_seconds``) or :class:`FetchError` (DNS, TLS,
    connection, corrupt encoding, 304 to an unconditional request).
    """
    started = time.monotonic()
    deadline = started + settings.timeout_seconds
    backend = PinnedBackend(deadline)
    timeout = httpx.Timeout(
        settings.timeout_seconds, connect=min(CONNECT_TIMEOUT_SECONDS, settings.timeout_seconds)
    )
    client = httpx.Client(
        transport=LocationShieldTransport(transport or PinnedTransport(backend)),
        follow_redirects=False,
        trust_env=False,
        timeout=timeout,
    )
    headers = build_request_headers(settings, etag, last_modified)
    current_url = url
    visited: list[str] = []
    try:
        with client:
            while True:
                target = check_url(
                    current_url, allow_private_networks=settings.allow_private_networks, resolver=resolver
                )
                backend.pins[(target.host, target.port)] = target.addresses
                visited.append(current_url)
                if gate is not None:
                    with gate.slot(current_url):
                        outcome = request_once(client, current_url, headers, settings, deadline)
                else:
                    outcome = request_once(client, current_url, headers, settings, deadline)
                if isinstance(outcome, str):  # a redirect
                    next_url = next_hop(current_url, outcome, visited)
                    if len(visited) > settings.max_redirects:
                        raise FetchLimitError(
                            f"more than {settings.max_redirects} redirects", url=url
                        )
                    current_url = next_url
                    continue
                response, body = outcome
                return build_result(url, current_url, response, body, visited[:-1], etag, last_modified, started)
    except httpx.TimeoutException as error:
        if time.monotonic() >= deadline - 0.05:
            raise FetchLimitError(
                f"wall-clock deadline of {settings.timeout_seconds:g} s exceeded", url=current_url
            ) from error
        raise FetchError(f"timed out: {error}", url=current_url) from error
    except httpx.HTTPError as error:
        raise FetchError(describe_transport_error(error), url=current_url) from error


def request_once(
    client: httpx.Client, url: str, headers: dict[str, str], settings: FetchSettings, deadline: float
) -> str | tuple[httpx.Response, bytes]:
    """One request: the Location of a redirect, or the response and its decoded body."""
    with client.stream("GET", url, headers=headers) as response:
        if response.status_code in REDIRECT_STATUSES:
            return response.headers.get(LOCATION_HEADER, "")
        if response.status_code >= 400:
            snippet = b""
            for chunk in response.iter_raw():
                snippet += chunk
                if len(snippet) >= ERROR_BODY_BYTES or time.monotonic() > deadline:
                    break
            raise HTTPStatusError(
                describe_error_status(response, snippet),
                url=url,
                status=response.status_code,
                retry_after_seconds=parse_retry_after(response.headers.get("retry-after")),
            )
        if response.status_code == 304:
            return response, b""
        return response, read_body(response, settings, deadline, url)


def build_result(
    url: str,
    final_url: str,
    response: httpx.Response,
    body: bytes,
    redirects: list[str],
    etag: str | None,
    last_modified: str | None,
    started: float,
) -> FetchResult:
    headers = {name.lower(): value for name, value in response.headers.items()}
    if response.status_code == 304 and not (etag or last_modified):
        raise FetchError("304 Not Modified to an unconditional request", url=final_url)
    response_etag = headers.get("etag")
    not_modified = response.status_code == 304 or (etag is not None and response_etag == etag)
    content_type = headers.get("content-type")
    return FetchResult(
        url=url,
        final_url=final_url,
        status=response.status_code,
        headers=headers,
        body=body,
        etag=response_etag or (etag if response.status_code == 304 else None),
        last_modified=headers.get("last-modified") or (last_modified if response.status_code == 304 else None),
        not_modified=not_modified,
        content_type=content_type,
        charset=charset_from_content_type(content_type),
        redirects=tuple(redirects),
        cache_lifetime_seconds=cache_lifetime_seconds(headers),
        elapsed_seconds=time.monotonic() - started,
        retry_after_seconds=parse_retry_after(headers.get("retry-after")),
    )


def describe_transport_error(error: httpx.HTTPError) -> str:
    """Name TLS certificate failures plainly; they must never be retried without verification."""
    text = str(error)
    cause = error.__context__
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS certificate verification failed: {cause.verify_message or cause}"
        cause = cause.__context__
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate" in text.lower():
        return f"TLS certificate verification failed: {text}"
    if isinstance(error, httpx.RemoteProtocolError):
        return f"server broke the HTTP protocol (incomplete or malformed response): {text}"
    return f"{type(error).__name__}: {text}"
