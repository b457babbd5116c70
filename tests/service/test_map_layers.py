"""Map layers: a point only where there are coordinates, an area where there is only a country or sea."""

from __future__ import annotations

from typing import Any

import pytest

from sanctionwatch.service import map_layers


def incident(*locations: dict[str, Any], id: str = "i-1") -> dict[str, Any]:
    return {"id": id, "article_id": "a", "type": "maritime_transfer", "summary": "s", "locations": list(locations), "time": {}}


@pytest.mark.parametrize(
    ("name", "sea"),
    [
        ("Yellow Sea", "Yellow Sea"),
        ("the West Sea", "Yellow Sea"),
        ("East Sea", "Sea of Japan"),
        ("Yellow Sea off Dalian", "Yellow Sea"),
        ("waters of the Taiwan Strait", "Taiwan Strait"),
        ("the high seas", None),  # no outline: it cannot be drawn
        ("Dandong", None),
    ],
)
def test_sea_names_and_aliases(name: str, sea: str | None) -> None:
    assert map_layers.sea_of(name) == sea


def test_every_sea_outline_is_a_closed_polygon_named_in_the_gazetteer() -> None:
    features = map_layers.sea_geojson()["features"]
    assert len(features) >= 10
    for feature in features:
        ring = feature["geometry"]["coordinates"][0]
        assert ring[0] == ring[-1] and len(ring) >= 4
        assert map_layers.sea_of(feature["properties"]["name"]) == feature["properties"]["name"]


def test_an_incident_with_a_point_is_drawn_as_points_only() -> None:
    builder = map_layers.MapBuilder()
    builder.add(incident({"name": "Nampo", "country": "KP", "lat": 38.7, "lon": 125.4}, {"name": "China", "country": "CN"}))
    layers = builder.build()
    assert [point.place for point in layers.points] == ["Nampo"]
    assert layers.areas == ()
    assert (layers.with_point, layers.area_only) == (1, 0)


def test_country_and_sea_level_incidents_shade_areas_and_are_counted() -> None:
    builder = map_layers.MapBuilder()
    builder.add(incident({"name": "China", "country": "CN"}, id="i-1"))
    builder.add(incident({"name": "Jilin", "country": "CN", "admin1": "Jilin"}, {"name": "Yellow Sea"}, id="i-2"))
    builder.add(incident({"name": "the high seas"}, id="i-3"))
    builder.add(incident(id="i-4"))
    builder.add(incident({"name": "Null Island", "country": "GH", "lat": 0, "lon": 0}, id="i-5"))  # a failed geocode
    layers = builder.build()
    assert layers.points == ()
    areas = {(area.kind, area.code): area.count for area in layers.areas}
    assert areas == {("country", "CN"): 2, ("sea", "Yellow Sea"): 1, ("country", "GH"): 1}
    assert (layers.area_only, layers.undrawable, layers.without_place) == (3, 1, 1)
    assert layers.undrawable_places == (("the high seas", 1),)
    china = next(area for area in layers.areas if area.code == "CN")
    assert china.label == "China" and [sample[0] for sample in china.samples] == ["i-1", "i-2"]


def test_area_samples_are_bounded() -> None:
    builder = map_layers.MapBuilder()
    for index in range(map_layers.MAX_AREA_SAMPLES + 5):
        builder.add(incident({"name": "Russia", "country": "RU"}, id=f"i-{index}"))
    area = builder.build().areas[0]
    assert area.count == map_layers.MAX_AREA_SAMPLES + 5
    assert len(area.samples) == map_layers.MAX_AREA_SAMPLES


def test_a_point_carries_its_window_and_source_count_when_present() -> None:
    record = incident({"name": "Nampo", "country": "KP", "lat": 38.7, "lon": 125.4})
    record["time"] = {"start": "2024-05-01", "end": "2024-05-31", "precision": "month"}
    (point,) = map_layers.map_points(record)
    assert point.when == "May 2024" and point.sources is None
    record["cluster"] = {"id": "c-1", "independent_sources": 3}
    assert map_layers.map_points(record)[0].sources == 3


def test_an_incident_page_map_of_a_country_level_incident_focuses_on_its_country() -> None:
    layers = map_layers.incident_map(incident({"name": "Sudan", "country": "SD"}))
    assert layers.points == () and [area.code for area in layers.areas] == ["SD"]
