"""Who may talk to the server: the ``Host`` it is reached by, and where a write comes from.

DNS rebinding: a page the analyst visits can point its own name at 127.0.0.1, and the browser
then sends the page's requests to this server with ``Host: evil.example``. So:

- a request whose ``Host`` is not one of the names this server is bound to (``allowed_hosts``:
  the loopback names, the ``serve --host`` name, ``SANCTIONWATCH_ALLOWED_HOSTS``) is refused
  with **421 Misdirected Request**;
- a write (POST, PUT, PATCH, DELETE) that a browser sends from another origin is refused with
  **403**: its ``Origin`` must be the server's own (``Host``); with ``Origin: null`` (what
  Chromium sends from our own forms under ``Referrer-Policy: no-referrer``, and what sandboxed
  pages and files send) or no ``Origin``, the browser's ``Sec-Fetch-Site`` must say
  ``same-origin``. A client that is not a browser (curl, a script) sends neither and is not a
  cross-site risk; team mode's credentials are checked on top of this.

A plain ASGI middleware, so streamed exports pass through untouched.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARD_ADDRESSES = ("0.0.0.0", "::", "")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def allowed_host_names(bound_host: str | None, extra: Iterable[str] = ()) -> frozenset[str]:
    """The names a request may use to reach a server bound to ``bound_host``."""
    names = set(LOOPBACK_NAMES)
    names.update(name.strip().lower().strip("[]") for name in extra if name.strip())
    if bound_host is not None:
        host = bound_host.strip().lower().strip("[]")
        if host in WILDCARD_ADDRESSES:
            # Listening everywhere: this machine's own names; others via SANCTIONWATCH_ALLOWED_HOSTS.
            names.update({socket.gethostname().lower(), socket.getfqdn().lower()})
        else:
            names.add(host)
    return frozenset(names)


def host_name(host_header: str) -> str:
    """``example.org:8000`` → ``example.org``; ``[::1]:8000`` → ``::1``."""
    value = host_header.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    if value.count(":") == 1:
        return value.split(":", 1)[0]
    return value


def _same_origin(origin: str, host_header: str) -> bool:
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    default_port = {"http": ":80", "https": ":443"}[parts.scheme]
    return parts.netloc.lower().removesuffix(default_port) == host_header.strip().lower().removesuffix(default_port)


class RequestGuard:
    def __init__(self, app: ASGIApp, *, allowed_hosts: frozenset[str]) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {name.lower(): value.decode("latin-1") for name, value in scope.get("headers", [])}
        host_header = headers.get(b"host", "")
        if host_name(host_header) not in self.allowed_hosts:
            await _refuse(
                scope, send, 421,
                # The name is not echoed: nothing the request sends is written back into a page.
                "this server does not answer for the host name in this request; open it by the address it "
                "listens on (or add the name to SANCTIONWATCH_ALLOWED_HOSTS)",
            )  # fmt: skip
            return
        if scope.get("method", "GET").upper() not in SAFE_METHODS:
            origin = headers.get(b"origin")
            fetch_site = headers.get(b"sec-fetch-site")
            if origin is not None and origin != "null":
                refused = not _same_origin(origin, host_header)
            elif origin == "null":
                # Our pages send Referrer-Policy: no-referrer, and with it Chromium sends "Origin:
                # null" on its own forms; Sec-Fetch-Site (set by the browser, not by the page) tells.
                refused = fetch_site != "same-origin"
            else:
                refused = fetch_site is not None and fetch_site not in ("same-origin", "none")
            if refused:
                await _refuse(scope, send, 403, "a write from another site is refused: only this server's own pages may write")
                return
        await self.app(scope, receive, send)


async def _refuse(scope: Scope, send: Send, status: int, message: str) -> None:
    if str(scope.get("path", "")).startswith("/api/"):
        body = json.dumps({"error": message}).encode("utf-8")
        content_type = b"application/json"
    else:
        body = message.encode("utf-8")
        content_type = b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
