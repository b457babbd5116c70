"""The audit trail of review decisions: shown on each incident page, exported in bulk.

Every decision — confirm, reject, edit, bulk or single, dashboard or API — is one row with who
made it (the account; "local analyst" in single-user mode), when, the status and each changed
field before and after, and the reason. Rows are never changed or removed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from sanctionwatch.errors import InvalidQuery
from sanctionwatch.service.exports import safe_cell
from sanctionwatch.store import audit as audit_store
from sanctionwatch.store.audit import ReviewEvent

AUDIT_FORMATS = ("jsonl", "csv")
AUDIT_MEDIA_TYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}
CSV_COLUMNS = ("id", "incident_id", "created_at", "reviewer", "decision", "field", "before", "after", "note")
LOCAL_REVIEWER = "local analyst"


@dataclass(frozen=True, slots=True)
class Change:
    field: str
    before: Any
    after: Any


def changes(event: ReviewEvent, *, with_note: bool = True) -> list[Change]:
    """Status first, then each field the decision touched (in the order it was sent), then the
    note unless ``with_note`` is false (a page that shows the reason in a column of its own)."""
    fields = [name for name in dict.fromkeys([*event.before, *event.after]) if with_note or name != "note"]
    fields.sort(key=lambda name: (name != "status", name == "note"))
    return [
        Change(name, event.before.get(name), event.after.get(name))
        for name in fields
        if event.before.get(name) != event.after.get(name) or name == "status"
    ]


def shown(value: Any) -> str:
    """A value as one line of text: lists and objects as compact JSON, nothing as an em dash."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def incident_trail(engine: Engine, incident_id: str) -> list[ReviewEvent]:
    return audit_store.incident_events(engine, incident_id)


def export_events(engine: Engine, export_format: str, *, since: str | None = None, reviewer: str | None = None) -> Iterator[str]:
    """Every decision as JSON Lines (one event a line) or CSV (one changed field a row)."""
    if export_format not in AUDIT_FORMATS:
        raise InvalidQuery(f"unknown format {export_format!r}; one of {', '.join(AUDIT_FORMATS)}", parameter="format")
    events = audit_store.iter_events(engine, since=since, reviewer=reviewer)
    if export_format == "jsonl":
        return (json.dumps(event.to_dict(), ensure_ascii=False) + "\n" for event in events)
    return _csv(events)


def _csv(events: Iterator[ReviewEvent]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for event in events:
        for change in changes(event):
            cells = [event.id, event.incident_id, event.created_at, event.reviewer or LOCAL_REVIEWER, event.decision,
                     change.field, shown(change.before), shown(change.after), event.note]  # fmt: skip
            writer.writerow([cell if isinstance(cell, int) else safe_cell(cell) for cell in cells])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
