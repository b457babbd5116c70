"""Opening a database: a file path or an SQLAlchemy URL, created on first use."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from sanctionwatch.errors import StoreError
from sanctionwatch.store.schema import SCHEMA_VERSION, meta, metadata

DEFAULT_DATABASE = "sanctionwatch.db"
DRIVER_HINTS = {
    "postgresql": "PostgreSQL needs its driver psycopg, which is not installed: pip install 'sanctionwatch[postgres]'"
}


def database_url(path_or_url: str | os.PathLike[str] | None) -> str:
    """``None`` → the default file; a plain path → ``sqlite:///path``; a URL stays as it is, except
    that ``postgresql://`` and ``postgres://`` mean psycopg 3 (the ``postgres`` extra), not
    SQLAlchemy's default driver psycopg2."""
    value = str(path_or_url) if path_or_url else DEFAULT_DATABASE
    if "://" in value:
        scheme, rest = value.split("://", 1)
        if scheme in {"postgresql", "postgres"}:
            return "postgresql+psycopg://" + rest
        return value
    return "sqlite:///" + str(Path(value).expanduser().absolute())


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the dashboard read while an ingest writes; busy_timeout rides out short locks
    # instead of failing with "database is locked".
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def create_database_engine(path_or_url: str | os.PathLike[str] | None) -> Engine:
    """An engine with the schema in place; raises StoreError with the URL on failure."""
    url = database_url(path_or_url)
    try:
        if url.startswith("sqlite:///"):
            file_path = Path(url.removeprefix("sqlite:///"))
            if file_path.is_dir():
                raise StoreError(f"database path is a directory: {file_path}", url=url)
            if not file_path.parent.exists():
                raise StoreError(f"directory does not exist: {file_path.parent}", url=url)
        try:
            engine = create_engine(url, future=True)
        except ImportError as exc:  # the URL's driver is not installed
            backend = url.split(":", 1)[0].split("+", 1)[0]
            hint = DRIVER_HINTS.get(backend, f"the database driver for {backend} is not installed")
            raise StoreError(hint, url=url) from exc
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        _migrate(engine)
        return engine
    except StoreError:
        raise
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot open database {url}: {exc.__class__.__name__}: {exc}", url=url) from exc


def _migrate(engine: Engine) -> None:
    """Create missing tables and record the schema version (one named migration so far)."""
    metadata.create_all(engine)
    with engine.begin() as connection:
        row = connection.execute(select(meta.c.value).where(meta.c.key == "schema_version")).first()
        if row is None:
            connection.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
        elif int(row.value) > SCHEMA_VERSION:
            raise StoreError(
                f"database schema version {row.value} is newer than this sanctionwatch ({SCHEMA_VERSION})",
                url=str(engine.url),
            )
    assert "incidents" in inspect(engine).get_table_names()
