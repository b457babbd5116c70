"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), parsed with :mod:`json`."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sanctionwatch.errors import FeedError
from sanctionwatch.ingest.dates import plausible_date
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
from sanctionwatch.ingest.plaintext import plain_text


def looks_like_json_feed(text: str) -> bool:
    return text.lstrip().startswith("{")


def text_field(value: Any, *, is_html: bool = False, single_line: bool = True) -> str:
    if not isinstance(value, str):
        return ""
    return plain_text(value, is_html=is_html, single_line=single_line)


def parse_json_date(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return plausible_date(datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
    except ValueError:
        return None


def author_name(item: dict[str, Any]) -> str | None:
    authors = item.get("authors")
    candidates = authors if isinstance(authors, list) else [item.get("author")]
    for candidate in candidates:
        if isinstance(candidate, dict) and isinstance(candidate.get("name"), str):
            return text_field(candidate["name"]) or None
    return None


def parse_item(item: Any, base_url: str) -> FeedEntry | None:
    if not isinstance(item, dict):
        return None
    url = safe_link(item.get("url"), base_url) or safe_link(item.get("external_url"), base_url)
    title = truncate(text_field(item.get("title")), MAX_TITLE_CHARACTERS)
    if isinstance(item.get("summary"), str):
        summary = text_field(item["summary"], single_line=False)
    elif isinstance(item.get("content_text"), str):
        summary = text_field(item["content_text"], single_line=False)
    else:
        summary = text_field(item.get("content_html"), is_html=True, single_line=False)
    summary = truncate(summary, MAX_SUMMARY_CHARACTERS)
    raw_id = item.get("id")
    raw_id = str(raw_id) if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) else None
    raw_tags = item.get("tags")
    tags = raw_tags if isinstance(raw_tags, list) else []
    raw_date = item.get("date_published") or item.get("date_modified")
    return FeedEntry(
        guid=make_guid(raw_id, url, title, summary),
        url=url,
        title=title,
        summary_text=summary,
        author=author_name(item),
        published=parse_json_date(raw_date),
        categories=tuple(dict.fromkeys(text for text in (text_field(tag) for tag in tags) if text)),
        published_raw=raw_date if isinstance(raw_date, str) else None,
    )


def parse_json_feed(text: str, *, url: str) -> ParsedFeed:
    """Parse JSON Feed text; raise :class:`FeedError` if it is not JSON or not a JSON Feed."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise FeedError(f"invalid JSON: {error}", url=url) from error
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, str) or "jsonfeed.org/version/" not in version:
        raise FeedError("JSON document is not a JSON Feed (no jsonfeed.org version)", url=url)
    items = document.get("items")
    if not isinstance(items, list):
        raise FeedError("JSON Feed has no items list", url=url)
    base_url = safe_link(document.get("feed_url"), url) or url
    entries, truncated = unique_entries(
        entry for entry in (parse_item(item, base_url) for item in items) if entry is not None
    )
    return ParsedFeed(
        url=url,
        title=text_field(document.get("title")),
        link=safe_link(document.get("home_page_url"), url),
        entries=entries,
        format="json11" if version.rstrip("/").endswith("1.1") else "json10",
        truncated=truncated,
    )
