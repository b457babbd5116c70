"""Build the dashboard's offline basemap: Natural Earth 110m countries as GeoJSON.

Run once when the source changes::

    cd /tmp && npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/build_basemap.py /tmp/package/countries-110m.json

Writes ``sanctionwatch/web/static/vendor/basemap/countries-110m.json`` (GeoJSON FeatureCollection).
The dashboard draws it as an ``L.geoJSON`` layer, so no map tile ever comes from a third party.

Data: Natural Earth (public domain) via the world-atlas package (ISC), TopoJSON decoded here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

STATIC_DIRECTORY = Path(__file__).resolve().parent.parent / "sanctionwatch" / "web" / "static"
OUTPUT_PATH = STATIC_DIRECTORY / "vendor" / "basemap" / "countries-110m.json"
# Two decimals (~1 km) is far finer than a 110m outline needs and halves the file.
COORDINATE_DECIMALS = 2


def decode_arcs(topology: dict[str, Any]) -> list[list[list[float]]]:
    """Absolute [lon, lat] points of every arc (TopoJSON stores quantized deltas)."""
    scale_x, scale_y = topology["transform"]["scale"]
    translate_x, translate_y = topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for delta_x, delta_y in arc:
            x += delta_x
            y += delta_y
            longitude = round(x * scale_x + translate_x, COORDINATE_DECIMALS)
            latitude = round(y * scale_y + translate_y, COORDINATE_DECIMALS)
            points.append([longitude, latitude])
        decoded.append(points)
    return decoded


def ring(arc_indexes: list[int], arcs: list[list[list[float]]]) -> list[list[float]]:
    """Join arcs into one ring; a negative index ``~i`` means arc ``i`` reversed."""
    points: list[list[float]] = []
    for index in arc_indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        # Consecutive arcs share their joining point; keep it once.
        points.extend(arc if not points else arc[1:])
    return points


def geometry(shape: dict[str, Any], arcs: list[list[list[float]]]) -> dict[str, Any] | None:
    if shape["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r, arcs) for r in shape["arcs"]]}
    if shape["type"] == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [[ring(r, arcs) for r in polygon] for polygon in shape["arcs"]]}
    return None


def convert(topology: dict[str, Any], object_name: str = "countries") -> dict[str, Any]:
    arcs = decode_arcs(topology)
    features = []
    for shape in topology["objects"][object_name]["geometries"]:
        decoded = geometry(shape, arcs)
        if decoded is None:
            continue
        features.append(
            {"type": "Feature", "properties": {"name": shape.get("properties", {}).get("name")}, "geometry": decoded}
        )
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    topology = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    OUTPUT_PATH.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT_PATH.write_text(json.dumps(convert(topology), separators=(",", ":")), encoding="utf-8")
    print(f"wrote {OUTPUT_PATH} ({OUTPUT_PATH.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
