"""Who says so and how surely: attribution and certainty of a set of evidence sentences."""

from __future__ import annotations

from collections.abc import Sequence

from sanctionwatch.nlp.lexicon import (
    ANALYSIS,
    ANONYMOUS_SOURCE,
    NAMED_OFFICIAL,
    NGO_RESEARCH,
    OFFICIAL_MEDIA,
    REPORTED,
    SPECULATIVE,
    UN_REPORT,
)

# Checked in this order: the most specific sourcing wins.
_ATTRIBUTION_ORDER = (
    ("official_media", OFFICIAL_MEDIA),
    ("un_report", UN_REPORT),
    ("anonymous_source", ANONYMOUS_SOURCE),
    ("ngo_research", NGO_RESEARCH),
    ("named_official", NAMED_OFFICIAL),
    ("analysis_speculation", ANALYSIS),
)


def attribution_of(sentences: Sequence[str]) -> str:
    """The most specific source named with a reporting verb in any sentence; the outlet otherwise.

    A sentence without a reporting verb ("authorities dispatched workers") names actors, not
    sources, so it is not read for sourcing. Official media count without one.
    """
    for name, pattern in _ATTRIBUTION_ORDER:
        for sentence in sentences:
            needs_verb = name != "official_media"
            if pattern.search(sentence) and (not needs_verb or REPORTED.search(sentence)):
                return name
    return "journalist_observation"


def certainty_of(sentences: Sequence[str], *, attribution: str, context: bool) -> str:
    """asserted, reported or speculative, from hedges and reporting verbs in the lead sentence."""
    lead = sentences[0] if sentences else ""
    if SPECULATIVE.search(lead):
        return "speculative"
    if context:
        # An official act reported by its actor is a fact; an unnamed source's word is a claim.
        return "reported" if attribution == "anonymous_source" else "asserted"
    if attribution in ("anonymous_source", "un_report", "named_official", "official_media"):
        return "reported"
    if REPORTED.search(lead):
        return "reported"
    return "asserted"
