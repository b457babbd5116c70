"""Loaded sanctions lists: every load is kept (its entries, source file, hash); the latest is in use."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, select

from sanctionwatch.resolve.sanctions_list import Alias, ListEntry, SanctionsList
from sanctionwatch.store.clock import utc_now
from sanctionwatch.store.schema import sanctions_entries, sanctions_lists


def save_list(connection: Connection, loaded: SanctionsList, *, source: str, sha256: str) -> int:
    """Store a list with its entries; returns its row id (the list now in use)."""
    result = connection.execute(
        sanctions_lists.insert().values(
            list_id=loaded.list_id, title=loaded.title, generated=loaded.generated.isoformat() if loaded.generated else None,
            source=source, sha256=sha256, entries=len(loaded.entries), loaded_at=utc_now(),
        )
    )
    assert result.inserted_primary_key is not None
    row_id = result.inserted_primary_key[0]
    for entry in loaded.entries:
        data = asdict(entry)
        for key in ("reference", "kind", "name", "listed_on"):
            data.pop(key)
        connection.execute(
            sanctions_entries.insert().values(
                list_row=row_id, reference=entry.reference, kind=entry.kind, name=entry.name,
                listed_on=entry.listed_on.isoformat() if entry.listed_on else None, data=data,
            )
        )
    return int(row_id)


def _entry(row: Any) -> ListEntry:
    data = dict(row.data)
    return ListEntry(
        reference=row.reference,
        kind=row.kind,
        name=row.name,
        aliases=tuple(Alias(**alias) for alias in data.get("aliases", ())),
        listed_on=date.fromisoformat(row.listed_on) if row.listed_on else None,
        regime=data.get("regime", ""),
        nationalities=tuple(data.get("nationalities", ())),
        countries=tuple(data.get("countries", ())),
        imo_numbers=tuple(data.get("imo_numbers", ())),
        vessel_names=tuple(data.get("vessel_names", ())),
        designations=tuple(data.get("designations", ())),
        comments=data.get("comments", ""),
        data_id=data.get("data_id"),
    )


def active_list_row(engine: Engine) -> Any:
    with engine.connect() as connection:
        return connection.execute(select(sanctions_lists).order_by(sanctions_lists.c.id.desc()).limit(1)).first()


def read_list(engine: Engine, row_id: int) -> SanctionsList:
    with engine.connect() as connection:
        header = connection.execute(select(sanctions_lists).where(sanctions_lists.c.id == row_id)).one()
        rows = connection.execute(
            select(sanctions_entries).where(sanctions_entries.c.list_row == row_id).order_by(sanctions_entries.c.reference)
        ).all()
    generated = date.fromisoformat(header.generated) if header.generated else None
    return SanctionsList(header.list_id, header.title, generated, tuple(_entry(row) for row in rows))


def loaded_lists(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        rows = connection.execute(select(sanctions_lists).order_by(sanctions_lists.c.id)).all()
    return [dict(row._mapping) for row in rows]
