"""The dashboard's map counts in SQL (``store.queries.count_map``) agree with ``MapBuilder`` run
over the same incident records, on SQLite and on PostgreSQL: points, seas, countries, undrawable
places, a failed (0, 0) geocode, incidents without a place, an analyst's edit of the places."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from sanctionwatch.model import Article, Incident, Location
from sanctionwatch.service import dashboard, map_layers
from sanctionwatch.service.incidents import make_query
from sanctionwatch.store.articles import upsert_article
from sanctionwatch.store.engine import create_database_engine, write_transaction
from sanctionwatch.store.incidents import record_review, replace_incidents
from sanctionwatch.store.queries import count_map, iter_incidents

PLACES: list[tuple[Location, ...]] = [
    (Location("Nampo", "KP", lat=38.7, lon=125.4), Location("China", "CN")),
    (Location("China", "CN"),),
    (Location("Jilin", "CN", admin1="Jilin"), Location("Yellow Sea")),
    (Location("the high seas"),),
    (),
    (Location("the West Sea"), Location("Yellow Sea off Dalian"), Location("")),
    (Location("Vladivostok", "RU", lat=43.1, lon=131.9),),
    (Location("Russia", "RU"), Location("nowhere known")),
]


@pytest.fixture()
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_database_engine(database_url)
    with write_transaction(engine) as connection:
        for number, places in enumerate(PLACES * 2):
            text = f"North Korea moved goods, report {number}."
            upsert_article(connection, Article(id=f"a-{number}", text=text))
            found = Incident(
                article_id=f"a-{number}", type="maritime_transfer", locations=places, evidence=(text,),
                evidence_spans=((0, len(text)),), confidence=round(0.3 + (number % 5) / 10, 2),
            )  # fmt: skip
            ids = replace_incidents(connection, f"a-{number}", [found], run_id=None).ids
            if number == 3:  # the analyst places it: a point now
                record_review(connection, ids[0], status="edited", edited_data={"locations": [{"name": "Sinuiju", "country": "KP", "lat": 40.1, "lon": 124.4}]})
            if number == 9:
                record_review(connection, ids[0], status="rejected")
    yield engine
    engine.dispose()


@pytest.mark.parametrize("filters", [{}, {"status": "any"}, {"country": "CN"}, {"q": "report 1"}])
def test_sql_map_counts_equal_the_builder_over_records(engine: Engine, filters: dict[str, str]) -> None:
    query = make_query(**filters)
    records = list(iter_incidents(engine, query))
    builder = map_layers.MapBuilder()
    for record in records:
        builder.add(record)
    expected = builder.build()
    counts = count_map(engine, query, sea_of=map_layers.sea_of, point_limit=1_000, samples_per_area=map_layers.MAX_AREA_SAMPLES)
    assert (counts.with_point, counts.area_only, counts.undrawable, counts.without_place) == (
        expected.with_point, expected.area_only, expected.undrawable, expected.without_place,
    )  # fmt: skip
    assert {(kind, code): count for kind, code, count, _ in counts.areas} == {(a.kind, a.code): a.count for a in expected.areas}
    assert dict(counts.undrawable_places) == dict(expected.undrawable_places)
    confidence = {record["id"]: record["confidence"] for record in records}
    located = {point.incident_id for point in expected.points}
    assert set(counts.point_incident_ids) == located
    assert [confidence[i] for i in counts.point_incident_ids] == sorted((confidence[i] for i in located), reverse=True)
    for _, _, _, samples in counts.areas:  # the most confident first
        assert [confidence[i] for i in samples] == sorted((confidence[i] for i in samples), reverse=True)


def test_the_store_has_every_kind_of_place(engine: Engine) -> None:
    summary = dashboard.summarize_incidents(engine, make_query())
    layers = summary.map
    assert layers.with_point == 5 and layers.without_place == 2  # Nampo x2, Vladivostok x2, the edit; (); ()
    assert {(area.kind, area.code) for area in layers.areas} == {("country", "CN"), ("sea", "Yellow Sea"), ("country", "RU")}
    assert dict(layers.undrawable_places) == {"the high seas": 1, "(unnamed place)": 2, "nowhere known": 2}
