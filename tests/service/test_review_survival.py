"""Analysts' decisions survive every path that re-extracts an article (issue 10, item 1).

Real SQLite files, the real extractor on the bundled sample, real input files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sanctionwatch.model import Article, Incident
from sanctionwatch.nlp.pipeline import default_pipeline
from sanctionwatch.service.incidents import make_query, review_incident
from sanctionwatch.service.ingestion import IngestReport, ingest_articles, reextract_articles, store_article
from sanctionwatch.service.inputs import iter_input_articles
from sanctionwatch.service.samples import sample_paths
from sanctionwatch.store import create_database_engine
from sanctionwatch.store.queries import search_incidents

SEED = json.loads(Path(sample_paths()[0]).read_text(encoding="utf-8"))


def _listed(engine, status: str = "any") -> dict[str, str]:  # type: ignore[no-untyped-def]
    items, _ = search_incidents(engine, make_query(status=status, limit=500))
    return {item["id"]: item["review_status"] for item in items}


def _ingest_file(engine, path: Path) -> IngestReport:  # type: ignore[no-untyped-def]
    errors: list[object] = []
    report = ingest_articles(engine, iter_input_articles([path], published=None, on_error=errors.append))
    assert errors == []
    return report


def _write(path: Path, text: str) -> Path:
    path.write_text(json.dumps({**SEED, "text": text}) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def reviewed(tmp_path: Path):  # type: ignore[no-untyped-def]
    """The sample ingested from a file, one incident confirmed, one rejected, one edited."""
    engine = create_database_engine(tmp_path / "store.db")
    source = _write(tmp_path / "articles.jsonl", SEED["text"])
    _ingest_file(engine, source)
    ids = sorted(_listed(engine))
    assert len(ids) >= 3, "the sample yields at least three incidents"
    review_incident(engine, ids[0], decision="confirmed", note="two sources")
    review_incident(engine, ids[1], decision="rejected", note="not an incident")
    review_incident(engine, ids[2], decision="edited", edits={"summary": "Analyst wording."})
    return engine, source, ids


def _decisions_intact(engine, ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    listed = _listed(engine)
    assert listed[ids[0]] == "confirmed"
    assert listed[ids[1]] == "rejected"
    assert listed[ids[2]] == "edited"
    assert ids[1] not in _listed(engine, status=None)  # type: ignore[arg-type]
    edited = search_incidents(engine, make_query(status="edited"))[0]
    assert [item["summary"] for item in edited] == ["Analyst wording."]


def test_a_line_prepended_to_the_text_keeps_every_decision(reviewed, tmp_path: Path) -> None:
    engine, source, ids = reviewed
    _write(source, "Editor's note: this story was updated on May 17.\n\n" + SEED["text"])
    report = _ingest_file(engine, source)
    assert report.updated == 1
    _decisions_intact(engine, ids)
    assert not any(item.get("orphaned") for item in search_incidents(engine, make_query(status="any"))[0])


def test_reextract_and_ingesting_again_keep_every_decision(reviewed) -> None:
    engine, source, ids = reviewed
    assert _ingest_file(engine, source).unchanged == 1
    report = reextract_articles(engine)
    assert (report.failed, report.added, report.hidden) == (0, 0, 0)
    _decisions_intact(engine, ids)


class _Upgraded:
    """A newer extractor: the same incidents with other offsets, wording, confidence and one more
    evidence sentence; what a release of the extractor changes."""

    def extract(self, article: Article) -> list[Incident]:
        found = default_pipeline().extract(article)
        return [
            incident.with_changes(
                summary="Rewritten by the new extractor.",
                confidence=incident.confidence / 2,
                evidence=(*incident.evidence, "A sentence the new extractor adds as context."),
                evidence_spans=tuple((start + 7, end + 7) for start, end in incident.evidence_spans),
                extractor_version="9.0.0",
            )
            for incident in found
        ]


def test_an_extractor_upgrade_keeps_every_decision(reviewed) -> None:
    engine, _source, ids = reviewed
    report = reextract_articles(engine, pipeline=_Upgraded())  # type: ignore[arg-type]
    assert (report.added, report.hidden) == (0, 0)
    _decisions_intact(engine, ids)
    assert {item["extractor_version"] for item in search_incidents(engine, make_query(status="any"))[0]} == {"9.0.0"}


def test_a_refetched_page_with_changed_text_keeps_every_decision(tmp_path: Path) -> None:
    engine = create_database_engine(tmp_path / "feed.db")
    url = "https://www.dailynk.com/english/workers"
    page = Article(id="a-page", text=SEED["text"], title=SEED["title"], url=url, published=None)
    pipeline = default_pipeline()
    store_article(engine, page, pipeline=pipeline, run_id=None, canonical_url=url, report=IngestReport())
    first = sorted(_listed(engine))
    review_incident(engine, first[0], decision="confirmed")
    changed = Article(id="a-page", text="Updated 17 May.\n\n" + SEED["text"], title=SEED["title"], url=url)
    report = IngestReport()
    store_article(engine, changed, pipeline=pipeline, run_id=None, canonical_url=url, report=report)
    assert report.updated == 1
    assert _listed(engine)[first[0]] == "confirmed"


class _Nothing:
    def extract(self, article: Article) -> list[Incident]:
        return []


def test_a_vanished_incident_keeps_its_review_as_an_orphan(reviewed) -> None:
    engine, _source, ids = reviewed
    report = reextract_articles(engine, pipeline=_Nothing())  # type: ignore[arg-type]
    assert report.hidden >= 3 and report.orphaned == 3
    listed = _listed(engine)
    assert {ids[0]: "confirmed", ids[1]: "rejected", ids[2]: "edited"}.items() <= listed.items()
    assert set(listed) == set(ids[:3])  # unreviewed vanished incidents leave the lists
    orphans = search_incidents(engine, make_query(status="any", orphaned=True))[0]
    assert {item["id"] for item in orphans} == set(ids[:3]) and all(item["orphaned"] for item in orphans)
    # found again later: the same ids, no longer orphaned
    reextract_articles(engine)
    assert not search_incidents(engine, make_query(status="any", orphaned=True))[0]
    _decisions_intact(engine, ids)
