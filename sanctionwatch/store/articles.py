"""Articles: one stored row per record, under a key no other source can take.

Identity of an incoming article, in order:

1. **the same record**: same ``origin`` and record id (an input file read again), or, for a
   caller that names no origin, the same id; a row from before origins were recorded is
   claimed by the first origin that brings its id;
2. **the same page**: the same canonical URL (a story re-fetched from its feed or URL);
3. **a duplicate**: another record with the same text (content hash) is not stored again; the
   caller reports "duplicate of <key>".

A same record or page whose text changed is ``updated`` (the caller re-extracts it); unchanged
text is ``unchanged``. A new article is stored under its record id when that key is free, else
under ``<id>~<8 hex of its origin>``: two files that both number their records 1, 2, 3 keep
both sets, and the caller reports the collision (``collided_with``) instead of overwriting.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import BindParameter, Connection, Engine, and_, bindparam, func, or_, select

from sanctionwatch.errors import InputError, NotFound
from sanctionwatch.model import Article
from sanctionwatch.store.clock import utc_now
from sanctionwatch.store.schema import articles
from sanctionwatch.store.version import bump_store_version

UpsertStatus = Literal["new", "updated", "unchanged", "duplicate"]
COLLISION_SEPARATOR = "~"


@dataclass(frozen=True, slots=True)
class UpsertResult:
    article_id: str
    status: UpsertStatus
    duplicate_of: str | None = None  # "duplicate": the stored article with the same text
    collided_with: str | None = None  # "new" under a qualified key: the article holding the record's id


@dataclass(frozen=True, slots=True)
class Identification:
    """Which stored article an incoming one is, before anything is written."""

    existing: Any  # the row of the same record or page, or None
    duplicate_of: str | None  # the key of a stored article with the same text
    key: str  # where a new article would go
    collided_with: str | None
    unchanged: bool = False  # the same record or page with the same text
    content_hash: str = ""  # of the incoming text (hashing a long text once per article is enough)


# What identity and updates read of a stored article: never its text (a page can be megabytes).
_IDENTITY_COLUMNS = (
    articles.c.id,
    articles.c.origin,
    articles.c.record_id,
    articles.c.content_hash,
    articles.c.title,
    articles.c.published,
    articles.c.author,
)


# The statements of the identity check, built once: an ingest runs them for every article, and
# building a statement costs SQLAlchemy more than SQLite takes to run it.
_ID: BindParameter[str] = bindparam("id")
_ORIGIN: BindParameter[str] = bindparam("origin")
_HASH: BindParameter[str] = bindparam("content_hash")
_URL: BindParameter[str] = bindparam("url")
_BY_ID = select(*_IDENTITY_COLUMNS).where(articles.c.id == _ID)
_BY_RECORD = select(*_IDENTITY_COLUMNS).where(
    or_(
        and_(articles.c.origin == _ORIGIN, articles.c.record_id == _ID),
        and_(articles.c.id == _ID, articles.c.origin.is_(None)),
    )
)
_BY_URL = select(*_IDENTITY_COLUMNS).where(articles.c.canonical_url == _URL)
_BY_HASH = select(articles.c.id).where(articles.c.content_hash == _HASH).limit(1)
_KEY_TAKEN = select(articles.c.id).where(articles.c.id == _ID)
_INSERT = articles.insert()


def _same_record(connection: Connection, article: Article) -> Any:
    if article.origin is None:
        return connection.execute(_BY_ID, {"id": article.id}).first()
    # The record of this origin, else a row stored before origins were recorded (or by a caller
    # without one) under this very id: one query, the first preferred.
    rows = connection.execute(_BY_RECORD, {"origin": article.origin, "id": article.id}).all()
    return next((row for row in rows if row.origin == article.origin), rows[0] if rows else None)


def _free_key(connection: Connection, article: Article, content_hash: str) -> tuple[str, str | None]:
    if connection.execute(_KEY_TAKEN, {"id": article.id}).first() is None:
        return article.id, None
    basis = article.origin or content_hash
    suffix = hashlib.sha256(basis.encode("utf-8")).hexdigest()[:8]
    key, number = f"{article.id}{COLLISION_SEPARATOR}{suffix}", 1
    while connection.execute(_KEY_TAKEN, {"id": key}).first() is not None:
        number += 1
        key = f"{article.id}{COLLISION_SEPARATOR}{suffix}-{number}"
    return key, article.id


def identify_article(connection: Connection, article: Article, *, canonical_url: str | None = None) -> Identification:
    """Find the stored article this one is (read only)."""
    content_hash = article.content_hash
    existing = _same_record(connection, article)
    if existing is None and canonical_url:
        existing = connection.execute(_BY_URL, {"url": canonical_url}).first()
    if existing is not None:
        unchanged = existing.content_hash == content_hash
        return Identification(existing, None, existing.id, None, unchanged=unchanged, content_hash=content_hash)
    twin = connection.execute(_BY_HASH, {"content_hash": content_hash}).first()
    if twin is not None:
        return Identification(None, twin.id, twin.id, None, content_hash=content_hash)
    key, collided_with = _free_key(connection, article, content_hash)
    return Identification(None, None, key, collided_with, content_hash=content_hash)


def is_storable(article: Article) -> bool:
    """Whether the store takes the article at all (``upsert_article`` refuses one without text)."""
    return bool(article.text.strip())


def _check_storable(article: Article) -> None:
    if not is_storable(article):
        raise InputError(f"article {article.id!r} has no text: nothing to store")


def upsert_article(connection: Connection, article: Article, *, canonical_url: str | None = None) -> UpsertResult:
    """Insert the article, update the stored one it is, or report the stored one it duplicates.

    Run it in ``write_transaction`` so the check and the write cannot race another writer.
    """
    _check_storable(article)
    found = identify_article(connection, article, canonical_url=canonical_url)
    now = utc_now()
    if found.duplicate_of is not None:
        return UpsertResult(found.duplicate_of, "duplicate", duplicate_of=found.duplicate_of)
    existing = found.existing
    if existing is None:
        connection.execute(
            _INSERT,
            {
                "id": found.key,
                "url": article.url,
                "canonical_url": canonical_url,
                "source": article.source,
                "title": article.title,
                "published": article.published.isoformat() if article.published else None,
                "language": article.language,
                "author": article.author,
                "text": article.text,
                "content_hash": found.content_hash,
                "metadata": dict(article.metadata),
                "fetched_at": article.fetched_at.isoformat() if article.fetched_at else None,
                "created_at": now,
                "updated_at": now,
                "origin": article.origin,
                "record_id": article.id,
            },
        )
        bump_store_version(connection)
        return UpsertResult(found.key, "new", collided_with=found.collided_with)
    claim = {"origin": article.origin, "record_id": article.id} if existing.origin is None and article.origin else {}
    if found.unchanged:
        if claim:
            connection.execute(articles.update().where(articles.c.id == existing.id).values(**claim))
        return UpsertResult(existing.id, "unchanged")
    connection.execute(
        articles.update()
        .where(articles.c.id == existing.id)
        .values(
            text=article.text,
            content_hash=found.content_hash,
            title=article.title or existing.title,
            published=article.published.isoformat() if article.published else existing.published,
            author=article.author or existing.author,
            updated_at=now,
            **claim,
        )
    )
    bump_store_version(connection)
    return UpsertResult(existing.id, "updated")


def row_to_article(row: Any) -> Article:
    return Article(
        id=row.id,
        text=row.text,
        published=date.fromisoformat(row.published) if row.published else None,
        title=row.title,
        url=row.url,
        source=row.source,
        language=row.language or "en",
        author=row.author,
        fetched_at=datetime.fromisoformat(row.fetched_at) if row.fetched_at else None,
        metadata=dict(row.metadata or {}),
        origin=row.origin,
    )


def get_article(engine: Engine, article_id: str) -> Article:
    with engine.connect() as connection:
        row = connection.execute(select(articles).where(articles.c.id == article_id)).first()
    if row is None:
        raise NotFound("article", article_id)
    return row_to_article(row)


def count_articles(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(articles)).scalar_one())


def iter_article_ids(engine: Engine, *, batch_size: int = 500) -> Iterator[str]:
    """Every stored article id, in id order, read in batches (the store may be large)."""
    last = ""
    while True:
        with engine.connect() as connection:
            batch = [
                row.id
                for row in connection.execute(
                    select(articles.c.id).where(articles.c.id > last).order_by(articles.c.id).limit(batch_size)
                )
            ]
        if not batch:
            return
        yield from batch
        last = batch[-1]

