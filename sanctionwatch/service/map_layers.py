"""What the map draws: a point per located place, a shaded area per country or sea known only as such.

Every incident with a place is drawn once at least: places with coordinates become points; an
incident whose places have no point shades each of their countries (or seas, from the outlines in
``vocabularies/seas.geojson``), never a made-up point at a centroid. Places the map cannot draw
("the high seas", "Middle East") and incidents with no place at all are counted, so the page can
say how many incidents the map leaves out and why.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from sanctionwatch.service.summaries import country_name, incident_line, window_text

# An area's popup lists this many of its incidents; the rest are one link away (the filtered list).
MAX_AREA_SAMPLES = 8
SEAS_FILE = "seas.geojson"


@dataclass(frozen=True, slots=True)
class MapPoint:
    """One marker: a located place of one incident. Never built for a missing or (0, 0) point."""

    incident_id: str
    type: str
    line: str
    place: str
    role: str
    latitude: float
    longitude: float
    when: str
    certainty: str | None
    sources: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "incident_id": self.incident_id,
            "type": self.type,
            "summary": self.line,
            "place": self.place,
            "role": self.role,
            "lat": self.latitude,
            "lon": self.longitude,
            "when": self.when,
            "certainty": self.certainty,
            "sources": self.sources,
        }


@dataclass(frozen=True, slots=True)
class AreaRef:
    """A country (``kind`` "country", ``code`` ISO alpha-2) or a sea (``kind`` "sea", ``code`` its name)."""

    kind: str
    code: str
    label: str


@dataclass(frozen=True, slots=True)
class MapArea:
    kind: str
    code: str
    label: str
    count: int
    samples: tuple[tuple[str, str], ...]  # (incident id, line) of the first few

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "code": self.code,
            "label": self.label,
            "count": self.count,
            "samples": [{"incident_id": i, "summary": s} for i, s in self.samples],
        }


@dataclass(frozen=True, slots=True)
class MapLayers:
    points: tuple[MapPoint, ...]
    areas: tuple[MapArea, ...]
    with_point: int  # incidents drawn as at least one point
    area_only: int  # incidents drawn only as shaded countries or seas
    undrawable: int  # incidents whose places the map cannot draw
    without_place: int  # incidents with no place at all
    undrawable_places: tuple[tuple[str, int], ...]  # ("the high seas", 2), most frequent first

    def to_dict(self) -> dict[str, Any]:
        return {
            "points": [point.to_dict() for point in self.points],
            "areas": [area.to_dict() for area in self.areas],
            "with_point": self.with_point,
            "area_only": self.area_only,
            "undrawable": self.undrawable,
            "without_place": self.without_place,
            "undrawable_places": [list(item) for item in self.undrawable_places],
        }


def _source_count(incident: dict[str, Any]) -> int | None:
    """Independent sources, once the clusters work adds them (``source_count`` or ``cluster.sources``)."""
    value = incident.get("source_count")
    if value is None and isinstance(incident.get("cluster"), dict):
        value = incident["cluster"].get("independent_sources", incident["cluster"].get("sources"))
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def has_point(location: dict[str, Any]) -> bool:
    latitude, longitude = location.get("lat"), location.get("lon")
    if not isinstance(latitude, int | float) or not isinstance(longitude, int | float):
        return False
    # (0, 0) is "Null Island": a failed geocode, never a place in this domain.
    return not (latitude == 0 and longitude == 0) and -90 <= latitude <= 90 and -180 <= longitude <= 180


def map_points(incident: dict[str, Any], line: str | None = None) -> list[MapPoint]:
    """Markers for the incident's places that have real coordinates."""
    points = []
    for location in incident.get("locations") or []:
        if not has_point(location):
            continue
        points.append(
            MapPoint(
                incident_id=str(incident.get("id")),
                type=str(incident.get("type")),
                line=line if line is not None else incident_line(incident),
                place=str(location.get("name") or ""),
                role=str(location.get("role") or ""),
                latitude=float(location["lat"]),
                longitude=float(location["lon"]),
                when=window_text(incident.get("time")),
                certainty=incident.get("certainty"),
                sources=_source_count(incident),
            )
        )
    return points


@lru_cache(maxsize=1)
def sea_geojson() -> dict[str, Any]:
    """The sea outlines (GeoJSON FeatureCollection) the map shades; served to the browser as is."""
    text = resources.files("sanctionwatch.vocabularies").joinpath(SEAS_FILE).read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _sea_names() -> dict[str, str]:
    """Every spelling of a drawn sea ("west sea", "the yellow sea") → its outline's name."""
    drawn = {feature["properties"]["name"] for feature in sea_geojson()["features"]}
    text = resources.files("sanctionwatch.vocabularies").joinpath("places_curated.json").read_text("utf-8")
    names: dict[str, str] = {}
    for place in json.loads(text)["places"]:
        if place.get("name") in drawn:
            for spelling in (place["name"], *(place.get("aliases") or ())):
                names[_fold(spelling)] = place["name"]
    for name in drawn:
        names[_fold(name)] = name
    return names


def _fold(text: str) -> str:
    text = " ".join(text.casefold().split())
    return text[4:] if text.startswith("the ") else text


def sea_of(name: str) -> str | None:
    """The drawn sea a place name refers to: "Yellow Sea off Dalian" → "Yellow Sea"."""
    folded = _fold(name)
    names = _sea_names()
    if folded in names:
        return names[folded]
    for spelling, sea in names.items():
        if folded.startswith(spelling + " ") or folded.endswith(" " + spelling):
            return sea
    return None


def incident_areas(incident: dict[str, Any]) -> tuple[list[AreaRef], list[str]]:
    """(areas to shade, names of places that cannot be drawn) for the places without a point."""
    areas: list[AreaRef] = []
    undrawable: list[str] = []
    for location in incident.get("locations") or []:
        if has_point(location):
            continue
        name = str(location.get("name") or "")
        sea = sea_of(name) if name else None
        if sea:
            reference = AreaRef("sea", sea, sea)
        elif location.get("country"):
            code = str(location["country"])
            reference = AreaRef("country", code, country_name(code) or code)
        else:
            undrawable.append(name or "(unnamed place)")
            continue
        if reference not in areas:
            areas.append(reference)
    return areas, undrawable


@dataclass
class MapBuilder:
    """Accumulates map layers over a stream of incidents (one pass, bounded samples per area)."""

    points: list[MapPoint] = field(default_factory=list)
    area_counts: Counter[AreaRef] = field(default_factory=Counter)
    area_samples: dict[AreaRef, list[tuple[str, str]]] = field(default_factory=dict)
    undrawable_names: Counter[str] = field(default_factory=Counter)
    with_point: int = 0
    area_only: int = 0
    undrawable: int = 0
    without_place: int = 0

    def add(self, incident: dict[str, Any], line: str | None = None) -> None:
        line = line if line is not None else incident_line(incident)
        if not incident.get("locations"):
            self.without_place += 1
            return
        points = map_points(incident, line)
        if points:
            self.points.extend(points)
            self.with_point += 1
            return
        areas, undrawable = incident_areas(incident)
        self.undrawable_names.update(undrawable)
        if not areas:
            self.undrawable += 1
            return
        self.area_only += 1
        for area in areas:
            self.area_counts[area] += 1
            samples = self.area_samples.setdefault(area, [])
            if len(samples) < MAX_AREA_SAMPLES:
                samples.append((str(incident.get("id")), line))

    def build(self) -> MapLayers:
        areas = tuple(
            MapArea(area.kind, area.code, area.label, count, tuple(self.area_samples.get(area, ())))
            for area, count in self.area_counts.most_common()
        )
        return MapLayers(
            points=tuple(self.points),
            areas=areas,
            with_point=self.with_point,
            area_only=self.area_only,
            undrawable=self.undrawable,
            without_place=self.without_place,
            undrawable_places=tuple(self.undrawable_names.most_common(5)),
        )


def incident_map(incident: dict[str, Any]) -> MapLayers:
    """The map of one incident page: its points, or the countries and seas it is known by."""
    builder = MapBuilder()
    builder.add(incident)
    layers = builder.build()
    if layers.points:
        # A located incident may also name whole countries; show them too, lightly.
        areas, _ = incident_areas(incident)
        extra = tuple(MapArea(a.kind, a.code, a.label, 1, ()) for a in areas)
        return MapLayers(layers.points, extra, 1, 0, 0, 0, ())
    return layers
