"""Feeds and the entries already seen in them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import IntegrityError

from sanctionwatch.errors import InvalidQuery, NotFound
from sanctionwatch.store.clock import utc_now
from sanctionwatch.store.schema import feed_entries, feeds


@dataclass(frozen=True, slots=True)
class FeedRecord:
    id: int
    url: str
    name: str | None
    title: str | None
    etag: str | None
    last_modified: str | None
    last_success_at: str | None
    last_error: str | None
    last_error_at: str | None
    consecutive_failures: int
    next_poll_at: str | None
    paused: bool


def _record(row: Any) -> FeedRecord:
    return FeedRecord(
        id=row.id,
        url=row.url,
        name=row.name,
        title=row.title,
        etag=row.etag,
        last_modified=row.last_modified,
        last_success_at=row.last_success_at,
        last_error=row.last_error,
        last_error_at=row.last_error_at,
        consecutive_failures=row.consecutive_failures,
        next_poll_at=row.next_poll_at,
        paused=bool(row.paused),
    )


def add_feed(engine: Engine, url: str, *, name: str | None = None, title: str | None = None) -> FeedRecord:
    try:
        with engine.begin() as connection:
            statement = feeds.insert().values(
                url=url, name=name, title=title, created_at=utc_now(), consecutive_failures=0
            )
            feed_id = int(connection.execute(statement.returning(feeds.c.id)).scalar_one())
    except IntegrityError as exc:
        raise InvalidQuery(f"feed already added: {url}", parameter="url") from exc
    return get_feed(engine, feed_id)


def get_feed(engine: Engine, feed_id: int) -> FeedRecord:
    with engine.connect() as connection:
        row = connection.execute(select(feeds).where(feeds.c.id == feed_id)).first()
    if row is None:
        raise NotFound("feed", str(feed_id))
    return _record(row)


def list_feeds(engine: Engine) -> list[FeedRecord]:
    with engine.connect() as connection:
        return [_record(row) for row in connection.execute(select(feeds).order_by(feeds.c.id))]


def remove_feed(engine: Engine, feed_id: int) -> None:
    with engine.begin() as connection:
        connection.execute(feed_entries.delete().where(feed_entries.c.feed_id == feed_id))
        result = connection.execute(feeds.delete().where(feeds.c.id == feed_id))
    if result.rowcount == 0:
        raise NotFound("feed", str(feed_id))


def update_feed(engine: Engine, feed_id: int, **values: Any) -> None:
    allowed = {c.name for c in feeds.columns} - {"id", "url", "created_at"}
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"unknown feed columns: {sorted(unknown)}")
    with engine.begin() as connection:
        connection.execute(feeds.update().where(feeds.c.id == feed_id).values(**values))


def entry_seen(connection: Connection, feed_id: int, guid: str) -> str | None:
    """The article id stored for this entry, '' when seen without an article, None when new."""
    row = connection.execute(
        select(feed_entries.c.article_id).where(feed_entries.c.feed_id == feed_id, feed_entries.c.guid == guid)
    ).first()
    if row is None:
        return None
    return row.article_id or ""


def record_entry(connection: Connection, feed_id: int, guid: str, *, url: str | None, article_id: str | None) -> None:
    existing = entry_seen(connection, feed_id, guid)
    if existing is None:
        connection.execute(
            feed_entries.insert().values(
                feed_id=feed_id, guid=guid, url=url, article_id=article_id, seen_at=utc_now()
            )
        )
    else:
        connection.execute(
            feed_entries.update()
            .where(feed_entries.c.feed_id == feed_id, feed_entries.c.guid == guid)
            .values(url=url, article_id=article_id, seen_at=utc_now())
        )
