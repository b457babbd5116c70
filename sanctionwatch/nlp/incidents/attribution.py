"""Who says so and how surely: attribution and certainty of a set of evidence sentences."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sanctionwatch.nlp.document.sources import PERSON_SAID, specific_source
from sanctionwatch.nlp.lexicon import REPORTED, SPECULATIVE

# "It also said ...", "the report said": the source is the one named just before.
_PRONOUN_SOURCE = re.compile(r"^(?:It|They|The report|The panel|The study|The firm|The company)\b|\b(?:it|they) (?:said|stated|added|noted|found)\b")
# Outlets whose own voice is research, not reporting.
RESEARCH_OUTLETS = re.compile(
    r"\b(?:RUSI|38 North|CSIS|Stimson|Brookings|RAND|C4ADS|Carnegie|Chatham House|IISS|Institute|Center|Centre)\b"
)
_STATE_ACTOR = re.compile(
    r"\b(?:Security Council|U\.?N\.?|government|authorities|Department|Ministry|Treasury|administration|Congress|House"
    r"|Senate|court|judges?|prosecutors|police|coast guard|navy|customs|officials?|investigators|OFAC|FBI)\b"
)


# A quotation standing alone ("'The DPRK has continued to violate resolutions…'"): its speaker
# is named in the sentence before.
_BARE_QUOTE = re.compile(r"^\s*[\"“'‘]")


def outlet_attribution(source: str | None) -> str:
    """What the outlet's own voice counts as: research institutes are ``ngo_research``."""
    if source and RESEARCH_OUTLETS.search(source):
        return "ngo_research"
    return "journalist_observation"


# How many sentences back "it stated" may look for what "it" is.
PRONOUN_REACH_SENTENCES = 4


def attribution_of(
    sentences: Sequence[str],
    *,
    outlet: str = "journalist_observation",
    previous: Sequence[str] = (),
    earlier: Sequence[str] = (),
    lede: Sequence[str] = (),
    context: bool = False,
    governing: str = "",
) -> str:
    """The most specific source named with a reporting verb in any sentence; the outlet otherwise.

    A sentence without a reporting verb ("authorities dispatched workers") names actors, not
    sources, so it is not read for sourcing. Official media count without one. ``previous``: the
    sentence before each evidence sentence, the lead's first, read when one says "it said".
    ``earlier``: the sentences before that one, nearest first, read while they too say "it".
    ``lede``: the article's opening sentences, which name the source of a story built on one
    report ("a new United Nations report has claimed"); read when "it" finds nothing nearer.
    ``context``: an official act with no other source is the actor's own (``named_official``).
    ``governing``: the source that governs the passage (``document.sources.governing_source``),
    taken where no sentence names one and the outlet would speak.
    """
    # The lead sentence speaks first: "It also said the North was violating sanctions" takes the
    # source of the sentence before it, even when another sentence of the group names an official.
    lead = sentences[0] if sentences else ""
    found = specific_source(sentences[:1])
    if found:
        return found
    if _PRONOUN_SOURCE.search(lead) or _BARE_QUOTE.match(lead):
        for before in [*previous[:1], *earlier][:PRONOUN_REACH_SENTENCES]:
            found = specific_source([before])
            if found:
                return found
            if not _PRONOUN_SOURCE.search(before):
                break  # a sentence with its own subject: "it" does not reach past it
        found = specific_source(lede)
        if found:
            return found
    found = specific_source(sentences[1:])
    if found:
        return found
    if any(_PRONOUN_SOURCE.search(s) for s in sentences) and previous:
        found = attribution_of(previous, outlet="")
        if found:
            return found
    if any(PERSON_SAID.search(s) for s in sentences):
        return "named_official"
    if context and any(_STATE_ACTOR.search(s) for s in sentences):
        return "named_official"
    return governing or outlet


def certainty_of(sentences: Sequence[str], *, attribution: str, context: bool, hedged: bool | None = None) -> str:
    """asserted, reported or speculative, from hedges and reporting verbs in the lead sentence.

    ``hedged``: whether a hedge bears on the event itself, where the caller knows where the event
    is told in the lead; by default any hedge in the lead counts.
    """
    lead = sentences[0] if sentences else ""
    if context:
        # Hedges near an official act qualify its effects ("sanctions that could slash exports",
        # "unclear who is supplying the oil"), not whether the seizure or vote took place.
        # An official act reported by its actor is a fact; an unnamed source's word is a claim.
        return "reported" if attribution == "anonymous_source" else "asserted"
    if (bool(SPECULATIVE.search(lead)) if hedged is None else hedged):
        return "speculative"
    if attribution in ("anonymous_source", "un_report", "named_official", "official_media"):
        return "reported"
    if REPORTED.search(lead):
        return "reported"
    return "asserted"
