"""Aggregates for the dashboard: facet counts, the timeline and the map layers.

All of it is computed from the same effective incidents (machine output with analysts' edits
applied) that search and export return, so a type edited by an analyst is counted as edited,
and the list, the map and the timeline of one page always describe the same incidents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine

from sanctionwatch.service.map_layers import MAX_AREA_SAMPLES, MapArea, MapLayers, map_points, sea_of
from sanctionwatch.service.summaries import country_name, incident_line
from sanctionwatch.service.timeline import Timeline, TimelineBuilder
from sanctionwatch.store import queries
from sanctionwatch.store.queries import IncidentQuery

__all__ = ["FACETS", "DashboardSummary", "health", "map_points", "summarize_incidents"]

# The map draws the points of at most this many incidents (the most confident located ones);
# more markers make the page heavy without telling an analyst more.
MAX_MAP_INCIDENTS = 1_000
# Facets shown beside the list, in this order: (name, what is counted).
FACETS = ("type", "country", "certainty", "attribution", "status", "source")
MAX_FACET_VALUES = 30


@dataclass(frozen=True, slots=True)
class DashboardSummary:
    """Counts over every incident matching a query (limit and offset ignored)."""

    incident_count: int
    facets: dict[str, tuple[tuple[str, int], ...]]
    map: MapLayers
    timeline: Timeline
    truncated: bool

    @property
    def counts_by_type(self) -> tuple[tuple[str, int], ...]:
        return self.facets["type"]

    @property
    def counts_by_country(self) -> tuple[tuple[str, int], ...]:
        return self.facets["country"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "incident_count": self.incident_count,
            "facets": {name: [{"value": value, "count": count} for value, count in values] for name, values in self.facets.items()},
            "timeline": self.timeline.to_dict(),
            "map": {key: value for key, value in self.map.to_dict().items() if key not in ("points", "areas")},
            "truncated": self.truncated,
        }


def countries_of(incident: dict[str, Any]) -> set[str]:
    """Every country an incident involves: its actors' and its places'."""
    return {a.get("country") for a in incident.get("actors") or [] if a.get("country")} | {
        loc.get("country") for loc in incident.get("locations") or [] if loc.get("country")
    }


def _facets(engine: Engine, query: IncidentQuery) -> dict[str, tuple[tuple[str, int], ...]]:
    facets: dict[str, tuple[tuple[str, int], ...]] = {}
    for name in FACETS:
        counts = queries.count_by(engine, query, name, limit=MAX_FACET_VALUES)
        if name in ("certainty", "attribution"):
            facets[name] = tuple((value or "not stated", count) for value, count in counts)
        else:
            facets[name] = tuple((str(value), count) for value, count in counts if value is not None)
    return facets


def _timeline(engine: Engine, query: IncidentQuery, granularity: str | None) -> Timeline:
    counts = queries.count_by_date(engine, query)
    builder = TimelineBuilder()
    builder.undated = counts.undated
    for anchor, count in counts.anchors:
        builder.anchors[date.fromisoformat(anchor)] += count
    for start, end, precision, count in counts.windows:
        first = date.fromisoformat(start) if start else None
        last = date.fromisoformat(end) if end else None
        anchor_day = first or last
        if anchor_day is not None:
            low, high = sorted((first or anchor_day, last or anchor_day))
            builder.windows[(low, high, precision)] += count
    return builder.build(granularity)


def _map(engine: Engine, query: IncidentQuery) -> MapLayers:
    counts = queries.count_map(
        engine, query, sea_of=sea_of, point_limit=MAX_MAP_INCIDENTS, samples_per_area=MAX_AREA_SAMPLES
    )
    sample_ids = [incident_id for *_, ids in counts.areas for incident_id in ids]
    records = queries.get_incidents(engine, [*counts.point_incident_ids, *sample_ids])
    points = tuple(
        point
        for incident_id in counts.point_incident_ids
        if incident_id in records
        for point in map_points(records[incident_id], incident_line(records[incident_id]))
    )
    areas = tuple(
        MapArea(
            kind,
            code,
            code if kind == "sea" else (country_name(code) or code),
            count,
            tuple((i, incident_line(records[i])) for i in ids if i in records),
        )
        for kind, code, count, ids in counts.areas
    )
    return MapLayers(
        points=points,
        areas=areas,
        with_point=counts.with_point,
        area_only=counts.area_only,
        undrawable=counts.undrawable,
        without_place=counts.without_place,
        undrawable_places=counts.undrawable_places,
    )


def summarize_incidents(engine: Engine, query: IncidentQuery, *, granularity: str | None = None) -> DashboardSummary:
    """Facets, timeline (by start, undated apart) and map layers of every matching incident.

    SQL aggregates over the listing index, cached per store version (``store/queries.py``): the
    cost follows the distinct values (types, dates, places), not the number of incidents. Only
    the map's points are capped: those of the ``MAX_MAP_INCIDENTS`` most confident located
    incidents (``truncated`` says when more have a point).
    """


    def compute() -> DashboardSummary:
        layers = _map(engine, query)
        return DashboardSummary(
            incident_count=queries.count_incidents(engine, query),
            facets=_facets(engine, query),
            map=layers,
            timeline=_timeline(engine, query, granularity),
            truncated=layers.with_point > MAX_MAP_INCIDENTS,
        )

    summary: DashboardSummary = queries.remember(engine, "dashboard", query, compute, granularity)
    return summary


def health(engine: Engine) -> dict[str, Any]:
    """Kept for callers of the first API: ``service.health.health``."""
    from sanctionwatch.service.health import health as store_health

    return store_health(engine)
