"""The store on a real SQLite file and a real PostgreSQL database: idempotent ingest, reviews that
outlive re-extraction."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date

import pytest

from sanctionwatch.errors import NotFound, StoreError
from sanctionwatch.model import Article, Incident
from sanctionwatch.store import create_database_engine
from sanctionwatch.store.articles import count_articles, get_article, upsert_article
from sanctionwatch.store.incidents import get_incident, replace_incidents, set_review
from sanctionwatch.store.queries import IncidentQuery, search_incidents


def _article(text: str = "North Korea sent workers to China.", article_id: str = "a1", url: str | None = None) -> Article:
    return Article(id=article_id, text=text, published=date(2024, 5, 16), url=url)


def _incident(article_id: str = "a1", incident_type: str = "labor_export", span: tuple[int, int] = (0, 34)) -> Incident:
    return Incident(
        article_id=article_id,
        type=incident_type,
        summary="Workers sent.",
        evidence=("North Korea sent workers to China.",),
        evidence_spans=(span,),
        extractor_version="test",
    )


@pytest.fixture
def engine(database_url):
    engine = create_database_engine(database_url)
    yield engine
    engine.dispose()


def test_database_is_created_in_wal_mode(tmp_path):
    path = tmp_path / "new.db"
    create_database_engine(path)
    assert path.exists()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("bad", ["{dir}", "{dir}/missing/sub/x.db"])
def test_unusable_database_path_is_a_store_error(tmp_path, bad):
    with pytest.raises(StoreError):
        create_database_engine(bad.format(dir=tmp_path))


@pytest.mark.parametrize(
    ("second", "status"),
    [
        (_article(), "unchanged"),
        (_article(article_id="other-id"), "duplicate"),  # same text: reported "duplicate of a1"
        (_article(text="North Korea sent more workers to China.", article_id="a1"), "updated"),
    ],
)
def test_upsert_deduplicates(engine, second, status):
    with engine.begin() as connection:
        assert upsert_article(connection, _article()).status == "new"
        assert upsert_article(connection, second).status == status
    assert count_articles(engine) == 1


def test_same_canonical_url_is_the_same_article(engine):
    with engine.begin() as connection:
        upsert_article(connection, _article(url="https://x.test/a"), canonical_url="https://x.test/a")
        result = upsert_article(
            connection, _article(text="Updated text about workers.", article_id="a2"), canonical_url="https://x.test/a"
        )
    assert (result.article_id, result.status) == ("a1", "updated")
    assert count_articles(engine) == 1


def test_replace_incidents_is_idempotent(engine):
    with engine.begin() as connection:
        upsert_article(connection, _article())
        first = replace_incidents(connection, "a1", [_incident()], run_id=None)
        second = replace_incidents(connection, "a1", [_incident()], run_id=None)
    assert (len(first.added), len(first.kept)) == (1, 0)
    assert (len(second.added), second.kept) == (0, first.added)
    items, total = search_incidents(engine, IncidentQuery())
    assert total == 1 and len(items) == 1


def test_rejected_incident_stays_rejected_after_reextraction(engine):
    incident = _incident()
    with engine.begin() as connection:
        upsert_article(connection, _article())
        replace_incidents(connection, "a1", [incident], run_id=None)
    set_review(engine, incident.id, status="rejected")
    with engine.begin() as connection:
        replace_incidents(connection, "a1", [incident], run_id=None)
    assert search_incidents(engine, IncidentQuery())[1] == 0
    assert get_incident(engine, incident.id)["review_status"] == "rejected"


def test_analyst_edit_survives_reextraction(engine):
    incident = _incident()
    with engine.begin() as connection:
        upsert_article(connection, _article())
        replace_incidents(connection, "a1", [incident], run_id=None)
    set_review(engine, incident.id, status="edited", edited_data={"summary": "Analyst wording."})
    with engine.begin() as connection:
        replace_incidents(connection, "a1", [incident.with_changes(summary="Machine wording.")], run_id=None)
    stored = get_incident(engine, incident.id)
    assert stored["summary"] == "Analyst wording."
    assert stored["review_status"] == "edited"


def test_incident_no_longer_found_is_hidden_not_deleted(engine):
    old, new = _incident(span=(0, 34)), _incident(incident_type="coal_mineral_export")
    with engine.begin() as connection:
        upsert_article(connection, _article())
        replace_incidents(connection, "a1", [old], run_id=None)
        replace_incidents(connection, "a1", [new], run_id=None)
    items, total = search_incidents(engine, IncidentQuery())
    assert [i["type"] for i in items] == ["coal_mineral_export"] and total == 1
    assert get_incident(engine, old.id)["id"] == old.id


def test_review_of_unknown_incident_is_not_found(engine):
    with pytest.raises(NotFound):
        set_review(engine, "i-missing", status="confirmed")


@pytest.mark.parametrize("text", ["%", "_", "' OR 1=1 --"])
def test_text_filter_is_literal(engine, text):
    with engine.begin() as connection:
        upsert_article(connection, _article())
        replace_incidents(connection, "a1", [_incident()], run_id=None)
    assert search_incidents(engine, IncidentQuery(text=text))[1] == 0


@pytest.mark.parametrize("length", [64, 65, 255])
def test_a_long_article_id_is_stored(engine, length):
    # SQLite ignores VARCHAR(64); PostgreSQL refused ids past it until a migration widened them.
    article = _article(article_id="x" * length)
    with engine.begin() as connection:
        assert upsert_article(connection, article).status == "new"
    assert get_article(engine, article.id).id == article.id


def test_a_long_page_language_tag_is_stored(engine):
    tag = "en-latn-us-x-sanctions-monitoring"  # BCP 47 allows any number of subtags
    article = replace(_article(), language=tag)
    with engine.begin() as connection:
        assert upsert_article(connection, article).status == "new"
    assert get_article(engine, article.id).language == tag
