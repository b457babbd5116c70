"""``serve``: listen first, announce the URL once the server answers, fail in one line.

The socket is bound here, not by uvicorn, so a busy port, a port the user may not take or an
address this machine does not have is one ``error:`` line before anything starts; the banner is
printed by the server's own start-up, so it never announces a URL nobody answers on.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable
from typing import Any

from sanctionwatch.errors import ConfigError

_BIND_REASONS = {
    errno.EADDRINUSE: "the port is already in use (another server is running there; choose another --port)",
    errno.EACCES: "permission denied (ports below 1024 need administrator rights; choose another --port)",
    errno.EADDRNOTAVAIL: "this machine has no such address (check --host)",
}


def url_of(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def listening_socket(host: str, port: int) -> socket.socket:
    """A bound, listening TCP socket; ConfigError naming the reason when there cannot be one."""
    where = url_of(host, port)
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise ConfigError(f"cannot listen on {where}: unknown host {host!r}") from exc
    sock = socket.socket(family, kind, protocol)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        reason = _BIND_REASONS.get(exc.errno or 0, exc.strerror or str(exc))
        raise ConfigError(f"cannot listen on {where}: {reason}") from exc
    return sock


def run_server(application: Any, sock: socket.socket, *, announce: Callable[[], None]) -> None:
    """Serve ``application`` on ``sock`` until stopped; ``announce`` runs once it answers."""
    import uvicorn

    class AnnouncingServer(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started and not self.should_exit:
                announce()

    config = uvicorn.Config(application, log_level="warning", timeout_graceful_shutdown=5)
    AnnouncingServer(config).run(sockets=[sock])
