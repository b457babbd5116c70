"""Health from store readings taken at most once per FRESH_SECONDS: cheap probes, never a stale "ok".

Real SQLite files; the freshness limits are shortened with monkeypatch so the test takes
fractions of a second.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sanctionwatch.errors import StoreError
from sanctionwatch.model import Article
from sanctionwatch.service import health
from sanctionwatch.store.articles import upsert_article
from sanctionwatch.store.engine import create_database_engine
from sanctionwatch.store.faults import record_fault


def add_article(engine, number: int) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as connection:
        upsert_article(connection, Article(id=f"a-{number}", text=f"Text {number}."))


def wait_for(condition, seconds: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return bool(condition())


def test_a_probe_is_answered_from_a_fresh_reading_and_a_newer_one_follows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "FRESH_SECONDS", 0.2)
    monkeypatch.setattr(health, "STALE_SECONDS", 60.0)
    engine = create_database_engine(tmp_path / "h.db")
    add_article(engine, 1)
    readings = health.StoreReadings(engine)
    assert readings.cached() is None  # nothing read yet: the first probe reads the store itself
    assert readings.read() == {"articles": 1, "interrupted_runs": 0}
    add_article(engine, 2)
    assert readings.cached() == {"articles": 1, "interrupted_runs": 0}  # fresh: the store is not read again
    time.sleep(0.25)
    # No longer fresh: answered from the last reading while a new one is taken in the background.
    assert readings.cached() == {"articles": 1, "interrupted_runs": 0}
    assert wait_for(lambda: (readings.cached() or {}).get("articles") == 2)
    assert health.answer(engine, readings.cached() or {})["articles"] == 2


def test_a_fault_is_reported_at_once_and_a_silent_store_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "FRESH_SECONDS", 0.05)
    monkeypatch.setattr(health, "STALE_SECONDS", 0.1)
    engine = create_database_engine(tmp_path / "h.db")
    readings = health.StoreReadings(engine)
    reading = readings.read()
    assert health.answer(engine, reading)["status"] == "ok"
    record_fault(engine, "database or disk is full")
    with pytest.raises(StoreError, match="disk is full"):
        health.answer(engine, reading)  # the reading is fresh, the fault is newer: not "ok"
    time.sleep(0.15)
    assert readings.cached() is None  # too old to vouch for the store: the probe reads it itself


def test_a_failed_reading_is_forgotten(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    engine = create_database_engine(path)
    readings = health.StoreReadings(engine)
    readings.read()
    assert readings.cached() is not None
    engine.dispose()
    path.unlink()
    path.mkdir()  # the file is now a directory: SQLite cannot open it
    with pytest.raises(StoreError):
        readings.read()
    assert readings.cached() is None  # the next probe reads the store and reports the error too
