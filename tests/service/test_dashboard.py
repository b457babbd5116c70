"""Dashboard aggregates: map points never invented, months without gaps, facets by effective data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sanctionwatch.model import Article, Incident, Location, TimeRange
from sanctionwatch.service import dashboard
from sanctionwatch.service.health import health
from sanctionwatch.service.incidents import make_query, review_incident
from sanctionwatch.store.articles import upsert_article
from sanctionwatch.store.engine import create_database_engine
from sanctionwatch.store.incidents import replace_incidents


def incident_dict(*locations: dict) -> dict:  # type: ignore[type-arg]
    return {"id": "i-1", "type": "labor_export", "summary": "s", "locations": list(locations), "time": {}}


@pytest.mark.parametrize(
    ("location", "expected_count"),
    [
        ({"name": "Dandong", "lat": 40.1, "lon": 124.4}, 1),
        ({"name": "Yellow Sea", "lat": None, "lon": None}, 0),
        ({"name": "Null Island", "lat": 0, "lon": 0}, 0),
        ({"name": "Equator", "lat": 0, "lon": 30.5}, 1),
        ({"name": "Half", "lat": 40.1}, 0),
    ],
)
def test_map_points_skip_missing_and_null_island(location: dict, expected_count: int) -> None:  # type: ignore[type-arg]
    assert len(dashboard.map_points(incident_dict(location))) == expected_count


def test_summary_counts_edited_values_and_fills_month_gaps(tmp_path: Path) -> None:
    engine = create_database_engine(tmp_path / "d.db")
    article = Article(id="a-1", text="First sentence. Second sentence. Third sentence.")
    found = [
        Incident(
            article_id="a-1", type="labor_export", evidence=("First sentence.",), evidence_spans=((0, 15),),
            locations=(Location(name="Dandong", country="CN", lat=40.1, lon=124.4),),
            time=TimeRange(start=date(2024, 1, 5), precision="day"),
        ),
        Incident(
            article_id="a-1", type="labor_export", evidence=("Second sentence.",), evidence_spans=((16, 32),),
            time=TimeRange(start=date(2024, 4, 1), precision="month"),
        ),
        Incident(article_id="a-1", type="cyber_theft", evidence=("Third sentence.",), evidence_spans=((33, 48),)),
    ]  # fmt: skip
    with engine.begin() as connection:
        upsert_article(connection, article)
        replace_incidents(connection, "a-1", found, run_id=None)
    review_incident(engine, found[1].id, decision="edited", edits={"type": "cyber_theft"})
    summary = dashboard.summarize_incidents(engine, make_query())
    assert summary.incident_count == 3
    assert dict(summary.counts_by_type) == {"labor_export": 1, "cyber_theft": 2}
    assert dict(summary.counts_by_country) == {"CN": 1}
    assert [(b.key, b.count) for b in summary.timeline.bins] == [("2024-01", 1), ("2024-02", 0), ("2024-03", 0), ("2024-04", 1)]
    assert summary.timeline.undated == 1
    assert summary.timeline.total == summary.incident_count  # every incident is counted once
    assert [point.place for point in summary.map.points] == ["Dandong"]
    assert (summary.map.with_point, summary.map.without_place) == (1, 2)
    assert dict(summary.facets["status"]) == {"unreviewed": 2, "edited": 1}
    assert not summary.truncated
    assert health(engine)["articles"] == 1
