"""Cluster tables: candidate blocking, edges, members, summaries and analysts' decisions.

``cluster_edges`` holds two kinds of edge: ``auto`` (machine output, recomputed whenever an
article's incidents are stored again) and ``merge`` (an analyst's decision, never touched by
re-extraction). A ``split`` decision takes an incident out: it gets no automatic edges.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Row, and_, delete, func, or_, select

from sanctionwatch.store.clock import utc_now
from sanctionwatch.store.schema import (
    articles,
    cluster_decisions,
    cluster_edges,
    cluster_members,
    clusters,
    incidents,
    reviews,
)

AUTO = "auto"
MERGE = "merge"
SPLIT = "split"


@dataclass(frozen=True, slots=True)
class Edge:
    incident_a: str
    incident_b: str
    kind: str
    reason: str


def pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _incident_columns(*, with_text: bool = True):  # type: ignore[no-untyped-def]
    text_columns = (articles.c.text.label("article_text"), articles.c.content_hash) if with_text else ()
    return (
        incidents.c.id,
        incidents.c.article_id,
        incidents.c.type,
        incidents.c.data,
        incidents.c.start_date,
        incidents.c.end_date,
        reviews.c.edited_data,
        articles.c.published,
        articles.c.source,
        articles.c.title,
        articles.c.url,
        *text_columns,
    )


def _base(*, with_text: bool = True):  # type: ignore[no-untyped-def]
    """Incidents with their article's date and outlet; ``with_text`` adds the article's text
    (for source groups), which candidate blocking never needs."""
    return select(*_incident_columns(with_text=with_text)).select_from(
        incidents.join(articles, articles.c.id == incidents.c.article_id).outerjoin(
            reviews, reviews.c.incident_id == incidents.c.id
        )
    )


def _clusterable() -> Any:
    """Current incidents an analyst has not rejected."""
    return and_(incidents.c.current.is_(True), or_(reviews.c.status.is_(None), reviews.c.status != "rejected"))


def clusterable_rows(connection: Connection, incident_ids: Iterable[str]) -> list[Row[Any]]:
    ids = sorted(set(incident_ids))
    rows: list[Row[Any]] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows += connection.execute(_base().where(incidents.c.id.in_(chunk), _clusterable())).all()
    return rows


def article_incident_ids(connection: Connection, article_id: str) -> list[str]:
    return [row.id for row in connection.execute(select(incidents.c.id).where(incidents.c.article_id == article_id))]


def candidate_rows(
    connection: Connection, *, type: str, low: date, high: date, lookback_days: int, exclude_article: str
) -> list[Row[Any]]:
    """Clusterable incidents of ``type`` from other articles whose window may meet [low, high].

    A superset of what ``resolve.clusters.judge`` accepts (the caller widens [low, high] by
    the largest slack): dated incidents by their own window, undated ones by their report date.
    """
    lo, hi = low.isoformat(), high.isoformat()
    hi_undated = (high + timedelta(days=lookback_days)).isoformat()
    start = func.coalesce(incidents.c.start_date, incidents.c.end_date)
    end = func.coalesce(incidents.c.end_date, incidents.c.start_date)
    window = or_(
        and_(start.is_not(None), start <= hi, end >= lo),
        and_(start.is_(None), articles.c.published.is_not(None), articles.c.published >= lo, articles.c.published <= hi_undated),
    )
    query = _base(with_text=False).where(incidents.c.type == type, incidents.c.article_id != exclude_article, _clusterable(), window)
    return list(connection.execute(query.order_by(incidents.c.id)).all())


def split_incidents(connection: Connection, incident_ids: Iterable[str]) -> set[str]:
    """Of these, the incidents whose latest decision is a split."""
    ids = sorted(set(incident_ids))
    if not ids:
        return set()
    rows = connection.execute(
        select(cluster_decisions.c.incident_id, cluster_decisions.c.other_incident_id, cluster_decisions.c.kind)
        .where(or_(cluster_decisions.c.incident_id.in_(ids), cluster_decisions.c.other_incident_id.in_(ids)))
        .order_by(cluster_decisions.c.id)
    ).all()
    latest: dict[str, str] = {}
    for row in rows:
        latest[row.incident_id] = row.kind
        if row.other_incident_id:
            latest[row.other_incident_id] = row.kind
    return {incident for incident, kind in latest.items() if kind == SPLIT and incident in ids}


def delete_auto_edges(connection: Connection, incident_ids: Iterable[str]) -> None:
    ids = sorted(set(incident_ids))
    if ids:
        connection.execute(
            delete(cluster_edges).where(
                cluster_edges.c.kind == AUTO,
                or_(cluster_edges.c.incident_a.in_(ids), cluster_edges.c.incident_b.in_(ids)),
            )
        )


def add_edge(connection: Connection, a: str, b: str, *, kind: str, reason: str) -> None:
    first, second = pair(a, b)
    exists = connection.execute(
        select(cluster_edges.c.kind).where(
            cluster_edges.c.incident_a == first, cluster_edges.c.incident_b == second, cluster_edges.c.kind == kind
        )
    ).first()
    if exists is None:
        connection.execute(cluster_edges.insert().values(incident_a=first, incident_b=second, kind=kind, reason=reason))


def delete_merge_edges_of(connection: Connection, incident_id: str) -> None:
    connection.execute(
        delete(cluster_edges).where(
            cluster_edges.c.kind == MERGE,
            or_(cluster_edges.c.incident_a == incident_id, cluster_edges.c.incident_b == incident_id),
        )
    )


def edges_of(connection: Connection, incident_ids: Iterable[str]) -> list[Edge]:
    ids = sorted(set(incident_ids))
    found: list[Edge] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = connection.execute(
            select(cluster_edges).where(or_(cluster_edges.c.incident_a.in_(chunk), cluster_edges.c.incident_b.in_(chunk)))
        ).all()
        found += [Edge(r.incident_a, r.incident_b, r.kind, r.reason) for r in rows]
    return sorted(set(found), key=lambda e: (e.incident_a, e.incident_b, e.kind))


def cluster_ids_of(connection: Connection, incident_ids: Iterable[str]) -> dict[str, str]:
    ids = sorted(set(incident_ids))
    if not ids:
        return {}
    rows = connection.execute(select(cluster_members).where(cluster_members.c.incident_id.in_(ids))).all()
    return {row.incident_id: row.cluster_id for row in rows}


def members_of(connection: Connection, cluster_ids: Iterable[str]) -> list[str]:
    ids = sorted(set(cluster_ids))
    if not ids:
        return []
    rows = connection.execute(select(cluster_members.c.incident_id).where(cluster_members.c.cluster_id.in_(ids))).all()
    return sorted(row.incident_id for row in rows)


def write_members(
    connection: Connection, assignments: dict[str, str], *, forget: Iterable[str], summaries: dict[str, dict[str, Any]]
) -> None:
    """Replace the membership of every incident in ``assignments`` and ``forget`` (no cluster),
    and the summary rows of the clusters they were and are in."""
    touched = sorted(set(assignments) | set(forget))
    old = set(cluster_ids_of(connection, touched).values())
    if touched:
        for start in range(0, len(touched), 500):
            connection.execute(delete(cluster_members).where(cluster_members.c.incident_id.in_(touched[start : start + 500])))
    for incident_id, cluster_id in sorted(assignments.items()):
        connection.execute(cluster_members.insert().values(incident_id=incident_id, cluster_id=cluster_id))
    stale = sorted(old | set(summaries))
    if stale:
        connection.execute(delete(clusters).where(clusters.c.id.in_(stale)))
    # A cluster that lost members here but kept others elsewhere is re-summarised by the caller.
    now = utc_now()
    for cluster_id, summary in sorted(summaries.items()):
        connection.execute(clusters.insert().values(id=cluster_id, updated_at=now, **summary))


def add_decision(
    connection: Connection, *, kind: str, incident_id: str, other_incident_id: str | None, note: str | None, reviewer: str | None
) -> None:
    connection.execute(
        cluster_decisions.insert().values(
            kind=kind, incident_id=incident_id, other_incident_id=other_incident_id, note=note, reviewer=reviewer, created_at=utc_now()
        )
    )


def decisions_of(connection: Connection, incident_ids: Iterable[str]) -> list[dict[str, Any]]:
    ids = sorted(set(incident_ids))
    if not ids:
        return []
    rows = connection.execute(
        select(cluster_decisions)
        .where(or_(cluster_decisions.c.incident_id.in_(ids), cluster_decisions.c.other_incident_id.in_(ids)))
        .order_by(cluster_decisions.c.id)
    ).all()
    return [
        {"kind": r.kind, "incident_id": r.incident_id, "other_incident_id": r.other_incident_id, "note": r.note, "created_at": r.created_at}
        for r in rows
    ]


def all_incident_ids_with_members(connection: Connection) -> list[str]:
    return [row.incident_id for row in connection.execute(select(cluster_members.c.incident_id))]


def cluster_row(connection: Connection, cluster_id: str) -> Row[Any] | None:
    return connection.execute(select(clusters).where(clusters.c.id == cluster_id)).first()
