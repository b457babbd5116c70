"""Aggregates for the dashboard: facet counts, the timeline and the map layers, in one pass.

All of it is computed from the same effective incidents (machine output with analysts' edits
applied) that search and export return, so a type edited by an analyst is counted as edited,
and the list, the map and the timeline of one page always describe the same incidents.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from sanctionwatch import __version__
from sanctionwatch.errors import StoreError
from sanctionwatch.service.map_layers import MapBuilder, MapLayers, map_points
from sanctionwatch.service.summaries import incident_line
from sanctionwatch.service.timeline import Timeline, TimelineBuilder
from sanctionwatch.store import incidents as incident_store
from sanctionwatch.store.articles import count_articles
from sanctionwatch.store.incidents import IncidentQuery

__all__ = ["FACETS", "DashboardSummary", "health", "map_points", "summarize_incidents"]

# The summary walks every matching incident; past this many it stops and says so, so one
# broad query on a large store cannot hold a worker for minutes.
MAX_SUMMARY_INCIDENTS = 20_000
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


def _facet_values(incident: dict[str, Any]) -> dict[str, list[str]]:
    article = incident.get("article") or {}
    return {
        "type": [str(incident.get("type"))],
        "country": sorted(countries_of(incident)),
        "certainty": [str(incident.get("certainty") or "not stated")],
        "attribution": [str(incident.get("attribution") or "not stated")],
        "status": [str(incident.get("review_status") or "unreviewed")],
        "source": [str(article.get("source"))] if article.get("source") else [],
    }


def summarize_incidents(engine: Engine, query: IncidentQuery, *, granularity: str | None = None) -> DashboardSummary:
    """Facets, timeline (by start, undated apart) and map layers of every matching incident."""
    facet_counts: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    map_builder = MapBuilder()
    timeline_builder = TimelineBuilder()
    seen = 0
    truncated = False
    for incident in incident_store.iter_incidents(engine, replace(query, limit=1, offset=0)):
        if seen >= MAX_SUMMARY_INCIDENTS:
            truncated = True
            break
        seen += 1
        for name, values in _facet_values(incident).items():
            facet_counts[name].update(values)
        map_builder.add(incident, incident_line(incident))
        timeline_builder.add(incident)
    return DashboardSummary(
        incident_count=seen,
        facets={name: tuple(counts.most_common(MAX_FACET_VALUES)) for name, counts in facet_counts.items()},
        map=map_builder.build(),
        timeline=timeline_builder.build(granularity),
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
