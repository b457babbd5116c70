"""Feed parsing (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, CDF, JSON Feed) and feed autodiscovery.

Pipeline of :func:`parse_feed`:

1. Empty body → :class:`FeedError`. JSON → :mod:`jsonfeed`.
2. Decode with :mod:`charset` (our precedence, not feedparser's), drop XML-illegal characters.
3. :mod:`xmlsafety`: refuse entity declarations, strip other DOCTYPEs.
4. Hand feedparser the UTF-8 bytes *wrapped in a file object*: given a ``str`` feedparser
   fetches URLs and opens ``file://``, and given ``bytes`` it still tries ``open(bytes)`` as
   a local path (feedparser 6.0.14 ``_open_resource``). The feed URL goes in as
   Content-Location so relative links and ``xml:base`` resolve.
5. Map entries to :class:`FeedEntry` with the shared rules of :mod:`feed_types`, reducing every
   text field to plain text (:mod:`plaintext`).

The Content-Type is only a hint: a ``text/html`` body that is a feed is parsed as a feed, and
an HTML page served as a feed is refused with a message listing the feeds it links to.
"""

from __future__ import annotations

import io
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import feedparser

from sanctionwatch.errors import FeedError
from sanctionwatch.ingest.charset import clean_xml_text, decode_document
from sanctionwatch.ingest.dates import needs_own_parser, parse_cjk_or_zoned_date, plausible_date
from sanctionwatch.ingest.feed_types import (
    MAX_SUMMARY_CHARACTERS,
    MAX_TITLE_CHARACTERS,
    FeedEntry,
    ParsedFeed,
    make_guid,
    safe_link,
    truncate,
    unique_entries,
)
from sanctionwatch.ingest.jsonfeed import looks_like_json_feed, parse_json_feed
from sanctionwatch.ingest.plaintext import plain_text
from sanctionwatch.ingest.xmlsafety import as_utf8_xml, strip_doctypes

__all__ = ["FeedEntry", "ParsedFeed", "discover_feeds", "parse_feed"]

FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json",
     "application/rdf+xml", "application/xml", "text/xml"}
)


def is_html_detail(detail: Any) -> bool:
    kind = (detail or {}).get("type", "text/html") if isinstance(detail, Mapping) else "text/html"
    return "html" in kind


def detail_text(container: Mapping[str, Any], key: str, *, single_line: bool) -> str:
    value = container.get(key)
    if not isinstance(value, str):
        return ""
    return plain_text(value, is_html=is_html_detail(container.get(f"{key}_detail")), single_line=single_line)


def entry_summary(entry: Mapping[str, Any]) -> str:
    summary = detail_text(entry, "summary", single_line=False)
    if not summary:
        for content in entry.get("content") or []:
            if isinstance(content, Mapping) and isinstance(content.get("value"), str):
                summary = plain_text(content["value"], is_html="html" in str(content.get("type", "html")))
                if summary:
                    break
    return truncate(summary, MAX_SUMMARY_CHARACTERS)


def entry_link(entry: Mapping[str, Any], base_url: str) -> str | None:
    link = safe_link(entry.get("link"), base_url)
    if link:
        return link
    for candidate in entry.get("links") or []:
        if isinstance(candidate, Mapping) and candidate.get("rel", "alternate") == "alternate":
            link = safe_link(candidate.get("href"), base_url)
            if link:
                return link
    return None


def entry_published(entry: dict[str, Any]) -> tuple[datetime | None, str | None]:
    # dict.get, not FeedParserDict.get: the latter maps updated→published with a warning.
    raw = dict.get(entry, "published") or dict.get(entry, "updated") or dict.get(entry, "created")
    raw = raw if isinstance(raw, str) else None
    if raw and needs_own_parser(raw):
        return plausible_date(parse_cjk_or_zoned_date(raw)), raw
    parsed = (
        dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed") or dict.get(entry, "created_parsed")
    )
    if not isinstance(parsed, time.struct_time):
        return None, raw
    try:
        moment = datetime(*parsed[:6], tzinfo=UTC)
    except (ValueError, OverflowError):
        return None, raw
    return plausible_date(moment), raw


def entry_categories(entry: Mapping[str, Any]) -> tuple[str, ...]:
    terms: list[str] = []
    for tag in entry.get("tags") or []:
        term = tag.get("term") or tag.get("label") if isinstance(tag, Mapping) else None
        if isinstance(term, str):
            text = plain_text(term, is_html=False, single_line=True)
            if text and text not in terms:
                terms.append(text)
    return tuple(terms)


def to_entry(entry: dict[str, Any], base_url: str) -> FeedEntry:
    url = entry_link(entry, base_url)
    title = truncate(detail_text(entry, "title", single_line=True), MAX_TITLE_CHARACTERS)
    summary = entry_summary(entry)
    published, raw_date = entry_published(entry)
    author = detail_text(entry, "author", single_line=True) or None
    raw_id = entry.get("id") if isinstance(entry.get("id"), str) else None
    return FeedEntry(
        guid=make_guid(raw_id, url, title, summary),
        url=url,
        title=title,
        summary_text=summary,
        author=author,
        published=published,
        categories=entry_categories(entry),
        published_raw=raw_date,
    )


def run_feedparser(data: bytes, url: str) -> Any:
    headers = {"content-type": "application/xml; charset=utf-8", "content-location": url}
    try:
        return feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    except RecursionError as error:
        raise FeedError("feed is nested too deeply to parse", url=url) from error
    except Exception as error:  # feedparser's failure modes are undocumented; name them
        raise FeedError(f"feed parser failed: {type(error).__name__}: {error}", url=url) from error


def parse_feed(body: bytes, *, url: str, headers: Mapping[str, str] | None = None) -> ParsedFeed:
    """Parse a fetched feed body into a :class:`ParsedFeed`.

    ``url`` is the feed's (final) URL, the base for relative links; ``headers`` are the response
    headers (only ``content-type`` is read, and only as a hint). Raises :class:`FeedError` for an
    empty body, a refused DOCTYPE, an HTML page or anything else that is not a feed. A feed
    that parses with errors but yields entries is returned with ``warning`` set.
    """
    lowered_headers = {name.lower(): value for name, value in (headers or {}).items()}
    content_type = lowered_headers.get("content-type")
    if not body.strip():
        raise FeedError("empty body: not a feed", url=url)
    text = decode_document(body, header_charset=None, content_type=content_type)
    if looks_like_json_feed(text):
        return parse_json_feed(text, url=url)
    text = strip_doctypes(clean_xml_text(text), url=url)
    result = run_feedparser(as_utf8_xml(text), url)
    if not result.get("version") and not result.get("entries"):
        raise FeedError(not_a_feed_message(text, url), url=url)
    base_url = url
    entries, truncated = unique_entries(to_entry(entry, base_url) for entry in result.get("entries", []))
    feed_info = result.get("feed", {})
    warning = None
    if result.get("bozo"):
        warning = f"malformed feed: {result.get('bozo_exception')}"
    return ParsedFeed(
        url=url,
        title=truncate(detail_text(feed_info, "title", single_line=True), MAX_TITLE_CHARACTERS),
        link=safe_link(feed_info.get("link"), base_url),
        entries=entries,
        format=result.get("version") or "unknown",
        warning=warning,
        truncated=truncated,
    )


def not_a_feed_message(text: str, url: str) -> str:
    head = text[:4096].lower()
    if "<html" in head or "<!doctype html" in head:
        links = discover_feeds(text, url)
        suffix = f"; it links to feeds: {', '.join(links[:5])}" if links else ""
        return f"got an HTML page, not a feed{suffix}"
    return "not a feed: no RSS, Atom, RDF or JSON Feed structure found"


class FeedLinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link":
            return
        attributes = {name.lower(): (value or "") for name, value in attrs}
        relations = attributes.get("rel", "").lower().split()
        media_type = attributes.get("type", "").split(";", 1)[0].strip().lower()
        if "alternate" in relations and media_type in FEED_TYPES and attributes.get("href"):
            self.hrefs.append(attributes["href"])

    handle_startendtag = handle_starttag


def discover_feeds(html: str, base_url: str) -> list[str]:
    """Feed URLs an HTML page advertises with ``<link rel="alternate" type="…rss+xml|atom+xml|
    feed+json…">``, resolved against ``base_url``, http(s) only, in page order, deduplicated."""
    collector = FeedLinkCollector()
    try:
        collector.feed(html[:2_000_000])
        collector.close()
    except (AssertionError, ValueError):
        pass  # keep what was found before the parser gave up
    found: list[str] = []
    for href in collector.hrefs:
        link = safe_link(urljoin(base_url, href.strip()), base_url)
        if link and link not in found:
            found.append(link)
    return found
