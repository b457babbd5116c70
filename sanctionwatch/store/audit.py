"""The audit trail: one row per review decision (who, when, what it changed from and to).

Rows are written in the transaction that stores the decision, so a decision without its audit
row (or the reverse) cannot exist; they are never updated or deleted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select

from sanctionwatch.store.clock import utc_now
from sanctionwatch.store.schema import review_events

EXPORT_BATCH_ROWS = 1_000


@dataclass(frozen=True, slots=True)
class ReviewEvent:
    id: int
    incident_id: str
    decision: str
    reviewer: str | None
    created_at: str
    before: dict[str, Any]
    after: dict[str, Any]
    note: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "incident_id": self.incident_id,
            "decision": self.decision,
            "reviewer": self.reviewer,
            "created_at": self.created_at,
            "before": self.before,
            "after": self.after,
            "note": self.note,
        }


def record_event(
    connection: Connection,
    incident_id: str,
    *,
    decision: str,
    reviewer: str | None,
    before: dict[str, Any],
    after: dict[str, Any],
    note: str | None,
) -> None:
    """Append one decision inside the caller's transaction."""
    connection.execute(
        review_events.insert().values(
            incident_id=incident_id, decision=decision, reviewer=reviewer, created_at=utc_now(),
            before=before, after=after, note=note,
        )
    )  # fmt: skip


def decision_change(
    data: dict[str, Any], previous: dict[str, Any] | None, *, status: str, edits: dict[str, Any] | None, note: str | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(before, after) of a decision: the status, each edited field and the note, as they were
    (machine output with earlier edits applied) and as the decision leaves them. ``previous`` is
    the review before it (``status``, ``edited_data``, ``note``), None for the first decision."""
    earlier_edits = dict((previous or {}).get("edited_data") or {})
    before: dict[str, Any] = {"status": (previous or {}).get("status") or "unreviewed"}
    after: dict[str, Any] = {"status": status}
    for field, value in (edits or {}).items():
        before[field] = earlier_edits.get(field, (data or {}).get(field))
        after[field] = value
    if note is not None:
        before["note"] = (previous or {}).get("note")
        after["note"] = note
    return before, after


def record_decision(
    connection: Connection,
    incident_id: str,
    data: dict[str, Any],
    previous: dict[str, Any] | None,
    *,
    status: str,
    edits: dict[str, Any] | None,
    note: str | None,
    reviewer: str | None,
) -> None:
    """The audit row of a decision about to be stored in the same transaction."""
    before, after = decision_change(data, previous, status=status, edits=edits, note=note)
    record_event(connection, incident_id, decision=status, reviewer=reviewer, before=before, after=after, note=note)


def _event(row: Any) -> ReviewEvent:
    return ReviewEvent(
        id=row.id, incident_id=row.incident_id, decision=row.decision, reviewer=row.reviewer, created_at=row.created_at,
        before=dict(row.before or {}), after=dict(row.after or {}), note=row.note,
    )  # fmt: skip


def incident_events(engine: Engine, incident_id: str) -> list[ReviewEvent]:
    """One incident's decisions, oldest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(review_events).where(review_events.c.incident_id == incident_id).order_by(review_events.c.id)
        ).all()
    return [_event(row) for row in rows]


def iter_events(engine: Engine, *, since: str | None = None, reviewer: str | None = None) -> Iterator[ReviewEvent]:
    """Every decision (oldest first), fetched in keyset batches so an export stays in bounded memory."""
    last_id = 0
    while True:
        query = select(review_events).where(review_events.c.id > last_id)
        if since:
            query = query.where(review_events.c.created_at >= since)
        if reviewer:
            query = query.where(review_events.c.reviewer == reviewer)
        with engine.connect() as connection:
            rows = connection.execute(query.order_by(review_events.c.id).limit(EXPORT_BATCH_ROWS)).all()
        yield from (_event(row) for row in rows)
        if len(rows) < EXPORT_BATCH_ROWS:
            return
        last_id = rows[-1].id
