"""Incidents: machine output per article, with analysts' reviews kept apart."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, or_, select

from sanctionwatch.errors import NotFound
from sanctionwatch.model import Incident
from sanctionwatch.store.clock import utc_now
from sanctionwatch.store.schema import articles, cluster_members, clusters, incidents, reviews


@dataclass(frozen=True, slots=True)
class IncidentQuery:
    """Validated filters (the service layer checks ranges and formats)."""

    type: str | None = None
    country: str | None = None
    since: str | None = None
    until: str | None = None
    text: str | None = None
    article_id: str | None = None
    status: str | None = None  # a review status; None hides rejected incidents
    min_sources: int | None = None  # at least this many independent sources in its cluster
    certainty: str | None = None  # a certainty, or "none" for incidents without one
    attribution: str | None = None  # an attribution, or "none"
    source: str | None = None  # the article's source outlet, exactly
    # Undated incidents: "" leaves them out when a date filter is set (and in otherwise),
    # "include" keeps them in beside dated matches, "only" returns nothing else.
    undated: str = ""
    sort: str = "newest"  # one of SORTS
    limit: int = 50
    offset: int = 0


# Sort keys of the list: newest and oldest by start date (undated last), confidence highest first,
# type by name, added (latest stored first: saved-search feeds); each ends with the id so a page
# boundary never shuffles.
SORTS = ("newest", "oldest", "confidence", "type", "added")


def _derived_columns(data: dict[str, Any]) -> dict[str, Any]:
    countries = sorted(
        {a.get("country") for a in data.get("actors", []) if a.get("country")}
        | {loc.get("country") for loc in data.get("locations", []) if loc.get("country")}
    )
    time = data.get("time") or {}
    search_parts = [data.get("summary") or "", data.get("commodity") or "", *data.get("evidence", [])]
    search_parts += [a.get("name") or "" for a in data.get("actors", [])]
    search_parts += [loc.get("name") or "" for loc in data.get("locations", [])]
    return {
        "countries": "," + ",".join(countries) + "," if countries else "",
        "start_date": time.get("start"),
        "end_date": time.get("end"),
        "search_text": " ".join(search_parts).casefold(),
    }


def replace_incidents(
    connection: Connection, article_id: str, found: Sequence[Incident], *, run_id: int | None
) -> tuple[int, int]:
    """Store the latest extraction of one article; returns (added, kept).

    Incidents keep their id across re-runs (see ``Incident.id``). Ones no longer produced are
    marked not current rather than deleted, so a review attached to them is never orphaned.
    """
    now = utc_now()
    existing = {
        row.id
        for row in connection.execute(select(incidents.c.id).where(incidents.c.article_id == article_id))
    }
    added = kept = 0
    seen: set[str] = set()
    for incident in found:
        incident_id = incident.id
        if incident_id in seen:
            continue
        seen.add(incident_id)
        data = incident.to_dict()
        values = {
            "type": incident.type,
            "data": data,
            "confidence": incident.confidence,
            "extractor_version": incident.extractor_version or "unknown",
            "run_id": run_id,
            "current": True,
            "updated_at": now,
            **_derived_columns(data),
        }
        if incident_id in existing:
            connection.execute(incidents.update().where(incidents.c.id == incident_id).values(**values))
            kept += 1
        else:
            connection.execute(
                incidents.insert().values(id=incident_id, article_id=article_id, created_at=now, **values)
            )
            added += 1
    stale = existing - seen
    if stale:
        connection.execute(incidents.update().where(incidents.c.id.in_(stale)).values(current=False))
    return added, kept


def update_incident_data(connection: Connection, incident_id: str, data: dict[str, Any]) -> None:
    """Replace one incident's machine output in place (re-linking against a newer list)."""
    connection.execute(
        incidents.update().where(incidents.c.id == incident_id).values(data=data, updated_at=utc_now(), **_derived_columns(data))
    )


def count_current_incidents(connection: Connection, article_id: str) -> int:
    """How many of an article's incidents the latest extraction produced."""
    return int(
        connection.execute(
            select(func.count()).select_from(incidents).where(incidents.c.article_id == article_id, incidents.c.current.is_(True))
        ).scalar_one()
    )


def _select_effective():  # type: ignore[no-untyped-def]
    return (
        select(
            incidents,
            reviews.c.status.label("review_status"),
            reviews.c.edited_data,
            reviews.c.note.label("review_note"),
            articles.c.title.label("article_title"),
            articles.c.source.label("article_source"),
            articles.c.url.label("article_url"),
            articles.c.published.label("article_published"),
            cluster_members.c.cluster_id,
            clusters.c.independent_sources.label("cluster_independent_sources"),
            clusters.c.article_count.label("cluster_reports"),
        )
        .select_from(
            incidents.outerjoin(reviews, reviews.c.incident_id == incidents.c.id)
            .join(articles, articles.c.id == incidents.c.article_id)
            .outerjoin(cluster_members, cluster_members.c.incident_id == incidents.c.id)
            .outerjoin(clusters, clusters.c.id == cluster_members.c.cluster_id)
        )
    )


def _effective(row) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    data = dict(row.data)
    if row.edited_data:
        data.update(row.edited_data)
    data["id"] = row.id
    data["review_status"] = row.review_status or "unreviewed"
    data["review_note"] = row.review_note
    data["extractor_version"] = row.extractor_version
    data["cluster_id"] = row.cluster_id
    data["cluster"] = (
        {"id": row.cluster_id, "reports": row.cluster_reports, "independent_sources": row.cluster_independent_sources}
        if row.cluster_id
        else None
    )
    data["stored_at"] = row.created_at
    data["article"] = {
        "id": row.article_id,
        "title": row.article_title,
        "source": row.article_source,
        "url": row.article_url,
        "published": row.article_published,
    }
    return data


def _effective_field(name: str) -> Any:
    """An incident field as an analyst's edit leaves it (the edit wins over machine output)."""
    return func.coalesce(reviews.c.edited_data[name].as_string(), incidents.c.data[name].as_string())


def _conditions(query: IncidentQuery) -> list[Any]:
    conditions: list[Any] = [incidents.c.current.is_(True)]
    if query.type:
        conditions.append(incidents.c.type == query.type)
    if query.country:
        conditions.append(incidents.c.countries.contains("," + query.country + ",", autoescape=True))
    undated = and_(incidents.c.start_date.is_(None), incidents.c.end_date.is_(None))
    dated: list[Any] = []
    if query.since:
        # A window overlaps [since, until] unless it ended before ``since`` or started after
        # ``until``; one open at an end ("since March 2022", "by June 2025") may reach the range.
        dated.append(or_(incidents.c.end_date >= query.since, and_(incidents.c.end_date.is_(None), incidents.c.start_date.is_not(None))))
    if query.until:
        dated.append(or_(incidents.c.start_date <= query.until, and_(incidents.c.start_date.is_(None), incidents.c.end_date.is_not(None))))
    if query.undated == "only":
        conditions.append(undated)
    elif dated and query.undated == "include":
        conditions.append(or_(and_(*dated), undated))
    elif dated:
        conditions.extend(dated)  # a NULL date never compares true: undated incidents fall out
    for name, value in (("certainty", query.certainty), ("attribution", query.attribution)):
        if value == "none":
            conditions.append(_effective_field(name).is_(None))
        elif value:
            conditions.append(_effective_field(name) == value)
    if query.source:
        conditions.append(articles.c.source == query.source)
    if query.text:
        conditions.append(incidents.c.search_text.contains(query.text.casefold(), autoescape=True))
    if query.article_id:
        conditions.append(incidents.c.article_id == query.article_id)
    if query.min_sources:
        conditions.append(clusters.c.independent_sources >= query.min_sources)
    if query.status is None:
        conditions.append(or_(reviews.c.status.is_(None), reviews.c.status != "rejected"))
    elif query.status == "unreviewed":
        conditions.append(reviews.c.status.is_(None))
    elif query.status != "any":
        conditions.append(reviews.c.status == query.status)
    return conditions


def matching_incident_ids(query: IncidentQuery) -> Any:
    """A subquery of the ids of every incident matching ``query`` (paging ignored)."""
    return _select_effective().with_only_columns(incidents.c.id).where(and_(*_conditions(query)))


def _order(sort: str) -> list[Any]:
    start = func.coalesce(incidents.c.start_date, incidents.c.end_date)
    if sort == "oldest":
        return [start.is_(None), start.asc(), incidents.c.id]
    if sort == "confidence":
        return [incidents.c.confidence.desc(), incidents.c.id]
    if sort == "type":
        return [incidents.c.type, start.is_(None), start.desc(), incidents.c.id]
    if sort == "added":
        return [incidents.c.created_at.desc(), incidents.c.id]
    return [start.is_(None), start.desc(), incidents.c.confidence.desc(), incidents.c.id]


def search_incidents(engine: Engine, query: IncidentQuery) -> tuple[list[dict[str, Any]], int]:
    where = and_(*_conditions(query))
    base = _select_effective().where(where)
    with engine.connect() as connection:
        total = connection.execute(select(func.count()).select_from(base.subquery())).scalar_one()
        rows = connection.execute(base.order_by(*_order(query.sort)).limit(query.limit).offset(query.offset)).all()
    return [_effective(row) for row in rows], int(total)


def iter_incidents(engine: Engine, query: IncidentQuery, *, batch_size: int = 500) -> Iterator[dict[str, Any]]:
    """Every matching incident, fetched in batches so exports stay in bounded memory."""
    offset = 0
    while True:
        page = replace(query, limit=batch_size, offset=offset)
        items, _ = search_incidents(engine, page)
        yield from items
        if len(items) < batch_size:
            return
        offset += batch_size


def get_incident(engine: Engine, incident_id: str) -> dict[str, Any]:
    with engine.connect() as connection:
        row = connection.execute(_select_effective().where(incidents.c.id == incident_id)).first()
    if row is None:
        raise NotFound("incident", incident_id)
    return _effective(row)


def set_review(
    engine: Engine,
    incident_id: str,
    *,
    status: str,
    edited_data: dict[str, Any] | None = None,
    note: str | None = None,
    reviewer: str | None = None,
) -> None:
    """Record an analyst's decision; it survives every later re-extraction."""
    with engine.begin() as connection:
        if connection.execute(select(incidents.c.id).where(incidents.c.id == incident_id)).first() is None:
            raise NotFound("incident", incident_id)
        previous = connection.execute(select(reviews).where(reviews.c.incident_id == incident_id)).first()
        merged_edits = dict(previous.edited_data or {}) if previous is not None else {}
        if edited_data:
            merged_edits.update(edited_data)
        values = {
            "status": status,
            "edited_data": merged_edits or None,
            "note": note if note is not None else (previous.note if previous is not None else None),
            "reviewer": reviewer,
            "updated_at": utc_now(),
        }
        if previous is None:
            connection.execute(reviews.insert().values(incident_id=incident_id, **values))
        else:
            connection.execute(reviews.update().where(reviews.c.incident_id == incident_id).values(**values))
