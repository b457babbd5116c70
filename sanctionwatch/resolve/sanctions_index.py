"""The bundled list's matching index, built once per process (about half a second)."""

from __future__ import annotations

from functools import lru_cache

from sanctionwatch.resolve.sanctions_list import bundled_list
from sanctionwatch.resolve.sanctions_match import SanctionsIndex


@lru_cache(maxsize=1)
def bundled_index() -> SanctionsIndex:
    return SanctionsIndex(bundled_list())
