"""Aggregates for the dashboard: facet counts, a monthly timeline and map points.

All of it is computed from the same effective incidents (machine output with analysts' edits
applied) that search and export return, so a type edited by an analyst is counted as edited.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from sanctionwatch import __version__
from sanctionwatch.errors import StoreError
from sanctionwatch.store import incidents as incident_store
from sanctionwatch.store.articles import count_articles
from sanctionwatch.store.incidents import IncidentQuery

# The summary walks every matching incident; past this many it stops and says so, so one
# broad query on a large store cannot hold a worker for minutes.
MAX_SUMMARY_INCIDENTS = 20_000
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
    truncated: bool


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


def _countries(incident: dict[str, Any]) -> set[str]:
    return {a.get("country") for a in incident.get("actors") or [] if a.get("country")} | {
        loc.get("country") for loc in incident.get("locations") or [] if loc.get("country")
    }


def summarize_incidents(engine: Engine, query: IncidentQuery) -> DashboardSummary:
    """Facets, timeline (by ``time.start`` month) and map points of every matching incident."""
    type_counts: Counter[str] = Counter()
    country_counts: Counter[str] = Counter()
    month_counts: Counter[str] = Counter()
    undated = 0
    points: list[MapPoint] = []
    seen = 0
    truncated = False
    for incident in incident_store.iter_incidents(engine, replace(query, limit=1, offset=0)):
        if seen >= MAX_SUMMARY_INCIDENTS:
            truncated = True
            break
        seen += 1
        type_counts[str(incident.get("type"))] += 1
        country_counts.update(_countries(incident))
        start = (incident.get("time") or {}).get("start")
        if start and len(start) >= 7:
            month_counts[start[:7]] += 1
        else:
            undated += 1
        points.extend(map_points(incident))
    return DashboardSummary(
        incident_count=seen,
        counts_by_type=tuple(type_counts.most_common()),
        counts_by_country=tuple(country_counts.most_common()),
        timeline=_timeline(month_counts),
        undated_count=undated,
        points=tuple(points),
        truncated=truncated,
    )


def health(engine: Engine) -> dict[str, Any]:
    """A cheap liveness check that touches the store; raises StoreError when it cannot be read."""
    try:
        article_count = count_articles(engine)
    except SQLAlchemyError as exc:
        url = engine.url.render_as_string(hide_password=True)
        raise StoreError(f"database unavailable: {exc.__class__.__name__}", url=url) from exc
    return {"status": "ok", "version": __version__, "articles": article_count}
