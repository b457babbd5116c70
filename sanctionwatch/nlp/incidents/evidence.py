"""Evidence of an incident: which of its sentences back it, and how much each one tells."""

from __future__ import annotations

from collections.abc import Sequence

from sanctionwatch.nlp.document import Document
from sanctionwatch.nlp.incidents.attribution import attribution_of
from sanctionwatch.nlp.lexicon import DPRK_ANCHOR, SPECULATIVE

MAX_EVIDENCE_SENTENCES = 4
# Evidence is one passage: the most informative sentence and its direct neighbours in the group.
# Sentences further away often tell another episode of the same kind ("In May it targeted a
# mixer" beside "Last year its hackers pinched $1.7bn"), and their places and dates would leak in.
EVIDENCE_REACH_SENTENCES = 1
# A sentence two away still joins when it carries a figure or a mapped place (a report's route
# of crossing points told two sentences after its head count).
SUPPORTING_SCORE = 1.5
SUPPORTING_REACH_SENTENCES = 2
# The opening sentences that name the source of a story built on one report.
LEDE_SENTENCES = 3
# A passage without a date takes the date of its episode from a sentence at most this far away.
DATING_REACH_SENTENCES = 4

# What telling the act with North Korea as a party adds to a sentence's claim to be the head, and
# what a sentence of the incident that tells no act of its type loses.
HEAD_PARTY_SCORE = 1.0
HEAD_UNTOLD_PENALTY = 1.0


def evidence_score(document: Document, index: int, incident_type: str | None = None) -> float:
    """How much an evidence sentence tells: figures, places, dates and sourcing beat bare mentions;
    for an incident's type, a sentence that tells the act with North Korea as a party beats one that
    only names it (the head of an incident is its plainest, fullest mention)."""
    text = document.sentences[index].text
    score = 0.0
    if incident_type is not None:
        told = [m for m in document.mentions_in(index, incident_type) if m.asserted]
        if any(m.involvement == "party" for m in told):
            score += HEAD_PARTY_SCORE
        elif not told:
            score -= HEAD_UNTOLD_PENALTY
    if document.quantity_mentions.get(index):
        score += 2.0
    if any(m.location is not None and (m.location.lat is not None or m.location.admin1) for m in document.entities_in(index)):
        score += 1.5
    times = [m for m in document.time_mentions.get(index, []) if not m.is_reporting_date]
    if any(m.range.start is not None for m in times):
        score += 1.0
    elif times:
        score += 0.5  # "recently": open-ended, says less
    if attribution_of([text], outlet="") != "":
        score += 0.5
    if DPRK_ANCHOR.search(text):
        score += 0.5
    if hedges_the_event(document, index):
        score -= 1.0
    return score


def hedges_the_event(document: Document, index: int, incident_type: str | None = None) -> bool:
    """A hedge before a cue, or after it in the same clause, makes the event itself uncertain; one
    after a comma qualifies something else ("… North Korea's recent weapons sale to Russia, may
    have made its old income streams less important")."""
    text = document.sentences[index].text
    hedges = list(SPECULATIVE.finditer(text))
    if not hedges:
        return False
    cues = [
        (start, start + len(candidate.cue))
        for candidate, start in document.cue_positions(index)
        if incident_type is None or candidate.type == incident_type
    ]
    if not cues:
        return True
    return any(h.start() < start or "," not in text[end : h.start()] for h in hedges for start, end in cues)


def says_something(document: Document, index: int) -> bool:
    """A neighbour joins the evidence only if it adds a figure, a place, a date, a source or a name
    of North Korea: "A more novel revenue stream is stolen cryptocurrency." adds nothing."""
    return evidence_score(document, index) > 0 or any(m.location is not None for m in document.entities_in(index))


def select_evidence(document: Document, sentence_indexes: Sequence[int], incident_type: str | None = None) -> list[int]:
    """The most informative sentence and its neighbours in the group, at most MAX_EVIDENCE_SENTENCES, in text order."""
    ranked = sorted(sentence_indexes, key=lambda i: (-evidence_score(document, i, incident_type), i))
    chosen = ranked[:1]
    for index in ranked[1:]:
        if len(chosen) >= MAX_EVIDENCE_SENTENCES:
            break
        if (says_something(document, index) and any(abs(index - c) <= EVIDENCE_REACH_SENTENCES for c in chosen)) or (
            evidence_score(document, index) >= SUPPORTING_SCORE and any(abs(index - c) <= SUPPORTING_REACH_SENTENCES for c in chosen)
        ):
            chosen.append(index)
    return sorted(chosen)
