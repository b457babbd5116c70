"""Database faults as one readable line: what broke, not SQL or a link to SQLAlchemy's website.

``install_fault_translation(engine)`` makes every operational failure of the engine (read-only
file, full disk, damaged file, lock timeout, lost server) raise ``StoreError`` with a message
from :func:`describe_database_error`, so each front maps it once (API: 503, CLI: one
``error:`` line). Integrity errors (a unique key already taken) and programming errors pass
through untouched: callers handle the first, the second is a bug that must stay visible.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import unquote

from sqlalchemy import Engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DatabaseError, OperationalError

from sanctionwatch.errors import StoreError

# Substrings of SQLite's and PostgreSQL's messages → what a user should read.
_KNOWN_FAULTS: tuple[tuple[str, str], ...] = (
    ("readonly database", "the database is read-only"),
    ("read-only", "the database is read-only"),
    ("disk is full", "the disk is full"),
    ("no space left", "the disk is full"),
    ("disk image is malformed", "the database file is damaged (restore a backup or run `sqlite3 FILE .recover`)"),
    ("file is not a database", "the file is not an SQLite database"),
    ("database is locked", "the database stayed locked by another process for 30 s"),
    ("unable to open database file", "the database file cannot be opened"),
    ("disk i/o error", "the disk failed to read or write the database"),
    ("connection refused", "the database server refused the connection"),
    ("could not connect", "the database server cannot be reached"),
    ("password authentication failed", "the database server refused the credentials"),
)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def describe_database_error(error: BaseException) -> str:
    """One line naming the fault; the driver's own message (without SQL) when it is not a known one."""
    original = getattr(error, "orig", None) or error
    message = _first_line(str(original))
    lowered = message.lower()
    for needle, description in _KNOWN_FAULTS:
        if needle in lowered:
            return description
    return f"database error: {original.__class__.__name__}: {message}" if message else "database error"


def is_translated(error: BaseException) -> bool:
    """Operational faults and bare DatabaseErrors (SQLite's damaged or foreign file) are translated."""
    return isinstance(error, OperationalError) or type(error) is DatabaseError


# A damaged file stays damaged: health reports it until the process restarts on a good file.
PERSISTENT_FAULTS = ("the database file is damaged", "the file is not an SQLite database")


@dataclass(frozen=True, slots=True)
class Fault:
    message: str
    monotonic_seconds: float

    @property
    def persistent(self) -> bool:
        return self.message.startswith(PERSISTENT_FAULTS)


def last_fault(engine: Engine) -> Fault | None:
    """The latest fault the engine raised (health reports it), or None."""
    fault = engine.__dict__.get("_sanctionwatch_fault")
    return fault if isinstance(fault, Fault) else None


def record_fault(engine: Engine, message: str) -> None:
    engine.__dict__["_sanctionwatch_fault"] = Fault(message, time.monotonic())


def install_fault_translation(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=True)
    location = url
    if engine.dialect.name == "sqlite":
        location = unquote(str(engine.url.database or "")).removeprefix("file:")

    def translate(context: ExceptionContext) -> None:
        error = context.sqlalchemy_exception
        if error is not None and is_translated(error):
            message = describe_database_error(error)
            record_fault(engine, message)
            raise StoreError(f"{message}: {location}", url=url) from context.original_exception

    event.listen(engine, "handle_error", translate)


def check_integrity(engine: Engine) -> str | None:
    """SQLite's ``quick_check`` (reads every page once; seconds on a large file): a problem or None.

    PostgreSQL checks its own pages; there this returns None.
    """
    if engine.dialect.name != "sqlite":
        return None
    try:
        with engine.connect() as connection:
            rows = [row[0] for row in connection.exec_driver_sql("PRAGMA quick_check(5)")]
    except StoreError as exc:
        return str(exc)
    if rows == ["ok"]:
        return None
    message = f"the database file is damaged ({'; '.join(rows)[:300]})"
    record_fault(engine, message)
    return message
