"""Building one incident from a group of typed sentences.

Steps, in order:
1. keep at most ``MAX_EVIDENCE_SENTENCES`` sentences as evidence (verbatim spans);
2. time window, quantity, places, actors and vessels from the evidence sentences;
3. attribution and certainty from the sourcing and hedges of the evidence;
4. provisions from the type's rules at the incident date;
5. a one-sentence summary and a confidence.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from datetime import date

from sanctionwatch.model import Incident, TimeRange
from sanctionwatch.model.summary import summarize
from sanctionwatch.nlp.cues import IncidentTypeCues
from sanctionwatch.nlp.document import Candidate, Document
from sanctionwatch.nlp.document.chains import cargo_chain, chain_of
from sanctionwatch.nlp.document.sources import governing_source
from sanctionwatch.nlp.incidents.actors import incident_actors
from sanctionwatch.nlp.incidents.arguments import (
    goods_direction,
    incident_provisions,
    incident_quantity,
    incident_time,
    incident_vessels,
)
from sanctionwatch.nlp.incidents.attribution import PRONOUN_REACH_SENTENCES, attribution_of, certainty_of, outlet_attribution
from sanctionwatch.nlp.incidents.evidence import (
    DATING_REACH_SENTENCES,
    LEDE_SENTENCES,
    MAX_EVIDENCE_SENTENCES,
    evidence_score,
    hedges_the_event,
    says_something,
    select_evidence,
)
from sanctionwatch.nlp.incidents.features import SentenceFacts, incident_features
from sanctionwatch.nlp.incidents.grouping import Group
from sanctionwatch.nlp.incidents.places import incident_locations
from sanctionwatch.nlp.incidents.scoring import load_model
from sanctionwatch.nlp.lexicon import DPRK_ANCHOR
from sanctionwatch.nlp.mentions.modality import Hedge
from sanctionwatch.nlp.pipeline import EXTRACTOR_VERSION
from sanctionwatch.nlp.stages import chains as chains_stage_module
from sanctionwatch.resolve.countries import country_names


def _confidence(document: Document, group: Group, certainty: str, has_arguments: bool) -> float:
    text = " ".join(document.sentences[i].text for i in group.sentences)
    confidence = 0.45
    confidence += 0.05 * min(len(group.sentences) - 1, 3)
    if DPRK_ANCHOR.search(text):
        confidence += 0.15
    if has_arguments:
        confidence += 0.1
    # A hedge is the source's doubt about the event, shown as the certainty; the confidence is the
    # extractor's own, about whether the incident is read right.
    if not any(m.involvement == "party" for m in document.event_mentions if m.type == group.type and m.sentence in group.sentences):
        confidence -= 0.1
    if _ambiguous_type(document, group):
        confidence -= 0.1
    return round(max(0.05, min(0.95, confidence)), 3)


def _ambiguous_type(document: Document, group: Group) -> bool:
    """The sentence the incident rests on is also typed as another activity: the cue is ambiguous
    ("fuel supplied by transferring cargoes at sea" is a transfer, and perhaps not a separate sale)."""
    lead = max(group.sentences, key=lambda i: (evidence_score(document, i), -i))
    return not group.type.startswith("context_") and any(
        c.type != group.type and not c.type.startswith("context_") for c in document.candidates_in(lead)
    )


def _lead_candidate(document: Document, group: Group) -> Candidate:
    return next(c for c in document.candidates if c.type == group.type and c.sentence in group.sentences)


def _bare_facts(document: Document, group: Group) -> SentenceFacts:
    sentence = document.sentences[min(group.sentences)]
    return SentenceFacts(sentence.index, sentence.paragraph, frozenset(), frozenset(), frozenset(), frozenset(), group.time, "", False, "")


CONFIDENCE_MODEL = "incident_confidence"
# An event that ended this long before publication is background the story recalls.
BACKGROUND_DAYS = 90


def _recent(time: TimeRange, published: date | None) -> bool:
    end = time.end or time.start
    return published is None or end is None or (published - end).days <= BACKGROUND_DAYS


# Hackers tied to North Korea only through another attack or shared code ("the heist is linked
# to the Sony hack", "similar malware"): the annotation rules call that speculative.
_ASSOCIATION = re.compile(r"\b(?:linked|connected|tied|similar\w*|identical|resembl\w*|associated|same (?:code|malware|tools))\b", re.IGNORECASE)


# The state itself, not a group said to belong to it ("Lazarus" is tied to it by others).
_THE_STATE = re.compile(r"\b(?:North[- ]Korea\w*|N\. ?Korea\w*|DPRK|Pyongyang|Democratic People(?:'|’)?s Republic of Korea|Kim Jong[- ]?Un)")


# A group described by the group it belongs to ("the APT38 threat group, which is linked to the
# Lazarus hacking group") names who did it; it does not tie the attack to another by likeness.
_GROUP_AFFILIATION = re.compile(
    r"\b(?:group|gang|unit|actors?),?\s+(?:which|that|who)\s+(?:is|are|was|were|has been)\s+(?:\w+ly\s+)?"
    r"(?:linked|connected|tied|associated)\s+(?:to|with)\s+(?:the\s+)?[A-Z][\w-]*(?:\s+(?:hacking|threat|hacker|cyber))?\s+(?:group|gang|unit)\b",
    re.IGNORECASE,
)


def _tied_by_association(evidence: Sequence[str]) -> bool:
    """No evidence sentence names the North Korean state, and one ties the attack to another
    attack or group by association (not by saying which group a group belongs to)."""
    if any(_THE_STATE.search(text) for text in evidence):
        return False
    return any(_ASSOCIATION.search(_GROUP_AFFILIATION.sub(" ", text)) for text in evidence)


def _hedged(document: Document, index: int, incident_type: str) -> bool:
    """Whether a hedge bears on the act of the lead sentence: read from the parse where the act
    has an asserted mention (the hedge on its own verb or the words governing it: "may have
    sold", "appears to have stolen"), from the words around the cue where it has none."""
    mentions = [m for m in document.mentions_in(index, incident_type) if m.asserted]
    if mentions:
        return any(m.hedge is Hedge.SPECULATIVE for m in mentions)
    return hedges_the_event(document, index, incident_type)


def _has_point(document: Document, indexes: Sequence[int]) -> bool:
    return any(m.location is not None and m.location.lat is not None for i in indexes for m in document.entities_in(i))


def _with_chain_support(document: Document, indexes: list[int], cues: IncidentTypeCues, *, needs_time: bool) -> list[int]:
    """The evidence with, at most, the nearest sentence of the ship's chain that gives a missing
    date (one not of a report) and the nearest that gives a mapped place."""
    chain = next((c for c in (chain_of(document, i) for i in indexes) if c is not None), None)
    if chain is None:
        return indexes
    head = min(indexes)
    near = sorted((i for i in chain.sentences if i in document.support_sentences and i not in indexes), key=lambda i: abs(i - head))
    added: list[int] = []
    if needs_time:
        dated = next((i for i in near if any(not m.is_reporting_date for m in document.time_mentions.get(i, []))), None)
        if dated is not None:
            added.append(dated)
    if not _has_point(document, indexes):
        placed = next((i for i in near if _has_point(document, [i]) and i not in added), None)
        if placed is not None:
            added.append(placed)
    room = MAX_EVIDENCE_SENTENCES - len(indexes)
    return sorted([*indexes, *added[: max(0, room)]])


# An acronym an agency is named by ("the Office of Foreign Assets Control (OFAC)").
_ACRONYM = re.compile(r"\(([A-Z][A-Za-z]{1,7})\)")
# How far from the act a statement of its agency may stand, in sentences (the chains stage
# reads the statements that far away).
STATEMENT_REACH_SENTENCES = chains_stage_module.STATEMENT_REACH_SENTENCES


def _agency_names(document: Document, indexes: Sequence[int]) -> set[str]:
    names: set[str] = set()
    for index in indexes:
        names.update(m.text for m in document.entities_in(index) if m.label == "ORG" and len(m.text) >= 3)
        names.update(_ACRONYM.findall(document.sentences[index].text))
    return names


def _agency_statement_date(document: Document, indexes: Sequence[int]) -> tuple[TimeRange, int] | None:
    """The date of a statement by the agency that took an undated act, where the story gives one
    near it ("OFAC said on Tuesday"): an agency announces a measure the day it takes it. Only a
    reporting date of a sentence that names the agency (by name or acronym) counts."""
    from sanctionwatch.nlp.arguments.timex import choose_incident_time

    names = _agency_names(document, indexes)
    if not names:
        return None
    head = min(indexes)
    nearby = sorted(
        (i for i in document.time_mentions if i not in indexes and abs(i - head) <= STATEMENT_REACH_SENTENCES),
        key=lambda i: (abs(i - head), i),
    )
    for other in nearby:
        text = document.sentences[other].text
        if not any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) for name in names):
            continue
        reporting = [m for m in document.time_mentions[other] if m.is_reporting_date]
        if reporting:
            time = choose_incident_time(reporting, include_reporting_dates=True)
            if time.start or time.end:
                return time, other
    return None


# Sentences that follow the goods to a place may add this many sentences beyond
# ``MAX_EVIDENCE_SENTENCES``: every place on the way is backed by the words that name it.
MAX_ROUTE_SENTENCES = 4


def _route_sentences(document: Document, indexes: list[int], cues: IncidentTypeCues) -> list[int]:
    """The sentences, beside the evidence, that follow the goods on their way (``cargo_chain``)
    and name a place of the incident the evidence does not name yet."""
    if cues.context:
        return []
    def places(sentences: list[int]) -> set[tuple[str, str | None]]:
        return {(p.name, p.country) for p in incident_locations(document, sorted(sentences), cues.name)}

    known = places(indexes)
    added: list[int] = []
    for lead in sorted(i for i in indexes if any(c.type == cues.name for c in document.candidates_in(i))):
        for other in cargo_chain(document, lead, cues.commodity_terms):
            if other in indexes or other in added or len(added) >= MAX_ROUTE_SENTENCES:
                continue
            if any(c.type != cues.name and not c.type.startswith("context_") for c in document.candidates_in(other)):
                continue  # the lead of another activity, with places of its own
            # New places only: a country whose city the evidence names already adds nothing.
            with_other = places([*indexes, *added, other])
            if with_other - known:
                known = with_other
                added.append(other)
    # A sentence whose places a later one made redundant ("the cars arrive in China" before "the
    # port of Dalian") leaves again.
    for other in list(added):
        rest = [i for i in [*indexes, *added] if i != other]
        if places(rest) == known:
            added.remove(other)
    return sorted(added)


def build_incident(document: Document, group: Group, cues: IncidentTypeCues) -> Incident:
    evidence_indexes = select_evidence(document, group.sentences, cues.name)
    for index in list(evidence_indexes):
        for joined in group.continuations.get(index, []):
            if joined not in evidence_indexes and len(evidence_indexes) < MAX_EVIDENCE_SENTENCES and says_something(document, joined):
                evidence_indexes = sorted([*evidence_indexes, joined])
    time = incident_time(document, evidence_indexes, context=cues.context, incident_type=cues.name)
    if (
        not (time.start or time.end)
        and group.time is not None
        and group.time_sentence is not None
        and any(abs(group.time_sentence - i) <= DATING_REACH_SENTENCES for i in evidence_indexes)
    ):
        # The passage names no date; another sentence of the same episode does, and joins the
        # evidence so that the date is backed by the article's words.
        time = group.time
        evidence_indexes = sorted([*evidence_indexes[: MAX_EVIDENCE_SENTENCES - 1], group.time_sentence])
    if not (time.start or time.end) or not _has_point(document, evidence_indexes):
        # An incident about a ship takes a date or a place from a sentence of the ship's chain
        # ("The freighter arrived Thursday in Subic Bay …"), which joins the evidence.
        evidence_indexes = _with_chain_support(document, evidence_indexes, cues, needs_time=cues.context and not (time.start or time.end))
        time = incident_time(document, evidence_indexes, context=cues.context, incident_type=cues.name)
    # The places on the goods' way join the evidence; who took part is still read from the
    # sentences of the act (a port of call is not a party).
    route = _route_sentences(document, evidence_indexes, cues)
    act_indexes = list(evidence_indexes)
    evidence_indexes = sorted([*evidence_indexes, *route])
    place_indexes = list(evidence_indexes)
    if cues.context and not (time.start or time.end) and _recent(time, document.article.published):
        # An undated official act takes the date its agency gave it out, and that statement
        # joins the evidence (its places are not the act's).
        statement = _agency_statement_date(document, act_indexes)
        if statement is not None:
            time, said = statement
            evidence_indexes = sorted([*evidence_indexes, said])
    sentences = [document.sentences[i] for i in evidence_indexes]
    evidence_texts = [s.text for s in sentences]
    quantity = incident_quantity(document, act_indexes, cues.name)
    locations = incident_locations(document, place_indexes, cues.name)
    # Sourcing is read in every sentence of the group, most informative first (a source named
    # in a sentence that did not make the evidence still says who claims it).
    ranked_group = sorted(group.sentences, key=lambda i: (-evidence_score(document, i, cues.name), i))
    attribution = attribution_of(
        [document.sentences[i].text for i in ranked_group],
        outlet=outlet_attribution(document.article.source),
        # The sentence before the lead first: a pronoun or a bare quote in the lead points there.
        previous=[document.sentences[i - 1].text for i in sorted(evidence_indexes, key=lambda i: i != ranked_group[0]) if i > 0],
        earlier=[document.sentences[i].text for i in range(ranked_group[0] - 2, max(-1, ranked_group[0] - 1 - PRONOUN_REACH_SENTENCES), -1)],
        lede=[s.text for s in document.sentences[:LEDE_SENTENCES]],
        context=cues.context,
        governing=governing_source(document, recent=_recent(time, document.article.published)),
    )
    # Certainty is read from the most informative sentence, the one the incident rests on.
    core_first = sorted(evidence_indexes, key=lambda i: (-evidence_score(document, i, cues.name), i))
    certainty = certainty_of(
        [document.sentences[i].text for i in core_first],
        attribution=attribution,
        context=cues.context,
        hedged=_hedged(document, core_first[0], cues.name),
    )
    if cues.name == "cyber_theft" and _tied_by_association(evidence_texts):
        certainty = "speculative"
    provisions = () if cues.context else incident_provisions(
        cues, " ".join(evidence_texts), time, document.article.published, goods_direction(document, evidence_indexes, cues.name)
    )
    incident = Incident(
        article_id=document.article.id,
        type=cues.name,
        summary="",  # written below by model.summary from the finished fields
        actors=incident_actors(document, act_indexes, cues.name),
        quantity=quantity,
        commodity=None if cues.context else cues.commodity_in([document.sentences[i].text for i in core_first]),
        vessels=incident_vessels(document, evidence_indexes),
        locations=locations,
        time=time,
        attribution=attribution,
        certainty=certainty,
        provisions=provisions,
        evidence=tuple(evidence_texts),
        evidence_spans=tuple((s.start, s.end) for s in sentences),
        extractor_version=EXTRACTOR_VERSION,
    )
    # A figure or a place backs the typing; a date alone does not (every news sentence has one).
    confidence = _confidence(document, group, certainty, bool(quantity or locations))
    model = load_model(CONFIDENCE_MODEL)
    if model is not None or os.environ.get("SANCTIONWATCH_COLLECT_FEATURES"):
        features = incident_features(
            document,
            [c for c in document.candidates if c.type == cues.name and c.sentence in group.sentences] or [_lead_candidate(document, group)],
            group.facts or [_bare_facts(document, group)],
            certainty=certainty,
            attribution=attribution,
            has_quantity=quantity is not None,
            has_place=bool(locations),
            has_time=bool(time.start or time.end),
            ambiguous_type=_ambiguous_type(document, group),
            same_type_incidents=sum(1 for c in document.candidates if c.type == cues.name),
        )
        # Kept for scripts/train_models.py, which fits the model on them.
        document.memo.setdefault("incident_features", []).append(features)
        if model is not None:
            # A learned confidence, where one ships: the chance, fitted on the gold, that an
            # incident with these features is right (scripts/train_models.py, cross-half figures).
            confidence = round(max(0.05, min(0.95, model.probability(features))), 3)
    return incident.with_changes(confidence=confidence, summary=summarize(incident, country_names()))
