"""Saved searches and their Atom feeds: the use cases behind the dashboard, the API and the CLI.

A saved search is the list page's filters as a canonical query string (checked by
``make_query``, so a saved search can never hold a filter the list would refuse). Its feed lists
the newest matching incidents by the time they were stored, so a feed reader shows each new
incident once, as it arrives.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from sqlalchemy import Engine

from sanctionwatch.errors import InvalidQuery
from sanctionwatch.service import incidents as incident_service
from sanctionwatch.service.labels import type_label
from sanctionwatch.service.summaries import incident_line, window_text
from sanctionwatch.store import searches as search_store
from sanctionwatch.store.searches import SavedSearch

# The list page's filters, in the order they appear in its URL and in a saved search.
FILTERS = (
    "q", "type", "country", "place", "since", "until", "undated", "certainty", "attribution", "status", "source",
    "min_sources", "sanctioned", "sort",
)  # fmt: skip
MAX_NAME_CHARACTERS = 120
FEED_ENTRIES = 50
ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot carry at all; scraped text is stripped of them before it goes in.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def filters_of(query: str) -> dict[str, str]:
    """The filters of a query string, a list-page URL or a path ("/?type=…"); unknown keys refused."""
    text = query.strip()
    if "?" in text:
        text = text.split("?", 1)[1]
    elif "://" in text or text.startswith("/"):
        text = urlsplit(text).query
    filters: dict[str, str] = {}
    for key, value in parse_qsl(text, keep_blank_values=False):
        if key in ("limit", "offset", "timeline", "cursor"):
            continue  # paging and display, not part of what is searched
        if key not in FILTERS:
            raise InvalidQuery(f"unknown filter {key[:40]!r}; filters: {', '.join(FILTERS)}", parameter="query")
        filters[key] = value.strip()
    incident_service.make_query(**filters, limit=1, offset=0)  # raises InvalidQuery naming the bad filter
    return {key: value for key, value in filters.items() if value}


def canonical_query(filters: Mapping[str, str]) -> str:
    return urlencode([(key, filters[key]) for key in FILTERS if filters.get(key)])


def save_search(engine: Engine, name: str, query: str, *, owner: str | None = None) -> SavedSearch:
    name = " ".join(name.split())
    if not name:
        raise InvalidQuery("a saved search needs a name", parameter="name")
    if len(name) > MAX_NAME_CHARACTERS:
        raise InvalidQuery(f"the name is longer than {MAX_NAME_CHARACTERS} characters", parameter="name")
    return search_store.add_search(engine, name=name, query=canonical_query(filters_of(query)), owner=owner)


def list_searches(engine: Engine) -> list[SavedSearch]:
    return search_store.list_searches(engine)


def find_search(engine: Engine, id_or_name: str) -> SavedSearch:
    return search_store.find_search(engine, id_or_name)


def remove_search(engine: Engine, id_or_name: str) -> SavedSearch:
    search = search_store.find_search(engine, id_or_name)
    search_store.remove_search(engine, search.id)
    return search


def search_for_query(engine: Engine, filters: Mapping[str, str]) -> SavedSearch | None:
    """The saved search whose filters are exactly these (to offer its feed on the list page)."""
    wanted = canonical_query({key: value for key, value in filters.items() if value})
    return next((search for search in search_store.list_searches(engine) if search.query == wanted), None)


def feed_entries(engine: Engine, search: SavedSearch, limit: int = FEED_ENTRIES) -> list[dict[str, Any]]:
    """The newest matching incidents by the time they were stored."""
    filters = {key: value for key, value in parse_qsl(search.query) if key != "sort"}
    query = incident_service.make_query(**filters, sort="added", limit=limit, offset=0)
    items, _ = incident_service.search_incidents(engine, query)
    return items


def _clean(text: Any) -> str:
    return _NOT_XML.sub("", str(text or ""))


def _element(parent: ElementTree.Element, tag: str, text: Any = None, **attributes: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", {key: _clean(value) for key, value in attributes.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def atom_feed(engine: Engine, search: SavedSearch, *, base_url: str = "") -> bytes:
    """The search's Atom feed (RFC 4287). Links are relative unless ``base_url`` is configured:
    they are never built from the request's Host header, which a client controls."""
    entries = feed_entries(engine, search)
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    if base_url:
        feed.set("{http://www.w3.org/XML/1998/namespace}base", base_url.rstrip("/") + "/")
    prefix = "" if base_url else "/"
    _element(feed, "title", f"sanctionwatch: {search.name}")
    _element(feed, "subtitle", f"New incidents matching {search.query or 'every incident'}")
    _element(feed, "id", f"urn:sanctionwatch:search:{search.feed_key}")
    updated = max((str(item.get("stored_at") or "") for item in entries), default="") or search.created_at
    _element(feed, "updated", updated)
    _element(feed, "link", rel="self", type="application/atom+xml", href=f"{prefix}feeds/{search.feed_key}.atom")
    _element(feed, "link", rel="alternate", type="text/html", href=f"{prefix}?{search.query}" if search.query else prefix or "./")
    _element(feed, "generator", "sanctionwatch")
    author = _element(feed, "author")
    _element(author, "name", "sanctionwatch")
    for item in entries:
        entry = _element(feed, "entry")
        line = incident_line(item)
        _element(entry, "id", f"urn:sanctionwatch:incident:{item['id']}")
        _element(entry, "title", line)
        _element(entry, "updated", item.get("stored_at") or search.created_at)
        _element(entry, "link", rel="alternate", type="text/html", href=f"{prefix}incidents/{quote(str(item['id']), safe='')}")
        _element(entry, "category", term=str(item.get("type")), label=type_label(item.get("type")))
        article = item.get("article") or {}
        details = [
            line,
            f"When: {window_text(item.get('time')) or 'undated'}. Certainty: {item.get('certainty') or 'not stated'}. "
            f"Review: {item.get('review_status')}.",
            f"Source: {article.get('source') or 'unknown'} {article.get('published') or ''}".rstrip(),
            *(f"“{sentence}”" for sentence in (item.get("evidence") or [])[:3]),
        ]
        _element(entry, "summary", "\n".join(details), type="text")
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
