"""Exporters on records alone: geometry per RFC 7946, the BOM option, chunked output."""

from __future__ import annotations

import json

from sanctionwatch.service import exports


def record(*locations: dict) -> dict:  # type: ignore[type-arg]
    return {"id": "i-1", "article_id": "a", "type": "maritime_transfer", "locations": list(locations), "time": {}, "article": {}}


def test_geometry_is_lon_lat_multipoint_for_several_and_null_without_a_point() -> None:
    features = json.loads("".join(exports.export_geojson([
        record({"name": "Nampo", "lat": 38.7, "lon": 125.4}, {"name": "Dalian", "lat": 38.9, "lon": 121.6}),
        record({"name": "Yellow Sea", "lat": None, "lon": None}, {"name": "Null", "lat": 0, "lon": 0}),
    ])))["features"]  # fmt: skip
    assert features[0]["geometry"] == {"type": "MultiPoint", "coordinates": [[125.4, 38.7], [121.6, 38.9]]}
    assert features[1]["geometry"] is None


def test_bom_only_when_asked_and_rows_stream_in_chunks() -> None:
    assert not "".join(exports.export_csv([])).startswith(exports.BOM)
    assert "".join(exports.export_csv([], bom=True)).startswith(exports.BOM + "id,")
    many = (record({"name": f"Place {n}", "lat": 1.0, "lon": 2.0}) | {"id": f"i-{n}"} for n in range(3000))
    chunks = list(exports.export_csv(many))
    assert len(chunks) > 2 and all(len(chunk) <= exports.CHUNK_CHARACTERS + 2000 for chunk in chunks)
    assert "".join(chunks).count("\n") == 3001
