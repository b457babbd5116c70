"""fetch(): BAD_INPUTS items 1-9 against a real server on 127.0.0.1."""

from __future__ import annotations

import gzip
import shutil
import socket
import ssl
import subprocess
import threading
import time
import zlib
from pathlib import Path

import brotli
import httpx
import pytest
import zstandard

from sanctionwatch.errors import BlockedURLError, FetchError, FetchLimitError, HTTPStatusError
from sanctionwatch.ingest.http import FetchSettings, fetch

from .conftest import FixtureServer, Request, send_response, start_server

LOCAL = FetchSettings(allow_private_networks=True, timeout_seconds=5.0)
FAST = FetchSettings(allow_private_networks=True, timeout_seconds=1.0)
SMALL_CAP = FetchSettings(allow_private_networks=True, timeout_seconds=5.0, max_body_bytes=100_000)


def drip(interval_seconds: float):
    def handler(request: Request, connection: socket.socket) -> None:
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        for _ in range(1000):  # ends early with OSError once the client hangs up
            connection.sendall(b"x")
            time.sleep(interval_seconds)

    return handler


# 1. slow drip --------------------------------------------------------------------------------


@pytest.mark.parametrize("interval_seconds", [4.0, 0.2])
def test_slow_drip_hits_wall_clock_deadline(server: FixtureServer, interval_seconds: float) -> None:
    # The drip would take 200 s or more to finish; the deadline error, with the body still
    # arriving, is the proof that the wall-clock deadline cut it short (no duration is asserted).
    server.routes["/drip"] = drip(interval_seconds)
    with pytest.raises(FetchLimitError, match="deadline"):
        fetch(server.url("/drip"), settings=FAST)


# 2. stalls -----------------------------------------------------------------------------------


STALL_SECONDS = 30


def stalling(send_headers: bool, finished: threading.Event):
    def handler(request: Request, connection: socket.socket) -> None:
        if send_headers:
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab")
        time.sleep(STALL_SECONDS)
        finished.set()

    return handler


@pytest.mark.parametrize("send_headers", [False, True], ids=["before-headers", "after-headers"])
def test_stalled_server_hits_deadline(server: FixtureServer, send_headers: bool) -> None:
    finished = threading.Event()
    server.routes["/stall"] = stalling(send_headers, finished)
    with pytest.raises(FetchLimitError, match="deadline"):
        fetch(server.url("/stall"), settings=FAST)
    # The fetch gave up while the server was still stalling: the deadline, not the server, ended it.
    assert not finished.is_set()


# 3. size caps and lying Content-Length -------------------------------------------------------


@pytest.mark.parametrize("declared_length", [None, -1], ids=["with-length", "close-delimited"])
def test_body_over_cap_is_refused(server: FixtureServer, declared_length: int | None) -> None:
    server.routes["/big"] = lambda r, c: send_response(c, 200, b"x" * 200_000, content_length=declared_length)
    with pytest.raises(FetchLimitError, match="100000"):
        fetch(server.url("/big"), settings=SMALL_CAP)


def test_content_length_smaller_than_body_reads_declared_length(server: FixtureServer) -> None:
    server.routes["/short"] = lambda r, c: send_response(c, 200, b"hello world", content_length=5)
    assert fetch(server.url("/short"), settings=LOCAL).body == b"hello"


def test_content_length_larger_than_body_is_an_incomplete_body(server: FixtureServer) -> None:
    server.routes["/long"] = lambda r, c: send_response(c, 200, b"hello", content_length=100)
    with pytest.raises(FetchError, match="incomplete"):
        fetch(server.url("/long"), settings=LOCAL)


# 4. content encodings and bombs --------------------------------------------------------------

PAYLOAD = b"<rss><channel><title>Nampo</title></channel></rss>" * 50


def deflate_zlib(data: bytes) -> bytes:
    return zlib.compress(data)


def deflate_raw(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


ENCODERS = {
    "gzip": gzip.compress,
    "deflate": deflate_zlib,
    "br": brotli.compress,
    "zstd": zstandard.ZstdCompressor().compress,
}


@pytest.mark.parametrize(
    ("header", "encode"),
    [
        ("gzip", gzip.compress),
        ("deflate", deflate_zlib),
        ("deflate", deflate_raw),
        ("br", brotli.compress),
        ("zstd", zstandard.ZstdCompressor().compress),
        ("gzip, deflate, gzip", lambda d: gzip.compress(deflate_zlib(gzip.compress(d)))),
        ("identity", lambda d: d),
        ("gzip", lambda d: gzip.compress(d[:100]) + gzip.compress(d[100:])),  # two members
    ],
)
def test_encodings_are_decoded(server: FixtureServer, header: str, encode) -> None:
    server.route("/enc", body=encode(PAYLOAD), headers={"Content-Encoding": header})
    assert fetch(server.url("/enc"), settings=LOCAL).body == PAYLOAD


@pytest.mark.parametrize("header", ["gzip", "deflate", "br", "zstd", "gzip, deflate, gzip"])
def test_decompression_bomb_stops_at_cap(server: FixtureServer, header: str) -> None:
    bomb = b"\0" * 20_000_000
    for coding in [coding.strip() for coding in header.split(",")]:
        bomb = ENCODERS[coding](bomb)
    assert len(bomb) < 100_000  # small on the wire
    server.route("/bomb", body=bomb, headers={"Content-Encoding": header})
    with pytest.raises(FetchLimitError, match="after decompression"):
        fetch(server.url("/bomb"), settings=SMALL_CAP)


def corrupt_crc(data: bytes) -> bytes:
    compressed = bytearray(gzip.compress(data))
    compressed[-8] ^= 0xFF  # the CRC32 in the gzip trailer
    return bytes(compressed)


@pytest.mark.parametrize(
    ("header", "body"),
    [
        ("gzip", corrupt_crc(PAYLOAD)),
        ("gzip", gzip.compress(PAYLOAD)[:-12]),
        ("gzip", b"not gzip at all"),
        ("br", brotli.compress(PAYLOAD)[:-5]),
        ("zstd", b"\x28\xb5\x2f\xfdgarbage"),
    ],
    ids=["bad-crc", "truncated-gzip", "not-gzip", "truncated-br", "bad-zstd"],
)
def test_corrupt_encoded_body_is_a_clear_error(server: FixtureServer, header: str, body: bytes) -> None:
    server.route("/bad", body=body, headers={"Content-Encoding": header})
    with pytest.raises(FetchError, match="corrupt"):
        fetch(server.url("/bad"), settings=LOCAL)


def test_unknown_encoding_is_refused(server: FixtureServer) -> None:
    server.route("/odd", body=b"abc", headers={"Content-Encoding": "compress"})
    with pytest.raises(FetchError, match="unsupported Content-Encoding"):
        fetch(server.url("/odd"), settings=LOCAL)


# 5. redirects --------------------------------------------------------------------------------


def redirect_to(location: str, status: int = 302):
    return lambda r, c: send_response(c, status, b"", {"Location": location})


def test_redirect_loop_is_refused(server: FixtureServer) -> None:
    server.routes["/a"] = redirect_to("/b")
    server.routes["/b"] = redirect_to("/a")
    with pytest.raises(FetchLimitError, match="loop"):
        fetch(server.url("/a"), settings=LOCAL)


@pytest.mark.parametrize(("hops", "succeeds"), [(5, True), (6, False)])
def test_redirect_chain_limit(server: FixtureServer, hops: int, succeeds: bool) -> None:
    for index in range(hops):
        server.routes[f"/r{index}"] = redirect_to(f"/r{index + 1}", 301)
    server.route(f"/r{hops}", body=b"done")
    if succeeds:
        result = fetch(server.url("/r0"), settings=LOCAL)
        assert (result.body, len(result.redirects), result.final_url) == (b"done", hops, server.url(f"/r{hops}"))
    else:
        with pytest.raises(FetchLimitError, match="more than 5 redirects"):
            fetch(server.url("/r0"), settings=LOCAL)


def test_relative_location_is_resolved(server: FixtureServer) -> None:
    server.routes["/dir/start"] = redirect_to("../target?x=1", 307)
    server.route("/target", body=b"ok")
    result = fetch(server.url("/dir/start"), settings=LOCAL)
    assert result.final_url == server.url("/target?x=1")
    assert result.url == server.url("/dir/start")


@pytest.mark.parametrize(
    "location",
    ["file:///etc/passwd", "ftp://127.0.0.1/x", "data:text/html,hi", "javascript:alert(1)"],
)
def test_redirect_to_other_scheme_is_refused(server: FixtureServer, location: str) -> None:
    server.routes["/go"] = redirect_to(location)
    with pytest.raises(BlockedURLError, match="scheme"):
        fetch(server.url("/go"), settings=LOCAL)


def test_redirect_to_metadata_address_is_refused_even_with_private_allowed(server: FixtureServer) -> None:
    server.routes["/go"] = redirect_to("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(BlockedURLError, match="metadata"):
        fetch(server.url("/go"), settings=LOCAL)


def mock_public(handler) -> dict:
    return {"resolver": lambda host, port: ["93.184.216.34"], "transport": httpx.MockTransport(handler)}


def test_https_to_http_downgrade_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"Location": "http://news.example/feed"})

    with pytest.raises(FetchLimitError, match="downgrade"):
        fetch("https://news.example/feed", settings=FetchSettings(), **mock_public(handler))


def test_public_url_redirecting_to_loopback_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "http://127.0.0.1/admin"})

    with pytest.raises(BlockedURLError, match="loopback"):
        fetch("http://news.example/feed", settings=FetchSettings(), **mock_public(handler))


def test_connection_is_pinned_to_the_first_checked_address(server: FixtureServer) -> None:
    answers = [["127.0.0.1"], ["192.0.2.1"], ["192.0.2.1"]]  # a rebinding DNS server
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return answers.pop(0)

    server.route("/pinned", body=b"pinned")
    result = fetch(f"http://pinned.test:{server.port}/pinned", settings=LOCAL, resolver=resolver)
    assert result.body == b"pinned"
    assert calls == ["pinned.test"]
    assert server.requests[-1].headers["host"] == f"pinned.test:{server.port}"


def test_loopback_refused_without_allow_private_networks(server: FixtureServer) -> None:
    server.route("/", body=b"secret")
    with pytest.raises(BlockedURLError):
        fetch(server.url("/"), settings=FetchSettings())
    assert server.requests == []


# 6. conditional GET, cache hints, Retry-After -------------------------------------------------


def test_conditional_get_sends_validators_and_reads_304(server: FixtureServer) -> None:
    server.route("/feed", 304, headers={"ETag": '"v1"'})
    result = fetch(server.url("/feed"), settings=LOCAL, etag='"v1"', last_modified="Wed, 15 May 2024 10:00:00 GMT")
    assert (result.not_modified, result.body, result.etag) == (True, b"", '"v1"')
    assert server.requests[-1].headers["if-none-match"] == '"v1"'
    assert server.requests[-1].headers["if-modified-since"] == "Wed, 15 May 2024 10:00:00 GMT"


def test_304_without_stored_validator_is_an_error(server: FixtureServer) -> None:
    server.route("/feed", 304)
    with pytest.raises(FetchError, match="unconditional"):
        fetch(server.url("/feed"), settings=LOCAL)


@pytest.mark.parametrize(("sent_etag", "not_modified"), [('"same"', True), ('"older"', False), (None, False)])
def test_200_with_identical_etag_counts_as_not_modified(server: FixtureServer, sent_etag, not_modified) -> None:
    server.route("/feed", body=b"<rss/>", headers={"ETag": '"same"'})
    result = fetch(server.url("/feed"), settings=LOCAL, etag=sent_etag)
    assert (result.not_modified, result.body) == (not_modified, b"<rss/>")


@pytest.mark.parametrize(
    ("headers", "lifetime"),
    [
        ({"Expires": "0"}, 0.0),
        ({"Cache-Control": "max-age=86400000"}, 86400.0),
        ({"Cache-Control": "public, max-age=600"}, 600.0),
        ({"Expires": "Thu, 01 Jan 1970 00:00:00 GMT"}, 0.0),
        ({}, None),
    ],
)
def test_cache_hints_are_clamped(server: FixtureServer, headers: dict, lifetime) -> None:
    server.route("/feed", body=b"x", headers=headers)
    assert fetch(server.url("/feed"), settings=LOCAL).cache_lifetime_seconds == lifetime


@pytest.mark.parametrize("status", [429, 503])
@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [("120", 120.0), ("Thu, 01 Jan 2015 00:00:00 GMT", 0.0), ("soon", None), ("-5", None)],
)
def test_retry_after_is_parsed_on_error_status(server: FixtureServer, status: int, retry_after: str, expected) -> None:
    server.route("/busy", status, b"busy", {"Retry-After": retry_after})
    with pytest.raises(HTTPStatusError) as caught:
        fetch(server.url("/busy"), settings=LOCAL)
    assert (caught.value.status, caught.value.retry_after_seconds) == (status, expected)


def test_retry_after_future_date_gives_seconds_until_then(server: FixtureServer) -> None:
    future = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 3600))
    server.route("/busy", 503, b"", {"Retry-After": future})
    with pytest.raises(HTTPStatusError) as caught:
        fetch(server.url("/busy"), settings=LOCAL)
    assert 3500 < caught.value.retry_after_seconds <= 3600


# 7. error statuses and challenge pages -------------------------------------------------------


@pytest.mark.parametrize("status", [401, 403, 404, 410, 500, 502, 503])
def test_error_statuses_raise_with_status(server: FixtureServer, status: int) -> None:
    server.route("/x", status, b"nope")
    with pytest.raises(HTTPStatusError) as caught:
        fetch(server.url("/x"), settings=LOCAL)
    assert caught.value.status == status
    assert str(status) in str(caught.value)


@pytest.mark.parametrize("status", [403, 503])
def test_cloudflare_challenge_is_named(server: FixtureServer, status: int) -> None:
    page = b"<html><head><title>Just a moment...</title></head><body><script src='/cdn-cgi/challenge-platform/x.js'></script></body></html>"
    server.route("/cf", status, page, {"Content-Type": "text/html", "Server": "cloudflare"})
    with pytest.raises(HTTPStatusError, match="challenge"):
        fetch(server.url("/cf"), settings=LOCAL)


# 8. empty body, headers passed through --------------------------------------------------------


def test_empty_200_body_is_returned_empty(server: FixtureServer) -> None:
    server.route("/empty", body=b"", headers={"Content-Type": "application/rss+xml; charset=EUC-KR"})
    result = fetch(server.url("/empty"), settings=LOCAL)
    assert (result.status, result.body, result.charset) == (200, b"", "EUC-KR")
    assert result.content_type == "application/rss+xml; charset=EUC-KR"


def test_request_identifies_itself(server: FixtureServer) -> None:
    server.route("/ua", body=b"ok")
    fetch(server.url("/ua"), settings=LOCAL)
    sent = server.requests[-1].headers
    assert sent["user-agent"].startswith("sanctionwatch/")
    assert "+https://" in sent["user-agent"]
    assert "br" in sent["accept-encoding"] and "zstd" in sent["accept-encoding"]


# 9. TLS ---------------------------------------------------------------------------------------


def make_certificate(directory: Path, common_name: str, alt_names: str) -> ssl.SSLContext:
    if shutil.which("openssl") is None:
        pytest.skip("openssl CLI not available")
    key, cert = directory / f"{common_name}.key", directory / f"{common_name}.crt"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", f"/CN={common_name}",
         "-addext", f"subjectAltName={alt_names}"],
        check=True, capture_output=True, timeout=30,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


@pytest.mark.parametrize(
    ("common_name", "alt_names"),
    [("localhost", "DNS:localhost,IP:127.0.0.1"), ("wrong.example", "DNS:wrong.example")],
    ids=["self-signed", "wrong-host"],
)
def test_bad_certificates_fail_and_never_fall_back(tmp_path: Path, common_name: str, alt_names: str) -> None:
    state, tcp_server = start_server(make_certificate(tmp_path, common_name, alt_names))
    state.route("/", body=b"should never be read")
    try:
        with pytest.raises(FetchError, match="certificate"):
            fetch(state.url("/"), settings=LOCAL)
        assert state.requests == []  # no request was sent over an unverified channel
    finally:
        tcp_server.shutdown()
        tcp_server.server_close()
