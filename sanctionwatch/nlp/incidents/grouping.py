"""Grouping the typed sentences of one type into incidents, by compatible arguments.

Sentences of one type join one incident only when what they say of it can be true of one event:
their partner states (the states other than North Korea that take part, read from the clause of
each event mention), their vessels, their victims (for thefts) and their sums of money do not
contradict, and their times are not clearly apart. A sentence that lists three or more partner
states is a summary: it names no partner of its own. Of the compatible incidents already begun,
the nearest one before takes the sentence (an undated sentence carries on what was just told).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sanctionwatch.model import TimeRange
from sanctionwatch.nlp.cues import IncidentTypeCues
from sanctionwatch.nlp.document import Candidate, Document
from sanctionwatch.nlp.incidents.actors import acting_authorities
from sanctionwatch.nlp.incidents.arguments import incident_time, taken_by_enforcement
from sanctionwatch.nlp.incidents.features import ANAPHORIC_OPENING, SentenceFacts, best_mention, pair_features
from sanctionwatch.nlp.incidents.scoring import load_model
from sanctionwatch.nlp.lexicon import DPRK_ANCHOR

LINKING_MODEL = "incident_linking"

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
    # What its sentences say of the event, accumulated: the partner states, vessels, victims and sums.
    countries: set[str] = field(default_factory=set)
    vessels: set[str] = field(default_factory=set)
    victims: set[str] = field(default_factory=set)
    amounts: set[float] = field(default_factory=set)
    authorities: set[str] = field(default_factory=set)
    facts: list[SentenceFacts] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ArgumentKey:
    """What one typed sentence says of its event, for telling one event from another."""

    partners: frozenset[str] = frozenset()
    vessels: frozenset[str] = frozenset()
    victims: frozenset[str] = frozenset()
    amounts: frozenset[float] = frozenset()  # sums of money in US dollars
    # Who carries out an official act: the states of its agents, "UN" for the Security Council's.
    authorities: frozenset[str] = frozenset()

    def conflicts_with(self, group: Group) -> str | None:
        """The argument on which this sentence and the group disagree, or None."""
        if self.partners and group.countries and not self.partners & group.countries:
            return "partners"
        if self.authorities and group.authorities and not self.authorities & group.authorities:
            return "authorities"
        if self.vessels and group.vessels and not self.vessels & group.vessels:
            return "vessels"
        if self.victims and group.victims and not self.victims & group.victims:
            return "victims"
        if self.amounts and group.amounts and not any(_close(a, b) for a in self.amounts for b in group.amounts):
            return "amounts"
        return None


# A sentence naming this many partner states at once is a summary ("in about 20 countries, from
# procurement in China to arms brokering in Syria and military cooperation with Iran and Sudan").
SUMMARY_PARTNERS = 3
AMOUNT_TOLERANCE = 0.1


def _close(first: float, second: float) -> bool:
    return abs(first - second) <= AMOUNT_TOLERANCE * max(first, second)


def _event_time(document: Document, sentence_index: int, *, context: bool, incident_type: str | None = None) -> TimeRange | None:
    chosen = incident_time(document, [sentence_index], context=context, incident_type=incident_type)
    return chosen if (chosen.start or chosen.end) else None


def event_time_of(document: Document, candidate: Candidate) -> TimeRange | None:
    """The time a typed sentence gives its event; where it gives no closed window, the sentence
    that carries it on may ("More recently, its embassy hosted arms dealers. They sold patrol
    boats between 2014 and 2016")."""
    context = candidate.type.startswith("context_")
    time = _event_time(document, candidate.sentence, context=context, incident_type=candidate.type)
    if time is None or not (time.start and time.end):
        beside = (_event_time(document, i, context=context) for i in candidate.extra_sentences)
        time = next((t for t in beside if t is not None and t.start and t.end), time)
    return time


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


# "continues", "is still", "to this day": an activity going on at publication.
_ONGOING = re.compile(r"\b(?:continu\w*|ongoing|still|to this day|to date)\b", re.IGNORECASE)
# A closed window that ended this long before the ongoing one's end is another episode.
ONGOING_APART_DAYS = 365


def _ongoing_beside_the_past(ongoing: TimeRange, other: TimeRange) -> bool:
    """"in August 2013 Pyongyang supplied missiles …" and "Sudan continues its transactions …": what
    goes on at publication is not the episode that ended years before (a vague "recently" may be)."""
    if ongoing.start is not None or ongoing.end is None or not _ONGOING.search(ongoing.text or ""):
        return False
    return other.end is not None and other.start is not None and (ongoing.end - other.end).days > ONGOING_APART_DAYS


def far_apart(first: TimeRange, second: TimeRange, *, acts: bool = False) -> bool:
    """Whether two windows are more than SEPARATE_EVENTS_DAYS apart; an open bound reaches as far
    as it needs ("recently", ending at publication, is not apart from "between 2014 and 2016").

    ``acts``: the windows date official acts (seizures, designations, vetoes), which happen on a
    day: any two closed windows that do not overlap are two acts ("in late November it seized",
    "on Thursday blocked").
    """
    if _ongoing_beside_the_past(first, second) or _ongoing_beside_the_past(second, first):
        return True
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


# A name followed by the kind of tool it is ("Medusa ransomware", "the Lazarus malware") names
# what the attackers used, not whom they hit.
_A_TOOL_AFTER = re.compile(r"^\s+(?:ransomware|malware|trojans?|backdoors?|botnets?|loaders?|spyware|wipers?|exploits?|toolkits?)\b", re.IGNORECASE)


def argument_key(document: Document, candidate: Candidate) -> ArgumentKey:
    """What a typed sentence says of its event: read from the clauses of its event mentions that
    tell the event (the whole sentence where it has none)."""
    index = candidate.sentence
    context = candidate.type.startswith("context_")
    mentions = [m for m in document.mentions_in(index, candidate.type) if m.asserted or context]
    spans = [(m.clause_start, m.clause_end) for m in mentions] or None
    # Partner states are read in the whole sentence: restricted to the event's clause they missed
    # partners named beside it as often as they dropped a reporting state (measured on both halves).
    partners = _other_countries(document, index)
    for mention in mentions:
        partners |= {c for p in mention.parties for c in p.countries if c != "KP"}
    if len(partners) >= SUMMARY_PARTNERS or context:
        # A context event's states are its actors on both sides (the one that seizes, the one
        # whose ship is seized); they tell one act from another less than its date does.
        partners = set()
    offset = document.sentences[index].start
    inside = (lambda start: any(a <= start < b for a, b in spans)) if spans else (lambda start: True)
    vessels = {
        (v.vessel.imo or (v.vessel.name or "").casefold())
        for v in document.vessel_mentions.get(index, [])
        if (v.vessel.imo or v.vessel.name) and inside(v.start)
    }
    victims = set()
    text = document.sentences[index].text
    if candidate.type == "cyber_theft":
        # An organisation that acts ("APT38 has been laundering …") is the thief, not a victim.
        agents = " ".join(p.text for m in mentions for p in m.parties if p.role == "agent")
        victims = {
            m.text.casefold() for m in document.entities_in(index)
            if m.label == "ORG" and not m.country and inside(m.start - offset) and not DPRK_ANCHOR.search(m.text)
            and m.text not in agents and not _A_TOOL_AFTER.match(text[m.end - offset :])
        }
    amounts = {
        q.quantity.max or q.quantity.min
        for q in document.quantity_mentions.get(index, [])
        if q.quantity.unit == "USD" and (q.quantity.max or q.quantity.min) and inside(q.start)
        # "authorities have so far seized $15 million": the sum of an enforcement act, not of this one
        and (context or not taken_by_enforcement(text, q.start))
    }
    authorities = acting_authorities(document, index, mentions) if candidate.type == "context_enforcement" else set()
    return ArgumentKey(
        frozenset(partners), frozenset(vessels), frozenset(victims), frozenset(a for a in amounts if a), frozenset(authorities)
    )


# A sentence that says it tells something else: "Separately, researchers blamed North Korea for
# hacking banks in Taiwan", "In another case, …", "Elsewhere, diplomats have smuggled gold".
_SEPARATE_OPENING = re.compile(
    r"^[\W_]*(?:Separately|In (?:a|another) separate (?:case|incident|development|move)|In another (?:case|incident)"
    r"|Elsewhere|In an unrelated (?:case|incident|development))\b",
    re.IGNORECASE,
)

# How likely two sentences must be to tell one incident for the later to join the earlier's.
LINK_THRESHOLD = 0.5


def sentence_facts(document: Document, candidate: Candidate, key: ArgumentKey, time: TimeRange | None) -> SentenceFacts:
    """What the linking model compares of a typed sentence."""
    sentence = document.sentences[candidate.sentence]
    mention = best_mention(document, candidate)
    return SentenceFacts(
        index=candidate.sentence,
        paragraph=sentence.paragraph,
        partners=key.partners,
        vessels=key.vessels,
        victims=key.victims,
        amounts=key.amounts,
        time=time,
        reporting_verb=mention.reporting_verb if mention is not None else "",
        anaphoric=bool(ANAPHORIC_OPENING.match(sentence.text)),
        event_word=mention.event_text if mention is not None else candidate.cue,
    )


def group_candidates(document: Document, candidates: Sequence[Candidate], cues: IncidentTypeCues) -> list[Group]:
    groups: list[Group] = []
    model = load_model(LINKING_MODEL)
    for candidate in sorted(candidates, key=lambda c: c.sentence):
        time = event_time_of(document, candidate)
        beside = {i: _event_time(document, i, context=cues.context) for i in candidate.extra_sentences}
        target = None
        key = argument_key(document, candidate)
        facts = sentence_facts(document, candidate, key, time)
        # A sentence joins an incident already begun only when it can be the same event (no
        # conflicting argument, no time clearly apart) and the linking model finds it likely
        # enough, against the incident's sentences, that it is; the likeliest incident wins.
        best = LINK_THRESHOLD if model is not None else 0.0
        separate = bool(_SEPARATE_OPENING.match(document.sentences[candidate.sentence].text))
        for group in reversed(groups):
            if separate and not any(candidate.sentence in joined for joined in group.continuations.values()):
                continue  # the sentence says it tells another event
            if _a_finer_episode(document, candidate.sentence, time, group.time):
                continue
            if key.conflicts_with(group) is not None:
                continue  # "… training of Ugandan pilots. … offered South Sudan special forces training": another partner
            if time is not None and group.time is not None and far_apart(group.time, time, acts=cues.context):
                continue
            if any(candidate.sentence in joined for joined in group.continuations.values()):
                target = group
                break
            if model is None:
                target = group  # no model: the nearest compatible incident
                break
            likelihood = max(model.probability(pair_features(document, member, facts)) for member in group.facts)
            if likelihood >= best:
                target, best = group, likelihood
        if target is None:
            target = Group(type=cues.name)
            groups.append(target)
        if candidate.sentence not in target.sentences:
            target.sentences.append(candidate.sentence)
            target.score = max(target.score, candidate.score)
            target.countries |= key.partners
            target.vessels |= key.vessels
            target.victims |= key.victims
            target.amounts |= key.amounts
            target.authorities |= key.authorities
            target.facts.append(facts)
        for joined, carried in beside.items():
            if time is not None and carried is not None and far_apart(time, carried):
                continue  # "The ship was taken over by the US in May 2019": a later episode, not more of this one
            target.continuations.setdefault(candidate.sentence, []).append(joined)
        # The group is dated by its first closed window: an open "recently" joins it but does
        # not keep later, clearly dated episodes from starting their own incident.
        if time is not None and (target.time is None or not (target.time.start and target.time.end)):
            target.time, target.time_sentence = time, candidate.sentence
    return groups
