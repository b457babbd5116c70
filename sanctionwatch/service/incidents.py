"""Searching, reading and reviewing stored incidents: the use cases behind API, dashboard and CLI."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine

from sanctionwatch.errors import InvalidQuery
from sanctionwatch.model.incident import (
    ATTRIBUTIONS,
    CERTAINTIES,
    INCIDENT_TYPES,
    REVIEW_STATUSES,
)
from sanctionwatch.service.clusters import parse_min_sources, recluster_incident
from sanctionwatch.store import incidents as incident_store
from sanctionwatch.store.articles import get_article as _get_article
from sanctionwatch.store.incidents import SORTS, IncidentQuery

MAX_LIMIT = 500
UNDATED_CHOICES = ("include", "only")
MAX_QUERY_CHARACTERS = 200
EDITABLE_FIELDS = ("type", "summary", "attribution", "certainty", "commodity", "provisions", "quantity", "time")


def _iso_date(value: str | None, parameter: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError as exc:
        raise InvalidQuery(f"{parameter} must be a date YYYY-MM-DD, got {value!r}", parameter=parameter) from exc


def make_query(
    *,
    type: str | None = None,
    country: str | None = None,
    since: str | None = None,
    until: str | None = None,
    q: str | None = None,
    status: str | None = None,
    certainty: str | None = None,
    attribution: str | None = None,
    source: str | None = None,
    undated: str | None = None,
    sort: str | None = None,
    article_id: str | None = None,
    min_sources: int | str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> IncidentQuery:
    """Validate filters from any front; raises InvalidQuery naming the bad parameter."""
    if type and type not in INCIDENT_TYPES:
        raise InvalidQuery(f"unknown incident type {type!r}; one of {', '.join(INCIDENT_TYPES)}", parameter="type")
    if country:
        country = country.strip().upper()
        if len(country) != 2 or not country.isalpha():
            raise InvalidQuery(f"country must be an ISO 3166 alpha-2 code, got {country!r}", parameter="country")
    if status and status not in (*REVIEW_STATUSES, "any"):
        raise InvalidQuery(f"unknown review status {status!r}", parameter="status")
    if certainty and certainty not in (*CERTAINTIES, "none"):
        raise InvalidQuery(f"unknown certainty {certainty!r}; one of {', '.join(CERTAINTIES)}, none", parameter="certainty")
    if attribution and attribution not in (*ATTRIBUTIONS, "none"):
        raise InvalidQuery(f"unknown attribution {attribution!r}; one of {', '.join(ATTRIBUTIONS)}, none", parameter="attribution")
    if source and len(source) > MAX_QUERY_CHARACTERS:
        raise InvalidQuery(f"source is longer than {MAX_QUERY_CHARACTERS} characters", parameter="source")
    if undated and undated not in UNDATED_CHOICES:
        raise InvalidQuery(f"undated must be one of {', '.join(UNDATED_CHOICES)}, got {undated!r}", parameter="undated")
    if sort and sort not in SORTS:
        raise InvalidQuery(f"unknown sort {sort!r}; one of {', '.join(SORTS)}", parameter="sort")
    if not 1 <= int(limit) <= MAX_LIMIT:
        raise InvalidQuery(f"limit must be between 1 and {MAX_LIMIT}", parameter="limit")
    if int(offset) < 0:
        raise InvalidQuery("offset must be 0 or more", parameter="offset")
    if q and len(q) > MAX_QUERY_CHARACTERS:
        raise InvalidQuery(f"q is longer than {MAX_QUERY_CHARACTERS} characters", parameter="q")
    since_iso, until_iso = _iso_date(since, "since"), _iso_date(until, "until")
    if since_iso and until_iso and since_iso > until_iso:
        raise InvalidQuery("since is after until", parameter="since")
    return IncidentQuery(
        type=type or None,
        country=country or None,
        since=since_iso,
        until=until_iso,
        text=(q or "").strip() or None,
        article_id=article_id,
        status=status or None,
        min_sources=parse_min_sources(min_sources),
        certainty=certainty or None,
        attribution=attribution or None,
        source=(source or "").strip() or None,
        undated=undated or "",
        sort=sort or "newest",
        limit=int(limit),
        offset=int(offset),
    )


def search_incidents(engine: Engine, query: IncidentQuery) -> tuple[list[dict[str, Any]], int]:
    return incident_store.search_incidents(engine, query)


def get_incident(engine: Engine, incident_id: str) -> dict[str, Any]:
    return incident_store.get_incident(engine, incident_id)


def get_article(engine: Engine, article_id: str):  # type: ignore[no-untyped-def]
    return _get_article(engine, article_id)


def review_incident(
    engine: Engine,
    incident_id: str,
    *,
    decision: str,
    edits: dict[str, Any] | None = None,
    note: str | None = None,
    reviewer: str | None = None,
) -> dict[str, Any]:
    """Confirm, reject or edit an incident; the decision outlives re-extraction."""
    if decision not in ("confirmed", "rejected", "edited", "unreviewed"):
        raise InvalidQuery(f"unknown decision {decision!r}", parameter="decision")
    clean_edits: dict[str, Any] = {}
    for key, value in (edits or {}).items():
        if key not in EDITABLE_FIELDS:
            raise InvalidQuery(f"field {key!r} cannot be edited; editable: {', '.join(EDITABLE_FIELDS)}", parameter=key)
        if key == "type" and value not in INCIDENT_TYPES:
            raise InvalidQuery(f"unknown incident type {value!r}", parameter="type")
        if key == "attribution" and value not in ATTRIBUTIONS:
            raise InvalidQuery(f"unknown attribution {value!r}", parameter="attribution")
        if key == "certainty" and value not in CERTAINTIES:
            raise InvalidQuery(f"unknown certainty {value!r}", parameter="certainty")
        if key == "summary" and (not isinstance(value, str) or len(value) > 2000):
            raise InvalidQuery("summary must be text of at most 2000 characters", parameter="summary")
        clean_edits[key] = value
    if note is not None and len(note) > 5000:
        raise InvalidQuery("note is longer than 5000 characters", parameter="note")
    if clean_edits and decision == "unreviewed":
        decision = "edited"
    incident_store.set_review(
        engine, incident_id, status=decision, edited_data=clean_edits or None, note=note, reviewer=reviewer
    )
    # A rejected (or edited) incident leaves or changes its cluster.
    recluster_incident(engine, incident_id)
    return incident_store.get_incident(engine, incident_id)
