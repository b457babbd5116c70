"""Opening a database: a file path or an SQLAlchemy URL, upgraded to the current schema.

``create_database_engine(path_or_url, create=...)`` checks before it writes anything: a
directory, a missing folder, a missing file (when ``create`` is false: read commands must not
conjure an empty database out of a mistyped ``--db``), a file that is not SQLite, and an SQLite
file that is not sanctionwatch's are each one ``StoreError``. Then ``migrations.upgrade`` brings
the schema up to date. Every later operational fault of the engine is a ``StoreError`` too
(``faults.py``).

SQLite transactions: pysqlite's own implicit BEGIN is switched off and SQLAlchemy emits
``BEGIN`` itself, so DDL is transactional and a connection may ask for ``BEGIN IMMEDIATE``
(``execution_options(sqlite_begin="IMMEDIATE")``, used by ``write_transaction``): the write
lock is then taken before the first read, and a read-check-insert cannot race another process.
"""

from __future__ import annotations

import os
import sqlite3
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from sanctionwatch.errors import StoreError
from sanctionwatch.store.faults import describe_database_error, install_fault_translation
from sanctionwatch.store.migrations import upgrade

DEFAULT_DATABASE = "sanctionwatch.db"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MILLISECONDS = 30_000
CACHE_KIBIBYTES = 65_536
MMAP_BYTES = 1 << 30
WAL_RETRY_SECONDS = 0.05
_DRIVER_HINTS = {
    "postgresql": "PostgreSQL needs its driver psycopg, which is not installed: pip install 'sanctionwatch[postgres]'",
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


def sqlite_path(url: str) -> Path | None:
    """The file of an ``sqlite:///`` URL, None for other URLs and in-memory databases."""
    if not url.startswith("sqlite:///"):
        return None
    path = url.removeprefix("sqlite:///").split("?", 1)[0]
    return Path(path) if path and path != ":memory:" else None


def _on_connect(dbapi_connection: Any, _record: object) -> None:
    # Let SQLAlchemy emit BEGIN (see _on_begin) instead of pysqlite's implicit, DDL-blind one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # busy_timeout rides out another writer's transaction instead of failing at once.
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MILLISECONDS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Lists walk an index in date order, so their rows are read out of storage order: a page
    # cache of 64 MiB (SQLite's default is 2 MiB) and memory-mapped reads keep a 100,000-incident
    # export linear in time (benchmarks/serve.py).
    cursor.execute(f"PRAGMA cache_size=-{CACHE_KIBIBYTES}")
    cursor.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
    cursor.close()


def _on_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def _check_sqlite_file(path: Path, url: str, *, create: bool) -> None:
    """Refuse, before anything is written, what cannot or must not become our database."""
    if path.is_dir():
        raise StoreError(f"database path is a directory: {path}", url=url)
    if not path.parent.exists():
        raise StoreError(f"directory does not exist: {path.parent}", url=url)
    if not path.exists():
        if not create:
            raise StoreError(
                f"no database at {path} (check --db or SANCTIONWATCH_DB; `sanctionwatch ingest` creates one)", url=url
            )
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read the database file {path}: {exc.strerror}", url=url) from exc
    if header and header != SQLITE_HEADER:
        raise StoreError(f"not an SQLite database: {path}; refusing to write to it, choose another --db", url=url)


def _writable(path: Path) -> bool:
    """Whether this process may write the file and create its journal beside it (``access``
    honours read-only mounts even for root)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _use_wal(path: Path, url: str) -> None:
    """WAL lets the dashboard read while an ingest writes. Set once per file (it persists); a
    read-only file keeps its journal mode and is opened for reading.

    Switching needs the file to itself. While another process creating the same new file holds
    its write lock, SQLite answers "locked" at once rather than waiting (waiting could deadlock),
    so the switch is tried again until the busy timeout has passed.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MILLISECONDS / 1000
    while True:
        try:
            connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MILLISECONDS / 1000)
            try:
                if connection.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    connection.execute("PRAGMA journal_mode=WAL")
            finally:
                connection.close()
            return
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc).lower() and time.monotonic() < deadline:
                time.sleep(WAL_RETRY_SECONDS)
                continue
            if "readonly" in str(exc).lower() or "read-only" in str(exc).lower():
                return
            raise StoreError(f"{describe_database_error(exc)}: {path}", url=url) from exc
        except sqlite3.DatabaseError as exc:
            if "readonly" not in str(exc).lower() and "read-only" not in str(exc).lower():
                raise StoreError(f"{describe_database_error(exc)}: {path}", url=url) from exc
            return


def create_database_engine(path_or_url: str | os.PathLike[str] | None, *, create: bool = True) -> Engine:
    """An engine with the schema up to date; raises StoreError (one line, with the URL) on failure.

    ``create=False`` refuses a SQLite file that does not exist yet (read-only commands).
    """
    url = database_url(path_or_url)
    path = sqlite_path(url)
    if path is not None:
        _check_sqlite_file(path, url, create=create)
    engine_url = url
    read_only = False
    if path is not None and path.exists() and not _writable(path):
        read_only = True
        # A WAL database in a folder we cannot write cannot get its shared-memory file, so SQLite
        # would refuse to open it at all; nobody can change it there, so it is read as immutable.
        # Writes then fail as "read-only" (one line, 503 in the API).
        flags = "mode=ro&immutable=1" if not os.access(path.parent, os.W_OK) else "mode=ro"
        engine_url = f"sqlite:///file:{quote(str(path))}?{flags}&uri=true"
    # SQLite connections are cheap and WAL readers do not block each other: enough of them for
    # every request the server's threads run at once (SQLAlchemy's default is 5 + 10 overflow).
    options: dict[str, Any] = {"pool_size": 20, "max_overflow": 40} if path is not None else {}
    try:
        engine = create_engine(engine_url, **options)
    except (NoSuchModuleError, ModuleNotFoundError, ImportError) as exc:
        scheme = url.split(":", 1)[0].split("+", 1)[0]
        hint = _DRIVER_HINTS.get(scheme, f"no database driver for {scheme!r} URLs is installed")
        raise StoreError(f"cannot open {scheme} database: {hint}", url=url) from exc
    except ArgumentError as exc:
        raise StoreError(f"not a database URL: {url}", url=url) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _on_begin)
    install_fault_translation(engine)
    if path is not None and (not path.exists() or path.stat().st_size == 0):
        # A new file is ours: WAL before the schema, so processes creating it at once queue on
        # the write lock instead of meeting rollback-journal deadlocks.
        _use_wal(path, url)
    try:
        upgrade(engine, read_only=read_only)  # refuses a foreign database before anything is written to it
    except StoreError:
        engine.dispose()
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(f"cannot open database {url}: {describe_database_error(exc)}", url=url) from exc
    if path is not None and _writable(path):
        _use_wal(path, url)
    _OPEN_ENGINES.add(engine)
    return engine


# Every engine this process opened, until it is collected: ``close_all_engines`` closes their
# connections before a process ends without the collector's last pass (the command line).
_OPEN_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


def close_all_engines() -> None:
    """Close the pooled connections of every engine still open. The last connection to a SQLite
    file that closes folds the write-ahead log back into the file, so the file alone (a copy, a
    read-only mount) holds everything written."""
    for engine in list(_OPEN_ENGINES):
        engine.dispose()


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """Like ``engine.begin()``, but on SQLite the write lock is taken at BEGIN (BEGIN IMMEDIATE).

    Use it for every transaction that reads and then writes what it read about (dedup checks,
    review merges): with a deferred BEGIN two processes could both read "not there yet" and
    both insert, or fail when upgrading their read lock.
    """
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.execution_options(sqlite_begin="IMMEDIATE")
        with connection.begin():
            yield connection
