"""The values :func:`feeds.parse_feed` returns, and the rules every feed format shares.

Shared rules: an entry's ``guid`` is the feed's id, else its link, else a content hash
(``sha256:`` + 32 hex digits of title and summary); a guid that is an http(s) URL is
canonicalised, so tracking parameters cannot make one story two; entries repeating an earlier
guid in the same feed are dropped (Miniflux's duplicate-guid case); links that are not
http(s) after resolution (``javascript:``, ``data:``) are dropped; at most :data:`MAX_ENTRIES`
entries and :data:`MAX_SUMMARY_CHARACTERS` characters of summary are kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from sanctionwatch.ingest.urls import canonical_url

MAX_ENTRIES = 10_000
MAX_SUMMARY_CHARACTERS = 50_000
MAX_TITLE_CHARACTERS = 1_000


@dataclass(frozen=True)
class FeedEntry:
    """One feed item, all text fields plain text (see :mod:`plaintext`).

    ``published`` is aware UTC or None (missing, invalid, epoch 0 or implausibly in the future);
    ``published_raw`` keeps the string the feed gave, for diagnosis.
    """

    guid: str
    url: str | None
    title: str
    summary_text: str
    author: str | None
    published: datetime | None
    categories: tuple[str, ...] = ()
    published_raw: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed. ``format`` is e.g. ``rss20``, ``atom10``, ``rss10``, ``json11``.

    ``warning`` carries the parser's complaint for a malformed feed that still yielded entries
    (research F11: a warning, not a failure); ``truncated`` is True when entries were capped.
    """

    url: str
    title: str
    link: str | None
    entries: tuple[FeedEntry, ...]
    format: str
    warning: str | None = None
    truncated: bool = False


def safe_link(link: str | None, base_url: str) -> str | None:
    """``link`` resolved against ``base_url`` if the result is http(s), else None."""
    if not link or not isinstance(link, str):
        return None
    try:
        resolved = urljoin(base_url, link.strip())
        scheme = urlsplit(resolved).scheme.lower()
    except ValueError:
        return None
    if scheme not in {"http", "https"} or any(ord(character) < 0x20 for character in resolved):
        return None
    return resolved


def make_guid(raw_id: str | None, url: str | None, title: str, summary_text: str) -> str:
    """The entry's identity: id, else link, else a hash of title and summary."""
    candidate = (raw_id or "").strip()
    if candidate:
        lowered = candidate.lower()
        return canonical_url(candidate) if lowered.startswith(("http://", "https://")) else candidate
    if url:
        return canonical_url(url)
    digest = hashlib.sha256(f"{title}\n{summary_text}".encode("utf-8", "surrogatepass")).hexdigest()
    return "sha256:" + digest[:32]


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def unique_entries(entries: Iterable[FeedEntry]) -> tuple[tuple[FeedEntry, ...], bool]:
    """First entry per guid, at most MAX_ENTRIES; and whether the cap cut any off."""
    seen: set[str] = set()
    kept: list[FeedEntry] = []
    for entry in entries:
        if entry.guid in seen:
            continue
        if len(kept) >= MAX_ENTRIES:
            return tuple(kept), True
        seen.add(entry.guid)
        kept.append(entry)
    return tuple(kept), False
