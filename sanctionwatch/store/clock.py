"""Timestamps as ISO strings in UTC (one format across SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
