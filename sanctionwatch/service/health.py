"""Is the store usable? What the health endpoint and the CLI's checks report."""

from __future__ import annotations

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
    article_count = count_articles(engine)
    fault = last_fault(engine)
    if fault is not None and (fault.persistent or time.monotonic() - fault.monotonic_seconds < RECENT_FAULT_SECONDS):
        raise StoreError(fault.message)
    return {
        "status": "ok",
        "version": __version__,
        "extractor_version": EXTRACTOR_VERSION,
        "articles": article_count,
        "interrupted_runs": len(find_interrupted_runs(engine)),
        "prepared": engine in _PREPARED,
    }


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
