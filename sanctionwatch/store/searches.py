"""Saved searches: a name, the list page's query string and the key of its Atom feed."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError

from sanctionwatch.errors import InvalidQuery, NotFound
from sanctionwatch.store.clock import utc_now
from sanctionwatch.store.engine import write_transaction
from sanctionwatch.store.schema import saved_searches


@dataclass(frozen=True, slots=True)
class SavedSearch:
    id: int
    name: str
    query: str
    feed_key: str
    owner: str | None
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "query": self.query,
            "feed": f"/feeds/{self.feed_key}.atom",
            "owner": self.owner,
            "created_at": self.created_at,
        }


def _search(row: Any) -> SavedSearch:
    return SavedSearch(row.id, row.name, row.query, row.feed_key, row.owner, row.created_at)


def add_search(engine: Engine, *, name: str, query: str, owner: str | None) -> SavedSearch:
    """Store a search; its feed key is random (the feed URL is the only secret a reader needs)."""
    feed_key = secrets.token_urlsafe(24)
    try:
        with write_transaction(engine) as connection:
            if connection.execute(select(saved_searches.c.id).where(saved_searches.c.name == name)).first():
                raise InvalidQuery(f"a saved search named {name!r} exists already; choose another name", parameter="name")
            result = connection.execute(
                saved_searches.insert().values(name=name, query=query, feed_key=feed_key, owner=owner, created_at=utc_now())
            )
            (search_id,) = result.inserted_primary_key or (None,)
    except IntegrityError as exc:  # a concurrent save of the same name
        raise InvalidQuery(f"a saved search named {name!r} exists already; choose another name", parameter="name") from exc
    return get_search(engine, int(search_id or 0))


def list_searches(engine: Engine) -> list[SavedSearch]:
    with engine.connect() as connection:
        rows = connection.execute(select(saved_searches).order_by(saved_searches.c.name)).all()
    return [_search(row) for row in rows]


def get_search(engine: Engine, search_id: int) -> SavedSearch:
    with engine.connect() as connection:
        row = connection.execute(select(saved_searches).where(saved_searches.c.id == search_id)).first()
    if row is None:
        raise NotFound("saved search", str(search_id))
    return _search(row)


def find_search(engine: Engine, id_or_name: str) -> SavedSearch:
    """By id ("3") or by exact name."""
    with engine.connect() as connection:
        row = connection.execute(select(saved_searches).where(saved_searches.c.name == id_or_name)).first()
    if row is not None:
        return _search(row)
    if id_or_name.isdigit():
        return get_search(engine, int(id_or_name))
    raise NotFound("saved search", id_or_name)


def search_by_feed_key(engine: Engine, feed_key: str) -> SavedSearch:
    with engine.connect() as connection:
        row = connection.execute(select(saved_searches).where(saved_searches.c.feed_key == feed_key)).first()
    if row is None:
        raise NotFound("feed", feed_key[:40])
    return _search(row)


def remove_search(engine: Engine, search_id: int) -> None:
    with write_transaction(engine) as connection:
        result = connection.execute(delete(saved_searches).where(saved_searches.c.id == search_id))
    if not result.rowcount:
        raise NotFound("saved search", str(search_id))
