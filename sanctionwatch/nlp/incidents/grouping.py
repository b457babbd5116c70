"""Grouping the typed sentences of one type into incidents."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sanctionwatch.model import TimeRange
from sanctionwatch.nlp.cues import IncidentTypeCues
from sanctionwatch.nlp.document import Candidate, Document
from sanctionwatch.nlp.incidents.arguments import incident_time

# Two dated sentences whose windows are further apart than this describe two incidents.
SEPARATE_EVENTS_DAYS = 60


@dataclass(slots=True)
class Group:
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
    chosen = incident_time(document, [sentence_index], context=context, incident_type=incident_type)
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


def far_apart(first: TimeRange, second: TimeRange, *, acts: bool = False) -> bool:
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
        for m in document.entities_in(index)
        if m.country and m.country != "KP" and m.label in ("COUNTRY", "NORP", "GPE")
    }


def group_candidates(document: Document, candidates: Sequence[Candidate], cues: IncidentTypeCues) -> list[Group]:
    groups: list[Group] = []
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
            if time is None or group.time is None or not far_apart(group.time, time, acts=cues.context):
                target = group
                break
        if target is None:
            target = Group(type=cues.name)
            groups.append(target)
        if candidate.sentence not in target.sentences:
            target.sentences.append(candidate.sentence)
            target.score = max(target.score, candidate.score)
            target.countries |= countries
        for joined, carried in beside.items():
            if time is not None and carried is not None and far_apart(time, carried):
                continue  # "The ship was taken over by the US in May 2019": a later episode, not more of this one
            target.continuations.setdefault(candidate.sentence, []).append(joined)
        # The group is dated by its first closed window: an open "recently" joins it but does
        # not keep later, clearly dated episodes from starting their own incident.
        if time is not None and (target.time is None or not (target.time.start and target.time.end)):
            target.time, target.time_sentence = time, candidate.sentence
    return groups
