"""The bundled list's matching index, built once (about 0.85 s: the list's XML parsed, every name
keyed) and kept in the user's cache (``sanctionwatch.cache``), from which later processes load it
in a few milliseconds. The key covers the list's bytes, the source of the modules that parse and
index it and the libraries that fold its names."""

from __future__ import annotations

from functools import lru_cache

import fingerprints
import normality
import rapidfuzz
import rigour

from sanctionwatch.cache import cached, module_identity, module_source
from sanctionwatch.model import incident
from sanctionwatch.resolve import sanctions_list, sanctions_match, sanctions_names
from sanctionwatch.resolve.sanctions_list import bundled_list, bundled_list_bytes
from sanctionwatch.resolve.sanctions_match import SanctionsIndex


@lru_cache(maxsize=1)
def bundled_index() -> SanctionsIndex:
    parts = [
        bundled_list_bytes(),
        *(module_source(module) for module in (sanctions_list, sanctions_match, sanctions_names, incident)),
        *(module_identity(module) for module in (rigour, fingerprints, normality, rapidfuzz)),
    ]
    return cached("sanctions-index", parts, lambda: SanctionsIndex(bundled_list()), SanctionsIndex)
