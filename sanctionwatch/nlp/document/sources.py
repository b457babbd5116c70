"""The sources of a document: who says what, sentence by sentence, and which source governs a
passage that names none.

A sentence names its source when a source word (a ministry, a security firm, the UN panel, an
unnamed official, state media) stands with a reporting verb ("said", "found", "according to").
A story built on one report, announcement or investigation named in its lede ("The U.S.
Department of Justice announced …", "according to a new report by Symantec") is governed by that
source where a passage names none, except for the background it recalls.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sanctionwatch.nlp.document import Document
from sanctionwatch.nlp.lexicon import (
    ANALYSIS,
    ANONYMOUS_SOURCE,
    NAMED_OFFICIAL,
    NGO_RESEARCH,
    OFFICIAL_MEDIA,
    REPORTED,
    UN_REPORT,
)
from sanctionwatch.nlp.text.folding import fold_case, folded_pattern, search_folded
from sanctionwatch.nlp.text.reading import reading_of

# The opening sentences in which a story names the source it is built on.
LEDE_SENTENCES = 3

# Checked in this order: the most specific sourcing wins.
ATTRIBUTION_ORDER = (
    ("official_media", OFFICIAL_MEDIA),
    ("un_report", UN_REPORT),
    ("anonymous_source", ANONYMOUS_SOURCE),
    ("ngo_research", NGO_RESEARCH),
    ("named_official", NAMED_OFFICIAL),
    ("analysis_speculation", ANALYSIS),
)
# Each source test with its folded copy (``folding``): every sentence of every relevant article
# is read against all of them, as yes/no tests.
_FOLDED_ORDER = tuple((name, pattern, folded_pattern(pattern)) for name, pattern in ATTRIBUTION_ORDER)
_FOLDED_REPORTED = folded_pattern(REPORTED)


# "Pompeo said", "Demers said in a statement": a surname with a reporting verb is an official
# unless a more specific source was found first.
PERSON_SAID = re.compile(r"\b[A-Z][a-z]+(?:’s|'s)? (?:said|says|told|added|noted|announced|accused|warned)\b")

def specific_source(sentences: Sequence[str]) -> str:
    """The most specific source that one of ``sentences`` names with a reporting verb (state
    media needs none), ``""`` for none."""
    folded = [fold_case(sentence) for sentence in sentences]
    reported: list[bool | None] = [None] * len(sentences)  # read once per sentence, when asked
    for name, pattern, folded_source in _FOLDED_ORDER:
        for i, sentence in enumerate(sentences):
            if not search_folded(pattern, folded_source, sentence, folded[i]):
                continue
            if name == "official_media":
                return name
            if reported[i] is None:
                reported[i] = search_folded(REPORTED, _FOLDED_REPORTED, sentence, folded[i])
            if reported[i]:
                return name
    return ""



@dataclass(frozen=True, slots=True)
class Sourcing:
    """The source each sentence names (``""`` for none) and the source of the lede."""

    named: tuple[str, ...]
    lede: str


def sourcing_of(document: Document) -> Sourcing:
    """The document's sourcing, read once per document."""
    cached = document.memo.get("sourcing")
    if isinstance(cached, Sourcing):
        return cached
    named = tuple(specific_source([reading_of(s.text).text]) for s in document.sentences)
    lede = next((source for source in named[:LEDE_SENTENCES] if source), "")
    sourcing = Sourcing(named, lede)
    document.memo["sourcing"] = sourcing
    return sourcing


def governing_source(document: Document, *, recent: bool) -> str:
    """The source that governs a passage naming none: the lede's, for what the story reports
    (``recent``: the passage tells no event dated well before publication); ``""`` otherwise.

    Background that a story recalls ("Then, in October 2024, the crew was linked to …") is the
    outlet's own voice, not the new report's. Sentences that carry an attribution on from the
    sentence before ("It also said …") are read by ``incidents.attribution``.
    """
    return sourcing_of(document).lede if recent else ""

