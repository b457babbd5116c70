"""Bulk review: one decision, with its reason, for chosen incidents or every one a filter matches.

Each incident gets its own decision (and its own audit row), exactly as if it had been reviewed
alone; a bulk action is refused beyond ``MAX_BULK_INCIDENTS`` so one click cannot silently
rewrite a whole database: narrow the filters instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from sqlalchemy import Engine

from sanctionwatch.errors import InvalidQuery
from sanctionwatch.service import incidents as incident_service
from sanctionwatch.store.queries import IncidentQuery, iter_incidents

MAX_BULK_INCIDENTS = 2_000
BULK_DECISIONS = ("confirmed", "rejected", "unreviewed")


def matching_ids(engine: Engine, query: IncidentQuery) -> list[str]:
    """Ids of every incident the query matches; InvalidQuery past ``MAX_BULK_INCIDENTS``."""
    ids = []
    for incident in iter_incidents(engine, replace(query, limit=1, offset=0)):
        ids.append(str(incident["id"]))
        if len(ids) > MAX_BULK_INCIDENTS:
            raise InvalidQuery(
                f"more than {MAX_BULK_INCIDENTS:,} incidents match; narrow the filters before a bulk decision",
                parameter="scope",
            )
    return ids


def bulk_review(engine: Engine, ids: Iterable[str], *, decision: str, note: str | None, reviewer: str | None) -> int:
    """Apply ``decision`` to each incident; returns how many were reviewed."""
    if decision not in BULK_DECISIONS:
        raise InvalidQuery(f"a bulk decision is one of {', '.join(BULK_DECISIONS)}", parameter="decision")
    note = (note or "").strip()
    if not note:
        raise InvalidQuery("a bulk decision needs a reason (note)", parameter="note")
    unique = list(dict.fromkeys(ids))
    if not unique:
        raise InvalidQuery("no incident chosen", parameter="ids")
    if len(unique) > MAX_BULK_INCIDENTS:
        raise InvalidQuery(f"at most {MAX_BULK_INCIDENTS:,} incidents at once", parameter="ids")
    for incident_id in unique:
        incident_service.review_incident(engine, incident_id, decision=decision, note=note, reviewer=reviewer)
    return len(unique)
