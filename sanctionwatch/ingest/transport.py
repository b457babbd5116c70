"""The network layer under :func:`http.fetch`: pinned connections and deadline-bound sockets.

* :class:`PinnedBackend` connects only to addresses the SSRF guard approved for a host (never
  to a fresh DNS answer, so DNS rebinding cannot redirect the connection) and checks the peer
  address after connecting.
* :class:`DeadlineStream` gives every socket read, write and TLS handshake at most the time
  left before the fetch's wall-clock deadline.
* :class:`PinnedTransport` is httpx's transport over that backend, TLS always verified.
* :class:`LocationShieldTransport` keeps hostile ``Location`` values away from httpx's parser.
"""

from __future__ import annotations

import functools
import ssl
import time

import certifi
import httpcore
import httpx

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
LOCATION_HEADER = "x-sanctionwatch-location"


class DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every operation ends by the fetch's wall-clock deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner = inner
        self._deadline = deadline

    def _time_left(self, timeout: float | None) -> float:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise httpcore.ReadTimeout("wall-clock deadline exceeded")
        return remaining if timeout is None else min(timeout, remaining)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._time_left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._time_left(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        upgraded = self._inner.start_tls(ssl_context, server_hostname, self._time_left(timeout))
        return DeadlineStream(upgraded, self._deadline)

    def get_extra_info(self, info: str) -> object:
        return self._inner.get_extra_info(info)


class PinnedBackend(httpcore.NetworkBackend):
    """Connects to the addresses the SSRF guard approved for ``(host, port)``, never to a
    fresh DNS answer, and bounds every socket operation by ``deadline`` (monotonic time)."""

    def __init__(self, deadline: float) -> None:
        self._inner = httpcore.SyncBackend()
        self._deadline = deadline
        self.pins: dict[tuple[str, int], tuple[str, ...]] = {}

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: object = None,
    ) -> httpcore.NetworkStream:
        addresses = self.pins.get((host.strip("[]").lower(), port))
        if not addresses:
            raise httpcore.ConnectError(f"no checked address for {host}:{port}; refusing to resolve again")
        last_error: Exception | None = None
        for address in addresses:
            remaining = self._deadline - time.monotonic()
            if remaining <= 0:
                raise httpcore.ConnectTimeout("wall-clock deadline exceeded")
            limit = remaining if timeout is None else min(timeout, remaining)
            try:
                stream = self._inner.connect_tcp(address, port, timeout=limit, local_address=local_address)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last_error = error
                continue
            peer = stream.get_extra_info("socket").getpeername()[0]
            if peer.split("%", 1)[0] != address:
                stream.close()
                raise httpcore.ConnectError(f"connected to {peer}, not the checked address {address}")
            return DeadlineStream(stream, self._deadline)
        assert last_error is not None
        raise last_error

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@functools.lru_cache(maxsize=1)
def verified_ssl_context() -> ssl.SSLContext:
    """One verifying context for all fetches: loading the CA bundle costs ~10 ms each time."""
    return ssl.create_default_context(cafile=certifi.where())


class PinnedTransport(httpx.HTTPTransport):
    """httpx's transport over a :class:`PinnedBackend`, TLS always verified, no proxies."""

    def __init__(self, backend: PinnedBackend) -> None:
        context = verified_ssl_context()
        super().__init__(verify=context, trust_env=False, retries=0)
        # httpx 0.28 exposes no network_backend argument; replace the pool it built.
        self._pool = httpcore.ConnectionPool(
            ssl_context=context, max_connections=4, retries=0, network_backend=backend
        )


class LocationShieldTransport(httpx.BaseTransport):
    """Hides ``Location`` from httpx, which would otherwise parse it to build ``next_request``
    even with redirects off, and raise on hostile values (``data:text/html,hi``) before we
    could refuse them with a clear error. The value travels in :data:`LOCATION_HEADER`."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        if response.status_code not in REDIRECT_STATUSES or "location" not in response.headers:
            return response
        headers = [(name, value) for name, value in response.headers.multi_items() if name.lower() != "location"]
        headers.append((LOCATION_HEADER, response.headers["location"]))
        return httpx.Response(
            response.status_code, headers=headers, stream=response.stream, extensions=response.extensions
        )

    def close(self) -> None:
        self._inner.close()
