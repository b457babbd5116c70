"""Saved searches: canonical filters checked like the list's, and an Atom feed of new matches."""

from __future__ import annotations

import importlib.util
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import Engine

from sanctionwatch.errors import InvalidQuery, NotFound
from sanctionwatch.model import Article, Incident, TimeRange
from sanctionwatch.service import searches
from sanctionwatch.store.articles import upsert_article
from sanctionwatch.store.incidents import replace_incidents

ATOM = "{http://www.w3.org/2005/Atom}"


def _sample() -> ModuleType:
    name = "sanctionwatch_test_sample_store"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "api" / "sample_store.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture()
def engine(tmp_path: Path) -> Iterator[Engine]:
    _, engine = _sample().build_sample_store(tmp_path)
    yield engine
    engine.dispose()


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("type=maritime_transfer&country=kp", "type=maritime_transfer&country=kp"),
        ("http://127.0.0.1:8000/?country=KP&type=maritime_transfer&offset=50&limit=10", "type=maritime_transfer&country=KP"),
        ("/?q=&type=labor_export&timeline=year", "type=labor_export"),
        ("?since=2024-01-01&undated=include", "since=2024-01-01&undated=include"),
        ("", ""),
    ],
)
def test_queries_are_canonical(given: str, canonical: str) -> None:
    assert searches.canonical_query(searches.filters_of(given)) == canonical


@pytest.mark.parametrize(("given", "parameter"), [("type=bogus", "type"), ("since=yesterday", "since"), ("colour=red", "query")])
def test_a_bad_filter_is_refused_naming_it(given: str, parameter: str) -> None:
    with pytest.raises(InvalidQuery) as error:
        searches.filters_of(given)
    assert error.value.parameter == parameter


def test_save_list_find_remove(engine: Engine) -> None:
    saved = searches.save_search(engine, "  Transfers   at sea ", "type=maritime_transfer")
    assert saved.name == "Transfers at sea" and len(saved.feed_key) >= 30
    with pytest.raises(InvalidQuery):
        searches.save_search(engine, "Transfers at sea", "type=labor_export")
    with pytest.raises(InvalidQuery):
        searches.save_search(engine, "   ", "")
    assert [s.name for s in searches.list_searches(engine)] == ["Transfers at sea"]
    assert searches.find_search(engine, str(saved.id)) == saved
    assert searches.search_for_query(engine, {"type": "maritime_transfer", "q": ""}) == saved
    assert searches.remove_search(engine, "Transfers at sea") == saved
    with pytest.raises(NotFound):
        searches.find_search(engine, "Transfers at sea")


def test_the_feed_is_valid_atom_and_lists_a_new_incident_first(engine: Engine) -> None:
    sample = _sample()
    saved = searches.save_search(engine, "Labour", "type=labor_export")
    feed = ElementTree.fromstring(searches.atom_feed(engine, saved))
    assert feed.tag == f"{ATOM}feed"
    for required in ("title", "id", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")] == [f"urn:sanctionwatch:incident:{sample.LOCATED.id}"]
    text = "Workers sent. Control \x01 char and <b>markup</b>."
    new = Incident(
        article_id="a-new", type="labor_export", summary="s", evidence=(text,), evidence_spans=((0, len(text)),),
        time=TimeRange(start=date(2019, 1, 1), end=date(2019, 1, 31), precision="month"), extractor_version="t",
    )  # fmt: skip
    with engine.begin() as connection:
        upsert_article(connection, Article(id="a-new", text=text, published=date(2025, 1, 1), source="Wire <i>"))
        replace_incidents(connection, "a-new", [new], run_id=None)
    feed = ElementTree.fromstring(searches.atom_feed(engine, saved))  # still well-formed with a control character
    entries = feed.findall(f"{ATOM}entry")
    # Newest stored first, although the incident itself is older.
    assert entries[0].findtext(f"{ATOM}id") == f"urn:sanctionwatch:incident:{new.id}"
    assert entries[0].find(f"{ATOM}link").get("href") == f"/incidents/{new.id}"
    assert "<b>markup</b>" in entries[0].findtext(f"{ATOM}summary")  # text, escaped by the XML writer
    assert entries[0].find(f"{ATOM}category").get("term") == "labor_export"


def test_absolute_links_only_from_the_configured_public_url(engine: Engine) -> None:
    saved = searches.save_search(engine, "All", "")
    feed = ElementTree.fromstring(searches.atom_feed(engine, saved, base_url="https://watch.example.org"))
    assert feed.get("{http://www.w3.org/XML/1998/namespace}base") == "https://watch.example.org/"
    self_link = next(link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href") == f"feeds/{saved.feed_key}.atom"  # resolved against xml:base
