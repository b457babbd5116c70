"""SSRF guard: BAD_INPUTS items 10, 11 and 12."""

from __future__ import annotations

import pytest

from sanctionwatch.errors import BlockedURLError, FetchError
from sanctionwatch.ingest.ssrf import check_url, parse_ipv4_like_libc


def public_resolver(host: str, port: int) -> list[str]:
    return ["93.184.216.34"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://[::1]/",
        "http://0/",
        "http://0.0.0.0/",
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://0x7f.1/",
        "http://127.1/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[2002:7f00:1::]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://100.64.0.1/",
        "http://10.1.2.3/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://224.0.0.1/",
        "http://255.255.255.255/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[::]/",
        "http://[ff02::1]/",
        "http://[2002:a00:1::]/",  # 6to4 of 10.0.0.1
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
        "http://240.0.0.1/",  # reserved
        "http://0x7f000001/",
        "http://017700000001/",
        "https://127.0.0.1./",
    ],
)
def test_non_public_addresses_are_refused(url: str) -> None:
    with pytest.raises(BlockedURLError):
        check_url(url, resolver=lambda host, port: ["127.0.0.1"])


@pytest.mark.parametrize(
    ("url", "reason_fragment"),
    [
        ("http://user:pass@example.com/", "userinfo"),
        ("http://evil.com@127.0.0.1/", "userinfo"),
        ("http://evil.com\\@127.0.0.1/", "userinfo"),
        ("http://example.com/a\r\nX-Injected: 1", "control"),
        ("http://example.com/\n", "control"),
        ("http://exa mple.com/", "control"),
        ("http://example.com/" + "a" * 9000, "longer than"),
        ("file:///etc/passwd", "scheme"),
        ("ftp://example.com/feed.xml", "scheme"),
        ("gopher://example.com/", "scheme"),
        ("data:text/html,hi", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("example.com/feed.xml", "scheme"),
        ("http://example.com:22/", "port 22"),
        ("http://example.com:25/", "port 25"),
        ("http://example.com:99999/", "malformed"),
        ("http:///path-only", "no host"),
        ("http://xn--a.com/", "punycode"),
    ],
)
def test_url_tricks_are_refused_with_a_reason(url: str, reason_fragment: str) -> None:
    with pytest.raises(BlockedURLError, match=reason_fragment):
        check_url(url, resolver=public_resolver)


def test_port_22_on_loopback_is_refused_even_when_private_networks_are_allowed() -> None:
    with pytest.raises(BlockedURLError, match="port 22"):
        check_url("http://127.0.0.1:22/", allow_private_networks=True)


@pytest.mark.parametrize(
    ("url", "expected_host"),
    [
        ("https://EXAMPLE.com/feed", "example.com"),
        ("http://例え.jp/", "xn--r8jz45g.jp"),
        ("http://münchen.de/rss", "xn--mnchen-3ya.de"),
        ("http://북한.kr/", "xn--pr3b894b.kr"),
    ],
)
def test_public_and_idn_hosts_pass_with_ascii_host(url: str, expected_host: str) -> None:
    target = check_url(url, resolver=public_resolver)
    assert target.host == expected_host
    assert target.addresses == ("93.184.216.34",)


def test_name_resolving_to_public_and_private_is_refused() -> None:
    with pytest.raises(BlockedURLError, match=r"10\.0\.0\.5"):
        check_url("http://mixed.example/", resolver=lambda host, port: ["93.184.216.34", "10.0.0.5"])


def test_rebinding_second_answer_private_is_refused_and_first_is_pinned() -> None:
    answers = [["93.184.216.34"], ["127.0.0.1"]]
    resolver = lambda host, port: answers.pop(0)  # noqa: E731
    first = check_url("http://rebind.example/", resolver=resolver)
    assert first.addresses == ("93.184.216.34",)
    with pytest.raises(BlockedURLError, match="loopback"):
        check_url("http://rebind.example/", resolver=resolver)


def test_resolver_not_called_for_ip_literals() -> None:
    def resolver(host: str, port: int) -> list[str]:
        raise AssertionError("resolver called")

    assert check_url("http://93.184.216.34/", resolver=resolver).addresses == ("93.184.216.34",)


def test_unresolvable_host_is_a_fetch_error_not_a_block() -> None:
    def resolver(host: str, port: int) -> list[str]:
        return []

    with pytest.raises(FetchError) as caught:
        check_url("http://nowhere.example/", resolver=resolver)
    assert not isinstance(caught.value, BlockedURLError)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://127.0.0.1:8080/", True),
        ("http://192.168.1.10/", True),
        ("http://169.254.169.254/", False),
        ("http://[fd00:ec2::254]/", False),
        ("http://224.0.0.1/", False),
        ("http://0.0.0.0/", False),
    ],
)
def test_allow_private_networks_still_blocks_metadata_and_multicast(url: str, allowed: bool) -> None:
    if allowed:
        assert check_url(url, allow_private_networks=True).port in {80, 8080}
    else:
        with pytest.raises(BlockedURLError):
            check_url(url, allow_private_networks=True)


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0", "0.0.0.0"),
        ("10.0.258", "10.0.1.2"),
        ("example.com", None),
        ("1.2.3.4.5", None),
        ("256.1.1.1", None),
        ("08.0.0.1", None),
    ],
)
def test_ipv4_parsing_matches_libc(host: str, expected: str | None) -> None:
    parsed = parse_ipv4_like_libc(host)
    assert (str(parsed) if parsed else None) == expected
