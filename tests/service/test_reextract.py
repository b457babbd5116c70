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
