"""Clusters in the store: the seed's three reports, ingest order, analysts' merges and splits."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parent))
from cluster_articles import own_report, seed, verbatim_copy

from sanctionwatch.errors import InvalidQuery, NotFound
from sanctionwatch.service import clusters as cluster_service
from sanctionwatch.service.incidents import make_query, review_incident, search_incidents
from sanctionwatch.service.ingestion import ingest_articles, reextract_articles
from sanctionwatch.store import create_database_engine
from sanctionwatch.store.schema import cluster_members


@pytest.fixture
def engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    return create_database_engine(tmp_path / "store.db")


def _labour_cluster(engine) -> dict:  # type: ignore[no-untyped-def,type-arg]
    items, _ = cluster_service.list_clusters(engine, make_query(type="labor_export"))
    return cluster_service.get_cluster(engine, items[0]["id"])


def _membership(engine) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return {row.incident_id: row.cluster_id for row in connection.execute(select(cluster_members))}


def test_seed_copy_and_own_report_are_one_cluster_of_three_reports_and_two_sources(engine) -> None:  # type: ignore[no-untyped-def]
    ingest_articles(engine, [seed(), verbatim_copy(), own_report()])
    cluster = _labour_cluster(engine)
    assert set(cluster) >= {"id", "type", "incident_ids", "article_ids", "reports", "independent_sources", "outlets", "earliest", "merged", "conflicts"}
    assert len(cluster["reports"]) == 3 and cluster["independent_sources"] == 2
    assert cluster["earliest"] == "2024-05-16"
    copy_group = next(s for s in cluster["sources"] if len(s["article_ids"]) == 2)
    assert copy_group["article_ids"] == [seed().id, verbatim_copy().id]
    assert "near-duplicate" in copy_group["why_one_source"][0]
    assert [r["independent"] for r in cluster["reports"]] == [True, False, True]
    # every incident carries its cluster
    items, _ = search_incidents(engine, make_query(type="labor_export"))
    assert {i["cluster_id"] for i in items} == {cluster["id"]}
    assert all(i["cluster"]["independent_sources"] == 2 for i in items)


def test_the_same_articles_in_any_order_give_the_same_clusters(tmp_path: Path) -> None:
    articles = [seed(), verbatim_copy(), own_report()]
    seen = []
    for index, order in enumerate(itertools.permutations(articles)):
        engine = create_database_engine(tmp_path / f"order{index}.db")
        for article in order:  # one article per ingest: each new one joins what is stored
            ingest_articles(engine, [article])
        seen.append(_membership(engine))
    assert all(membership == seen[0] for membership in seen) and len(set(seen[0].values())) < len(seen[0])


def test_min_sources_filters_incidents_and_clusters(engine) -> None:  # type: ignore[no-untyped-def]
    ingest_articles(engine, [seed(), verbatim_copy(), own_report()])
    items, _ = search_incidents(engine, make_query(min_sources=2))
    assert items and {i["type"] for i in items} == {"labor_export"}
    clusters, total = cluster_service.list_clusters(engine, make_query(min_sources=2))
    assert total == 1 and clusters[0]["independent_sources"] == 2
    with pytest.raises(InvalidQuery):
        make_query(min_sources="two")


def test_a_merge_decision_survives_reextract(engine) -> None:  # type: ignore[no-untyped-def]
    ingest_articles(engine, [seed(), own_report()])
    enforcement, _ = cluster_service.list_clusters(engine, make_query(type="context_enforcement"))
    labour = _labour_cluster(engine)
    merged_id = cluster_service.merge_clusters(engine, labour["id"], enforcement[0]["id"], note="one dispatch")
    before = _membership(engine)
    assert len({before[i] for i in labour["incident_ids"] + cluster_service.get_cluster(engine, merged_id)["incident_ids"]}) == 1
    reextract_articles(engine)
    assert _membership(engine) == before
    assert any(e["kind"] == "merge" for e in cluster_service.get_cluster(engine, merged_id)["edges"])


def test_a_split_incident_leaves_its_cluster_for_good(engine) -> None:  # type: ignore[no-untyped-def]
    ingest_articles(engine, [seed(), verbatim_copy(), own_report()])
    labour = _labour_cluster(engine)
    own = next(r["incident_id"] for r in labour["reports"] if r["article_id"] == own_report().id)
    alone = cluster_service.split_incident(engine, own, note="a different dispatch")
    assert cluster_service.get_cluster(engine, alone)["incident_ids"] == [own]
    reextract_articles(engine)
    assert _membership(engine)[own] == alone
    assert len(_labour_cluster(engine)["reports"]) in (1, 2)


def test_a_rejected_incident_leaves_its_cluster(engine) -> None:  # type: ignore[no-untyped-def]
    ingest_articles(engine, [seed(), own_report()])
    labour = _labour_cluster(engine)
    assert len(labour["incident_ids"]) == 2
    review_incident(engine, labour["incident_ids"][0], decision="rejected")
    assert labour["incident_ids"][0] not in _membership(engine)


def test_unknown_clusters_and_incidents_are_not_found(engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        cluster_service.get_cluster(engine, "c-nothing")
    with pytest.raises(NotFound):
        cluster_service.split_incident(engine, "i-nothing")
