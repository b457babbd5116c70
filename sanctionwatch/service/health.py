"""Is the store usable? What the health endpoint and the CLI's checks report."""

from __future__ import annotations

import threading
import time
import weakref
from contextlib import suppress
from typing import Any

from sqlalchemy import Engine

from sanctionwatch import __version__
from sanctionwatch.errors import SanctionWatchError, StoreError
from sanctionwatch.nlp.pipeline import EXTRACTOR_VERSION
from sanctionwatch.service.dashboard import summarize_incidents
from sanctionwatch.service.incidents import make_query
from sanctionwatch.store.articles import count_articles
from sanctionwatch.store.faults import check_integrity, last_fault
from sanctionwatch.store.runs import find_interrupted_runs

# A transient fault (disk full, lock timeout) is reported for this long after it happened.
RECENT_FAULT_SECONDS = 60.0


def health(engine: Engine) -> dict[str, Any]:
    """A cheap check that reads the store; raises StoreError when it cannot be read or a request
    recently hit a fault (a damaged page, a full disk), so a broken store is never "ok"."""
    return answer(engine, read_store(engine))


def read_store(engine: Engine) -> dict[str, Any]:
    """What health reads from the store (raises StoreError when it cannot be read)."""
    return {"articles": count_articles(engine), "interrupted_runs": len(find_interrupted_runs(engine))}


def answer(engine: Engine, reading: dict[str, Any]) -> dict[str, Any]:
    """The health answer from a store reading; the fault check is live: a fault recorded since
    the reading is reported all the same."""
    fault = last_fault(engine)
    if fault is not None and (fault.persistent or time.monotonic() - fault.monotonic_seconds < RECENT_FAULT_SECONDS):
        raise StoreError(fault.message)
    return {
        "status": "ok",
        "version": __version__,
        "extractor_version": EXTRACTOR_VERSION,
        "articles": reading["articles"],
        "interrupted_runs": reading["interrupted_runs"],
        "prepared": engine in _PREPARED,
    }


# A probe is answered from a store reading younger than this without touching the store; older,
# a new reading is taken in the background while the probe is answered from this one.
FRESH_SECONDS = 0.5
# Older than this (the store has not answered for that long: a lock wait, a stuck disk), a probe
# waits for a reading of its own, so a store that stops answering is never reported "ok".
STALE_SECONDS = 3.0


class StoreReadings:
    """The latest ``read_store`` of one engine, taken at most once per ``FRESH_SECONDS`` however
    many probes arrive (the health endpoint's cache; ``benchmarks/serve.py`` probes every 100 ms
    while 20 clients load the server).

    A reading that fails is forgotten, so the next probe reads the store itself and reports the
    error. One background reading at a time.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._reading: tuple[float, dict[str, Any]] | None = None
        self._refreshing = False

    def cached(self) -> dict[str, Any] | None:
        """The latest reading if it may answer a probe now (a background reading is started
        when it is no longer fresh); None when the probe must read the store itself."""
        with self._lock:
            if self._reading is None:
                return None
            age = time.monotonic() - self._reading[0]
            if age >= STALE_SECONDS:
                return None
            if age >= FRESH_SECONDS and not self._refreshing:
                self._refreshing = True
                threading.Thread(target=self._refresh_in_background, name="health-reading", daemon=True).start()
            return self._reading[1]

    def read(self) -> dict[str, Any]:
        """A new reading, kept for the next probes (raises StoreError as ``read_store`` does)."""
        taken = time.monotonic()
        try:
            reading = read_store(self.engine)
        except BaseException:
            with self._lock:
                self._reading = None
            raise
        with self._lock:
            if self._reading is None or self._reading[0] < taken:
                self._reading = (taken, reading)
        return reading

    def _refresh_in_background(self) -> None:
        try:
            with suppress(SanctionWatchError):  # forgotten; the next probe reads and reports it
                self.read()
        finally:
            with self._lock:
                self._refreshing = False


# Engines whose background preparation (integrity check, default dashboard) has finished.
_PREPARED: weakref.WeakSet[Engine] = weakref.WeakSet()


def prepare(engine: Engine) -> None:
    """Run once in the background when a server starts: check the file for damaged pages (health
    reports them), then count the default dashboard, so the first analyst to open it does not
    wait for the aggregates of a large store (they are cached until the next write)."""
    try:
        if check_integrity(engine) is None:
            with suppress(SanctionWatchError):  # a fault here is recorded by the store; health reports it
                summarize_incidents(engine, make_query())
    finally:
        _PREPARED.add(engine)
