"""Issue 12's target: Dask and the default engine store identical incidents for the dev corpus.

The whole ``dev`` half of ``../shared/corpus/articles.jsonl`` is ingested twice into new SQLite
stores, once in-process and once through a real two-worker Dask ``LocalCluster``, and every
stored incident (id, fields, evidence, review status, cluster) is compared. Skipped where the
shared corpus is absent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sanctionwatch.engines import EngineSpec
from sanctionwatch.service.evaluation import split_ids
from sanctionwatch.service.exports import export_record
from sanctionwatch.service.incidents import iter_incidents
from sanctionwatch.service.ingestion import ingest_articles
from sanctionwatch.service.inputs import read_articles
from sanctionwatch.store import create_database_engine
from sanctionwatch.store.queries import IncidentQuery

pytest.importorskip("distributed")

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "articles.jsonl"

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not available"),
]


def _stored(database_path: Path, spec: EngineSpec) -> tuple[Any, list[dict[str, Any]]]:
    dev = split_ids(CORPUS, "dev")
    articles = [article for article in read_articles(CORPUS) if article.id in dev]
    assert len(articles) == len(dev)
    database = create_database_engine(database_path)
    report = ingest_articles(database, articles, extraction=spec)
    incidents = sorted(
        (export_record(incident) for incident in iter_incidents(database, IncidentQuery(status="any"))),
        key=lambda record: record["id"],
    )
    return report, incidents


def test_dask_stores_the_same_incidents_as_the_default_engine_for_the_dev_corpus(tmp_path):
    local_report, local = _stored(tmp_path / "local.db", EngineSpec("local"))
    dask_report, dask = _stored(tmp_path / "dask.db", EngineSpec("dask", workers=2))
    assert local_report.failed == 0 and not local_report.errors, local_report.errors
    # The dev half yields about a hundred incidents; an empty store would pass vacuously.
    assert len(local) == local_report.incidents >= 40
    assert (dask_report.new, dask_report.failed, dask_report.incidents) == (
        local_report.new,
        local_report.failed,
        local_report.incidents,
    ), dask_report.errors
    assert [record["id"] for record in dask] == [record["id"] for record in local]
    assert dask == local
