"""A rejected incident stays rejected and hidden after re-ingest and re-extraction; its trail stays."""

from __future__ import annotations

from pathlib import Path

from sanctionwatch.service.audit import incident_trail
from sanctionwatch.service.incidents import make_query, review_incident, search_incidents
from sanctionwatch.service.ingestion import ingest_articles, reextract_articles
from sanctionwatch.service.samples import sample_articles
from sanctionwatch.store.engine import create_database_engine


def test_rejected_stays_hidden_through_reingest_and_reextract(tmp_path: Path) -> None:
    engine = create_database_engine(tmp_path / "r.db")
    ingest_articles(engine, sample_articles())
    items, total = search_incidents(engine, make_query(limit=500))
    assert total >= 1
    target = items[0]["id"]
    review_incident(engine, target, decision="rejected", note="not an incident", reviewer="ann")
    ingest_articles(engine, sample_articles())
    reextract_articles(engine)
    ids = [item["id"] for item in search_incidents(engine, make_query(limit=500))[0]]
    assert target not in ids and len(ids) == total - 1
    rejected = search_incidents(engine, make_query(status="rejected", limit=500))[0]
    assert [item["id"] for item in rejected] == [target]
    trail = incident_trail(engine, target)
    assert [(event.decision, event.reviewer, event.note) for event in trail] == [("rejected", "ann", "not an incident")]
