"""Incidents: machine output per article, with analysts' reviews kept apart and kept forever.

Identity: ``replace_incidents`` matches a new extraction against every incident the article
ever had (``model/identity.py``: type, evidence text, arguments; never offsets), so an incident
found again keeps its id, and with it its review, its edits and anything else that references
``incidents.id`` (cluster decisions, audit rows). Code that attaches a decision to an incident
stores that id; it stays valid through re-ingest, text updates, ``reextract`` and extractor
upgrades. An incident no longer found is marked not ``current``; if an analyst decided on it, it
stays ``listed`` (an orphaned review, shown with ``orphaned: true``), else it leaves the lists.
Nothing is deleted.

Reading: ``get_incident`` and the listings in ``store/queries.py`` return the *effective*
incident, the machine's data with the analyst's edits applied.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, Text, cast, func, select

from sanctionwatch.errors import NotFound
from sanctionwatch.model import Incident
from sanctionwatch.model.identity import StoredIncident, assign_incident_ids
from sanctionwatch.store import audit
from sanctionwatch.store.clock import utc_now
from sanctionwatch.store.derived import effective_data, is_listed, write_derived
from sanctionwatch.store.engine import write_transaction
from sanctionwatch.store.schema import articles, cluster_members, clusters, incidents, reviews
from sanctionwatch.store.version import bump_store_version


@dataclass(frozen=True, slots=True)
class ReplaceResult:
    """What one re-extraction of an article did to its stored incidents."""

    added: tuple[str, ...] = ()  # new ids
    kept: tuple[str, ...] = ()  # found again: same id, review kept
    vanished: tuple[str, ...] = ()  # current before, not found now
    orphaned: tuple[str, ...] = ()  # of the vanished, those with an analyst's decision (still listed)
    ids: tuple[str, ...] = field(default=())  # the stored id of each incident passed in, in order


def _stored_incidents(connection: Connection, article_id: str) -> list[Any]:
    return list(
        connection.execute(
            select(
                incidents.c.id,
                incidents.c.data,
                incidents.c.current,
                incidents.c.review_status,
                reviews.c.edited_data,
            )
            .select_from(incidents.outerjoin(reviews, reviews.c.incident_id == incidents.c.id))
            .where(incidents.c.article_id == article_id)
            .order_by(incidents.c.created_at, incidents.c.id)
        )
    )


def replace_incidents(
    connection: Connection, article_id: str, found: Sequence[Incident], *, run_id: int | None
) -> ReplaceResult:
    """Store the latest extraction of one article (call inside its write transaction)."""
    now = utc_now()
    stored_rows = _stored_incidents(connection, article_id)
    if not stored_rows and not found:
        return ReplaceResult()  # nothing before, nothing now (most general news): no write at all
    stored = [
        StoredIncident(
            id=row.id,
            data=row.data or {},
            edited_type=(row.edited_data or {}).get("type") if isinstance(row.edited_data, dict) else None,
        )
        for row in stored_rows
    ]
    unique: list[Incident] = []
    seen: set[str] = set()
    for incident in found:
        fingerprint = repr(incident.with_changes(article_id=article_id).to_dict())
        if fingerprint not in seen:  # the very same incident twice is one incident
            seen.add(fingerprint)
            unique.append(incident.with_changes(article_id=article_id))
    new_data = [incident.to_dict() for incident in unique]
    ids = assign_incident_ids(article_id, stored, new_data)
    source = connection.execute(select(articles.c.source).where(articles.c.id == article_id)).scalar()
    by_id = {row.id: row for row in stored_rows}
    added: list[str] = []
    kept: list[str] = []
    for incident_id, incident, data in zip(ids, unique, new_data, strict=True):
        values = {
            "data": data,
            "confidence": incident.confidence,
            "extractor_version": incident.extractor_version or "unknown",
            "run_id": run_id,
            "current": True,
            "listed": True,
            "source": source,
            "updated_at": now,
        }
        row = by_id.get(incident_id)
        if row is not None:
            connection.execute(incidents.update().where(incidents.c.id == incident_id).values(**values))
            kept.append(incident_id)
            edits = row.edited_data if isinstance(row.edited_data, dict) else None
        else:
            connection.execute(
                incidents.insert().values(
                    id=incident_id, article_id=article_id, created_at=now, review_status="unreviewed", **values,
                    type=incident.type,
                )
            )
            added.append(incident_id)
            edits = None
        write_derived(connection, incident_id, effective_data(data, edits))
    found_ids = set(ids)
    vanished = [row for row in stored_rows if row.id not in found_ids and row.current]
    orphaned = [row.id for row in vanished if is_listed(current=False, review_status=row.review_status)]
    for row in vanished:
        listed = is_listed(current=False, review_status=row.review_status)
        connection.execute(incidents.update().where(incidents.c.id == row.id).values(current=False, listed=listed))
    bump_store_version(connection)
    return ReplaceResult(
        added=tuple(added),
        kept=tuple(kept),
        vanished=tuple(row.id for row in vanished),
        orphaned=tuple(orphaned),
        ids=tuple(ids),
    )


def update_incident_data(connection: Connection, incident_id: str, data: dict[str, Any]) -> None:
    """Replace one incident's machine output in place (re-linking against a newer list); its id,
    review and edits stay, the derived columns follow the effective incident."""
    connection.execute(incidents.update().where(incidents.c.id == incident_id).values(data=data, updated_at=utc_now()))
    edits = connection.execute(select(reviews.c.edited_data).where(reviews.c.incident_id == incident_id)).scalar()
    write_derived(connection, incident_id, effective_data(data, edits if isinstance(edits, dict) else None))
    bump_store_version(connection)


def count_current_incidents(connection: Connection, article_id: str) -> int:
    """How many of an article's incidents the latest extraction produced."""
    return int(
        connection.execute(
            select(func.count())
            .select_from(incidents)
            .where(incidents.c.article_id == article_id, incidents.c.current.is_(True))
        ).scalar_one()
    )


def select_effective():  # type: ignore[no-untyped-def]
    """Incident rows with what ``effective_record`` needs: review and article columns."""
    # Every column but the derived search text and country list: an export of 100,000 rows
    # would read them for nothing.
    # The JSON comes as text and is decoded by effective_record: SQLAlchemy's JSON result
    # processor costs three times json.loads (measured: 4.8 s of CPU per 100,000 rows).
    wanted = [
        cast(column, Text).label(column.name) if column.name == "data" else column
        for column in incidents.c
        if column.name not in ("search_text", "countries")
    ]
    return select(
        *wanted,
        cast(reviews.c.edited_data, Text).label("edited_data"),
        reviews.c.note.label("review_note"),
        reviews.c.reviewer.label("reviewer"),
        reviews.c.updated_at.label("reviewed_at"),
        articles.c.title.label("article_title"),
        articles.c.source.label("article_source"),
        articles.c.url.label("article_url"),
        articles.c.published.label("article_published"),
        cluster_members.c.cluster_id,
        clusters.c.independent_sources.label("cluster_independent_sources"),
        clusters.c.article_count.label("cluster_reports"),
    ).select_from(incident_joins())


def incident_joins():  # type: ignore[no-untyped-def]
    """Incidents with their review, article and cluster: what every listing reads from."""
    return (
        incidents.outerjoin(reviews, reviews.c.incident_id == incidents.c.id)
        .join(articles, articles.c.id == incidents.c.article_id)
        .outerjoin(cluster_members, cluster_members.c.incident_id == incidents.c.id)
        .outerjoin(clusters, clusters.c.id == cluster_members.c.cluster_id)
    )


def json_object(value: Any) -> dict[str, Any]:
    """A JSON column's value as a dict, whether the row carries it decoded or as text."""
    if isinstance(value, str | bytes):
        value = json.loads(value)
    return value if isinstance(value, dict) else {}


def effective_record(row: Any) -> dict[str, Any]:
    """The incident as every front shows it: the machine's data, the analyst's edits on top."""
    edits = json_object(row.edited_data)
    data = effective_data(json_object(row.data), edits or None)
    data["id"] = row.id
    data["article_id"] = row.article_id
    data["review_status"] = row.review_status or "unreviewed"
    data["review_note"] = row.review_note
    data["extractor_version"] = row.extractor_version
    data["current"] = bool(row.current)
    # A vanished incident kept in the lists for its review: the latest text no longer yields it.
    data["orphaned"] = not row.current
    data["cluster_id"] = row.cluster_id
    data["cluster"] = (
        {"id": row.cluster_id, "reports": row.cluster_reports, "independent_sources": row.cluster_independent_sources}
        if row.cluster_id
        else None
    )
    data["stored_at"] = row.created_at
    data["edited_fields"] = sorted(edits)
    data["article"] = {
        "id": row.article_id,
        "title": row.article_title,
        "source": row.article_source,
        "url": row.article_url,
        "published": row.article_published,
    }
    return data


def get_incident(engine: Engine, incident_id: str) -> dict[str, Any]:
    with engine.connect() as connection:
        row = connection.execute(select_effective().where(incidents.c.id == incident_id)).first()
    if row is None:
        raise NotFound("incident", incident_id)
    return effective_record(row)


@dataclass(frozen=True, slots=True)
class ReviewChange:
    """An analyst's decision as stored: the review before (None for the first) and after."""

    incident_id: str
    before: dict[str, Any] | None
    after: dict[str, Any]


def record_review(
    connection: Connection,
    incident_id: str,
    *,
    status: str,
    edited_data: dict[str, Any] | None = None,
    note: str | None = None,
    reviewer: str | None = None,
) -> ReviewChange:
    """Write a decision inside the caller's write transaction (an audit row can join it).

    Edits merge with earlier ones; the derived columns are rewritten so filters see the edit.
    """
    row = connection.execute(
        select(incidents.c.id, incidents.c.data, incidents.c.current).where(incidents.c.id == incident_id)
    ).first()
    if row is None:
        raise NotFound("incident", incident_id)
    previous = connection.execute(select(reviews).where(reviews.c.incident_id == incident_id)).first()
    before = (
        {"status": previous.status, "edited_data": previous.edited_data, "note": previous.note, "reviewer": previous.reviewer}
        if previous is not None
        else None
    )
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
    connection.execute(
        incidents.update()
        .where(incidents.c.id == incident_id)
        .values(review_status=status, listed=is_listed(current=bool(row.current), review_status=status))
    )
    write_derived(connection, incident_id, effective_data(row.data or {}, merged_edits))
    bump_store_version(connection)
    after = {key: values[key] for key in ("status", "edited_data", "note", "reviewer")}
    return ReviewChange(incident_id=incident_id, before=before, after=after)


def set_review(
    engine: Engine,
    incident_id: str,
    *,
    status: str,
    edited_data: dict[str, Any] | None = None,
    note: str | None = None,
    reviewer: str | None = None,
) -> ReviewChange:
    """Record an analyst's decision, and its audit row, in one transaction; it survives every
    later re-extraction."""
    with write_transaction(engine) as connection:
        row = connection.execute(select(incidents.c.data).where(incidents.c.id == incident_id)).first()
        change = record_review(
            connection, incident_id, status=status, edited_data=edited_data, note=note, reviewer=reviewer
        )
        audit.record_decision(
            connection, incident_id, row.data if row is not None else {}, change.before,
            status=status, edits=edited_data, note=note, reviewer=reviewer,
        )  # fmt: skip
        return change


# Listing moved to store/queries.py; these names still resolve here for code written before.
_MOVED_TO_QUERIES = ("IncidentQuery", "SORTS", "iter_incidents", "matching_incident_ids", "search_incidents")


def __getattr__(name: str) -> Any:
    if name in _MOVED_TO_QUERIES:
        from sanctionwatch.store import queries

        return getattr(queries, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
