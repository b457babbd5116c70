"""A scriptable HTTP server on 127.0.0.1 for the ingest tests.

Each test registers handlers by path. A handler gets the parsed request and the raw socket, so
it can do what well-behaved servers never do: drip bytes, stall, lie about Content-Length,
send bombs. Every handler thread ends when the test ends (``server.stopping`` is set).
"""

from __future__ import annotations

import socket
import socketserver
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]


Handler = Callable[[Request, socket.socket], None]


def send_response(
    connection: socket.socket,
    status: int = 200,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    *,
    content_length: int | None = None,
    reason: str = "Status",
) -> None:
    """Write a complete HTTP/1.1 response; ``content_length`` may lie on purpose."""
    all_headers = {"Connection": "close"}
    all_headers.update(headers or {})
    if content_length is None:
        content_length = len(body)
    if content_length >= 0:
        all_headers["Content-Length"] = str(content_length)
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in all_headers.items()) + "\r\n"
    connection.sendall(head.encode("latin-1") + body)


@dataclass
class FixtureServer:
    host: str
    port: int
    scheme: str
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str = "/") -> str:
        return f"{self.scheme}://{self.host}:{self.port}{path}"

    def route(self, path: str, status: int = 200, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        """Serve a fixed response at ``path``."""
        self.routes[path] = lambda request, connection: send_response(connection, status, body, headers)


def read_request(connection: socket.socket) -> Request | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > 1_000_000:
            return None
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    request_line, *header_lines = head.split("\r\n")
    method, path, _version = request_line.split(" ", 2)
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Request(method, path, headers)


def start_server(ssl_context: ssl.SSLContext | None = None) -> tuple[FixtureServer, socketserver.ThreadingTCPServer]:
    state = FixtureServer("127.0.0.1", 0, "https" if ssl_context else "http")

    class RequestHandler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            connection: socket.socket = self.request
            connection.settimeout(30)
            try:
                if ssl_context is not None:
                    connection = ssl_context.wrap_socket(connection, server_side=True)
                request = read_request(connection)
                if request is None:
                    return
                state.requests.append(request)
                handler = state.routes.get(request.path.split("?", 1)[0])
                if handler is None:
                    send_response(connection, 404, b"not found")
                else:
                    handler(request, connection)
            except (OSError, ssl.SSLError):
                pass  # the client gave up or refused our certificate: expected in these tests

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True
        request_queue_size = 128

    server = Server(("127.0.0.1", 0), RequestHandler)
    state.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return state, server


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    state, tcp_server = start_server()
    yield state
    state.stopping.set()
    tcp_server.shutdown()
    tcp_server.server_close()
