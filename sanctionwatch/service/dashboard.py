"""Aggregates for the dashboard: facet counts, a monthly timeline and map points.

All of it is computed from the same effective incidents (machine output with analysts' edits
applied) that search and export return, so a type edited by an analyst is counted as edited.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from sanctionwatch.store import queries
from sanctionwatch.store.queries import IncidentQuery

# The map shows the places of at most this many incidents (the most confident); more markers
# than this make the page heavy without telling an analyst more.
MAX_MAP_INCIDENTS = 2_000
# A timeline wider than this many months is cut to the latest ones (ten years fit a screen).
MAX_TIMELINE_MONTHS = 120


@dataclass(frozen=True, slots=True)
class MapPoint:
    """One marker: a located place of one incident. Never built for a missing or (0, 0) point."""

    incident_id: str
    type: str
    summary: str
    place: str
    role: str
    latitude: float
    longitude: float
    start: str | None
    certainty: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "incident_id": self.incident_id,
            "type": self.type,
            "summary": self.summary,
            "place": self.place,
            "role": self.role,
            "lat": self.latitude,
            "lon": self.longitude,
            "start": self.start,
            "certainty": self.certainty,
        }


@dataclass(frozen=True, slots=True)
class DashboardSummary:
    """Counts over every incident matching a query (limit and offset ignored)."""

    incident_count: int
    counts_by_type: tuple[tuple[str, int], ...]
    counts_by_country: tuple[tuple[str, int], ...]
    timeline: tuple[tuple[str, int], ...]  # ("YYYY-MM", count), every month from first to last
    undated_count: int
    points: tuple[MapPoint, ...]
    truncated: bool  # the map shows only the MAX_MAP_INCIDENTS most confident located incidents


def map_points(incident: dict[str, Any]) -> list[MapPoint]:
    """Markers for the incident's places that have real coordinates."""
    points = []
    for location in incident.get("locations") or []:
        latitude, longitude = location.get("lat"), location.get("lon")
        if latitude is None or longitude is None:
            continue
        # (0, 0) is "Null Island": a failed geocode, never a place in this domain.
        if latitude == 0 and longitude == 0:
            continue
        points.append(
            MapPoint(
                incident_id=str(incident.get("id")),
                type=str(incident.get("type")),
                summary=str(incident.get("summary") or ""),
                place=str(location.get("name") or ""),
                role=str(location.get("role") or ""),
                latitude=float(latitude),
                longitude=float(longitude),
                start=(incident.get("time") or {}).get("start"),
                certainty=incident.get("certainty"),
            )
        )
    return points


def _month_range(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    end_year, end_month = int(last[:4]), int(last[5:7])
    months = []
    while (year, month) <= (end_year, end_month):
        months.append(f"{year:04d}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return months


def _timeline(month_counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    if not month_counts:
        return ()
    months = _month_range(min(month_counts), max(month_counts))[-MAX_TIMELINE_MONTHS:]
    return tuple((month, month_counts.get(month, 0)) for month in months)


def summarize_incidents(engine: Engine, query: IncidentQuery) -> DashboardSummary:
    """Facets, timeline (by ``time.start`` month) and map points of every matching incident.

    SQL aggregates over the listing index, cached per store version (``store/queries.py``): the
    cost does not grow with the matching incidents, only the map is capped
    (``MAX_MAP_INCIDENTS`` most confident located incidents; ``truncated`` says so).
    """
    months, undated = queries.count_by_month(engine, query)
    places, located = queries.located_places(engine, query, limit=MAX_MAP_INCIDENTS)
    points = tuple(
        MapPoint(
            incident_id=p.incident_id,
            type=p.type,
            summary=p.summary,
            place=p.place,
            role=p.role,
            latitude=p.latitude,
            longitude=p.longitude,
            start=p.start,
            certainty=p.certainty,
        )
        for p in places
    )
    return DashboardSummary(
        incident_count=queries.count_incidents(engine, query),
        counts_by_type=tuple(queries.count_by_type(engine, query)),
        counts_by_country=tuple(queries.count_by_country(engine, query)),
        timeline=_timeline(Counter(dict(months))),
        undated_count=undated,
        points=points,
        truncated=located > MAX_MAP_INCIDENTS,
    )
