"""Articles: stored once, deduplicated by id, canonical URL and content hash."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import Connection, Engine, or_, select

from sanctionwatch.errors import NotFound
from sanctionwatch.model import Article
from sanctionwatch.store.clock import utc_now
from sanctionwatch.store.schema import articles

UpsertStatus = Literal["new", "updated", "unchanged"]


@dataclass(frozen=True, slots=True)
class UpsertResult:
    article_id: str
    status: UpsertStatus


def find_stored_duplicate(connection: Connection, article: Article, *, canonical_url: str | None = None) -> Any:
    """The stored row that is the same article (same id, canonical URL or content hash), or None."""
    conditions = [articles.c.id == article.id, articles.c.content_hash == article.content_hash]
    if canonical_url:
        conditions.append(articles.c.canonical_url == canonical_url)
    return connection.execute(select(articles).where(or_(*conditions)).limit(1)).first()


def upsert_article(connection: Connection, article: Article, *, canonical_url: str | None = None) -> UpsertResult:
    """Insert the article, or find the stored one it duplicates.

    Same id, same canonical URL or same content hash is the same article. When the text
    changed (an updated story at the same URL), the stored text is replaced and the status
    is ``updated`` so the caller re-runs extraction.
    """
    content_hash = article.content_hash
    existing = find_stored_duplicate(connection, article, canonical_url=canonical_url)
    now = utc_now()
    if existing is None:
        connection.execute(
            articles.insert().values(
                id=article.id,
                url=article.url,
                canonical_url=canonical_url,
                source=article.source,
                title=article.title,
                published=article.published.isoformat() if article.published else None,
                language=article.language,
                author=article.author,
                text=article.text,
                content_hash=content_hash,
                metadata=dict(article.metadata),
                fetched_at=article.fetched_at.isoformat() if article.fetched_at else None,
                created_at=now,
                updated_at=now,
            )
        )
        return UpsertResult(article.id, "new")
    if existing.content_hash == content_hash:
        return UpsertResult(existing.id, "unchanged")
    connection.execute(
        articles.update()
        .where(articles.c.id == existing.id)
        .values(
            text=article.text,
            content_hash=content_hash,
            title=article.title or existing.title,
            published=article.published.isoformat() if article.published else existing.published,
            author=article.author or existing.author,
            updated_at=now,
        )
    )
    return UpsertResult(existing.id, "updated")


def row_to_article(row) -> Article:  # type: ignore[no-untyped-def]
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
    )


def get_article(engine: Engine, article_id: str) -> Article:
    with engine.connect() as connection:
        row = connection.execute(select(articles).where(articles.c.id == article_id)).first()
    if row is None:
        raise NotFound("article", article_id)
    return row_to_article(row)


def count_articles(engine: Engine) -> int:
    from sqlalchemy import func

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
