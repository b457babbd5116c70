"""parse_feed() and discover_feeds(): BAD_INPUTS items 8, 13, 14, 16, 17 and 18."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from sanctionwatch.errors import FeedError
from sanctionwatch.ingest.feeds import discover_feeds, parse_feed

URL = "https://news.example/feed.xml"


def rss(items: str, *, channel_extra: str = "", prolog: str = '<?xml version="1.0" encoding="utf-8"?>') -> bytes:
    return (
        f'{prolog}<rss version="2.0"><channel><title>Example News</title>'
        f"<link>https://news.example/</link>{channel_extra}{items}</channel></rss>"
    ).encode()


def item(guid: str | None = None, link: str | None = None, title: str = "Title", date: str | None = None, description: str = "Body") -> str:
    parts = [f"<title>{title}</title>", f"<description>{description}</description>"]
    if guid is not None:
        parts.append(f"<guid isPermaLink=\"false\">{guid}</guid>")
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if date is not None:
        parts.append(f"<pubDate>{date}</pubDate>")
    return "<item>" + "".join(parts) + "</item>"


# 18. one happy path per format ---------------------------------------------------------------

RSS_091 = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old feed</title><link>http://old.example/</link><description>d</description><language>en</language>
<item><title>Coal shipment</title><link>http://old.example/1</link><description>Ship seen at Nampo</description></item></channel></rss>"""

RSS_10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://rdf.example/"><title>RDF feed</title><link>http://rdf.example/</link><description>d</description></channel>
<item rdf:about="http://rdf.example/1"><title>Coal shipment</title><link>http://rdf.example/1</link><description>Ship seen at Nampo</description><dc:date>2024-05-16T09:00:00+09:00</dc:date><dc:creator>Kim</dc:creator></item></rdf:RDF>"""

ATOM_03 = b"""<?xml version="1.0"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Atom 0.3</title><link rel="alternate" type="text/html" href="http://atom03.example/"/>
<modified>2024-05-16T00:00:00Z</modified><entry><title>Coal shipment</title><link rel="alternate" type="text/html" href="http://atom03.example/1"/>
<id>tag:atom03.example,2024:1</id><issued>2024-05-16T00:00:00Z</issued><summary>Ship seen at Nampo</summary></entry></feed>"""

ATOM_10 = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://atom.example/news/"><title>Atom 1.0</title><link href="https://atom.example/"/>
<id>urn:uuid:feed</id><updated>2024-05-16T00:00:00Z</updated>
<entry><title type="html">Coal &lt;em&gt;shipment&lt;/em&gt;</title><link href="2024/05/coal"/><id>urn:uuid:1</id><updated>2024-05-16T00:00:00Z</updated>
<author><name>Lee</name></author><category term="sanctions"/><category term="coal"/>
<content type="html">&lt;p&gt;Ship seen at &lt;b&gt;Nampo&lt;/b&gt;&lt;/p&gt;</content></entry></feed>"""

JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON News",
        "home_page_url": "https://json.example/",
        "items": [
            {"id": "1", "url": "https://json.example/1", "title": "Coal shipment", "content_html": "<p>Ship seen at <b>Nampo</b></p>",
             "date_published": "2024-05-16T09:00:00+09:00", "authors": [{"name": "Park"}], "tags": ["coal", "ships"]},
            {"id": 2, "url": "javascript:alert(1)", "content_text": "No title, text only"},
            {"id": "1", "url": "https://json.example/dup", "title": "duplicate"},
        ],
    }
).encode()

PODCAST = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>Sanctions Podcast</title><link>https://pod.example/</link>
<itunes:author>Pod Team</itunes:author><item><title>Episode 1: Coal</title><itunes:author>Host Name</itunes:author>
<itunes:summary>Ship seen at Nampo</itunes:summary><enclosure url="https://pod.example/e1.mp3" length="1" type="audio/mpeg"/>
<guid isPermaLink="false">ep-1</guid><pubDate>Thu, 16 May 2024 10:00:00 +0000</pubDate></item></channel></rss>"""


@pytest.mark.parametrize(
    ("body", "feed_format", "feed_title", "entry_url"),
    [
        (RSS_091, "rss091u", "Old feed", "http://old.example/1"),
        (RSS_10, "rss10", "RDF feed", "http://rdf.example/1"),
        (rss(item("g1", "https://news.example/1", "Coal shipment", "Thu, 16 May 2024 10:00:00 GMT", "Ship seen at Nampo")), "rss20", "Example News", "https://news.example/1"),
        (ATOM_03, "atom03", "Atom 0.3", "http://atom03.example/1"),
        (ATOM_10, "atom10", "Atom 1.0", "https://atom.example/news/2024/05/coal"),
        (JSON_FEED, "json11", "JSON News", "https://json.example/1"),
        (PODCAST, "rss20", "Sanctions Podcast", None),
    ],
    ids=["rss091", "rss10", "rss20", "atom03", "atom10", "jsonfeed11", "podcast"],
)
def test_each_format_parses(body: bytes, feed_format: str, feed_title: str, entry_url: str | None) -> None:
    feed = parse_feed(body, url=URL)
    assert (feed.format.startswith(feed_format[:5]) and feed.format == feed_format) or (feed_format == "rss091u" and feed.format.startswith("rss09"))
    assert feed.title == feed_title
    first = feed.entries[0]
    assert first.url == entry_url
    assert "Nampo" in first.summary_text
    assert "<" not in first.summary_text and "<" not in first.title


def test_atom_fields_are_plain_text() -> None:
    entry = parse_feed(ATOM_10, url=URL).entries[0]
    assert (entry.title, entry.summary_text, entry.author, entry.categories) == ("Coal shipment", "Ship seen at Nampo", "Lee", ("sanctions", "coal"))
    assert entry.published == datetime(2024, 5, 16, tzinfo=UTC)


def test_json_feed_details() -> None:
    feed = parse_feed(JSON_FEED, url=URL)
    assert [entry.guid for entry in feed.entries] == ["1", "2"]  # duplicate id "1" collapsed
    first, second = feed.entries
    assert (first.author, first.categories, first.summary_text) == ("Park", ("coal", "ships"), "Ship seen at Nampo")
    assert first.published == datetime(2024, 5, 16, 0, 0, tzinfo=UTC)
    assert (second.url, second.title, second.summary_text) == (None, "", "No title, text only")


def test_podcast_author() -> None:
    entry = parse_feed(PODCAST, url=URL).entries[0]
    assert (entry.guid, entry.author, entry.title) == ("ep-1", "Host Name", "Episode 1: Coal")


# 13. entity attacks --------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>"""
QUADRATIC = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "' + "x" * 100_000 + '">]><rss version="2.0"><channel><title>' + "&a;" * 1000 + "</title></channel></rss>"
EXTERNAL_FILE = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&xxe;</title></channel></rss>'
EXTERNAL_HTTP = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "http://127.0.0.1:1/secret">]><rss version="2.0"><channel><title>&xxe;</title></channel></rss>'
PARAMETER = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:1/evil.dtd"> %p;]><rss version="2.0"><channel><title>t</title></channel></rss>'


@pytest.mark.parametrize("body", [BILLION_LAUGHS, QUADRATIC, EXTERNAL_FILE, EXTERNAL_HTTP, PARAMETER], ids=["billion-laughs", "quadratic", "xxe-file", "xxe-http", "parameter-entity"])
def test_entity_declarations_are_refused(body: str) -> None:
    # Refused before any entity is expanded (benchmarks/hostile_inputs.py times the refusal).
    with pytest.raises(FeedError, match="entities"):
        parse_feed(body.encode(), url=URL)


def test_external_dtd_is_stripped_not_fetched() -> None:
    body = rss(item("g1", "https://news.example/1"), prolog='<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:1/rss.dtd">')
    assert parse_feed(body, url=URL).entries[0].guid == "g1"


# 14. malformed XML -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "title"),
    [
        (rss(item("g1", title="Truncated")).split(b"</item>")[0], "Truncated"),
        (rss(item("g1", title="<![CDATA[Unclosed cdata")), None),
        (rss(item("g1", title="Ctrl\x00\x01\x08\x0b\x0cchars")), "Ctrlchars"),
        (rss(item("g1", title="Lone &#xD800; surrogate")), "Lone \ufffd surrogate"),
        (rss(item("g1", title="Non&nbsp;breaking")), "Non breaking"),
    ],
    ids=["truncated", "unclosed-cdata", "control-characters", "lone-surrogate", "undefined-entity"],
)
def test_malformed_xml_yields_entries_or_feed_error(body: bytes, title: str | None) -> None:
    try:
        feed = parse_feed(body, url=URL)
    except FeedError:
        assert title is None
        return
    if title is not None:
        assert feed.entries[0].title.replace("\xa0", " ") == title


# 8. bodies that are not what the Content-Type says ------------------------------------------


@pytest.mark.parametrize("body", [b"", b"   \n  "])
def test_empty_body_is_a_feed_error(body: bytes) -> None:
    with pytest.raises(FeedError, match="empty"):
        parse_feed(body, url=URL)


def test_feed_served_as_text_html_is_parsed() -> None:
    feed = parse_feed(rss(item("g1", "https://news.example/1")), url=URL, headers={"Content-Type": "text/html; charset=utf-8"})
    assert [entry.guid for entry in feed.entries] == ["g1"]


def test_html_served_as_feed_is_refused_with_discovered_links() -> None:
    page = b'<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" href="/rss"></head><body>hi</body></html>'
    with pytest.raises(FeedError, match=r"HTML page.*https://news.example/rss"):
        parse_feed(page, url=URL, headers={"content-type": "application/rss+xml"})


@pytest.mark.parametrize("body", [b"{not json", b'{"version": "1", "items": []}', b"plain text, not a feed", b"\x00\x01\x02"])
def test_non_feeds_are_feed_errors(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(body, url=URL)


def test_discover_feeds() -> None:
    html = """<html><head><base href="https://other.example/">
    <link rel="alternate" type="application/rss+xml" href="/rss.xml" title="RSS">
    <link rel="ALTERNATE home" type="application/atom+xml; charset=utf-8" href="https://news.example/atom">
    <link rel="alternate" type="application/feed+json" href="feed.json">
    <link rel="alternate" type="text/html" href="/ko/">
    <link rel="stylesheet" type="application/rss+xml" href="/not-a-feed">
    <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    <link rel="alternate" type="application/rss+xml" href="/rss.xml"></head></html>"""
    assert discover_feeds(html, "https://news.example/section/page") == [
        "https://news.example/rss.xml",
        "https://news.example/atom",
        "https://news.example/section/feed.json",
    ]


# 16. identity ----------------------------------------------------------------------------


def test_guid_fallbacks_and_duplicates() -> None:
    body = rss(
        item("dup", "https://news.example/1", "First")
        + item("dup", "https://news.example/2", "Second")
        + item(None, "https://news.example/3?utm_source=rss&amp;id=3", "Link only")
        + item(None, None, "Nothing", description="No id")
        + item("https://news.example/4?utm_campaign=x&amp;fbclid=abc", None, "URL guid")
    )
    entries = parse_feed(body, url=URL).entries
    assert [entry.title for entry in entries] == ["First", "Link only", "Nothing", "URL guid"]
    assert entries[1].guid == "https://news.example/3?id=3"
    assert entries[2].guid.startswith("sha256:") and entries[2].url is None
    assert entries[3].guid == "https://news.example/4"


def test_content_hash_guid_is_stable_across_fetches() -> None:
    body = rss(item(None, None, "Nothing", description="No id"))
    assert parse_feed(body, url=URL).entries[0].guid == parse_feed(body, url=URL).entries[0].guid


def test_ten_thousand_items_and_cap() -> None:
    body = rss("".join(item(f"g{index}", f"https://news.example/{index}", f"T{index}") for index in range(10_050)))
    feed = parse_feed(body, url=URL)
    assert len(feed.entries) == 10_000 and feed.truncated
    assert [e.guid for e in feed.entries[:2]] == ["g0", "g1"]


def test_five_megabyte_item_is_truncated() -> None:
    body = rss(item("big", "https://news.example/big", "Big", description="word " * 1_000_000))
    entry = parse_feed(body, url=URL).entries[0]
    assert len(entry.summary_text) <= 50_000 and entry.summary_text.endswith("…")


# 17. dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("Tue, 31 Feb 2024 10:00:00 GMT", None),
        ("Thu, 16 May 24 10:00:00 GMT", datetime(2024, 5, 16, 10, tzinfo=UTC)),
        ("Thu, 16 May 2024 10:00:00 KST", datetime(2024, 5, 16, 1, tzinfo=UTC)),
        ("Thu, 16 May 2024 10:00:00 EST", datetime(2024, 5, 16, 15, tzinfo=UTC)),
        ("Thu, 16 May 2024 10:00:00 +0900", datetime(2024, 5, 16, 1, tzinfo=UTC)),
        ("2024-05-16T10:00:00+09:00", datetime(2024, 5, 16, 1, tzinfo=UTC)),
        ("2024년 5월 16일", datetime(2024, 5, 15, 15, tzinfo=UTC)),
        ("2024년 5월 16일 14:30", datetime(2024, 5, 16, 5, 30, tzinfo=UTC)),
        ("2024年5月16日", datetime(2024, 5, 15, 16, tzinfo=UTC)),
        ("2024년 2월 31일", None),
        ("Thu, 01 Jan 2099 00:00:00 GMT", None),
        ("Thu, 01 Jan 1970 00:00:00 GMT", None),
        ("not a date", None),
    ],
)
def test_dates(raw: str | None, expected: datetime | None) -> None:
    entry = parse_feed(rss(item("g", "https://news.example/1", date=raw)), url=URL).entries[0]
    assert entry.published == expected
    assert entry.published_raw == raw


def test_pubdate_tomorrow_within_tolerance_is_kept() -> None:
    soon = datetime.now(UTC).replace(microsecond=0)
    raw = soon.strftime("%a, %d %b %Y %H:%M:%S +0000")
    assert parse_feed(rss(item("g", date=raw)), url=URL).entries[0].published == soon


# 18 / 19. links and markup ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,&lt;script&gt;", None),
        ("vbscript:msgbox", None),
        ("/relative/path", "https://news.example/relative/path"),
        ("https://other.example/x", "https://other.example/x"),
    ],
)
def test_links_are_http_only_and_resolved(link: str, expected: str | None) -> None:
    assert parse_feed(rss(item("g", link)), url=URL).entries[0].url == expected


def test_xml_base_resolves_relative_links() -> None:
    assert parse_feed(ATOM_10, url=URL).entries[0].url == "https://atom.example/news/2024/05/coal"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;", "alert(1)"),
        ("&lt;img src=x onerror=alert(1)&gt;Kim", "Kim"),
        ("AT&amp;amp;T &amp;amp; Co", "AT&T & Co"),
        ("&lt;svg onload=alert(1)&gt;&lt;/svg&gt;Ship", "Ship"),
        ("1 &lt; 2 and 3 &gt; 2", "1 < 2 and 3 > 2"),
    ],
)
def test_titles_are_inert_plain_text(title: str, expected: str) -> None:
    entry = parse_feed(rss(item("g", title=title)), url=URL).entries[0]
    assert entry.title == expected
    assert "<script" not in entry.title and "<img" not in entry.title
