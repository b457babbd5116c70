"""Country display names and demonyms from the bundled vocabulary, for summaries and the dashboard."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from sanctionwatch.model.summary import CountryNames, country_names_from_records


@lru_cache(maxsize=1)
def country_names() -> CountryNames:
    """Names, demonyms and aliases of every country in ``vocabularies/countries.json`` (read once)."""
    text = resources.files("sanctionwatch.vocabularies").joinpath("countries.json").read_text("utf-8")
    return country_names_from_records(json.loads(text)["countries"])
