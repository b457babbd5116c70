"""canonical_url(): one spelling per resource."""

from __future__ import annotations

import pytest

from sanctionwatch.ingest.urls import canonical_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://News.Example.COM/a?b=2&a=1#top", "https://news.example.com/a?a=1&b=2"),
        ("http://example.com:80/x", "http://example.com/x"),
        ("https://example.com:443/x", "https://example.com/x"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a?utm_source=tw&utm_medium=social&id=7", "https://example.com/a?id=7"),
        ("https://example.com/a?fbclid=XYZ&gclid=1&mc_cid=2&mc_eid=3&ref=home&spm=a.b", "https://example.com/a"),
        ("https://example.com/a?UTM_Campaign=x&page=2&page=1", "https://example.com/a?page=2&page=1"),
        ("https://example.com/a?q=north+korea&empty=", "https://example.com/a?empty=&q=north+korea"),
        ("http://[2001:DB8::1]:80/x", "http://[2001:db8::1]/x"),
        ("urn:uuid:1234", "urn:uuid:1234"),
        ("  not a url  ", "not a url"),
        ("http://example.com:notaport/", "http://example.com:notaport/"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_canonical_url_is_idempotent() -> None:
    once = canonical_url("HTTP://Example.com:80/path?utm_source=x&b=1&a=2#frag")
    assert canonical_url(once) == once == "http://example.com/path?a=2&b=1"
