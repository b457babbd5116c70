"""Re-extraction of a whole store with a newer extractor: reviews survive, lost incidents are hidden."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from sanctionwatch.model import Article, Incident
from sanctionwatch.nlp.pipeline import default_pipeline
from sanctionwatch.service.ingestion import ingest_articles, reextract_articles
from sanctionwatch.store import create_database_engine
from sanctionwatch.store.incidents import get_incident, set_review
from sanctionwatch.store.queries import IncidentQuery, search_incidents

TEXT = (
    "North Korea dispatched about 500 workers to construction sites in Vladivostok last spring, "
    "a source told the newspaper."
)


class _FixedPipeline:
    """A stand-in for an older extractor: it returns the incidents it was given."""

    def __init__(self, incidents: list[Incident]) -> None:
        self.incidents = incidents

    def extract(self, article: Article) -> list[Incident]:
        return [i.with_changes(article_id=article.id) for i in self.incidents]


@pytest.fixture
def engine(tmp_path: Path):
    return create_database_engine(tmp_path / "store.db")


def _old_incident() -> Incident:
    return Incident(
        article_id="w1", type="smuggling_other", summary="Old machine output.", evidence=(TEXT,),
        evidence_spans=((0, len(TEXT)),), extractor_version="0.0.1",
    )


def test_reextract_replaces_old_output_and_keeps_reviews(engine) -> None:
    article = Article(id="w1", text=TEXT, published=date(2024, 6, 1), title="North Korea workers")
    ingest_articles(engine, [article], pipeline=_FixedPipeline([_old_incident()]))  # type: ignore[arg-type]
    old = _old_incident()
    set_review(engine, old.id, status="rejected", note="not smuggling")

    current = default_pipeline().extract(article)
    assert current, "the current extractor finds the labour dispatch"
    report = reextract_articles(engine)
    assert (report.articles, report.failed) == (1, 0)
    assert report.added == len(current) and report.hidden == 1

    items, total = search_incidents(engine, IncidentQuery())
    assert {i["type"] for i in items} == {i.type for i in current}
    # the old incident is hidden, not deleted, and its review is still there
    stored_old = get_incident(engine, old.id)
    assert stored_old["review_status"] == "rejected"

    again = reextract_articles(engine)  # idempotent: nothing new the second time
    assert (again.added, again.kept, again.hidden) == (0, len(current), 0)
    assert search_incidents(engine, IncidentQuery())[1] == total


def test_reextract_command_reports_and_exits_cleanly(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    source = tmp_path / "articles.jsonl"
    source.write_text(json.dumps({"id": "w1", "text": TEXT, "published": "2024-06-01"}) + "\n", encoding="utf-8")
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "sanctionwatch.cli.main", "--db", str(db), *args], capture_output=True, text=True, timeout=120
    )
    assert run("ingest", str(source)).returncode == 0
    result = run("reextract")
    assert result.returncode == 0, result.stderr
    assert "1 article re-extracted" in result.stdout and "Traceback" not in result.stderr


def test_reextract_of_an_empty_store_does_nothing(engine) -> None:
    report = reextract_articles(engine)
    assert (report.articles, report.added, report.failed) == (0, 0, 0)


def _stored_rows(engine) -> list[tuple]:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from sanctionwatch.store.schema import incidents

    with engine.connect() as connection:
        rows = connection.execute(select(incidents.c.id, incidents.c.article_id, incidents.c.current).order_by(incidents.c.id))
        return [tuple(row) for row in rows]


def _many(count: int) -> list[Article]:
    return [
        Article(id=f"w{n}", text=TEXT.replace("500", str(100 + n)), published=date(2024, 6, 1), title="North Korea workers")
        for n in range(count)
    ]


def test_reextract_in_batches_stores_what_one_article_at_a_time_stores(tmp_path: Path) -> None:
    # The local engine hands re-extractions over in batches, each stored in one transaction;
    # the result must be what storing them one by one gives (the one-by-one path is the
    # fallback, called here directly for every article of a second, identical store).
    from sanctionwatch.engines import Outcome
    from sanctionwatch.service import ingestion

    grouped, single = (create_database_engine(tmp_path / f"{name}.db") for name in ("grouped", "single"))
    articles = _many(10)
    for engine in (grouped, single):
        ingest_articles(engine, articles, pipeline=_FixedPipeline([_old_incident()]))  # type: ignore[arg-type]
    report = reextract_articles(grouped)
    pipeline = default_pipeline()
    one_by_one = ingestion.ReextractReport()
    run_id = ingestion.start_run(single, kind="reextract", extractor_version="test")
    for article in articles:
        outcome = Outcome(article, tuple(pipeline.extract(article)))
        ingestion._store_reextracted(single, article, outcome, run_id=run_id, report=one_by_one)
    assert report.summary() == one_by_one.summary()
    assert (report.articles, report.failed) == (10, 0) and report.hidden == 10 and report.added >= 10
    assert _stored_rows(grouped) == _stored_rows(single)


def test_a_reextract_batch_that_fails_inside_its_transaction_is_stored_one_by_one(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # One article of the batch cannot be written (here: a fault injected for w3, as for an
    # article deleted meanwhile): the batch is rolled back and stored again one by one, so
    # that w3 alone fails, with its own line, and every other article is stored once.
    from sanctionwatch.errors import NotFound
    from sanctionwatch.service import ingestion

    engine = create_database_engine(tmp_path / "store.db")
    ingest_articles(engine, _many(10), pipeline=_FixedPipeline([_old_incident()]))  # type: ignore[arg-type]
    real_replace = ingestion.replace_incidents
    calls = {"w3": 0}

    def replace_failing_for_w3(connection, article_id, found, **options):  # type: ignore[no-untyped-def]
        if article_id == "w3":
            calls["w3"] += 1
            raise NotFound("article", "w3")
        return real_replace(connection, article_id, found, **options)

    monkeypatch.setattr(ingestion, "replace_incidents", replace_failing_for_w3)
    report = reextract_articles(engine)
    assert calls["w3"] == 2  # once in the batch, once on its own
    assert (report.articles, report.failed) == (9, 1)
    assert report.errors == ["article 'w3': no article with id 'w3'"]
    by_article: dict[str, list[bool]] = {}
    for _id, article_id, current in _stored_rows(engine):
        by_article.setdefault(article_id, []).append(bool(current))
    assert len(by_article) == 10
    # w3 keeps its old incident as it was, current; each other article has its new incidents
    # beside the old one, now hidden (no longer current). Nothing is stored twice.
    assert by_article.pop("w3") == [True]
    for current in by_article.values():
        assert current.count(False) == 1 and current.count(True) >= 1
