"""A batch of outcomes stored in one transaction gives what storing them one by one gives:
the same report, the same articles and incidents, on both backends; a group that fails inside
its transaction is stored again one by one."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from sanctionwatch.engines import Outcome
from sanctionwatch.model import Article, Incident
from sanctionwatch.service import ingestion
from sanctionwatch.service.ingestion import IngestReport, store_outcome, store_outcomes
from sanctionwatch.store import create_database_engine
from sanctionwatch.store.schema import articles, incidents

TEXTS = {
    "a": "North Korea sent 300 workers to a seafood plant in Hunchun in March, a source in China said.",
    "b": "A North Korean tanker took on 2,000 tons of diesel from a ship off Zhoushan, satellite images show.",
    "c": "North Korea sent 300 workers to a seafood plant in Hunchun in March, a source in China said.",  # a's text
    "d": "   ",
    "e": "Chinese customs seized 40 tons of North Korean coal at Dalian port in April, officials said.",
}


def _outcome(key: str, text: str, *, with_incident: bool = True) -> tuple[Article, Outcome]:
    article = Article(id=key, text=text, published=date(2024, 6, 1), origin="file:/inputs/batch.jsonl")
    found = (
        (Incident(article_id=key, type="smuggling_other", evidence=(text,), evidence_spans=((0, len(text)),)),)
        if with_incident and text.strip()
        else ()
    )
    return article, Outcome(article, found)


def _batch(texts: dict[str, str]) -> list[tuple[Article, Outcome]]:
    pairs = [_outcome(key, text, with_incident=key != "b") for key, text in texts.items()]
    failed = Article(id="f", text="unused", origin="file:/inputs/batch.jsonl")
    pairs.insert(2, (failed, Outcome(None, error="f: the page could not be read")))
    return pairs


def _stored(engine) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        stored_articles = connection.execute(select(articles.c.id, articles.c.content_hash).order_by(articles.c.id)).all()
        stored_incidents = connection.execute(select(incidents.c.id, incidents.c.article_id).order_by(incidents.c.id)).all()
    return [tuple(row) for row in stored_articles], [tuple(row) for row in stored_incidents]


def _report_lines(report: IngestReport) -> tuple[str, list[str], list[str]]:
    return report.summary(), report.errors, report.notes


def _two_stores(database_url: str, tmp_path, make_second):  # type: ignore[no-untyped-def]
    grouped = create_database_engine(database_url)
    if database_url.startswith("sqlite"):
        single = create_database_engine(str(tmp_path / "single.db"))
    else:
        single = create_database_engine(make_second())
    return grouped, single


@pytest.fixture()
def second_database(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    def make() -> str:
        return str(request.getfixturevalue("new_postgres_database")())

    return make


def test_a_batch_in_one_transaction_stores_what_one_by_one_stores(database_url: str, tmp_path, second_database) -> None:  # type: ignore[no-untyped-def]
    grouped, single = _two_stores(database_url, tmp_path, second_database)
    rounds = [
        TEXTS,
        # Again: a and e unchanged, b's text edited (updated), c still a duplicate of a, d still empty.
        {**TEXTS, "b": TEXTS["b"].replace("2,000", "3,000")},
    ]
    for texts in rounds:
        by_group, by_one = IngestReport(), IngestReport()
        store_outcomes(grouped, _batch(texts), run_id=None, report=by_group)
        for item, outcome in _batch(texts):
            store_outcome(single, item, outcome, run_id=None, report=by_one)
        assert _report_lines(by_group) == _report_lines(by_one)
        assert _stored(grouped) == _stored(single)
    assert by_group.summary().startswith("0 new, 1 updated, 2 unchanged, 1 duplicate, 2 failed")
    stored_ids = [row[0] for row in _stored(grouped)[0]]
    assert stored_ids == ["a", "b", "e"]  # c is a's duplicate, d had no text, f failed
    assert len(_stored(grouped)[1]) == 2  # a's and e's incidents; b has none


def test_a_group_that_fails_in_its_transaction_is_stored_one_by_one(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The second write of the group meets a key another process stored meanwhile (what a
    # server without BEGIN IMMEDIATE can see): the whole group is rolled back and stored again,
    # one article per transaction, and nothing is lost or stored twice.
    engine = create_database_engine(str(tmp_path / "store.db"))
    real_write = ingestion._write_article
    calls = {"n": 0}

    def write_once_failing(connection, article, found, **options):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise IntegrityError("INSERT INTO articles", {}, Exception("UNIQUE constraint failed: articles.id"))
        return real_write(connection, article, found, **options)

    monkeypatch.setattr(ingestion, "_write_article", write_once_failing)
    report = IngestReport()
    store_outcomes(engine, _batch(TEXTS), run_id=None, report=report)
    assert calls["n"] > 4  # the group's two writes, then each article's own
    assert report.summary().startswith("3 new, 0 updated, 0 unchanged, 1 duplicate, 2 failed")
    assert [row[0] for row in _stored(engine)[0]] == ["a", "b", "e"]
    assert len(_stored(engine)[1]) == 2
