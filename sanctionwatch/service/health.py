"""Is the store usable? What the health endpoint and the CLI's checks report."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine

from sanctionwatch import __version__
from sanctionwatch.errors import StoreError
from sanctionwatch.nlp.pipeline import EXTRACTOR_VERSION
from sanctionwatch.store.articles import count_articles
from sanctionwatch.store.faults import last_fault
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
    }
