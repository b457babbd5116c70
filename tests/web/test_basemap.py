"""The bundled basemap: ISO codes to shade by, and no edge that runs across the whole world."""

from __future__ import annotations

import importlib.util
import json
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASEMAP = ROOT / "sanctionwatch" / "web" / "static" / "vendor" / "basemap" / "countries-110m.json"


def load_build_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("build_basemap", ROOT / "scripts" / "build_basemap.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rings(feature: dict) -> list[list[list[float]]]:  # type: ignore[type-arg]
    geometry = feature["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [ring for polygon in polygons for ring in polygon]


@pytest.fixture(scope="module")
def features() -> list[dict]:  # type: ignore[type-arg]
    return json.loads(BASEMAP.read_text(encoding="utf-8"))["features"]  # type: ignore[no-any-return]


def test_countries_carry_iso_codes(features: list[dict]) -> None:  # type: ignore[type-arg]
    codes = {feature["properties"]["iso"] for feature in features}
    assert {"KP", "KR", "CN", "RU", "US", "SD", "AO", "FJ"} <= codes
    assert sum(1 for feature in features if not feature["properties"]["iso"]) <= 3  # Kosovo, N. Cyprus, Somaliland


def test_no_edge_crosses_the_antimeridian_except_along_a_pole(features: list[dict]) -> None:  # type: ignore[type-arg]
    for feature in features:
        for ring in rings(feature):
            for a, b in pairwise(ring):
                assert -180 <= a[0] <= 180
                if abs(b[0] - a[0]) > 180:
                    # Antarctica's ring closes along the pole, off the drawn map.
                    assert abs(a[1]) == 90 and abs(b[1]) == 90, (feature["properties"]["name"], a, b)


def test_split_at_antimeridian_gives_one_ring_per_side() -> None:
    script = load_build_script()
    fiji_like = [[178.0, -17.0], [180.0, -16.0], [-180.0, -16.0], [-179.0, -16.5], [-180.0, -17.0], [179.0, -17.5], [178.0, -17.0]]
    pieces = script.split_at_antimeridian(fiji_like)
    assert len(pieces) == 2
    for piece in pieces:
        assert piece[0] == piece[-1]
        longitudes = [point[0] for point in piece]
        assert all(x >= 0 for x in longitudes) or all(x <= 0 for x in longitudes)
    plain = [[10.0, 10.0], [11.0, 10.0], [11.0, 11.0], [10.0, 10.0]]
    assert script.split_at_antimeridian(plain) == [plain]
