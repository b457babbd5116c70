"""Candidates → incidents: group sentences, attach arguments, source, certainty, provisions.

Steps, in order:
1. group the candidate sentences of each type into incidents (a new incident when the event
   time clearly differs from every open one of that type);
2. keep at most ``MAX_EVIDENCE_SENTENCES`` sentences as evidence (verbatim spans);
3. time window, quantity, places, actors and vessels from the evidence sentences;
4. attribution and certainty from the sourcing and hedges of the evidence;
5. provisions from the type's rules at the incident date;
6. a one-sentence summary and a confidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from datetime import date

from sanctionwatch.model import Incident, Quantity, TimeRange, Vessel
from sanctionwatch.model.summary import summarize
from sanctionwatch.nlp.attribution import PRONOUN_REACH_SENTENCES, attribution_of, certainty_of, outlet_attribution
from sanctionwatch.nlp.cues import IncidentTypeCues, load_incident_types
from sanctionwatch.nlp.document import Candidate, Document
from sanctionwatch.nlp.lexicon import DPRK_ANCHOR, SPECULATIVE
from sanctionwatch.nlp.pipeline import EXTRACTOR_VERSION
from sanctionwatch.nlp.actors import incident_actors
from sanctionwatch.nlp.places import cue_clearly_nearer, incident_locations
from sanctionwatch.nlp.stage import stage
from sanctionwatch.resolve.countries import country_names

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
# Two dated sentences whose windows are further apart than this describe two incidents.
SEPARATE_EVENTS_DAYS = 60

# The units that make sense as the quantity of each type, most telling first.
PREFERRED_UNITS: dict[str, tuple[str, ...]] = {
    "labor_export": ("persons", "permits", "USD"),
    "maritime_transfer": ("tons", "barrels", "occasions", "vessels"),
    "petroleum_trade": ("barrels", "tons", "USD", "occasions"),
    "coal_mineral_export": ("tons", "USD", "vessels"),
    "seafood_export": ("tons", "USD"),
    "textile_export": ("USD", "tons"),
    "arms_military": ("containers", "shipments", "trips", "USD", "persons"),
    "luxury_goods": ("USD", "vehicles"),
    "wmd_dual_use_procurement": ("USD",),
    "financial_banking": ("USD",),
    "cyber_theft": ("USD", "organizations"),
    "machinery_vehicle_metal_import": ("vessels", "USD"),
    "smuggling_other": ("USD", "projects"),
    "context_enforcement": ("USD", "vessels", "persons"),
    "context_diplomatic": (),
}


@dataclass(slots=True)
class _Group:
    type: str
    sentences: list[int] = field(default_factory=list)
    time: TimeRange | None = None
    time_sentence: int | None = None
    score: float = 0.0
    # Sentences that continue a candidate sentence ("These are often transferred at sea") or that
    # it points back to ("Many of them had gone there"): evidence only beside that sentence.
    continuations: dict[int, list[int]] = field(default_factory=dict)
    # The other countries its sentences name: a sentence naming only others tells another partner's episode.
    countries: set[str] = field(default_factory=set)


def _event_time(document: Document, sentence_index: int, *, context: bool, incident_type: str | None = None) -> TimeRange | None:
    chosen = _incident_time(document, [sentence_index], context=context, incident_type=incident_type)
    return chosen if (chosen.start or chosen.end) else None


def _gap_days(first: TimeRange, second: TimeRange) -> int:
    """Days between two windows (negative where they overlap); an open bound reaches as far as it
    needs. Zero where either window has no bound at all."""
    if not (first.start or first.end) or not (second.start or second.end):
        return 0
    a_start, a_end = first.start or date.min, first.end or date.max
    b_start, b_end = second.start or date.min, second.end or date.max
    return max((b_start - a_end).days, (a_start - b_end).days)


_PRECISION_RANK = {"day": 3, "month": 2, "year": 1}
_OPENING_DATE = re.compile(
    r"^[\W_]*(?:(?:Additionally|Separately|Then|Also|Later|Meanwhile|And|But)\s*,?\s+)?(?:(?:in|on|by|during)\s+)?"
    r"(?:(?:late|early|mid-?)\s*)?(?:Last|\d{4}|January|February|March|April|May|June|July|August|September|October"
    r"|November|December)\b",
    re.IGNORECASE,
)


def _a_finer_episode(document: Document, index: int, time: TimeRange | None, group_time: TimeRange | None) -> bool:
    """"Last year its hackers pinched $1.7bn. … Last March it ripped off a bridge": a sentence that
    opens with a finer date inside the group's window tells one episode of that period, not more of
    the period's total."""
    if time is None or group_time is None or not (time.start and time.end and group_time.start and group_time.end):
        return False
    if _PRECISION_RANK.get(time.precision or "", 0) <= _PRECISION_RANK.get(group_time.precision or "", 0):
        return False
    inside = group_time.start <= time.start and time.end <= group_time.end
    return inside and bool(_OPENING_DATE.match(document.sentences[index].text))


def _far_apart(first: TimeRange, second: TimeRange, *, acts: bool = False) -> bool:
    """Whether two windows are more than SEPARATE_EVENTS_DAYS apart; an open bound reaches as far
    as it needs ("recently", ending at publication, is not apart from "between 2014 and 2016").

    ``acts``: the windows date official acts (seizures, designations, vetoes), which happen on a
    day: any two closed windows that do not overlap are two acts ("in late November it seized",
    "on Thursday blocked").
    """
    gap = _gap_days(first, second)  # zero where either window has no bound
    closed = bool(first.start and first.end and second.start and second.end)
    if gap > 0 and acts and closed:
        return True
    if gap > 0 and first.precision is not None and first.precision == second.precision and first.start and second.start:
        # Disjoint windows of one precision are two episodes, however close: "between 2014 and
        # 2016" and "between 2017 and 2018".
        return True
    return gap > SEPARATE_EVENTS_DAYS


def _other_countries(document: Document, index: int) -> set[str]:
    """The countries other than North Korea that a sentence names (as a country, an adjective or a place)."""
    return {
        m.country
        for m in document.mentions_in(index)
        if m.country and m.country != "KP" and m.label in ("COUNTRY", "NORP", "GPE")
    }


def group_candidates(document: Document, candidates: Sequence[Candidate], cues: IncidentTypeCues) -> list[_Group]:
    groups: list[_Group] = []
    for candidate in sorted(candidates, key=lambda c: c.sentence):
        time = _event_time(document, candidate.sentence, context=cues.context, incident_type=cues.name)
        beside = {i: _event_time(document, i, context=cues.context) for i in candidate.extra_sentences}
        if time is None or not (time.start and time.end):
            # "More recently, its embassy hosted arms dealers. They sold patrol boats between 2014
            # and 2016": the sentence that carries the candidate on dates it.
            time = next((t for t in beside.values() if t is not None and t.start and t.end), time)
        target = None
        countries = set() if cues.context else _other_countries(document, candidate.sentence)
        # The nearest episode before it first: an undated sentence carries on what was just told.
        for group in reversed(groups):
            if _a_finer_episode(document, candidate.sentence, time, group.time):
                continue
            if countries and group.countries and not countries & group.countries:
                continue  # "… training of Ugandan pilots. … offered South Sudan special forces training": another partner
            if time is None or group.time is None or not _far_apart(group.time, time, acts=cues.context):
                target = group
                break
        if target is None:
            target = _Group(type=cues.name)
            groups.append(target)
        if candidate.sentence not in target.sentences:
            target.sentences.append(candidate.sentence)
            target.score = max(target.score, candidate.score)
            target.countries |= countries
        for joined, carried in beside.items():
            if time is not None and carried is not None and _far_apart(time, carried):
                continue  # "The ship was taken over by the US in May 2019": a later episode, not more of this one
            target.continuations.setdefault(candidate.sentence, []).append(joined)
        # The group is dated by its first closed window: an open "recently" joins it but does
        # not keep later, clearly dated episodes from starting their own incident.
        if time is not None and (target.time is None or not (target.time.start and target.time.end)):
            target.time, target.time_sentence = time, candidate.sentence
    return groups


# A legal ceiling is not the size of an incident: "is only permitted to import 500,000 barrels".
_CAP_BEFORE = re.compile(
    r"\b(?:(?:permitted|allowed|entitled) to (?:import|export|buy|receive|bring in)|caps? (?:of|at)|capped at|limits? (?:of|to)"
    r"|limited to|ceiling of|quota of)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
# "from one vessel to another" counts nothing.
_ONE_TO_ANOTHER = re.compile(r"^\w+(?:\s+\w+)?\s+to\s+another\b")
# People counted for arms are troops or trainers, not the diplomats who brokered a deal.
_ARMED_PEOPLE = re.compile(r"troops|soldiers|personnel|officers|instructors|trainers|workers|engineers|gunners", re.IGNORECASE)
# An enforcement quantity is what was seized, frozen, recovered or fined, told near that verb.
_ENFORCEMENT_VERB = re.compile(
    r"\b(?:seiz\w*|froze|frozen|freez\w*|forfeit\w*|recover\w*|fin(?:ed|es?)|penalt\w*|confiscat\w*|impound\w*"
    r"|designat\w*|blacklist\w*|sanctioned|expel\w*|repatriat\w*|arrest\w*|charg\w*|indict\w*|convict\w*|sentenc\w*|disrupt\w*)\b",
    re.IGNORECASE,
)


def _counts_for(document: Document, index: int, mention: Any, incident_type: str) -> bool:
    """Whether a quantity of an evidence sentence measures this incident."""
    text = document.sentences[index].text
    quantity: Quantity = mention.quantity
    if _CAP_BEFORE.search(text[max(0, mention.start - 50) : mention.start]):
        return False
    if quantity.min == quantity.max == 1 and _ONE_TO_ANOTHER.match(text[mention.start :]):
        return False
    if incident_type == "arms_military" and quantity.unit == "persons" and not _ARMED_PEOPLE.search(quantity.item or ""):
        return False
    if incident_type == "context_enforcement":
        return bool(_ENFORCEMENT_VERB.search(text[max(0, mention.start - 60) : mention.end + 40]))
    # "$1.7 billion of cryptocurrency stolen …, and … arms sales": the money is the theft's.
    return not (cue_clearly_nearer(document, index, mention.start, incident_type) and _own_cue_in_another_clause(document, index, mention.start, incident_type))


def _own_cue_in_another_clause(document: Document, index: int, position: int, incident_type: str) -> bool:
    """Whether a comma or a semicolon stands between a figure and every cue of this type in the sentence
    ("supplied fuel on at least three occasions by transferring cargoes at sea" is one clause)."""
    text = document.sentences[index].text
    starts = [start for candidate, start in document.cue_positions(index) if candidate.type == incident_type]
    spans = [text[min(p, position) : max(p, position)] for p in starts]
    return bool(spans) and all(re.search(r"[,;–—]", span) for span in spans)


def _quantity(document: Document, sentences: Sequence[int], incident_type: str) -> Quantity | None:
    preferred = PREFERRED_UNITS.get(incident_type, ())
    best: tuple[int, float, Quantity] | None = None
    for index in sentences:
        for mention in document.quantity_mentions.get(index, []):
            quantity: Quantity = mention.quantity
            if quantity.unit not in preferred or not _counts_for(document, index, mention, incident_type):
                continue
            rank = preferred.index(quantity.unit)
            size = quantity.max or quantity.min or 0
            key = (-rank, size)
            if best is None or key > best[:2]:
                best = (-rank, size, quantity)
    return best[2] if best else None


def _vessels(document: Document, sentences: Sequence[int]) -> tuple[Vessel, ...]:
    vessels: dict[str, Vessel] = {}
    for index in sentences:
        for mention in document.vessel_mentions.get(index, []):
            vessel: Vessel = mention.vessel
            vessels.setdefault(vessel.imo or vessel.name or "", vessel)
    return tuple(vessels.values())


def _provisions(cues: IncidentTypeCues, evidence_text: str, when: date | None) -> tuple[str, ...]:
    for rule in cues.provisions:
        if rule.applies(evidence_text, when):
            return tuple(sorted(rule.ids))
    return ()


def _confidence(document: Document, group: _Group, certainty: str, has_arguments: bool) -> float:
    text = " ".join(document.sentences[i].text for i in group.sentences)
    confidence = 0.45
    confidence += 0.05 * min(len(group.sentences) - 1, 3)
    if DPRK_ANCHOR.search(text):
        confidence += 0.15
    if has_arguments:
        confidence += 0.1
    if certainty == "speculative" or any(_hedges_the_event(document, i, group.type) for i in group.sentences):
        confidence -= 0.15
    # The sentence the incident rests on is also typed as another activity: the cue is ambiguous
    # ("fuel supplied by transferring cargoes at sea" is a transfer, and perhaps not a separate sale).
    lead = max(group.sentences, key=lambda i: (_evidence_score(document, i), -i))
    if not group.type.startswith("context_") and any(
        c.type != group.type and not c.type.startswith("context_") for c in document.candidates_in(lead)
    ):
        confidence -= 0.1
    return round(max(0.05, min(0.95, confidence)), 3)


def _evidence_score(document: Document, index: int) -> float:
    """How much an evidence sentence tells: figures, places, dates and sourcing beat bare mentions."""
    text = document.sentences[index].text
    score = 0.0
    if document.quantity_mentions.get(index):
        score += 2.0
    if any(m.location is not None and (m.location.lat is not None or m.location.admin1) for m in document.mentions_in(index)):
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
    if _hedges_the_event(document, index):
        score -= 1.0
    return score


def _hedges_the_event(document: Document, index: int, incident_type: str | None = None) -> bool:
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


def _says_something(document: Document, index: int) -> bool:
    """A neighbour joins the evidence only if it adds a figure, a place, a date, a source or a name
    of North Korea: "A more novel revenue stream is stolen cryptocurrency." adds nothing."""
    return _evidence_score(document, index) > 0 or any(m.location is not None for m in document.mentions_in(index))


def select_evidence(document: Document, sentence_indexes: Sequence[int]) -> list[int]:
    """The most informative sentence and its neighbours in the group, at most MAX_EVIDENCE_SENTENCES, in text order."""
    ranked = sorted(sentence_indexes, key=lambda i: (-_evidence_score(document, i), i))
    chosen = ranked[:1]
    for index in ranked[1:]:
        if len(chosen) >= MAX_EVIDENCE_SENTENCES:
            break
        if (_says_something(document, index) and any(abs(index - c) <= EVIDENCE_REACH_SENTENCES for c in chosen)) or (
            _evidence_score(document, index) >= SUPPORTING_SCORE and any(abs(index - c) <= SUPPORTING_REACH_SENTENCES for c in chosen)
        ):
            chosen.append(index)
    return sorted(chosen)


def _incident_time(document: Document, indexes: Sequence[int], *, context: bool, incident_type: str | None = None) -> TimeRange:
    from sanctionwatch.nlp.timex import choose_incident_time

    mentions = [
        m
        for i in indexes
        for m in document.time_mentions.get(i, [])
        if context or incident_type is None or not _dates_an_enforcement(document, i, m.start, incident_type)
    ]
    return choose_incident_time(mentions, include_reporting_dates=context)


# "announced the seizure of a North Korean ship accused of smuggling coal": the activity is told
# inside the enforcement act, and the sentence's date is the act's.
_ENFORCED_ACTIVITY = re.compile(
    r"\b(?:(?:accused|suspected|convicted) of|charged with|that (?:had )?(?:violated|breached|smuggled|attempted)"
    r"|for (?:allegedly )?(?:violating|smuggling|transferring|exporting|selling|supplying))\b",
    re.IGNORECASE,
)


def _dates_an_enforcement(document: Document, index: int, position: int, incident_type: str) -> bool:
    """Whether a date at ``position`` of the sentence dates an enforcement act that tells the activity."""
    text = document.sentences[index].text
    for candidate, cue in document.cue_positions(index):
        if candidate.type != incident_type or position >= cue:
            continue
        verbs = [v for v in _ENFORCEMENT_VERB.finditer(text, 0, cue)]
        if verbs and _ENFORCED_ACTIVITY.search(text, verbs[-1].end(), cue):
            return True
    return False


def build_incident(document: Document, group: _Group, cues: IncidentTypeCues) -> Incident:
    evidence_indexes = select_evidence(document, group.sentences)
    for index in list(evidence_indexes):
        for joined in group.continuations.get(index, []):
            if joined not in evidence_indexes and len(evidence_indexes) < MAX_EVIDENCE_SENTENCES and _says_something(document, joined):
                evidence_indexes = sorted([*evidence_indexes, joined])
    time = _incident_time(document, evidence_indexes, context=cues.context, incident_type=cues.name)
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
    sentences = [document.sentences[i] for i in evidence_indexes]
    evidence_texts = [s.text for s in sentences]
    quantity = _quantity(document, evidence_indexes, cues.name)
    locations = incident_locations(document, evidence_indexes, cues.name)
    # Sourcing is read in every sentence of the group, most informative first (a source named
    # in a sentence that did not make the evidence still says who claims it).
    ranked_group = sorted(group.sentences, key=lambda i: (-_evidence_score(document, i), i))
    attribution = attribution_of(
        [document.sentences[i].text for i in ranked_group],
        outlet=outlet_attribution(document.article.source),
        # The sentence before the lead first: a pronoun or a bare quote in the lead points there.
        previous=[document.sentences[i - 1].text for i in sorted(evidence_indexes, key=lambda i: i != ranked_group[0]) if i > 0],
        earlier=[document.sentences[i].text for i in range(ranked_group[0] - 2, max(-1, ranked_group[0] - 1 - PRONOUN_REACH_SENTENCES), -1)],
        lede=[s.text for s in document.sentences[:LEDE_SENTENCES]],
        context=cues.context,
    )
    # Certainty is read from the most informative sentence, the one the incident rests on.
    core_first = sorted(evidence_indexes, key=lambda i: (-_evidence_score(document, i), i))
    certainty = certainty_of(
        [document.sentences[i].text for i in core_first],
        attribution=attribution,
        context=cues.context,
        hedged=_hedges_the_event(document, core_first[0], cues.name),
    )
    when = time.start or time.end or document.article.published
    provisions = () if cues.context else _provisions(cues, " ".join(evidence_texts), when)
    incident = Incident(
        article_id=document.article.id,
        type=cues.name,
        summary="",  # written below by model.summary from the finished fields
        actors=incident_actors(document, evidence_indexes, cues.name),
        quantity=quantity,
        commodity=None if cues.context else cues.commodity_in([document.sentences[i].text for i in core_first]),
        vessels=_vessels(document, evidence_indexes),
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
    return incident.with_changes(confidence=confidence, summary=summarize(incident, country_names()))


@stage(
    "assemble",
    requires={"candidates", "time_mentions", "quantity_mentions", "mentions"},
    provides={"incidents"},
    relevant_only=True,
)
def assemble_stage(document: Document) -> Document:
    """Turn typed sentences into incidents with evidence and arguments."""
    types = load_incident_types()
    by_type: dict[str, list[Candidate]] = {}
    for candidate in document.candidates:
        by_type.setdefault(candidate.type, []).append(candidate)
    for incident_type, candidates in by_type.items():
        cues = types[incident_type]
        for group in group_candidates(document, candidates, cues):
            document.incidents.append(build_incident(document, group, cues))
    return document
