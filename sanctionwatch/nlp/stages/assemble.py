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

from sanctionwatch.model import Actor, Incident, Location, Quantity, TimeRange, Vessel
from sanctionwatch.nlp.attribution import PRONOUN_REACH_SENTENCES, attribution_of, certainty_of, outlet_attribution
from sanctionwatch.nlp.cues import IncidentTypeCues, load_incident_types
from sanctionwatch.nlp.document import Candidate, Document, Mention
from sanctionwatch.nlp.lexicon import DPRK_ANCHOR, SPECULATIVE
from sanctionwatch.nlp.pipeline import EXTRACTOR_VERSION
from sanctionwatch.nlp.stage import stage
from sanctionwatch.nlp.stages.mentions import PRONOUN_SUBJECT

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
# Two closed windows of these precisions that do not overlap are two episodes, however close.
DISJOINT_PRECISIONS = ("year", "month", "day")
# Two dated sentences whose windows are further apart than this describe two incidents.
SEPARATE_EVENTS_DAYS = 60

# The units that make sense as the quantity of each type, most telling first.
PREFERRED_UNITS: dict[str, tuple[str, ...]] = {
    "labor_export": ("persons", "USD"),
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
_ROLE_BEFORE = [
    (re.compile(r"\b(?:from|out of|left|leaving|departed|departing)\s+(?:the\s+)?$", re.IGNORECASE), "origin"),
    (re.compile(r"\b(?:to|into|towards?|reach(?:ed|ing)?|arriv\w+ (?:in|at))\s+(?:the\s+)?$", re.IGNORECASE), "destination"),
    (re.compile(r"\b(?:via|through|across|transit\w*(?: through)?)\s+(?:the\s+)?$", re.IGNORECASE), "route"),
    (re.compile(r"\b(?:port of|docked (?:in|at)|in the port of)\s+$", re.IGNORECASE), "port"),
]
# A country is a place of the incident when a preposition gives it a role ("to Syria", "from
# North Korea"); as the subject of a reporting verb ("America said") it is a source, not a place.
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:to|into|from|in|between|across|via|off|at|for|through|towards?)\s+(?:the\s+)?$", re.IGNORECASE
)
# North Korea is the perpetrator of every activity, so as a place it says something only where
# goods move into it ("oil shipments to North Korea") or, for arms, out of it ("shipments from
# North Korea to Syria", "North Korea had sent munitions to Russia").
_INTO_BEFORE = re.compile(r"\b(?:to|into)\s+(?:the\s+)?$", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)
_TO_A_COUNTRY = re.compile(r"\bto (?:the )?[A-Z][a-z]+")
_POSSESSIVE_AFTER = re.compile(r"^(?:’s|'s|’|')")
# Types whose goods go to North Korea; exports (coal, seafood, textiles) come from it.
_IMPORT_TYPES = {"petroleum_trade", "machinery_vehicle_metal_import", "luxury_goods", "wmd_dual_use_procurement", "maritime_transfer"}
_HOLDS_EVIDENCE_AFTER = re.compile(r"^\s+(?:has|have|had)\s+(?:[\w,]+\s+){0,3}(?:reports?|evidence|information|intelligence)\b")
_SOURCE_AFTER = re.compile(
    r"^(?:(?:’s|'s)\s+)?(?:\s*(?:has|have|had|also|on \w+|officials?|government|authorities|administration|State Department"
    r"|Foreign Ministry|Ministry|Department|Treasury|President|intelligence|military|envoy|ambassador|spy)\b)*\s*"
    r"(?:said|says|say|told|tells|accused|announced|claimed|claims|believes|alleged|warned|reported|confirmed)\b",
    re.IGNORECASE,
)
# The country that acts in an enforcement event is its place: "Angola and Uganda expelled",
# "South Korea said on Friday that in late November it seized".
_ENFORCER_AFTER = re.compile(
    r"^(?:\s+and\s+[A-Z]\w+(?:\s[A-Z]\w+)?)?\s+(?:(?:has|have|had|also|on \w+|said(?: on \w+)? that(?: in [\w ]{3,30}?)? it)\s+)*"
    r"(?:seiz|expel|repatriat|impound|confiscat|froze|freez|deport|detain|arrest|suspend)",
)
# A place inside the name of a news outlet, or its owner ("South Korea's Chosun Ilbo newspaper").
_NAMES_AN_OUTLET_AFTER = re.compile(
    r"^(?:’s|'s)?\s+(?:[A-Z][\w.&-]*\s+){0,3}(?:Times|Post|Journal|Herald|Tribune|Ilbo|Shimbun|Daily|newspaper|news agency|broadcaster)\b"
)
_AT_THE_COUNCIL = re.compile(
    r"\b(?:vetoed|veto(?:es)?|blocked|blocks)\b.{0,60}(?:\bU\.N\.|\bUN\b|\bUnited Nations\b|\bSecurity Council\b)"
    r"|(?:\bU\.N\.|\bUN\b|\bUnited Nations\b) (?:Security Council )?(?:resolution|vote)\b.{0,40}\b(?:vetoed|blocked)\b"
)
# "a North Korea-flagged tanker", "its Taiwan-based charterer": a name inside a compound adjective.
_COMPOUND_AFTER = re.compile(r"^[-–](?:flagged|based|registered|owned|linked|made|built|bound|born|headquartered)\b")
# The country of a war or of a court is background to the incident, not its scene.
_NOT_THE_SCENE_BEFORE = re.compile(
    r"\b(?:war|invasion|conflict|fighting) (?:in|on|against)\s+(?:the\s+)?$|\b(?:court|courthouse|prosecutors?|United Nations|U\.N\.|UN|headquarters) in\s+$|\bDistrict of\s+$",
    re.IGNORECASE,
)
_BASED_IN = re.compile(r"\bbased in\s+$|\bremarks to reporters in\s+$", re.IGNORECASE)
_CROSSING_CONTEXT = re.compile(r"\bcross\w*|border (?:town|crossing|city)|checkpoint", re.IGNORECASE)


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


def _far_apart(first: TimeRange, second: TimeRange) -> bool:
    """Whether two windows are more than SEPARATE_EVENTS_DAYS apart; an open bound reaches as far
    as it needs ("recently", ending at publication, is not apart from "between 2014 and 2016")."""
    if not (first.start or first.end) or not (second.start or second.end):
        return False
    gap = _gap_days(first, second)
    if gap > 0 and first.precision == second.precision and first.precision in DISJOINT_PRECISIONS and first.start and second.start:
        return True  # "between 2014 and 2016" and "between 2017 and 2018": different years, different episodes
    return gap > SEPARATE_EVENTS_DAYS


def group_candidates(document: Document, candidates: Sequence[Candidate], cues: IncidentTypeCues) -> list[_Group]:
    groups: list[_Group] = []
    for candidate in sorted(candidates, key=lambda c: c.sentence):
        time = _event_time(document, candidate.sentence, context=cues.context, incident_type=cues.name)
        if time is None or not (time.start and time.end):
            # "More recently, its embassy hosted arms dealers. They sold patrol boats between 2014
            # and 2016": the sentence that carries the candidate on dates it.
            carried = [t for i in candidate.extra_sentences if (t := _event_time(document, i, context=cues.context))]
            time = next((t for t in carried if t.start and t.end), time)
        target = None
        # The nearest episode before it first: an undated sentence carries on what was just told.
        for group in reversed(groups):
            if _a_finer_episode(document, candidate.sentence, time, group.time):
                continue
            if time is None or group.time is None or not _far_apart(group.time, time):
                target = group
                break
        if target is None:
            target = _Group(type=cues.name)
            groups.append(target)
        if candidate.sentence not in target.sentences:
            target.sentences.append(candidate.sentence)
            target.score = max(target.score, candidate.score)
        for joined in candidate.extra_sentences:
            carried = _event_time(document, joined, context=cues.context)
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
    r"|designat\w*|blacklist\w*|sanctioned|expel\w*|repatriat\w*|arrest\w*|charg\w*|sentenc\w*|disrupt\w*)\b",
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
    return not _cue_clearly_nearer(document, index, mention.start, incident_type)


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


def _role(document: Document, mention: Mention, incident_type: str) -> str:
    """origin, destination, route, port, crossing or site, from the words around the place.

    In a border-crossing passage ("entering China by crossing from Namyang to Tumen") a town with
    a point is a crossing whatever its preposition, and the counties and provinces around it are
    where people come from (North Korean ones) or go to (the others).
    """
    location = mention.location
    before = document.text[max(0, mention.start - 30) : mention.start]
    role = next((role for pattern, role in _ROLE_BEFORE if pattern.search(before)), None)
    sentence = document.sentences[mention.sentence].text
    if incident_type in ("labor_export", "smuggling_other") and _CROSSING_CONTEXT.search(sentence) and location is not None:
        is_area = location.lat is None or mention.text.endswith(("County", "Province", "-gun", "-do"))
        if not is_area:
            return "crossing"
        if role in ("origin", "destination"):
            return role
        return "origin" if location.country == "KP" else "destination"
    return role or "site"


def is_incident_place(document: Document, mention: Mention, incident_type: str) -> bool:
    """Whether a geocoded mention is a place of the incident rather than a source or a subject."""
    location: Location = mention.location
    before = document.text[max(0, mention.start - 40) : mention.start]
    after = document.text[mention.end : mention.end + 80]
    if _BASED_IN.search(before) or mention.text.isupper() and len(mention.text) > 3:
        return False  # "a firm based in New York", a "BEIJING (Reuters)" dateline
    if _NAMES_AN_OUTLET_AFTER.match(after) or _NOT_THE_SCENE_BEFORE.search(before) or _COMPOUND_AFTER.match(after):
        return False  # "the New York Times", "South Korea's Chosun Ilbo newspaper", "its war in Ukraine"
    if _nearer_to_another_activity(document, mention, incident_type):
        return False  # "a theft of cryptocurrency and the dispatch of IT workers in China": China is the workers'
    if location.lat is not None or location.admin1 is not None or location.country is None:
        return True
    # A whole country.
    if incident_type == "context_enforcement" and location.country != "US" and _ENFORCER_AFTER.match(after):
        return True
    if _SOURCE_AFTER.match(after):
        return False
    if _POSSESSIVE_AFTER.match(after) and location.country != "KP" and incident_type != "context_enforcement":
        return False  # "supporting Russia's war effort": an owner, not a scene
    has_role = bool(_PREPOSITION_BEFORE.search(before))
    if location.country == "KP":
        return _north_korea_is_place(document, mention, incident_type, before, after)
    if location.country == "US" or incident_type.startswith("context_"):
        return has_role
    return True


_SCENE_BEFORE = re.compile(r"\b(?:in|to|into|from|at|via|through|across)\s+(?:the\s+)?(?:[A-Z][\w-]+\s+(?:and|or)\s+)?$")
# How much nearer another activity's cue must stand before a place is its own and not shared.
COORDINATED_CUES_CHARACTERS = 25


def _cue_position(text: str, cue: str) -> int | None:
    position = text.find(cue)
    return None if position < 0 else position + len(cue) // 2


def _nearer_to_another_activity(document: Document, mention: Mention, incident_type: str) -> bool:
    """In a sentence that tells two activities, a place (a scene, after a preposition: "the dispatch
    of IT workers in China") belongs to the one whose cue stands clearly nearer. A subject
    ("Russia is violating the sanctions by … and by …") belongs to all."""
    if not _SCENE_BEFORE.search(document.text[max(0, mention.start - 40) : mention.start]):
        return False
    return _cue_clearly_nearer(document, mention.sentence, mention.start - document.sentences[mention.sentence].start, incident_type)


def _cue_clearly_nearer(document: Document, sentence_index: int, here: int, incident_type: str) -> bool:
    """Whether another activity's cue stands clearly nearer than this type's to offset ``here`` of the sentence."""
    sentence = document.sentences[sentence_index]
    own: list[int] = []
    other: list[int] = []
    for candidate in document.candidates:
        if candidate.sentence != sentence_index or candidate.type.startswith("context_"):
            continue
        position = _cue_position(sentence.text, candidate.cue)
        if position is not None:
            (own if candidate.type == incident_type else other).append(abs(position - here))
    # Cues side by side share their places ("exports textiles and seafood to China").
    return bool(own and other) and min(other) + COORDINATED_CUES_CHARACTERS < min(own)


def _north_korea_is_place(document: Document, mention: Mention, incident_type: str, before: str, after: str) -> bool:
    if incident_type.startswith("context_"):
        return False  # the place of an enforcement act or a denial is where it happens, not its target
    if _INTO_BEFORE.search(before):
        return incident_type in _IMPORT_TYPES or incident_type == "arms_military"
    if incident_type != "arms_military":
        return False
    if _FROM_BEFORE.search(before):
        return True
    sentence = document.sentences[mention.sentence]
    rest = document.text[mention.end : sentence.end]
    return not _POSSESSIVE_AFTER.match(after) and bool(_TO_A_COUNTRY.search(rest))


# "a Vietnamese commercial bank", "several South Korean financial firms": the victim's country is
# where a theft took place. "by Indonesian authorities": the enforcing state is where it acted.
_VICTIM_AFTER = re.compile(
    r"^(?:\s+[a-z-]+){0,2}\s+(?:banks?|exchanges?|firms?|compan(?:y|ies)|entit(?:y|ies)|organi[sz]ations?|institutions?|lenders?)\b"
)
# "subsidised Taiwanese oil": where traded goods come from. A carrier's flag ("Russian tankers")
# is not where the goods come from.
_TRADE_TYPES = {"petroleum_trade", "luxury_goods", "machinery_vehicle_metal_import", "wmd_dual_use_procurement"}
_GOODS_AFTER = re.compile(
    r"^(?:\s+[a-z-]+)?\s+(?:oil|fuel|diesel|petrol|petroleum|cars|vehicles|machinery|goods|equipment|components|parts|technology"
    r"|missiles?|weapons?|drawings|designs|blueprints)\b"
)
_CARRIER_AFTER = re.compile(r"^(?:\s+[a-z-]+)?\s+(?:ships?|vessels?|tankers?|barges?|boats?|trucks?)\b")
# "seized by Indonesian authorities": the state whose officers acted where the ship lay.
_BY_BEFORE = re.compile(r"\bby\s+(?:the\s+)?$")
_AUTHORITY_AFTER = re.compile(
    r"^\s+(?:authorities|officials|police|coast ?guard|customs|navy|prosecutors|courts?|government|investigators)\b"
)


def _country_of_adjective(document: Document, mention: Mention, incident_type: str) -> Location | None:
    if mention.label != "NORP" or not mention.country or mention.country == "KP":
        return None
    from sanctionwatch.resolve.geocode import country_location

    after = document.text[mention.end : mention.end + 60]
    before = document.text[max(0, mention.start - 20) : mention.start]
    if incident_type == "cyber_theft" and _VICTIM_AFTER.match(after):
        return country_location(mention.country, role="site")
    if incident_type in _TRADE_TYPES and _GOODS_AFTER.match(after) and not _CARRIER_AFTER.match(after):
        return country_location(mention.country, role="origin")
    if incident_type == "context_enforcement" and _AUTHORITY_AFTER.match(after) and _BY_BEFORE.search(before):
        return country_location(mention.country, role="site")
    return None


def pronoun_referent(document: Document, index: int) -> Mention | None:
    """The country a sentence-opening "It"/"They" stands for: the subject country of the sentence
    before ("China demurs … . It continues to buy sanctioned coal from North Korea"), else None.

    Only a country that is not North Korea (the perpetrator, named anyway), not governed by a
    preposition and not a possessive ("North Korea’s concerns") counts as that subject.
    """
    if index == 0 or not PRONOUN_SUBJECT.match(document.sentences[index].text):
        return None
    for mention in document.mentions_in(index - 1):
        if mention.label != "COUNTRY" or mention.country in (None, "KP"):
            continue
        before = document.text[max(0, mention.start - 40) : mention.start]
        after = document.text[mention.end : mention.end + 3]
        if _PREPOSITION_BEFORE.search(before) or _POSSESSIVE_AFTER.match(after) or re.search(r"\b(?:and|or|both)\s+$", before):
            continue
        return mention
    return None


def _referent_role(incident_type: str) -> str:
    """Where the country behind "it" stands: it buys an export, it supplies an import."""
    if incident_type in _IMPORT_TYPES:
        return "origin"
    if incident_type.startswith("context_") or incident_type in ("cyber_theft", "financial_banking"):
        return "site"
    return "destination"


def _locations(document: Document, sentences: Sequence[int], incident_type: str) -> tuple[Location, ...]:
    found: dict[str, Location] = {}
    for index in sentences:
        referent = pronoun_referent(document, index)
        if referent is not None and referent.location is not None and not incident_type.startswith("context_"):
            place = referent.location
            found.setdefault(
                f"{place.name}|{place.country}",
                Location(name=place.name, country=place.country, admin1=None, role=_referent_role(incident_type)),
            )
        for mention in document.mentions_in(index):
            if mention.location is None or not is_incident_place(document, mention, incident_type):
                continue
            location: Location = mention.location
            key = f"{location.name}|{location.country}"
            if key in found:
                continue
            found[key] = Location(
                name=location.name,
                country=location.country,
                admin1=location.admin1,
                role=_role(document, mention, incident_type),
                lat=location.lat,
                lon=location.lon,
                geonameid=location.geonameid,
            )
    for index in sentences:
        for mention in document.mentions_in(index):
            place = _country_of_adjective(document, mention, incident_type)
            if place is not None:
                found.setdefault(f"{place.name}|{place.country}", place)
    if incident_type == "context_diplomatic":
        for index in sentences:
            if _AT_THE_COUNCIL.search(document.sentences[index].text):
                # A veto or a block at the UN happens in the Security Council (no country, no point).
                found.setdefault("United Nations Security Council|None", Location(name="United Nations Security Council", country=None, role="site"))
    places = list(found.values())
    # A country adds nothing where a place inside it is named (the map already shows it).
    finer_countries = {p.country for p in places if p.lat is not None or p.admin1}
    return tuple(p for p in places if not (p.lat is None and p.admin1 is None and p.country in finer_countries))


# A country's money is not a party: "70 percent of the U.S. dollars paid as wages".
_CURRENCY_AFTER = re.compile(r"^\s+(?:dollars?|currency|yuan|renminbi|won|yen|roubles?|rubles?|euros?)\b", re.IGNORECASE)
# A country that hosts or carries for the perpetrator: "a Chinese bank", "Chinese barges",
# "its Taiwan-based charterer", "a Hong Kong-registered front company".
_FACILITATOR_AFTER = re.compile(
    r"^(?:[-–](?:based|registered|flagged|owned)|(?:\s+[a-z-]+)?\s+(?:banks?|barges?|brokers?|front compan(?:y|ies)|shell compan(?:y|ies)"
    r"|charterers?|intermediar(?:y|ies)|middlem[ae]n|networks?|businesses|facilitators?))\b"
)


_NORTH_KOREA_ADDRESSED = re.compile(
    r"\b(?:visit(?:ed|s)? to|visited|urged|urging|pressed|pressing|met(?: with)?|talks with|told|warned)\s+(?:the\s+)?"
    r"(North Korea(?:n (?:counterpart|leader|officials?|foreign minister))?|Pyongyang|DPRK|Kim Jong[- ]?Un)\b"
)
_INTERNATIONAL_BODY = re.compile(
    r"\b(?:(?:U\.N\.|UN|United Nations) Security Council|Security Council|(?:U\.N\.|UN|United Nations) (?:sanctions )?(?:committee|panel(?: of experts)?)"
    r"|(?:the )?1718 Committee|Panel of Experts)\b"
)
_NORTH_KOREAN_TARGET = re.compile(
    r"\b(North Korean|North Korea[’']s|Pyongyang[’']s|DPRK)\s+(?:[\w-]+\s+)?(?:ships?|vessels?|tankers?|freighters?|cargo ship|bulk carrier"
    r"|banks?|compan(?:y|ies)|firms?|front compan(?:y|ies)|entit(?:y|ies)|diplomats?|nationals|agents|officials|individuals)\b"
)


def _names_a_country(mention: Mention) -> bool:
    """A whole country, a city-state by its name ("Hong Kong"), or a country's bank."""
    from sanctionwatch.resolve.geocode import country_code

    location = mention.location
    if location is None:
        return False
    if location.lat is None and location.admin1 is None:
        return True
    return country_code(mention.text) == location.country


def _actor_role(document: Document, mention: Mention, incident_type: str) -> str | None:
    """The role of a country named in an evidence sentence, or None when it is not a party."""
    after = document.text[mention.end : mention.end + 80]
    before = document.text[max(0, mention.start - 40) : mention.start]
    if _SOURCE_AFTER.match(after) or _HOLDS_EVIDENCE_AFTER.match(after) or _CURRENCY_AFTER.match(after) or _NAMES_AN_OUTLET_AFTER.match(after):
        return None
    if _NOT_THE_SCENE_BEFORE.search(before):
        return None  # "its war in Ukraine"
    if incident_type == "context_enforcement":
        # The flag of a seized or blacklisted ship is the side acted against: "a Hong Kong-flagged ship".
        return "perpetrator" if re.match(r"^[-–](?:flagged|registered)\b", after) else "enforcer"
    if incident_type == "context_diplomatic":
        return "counterpart"
    if incident_type == "cyber_theft":
        return "counterpart"  # a bank or a firm named in a theft is its victim
    return "facilitator" if _FACILITATOR_AFTER.match(after) else "counterpart"


def _actors(document: Document, sentences: Sequence[int], incident_type: str) -> tuple[Actor, ...]:
    actors: dict[tuple[str | None, str], Actor] = {}
    text = " ".join(document.sentences[i].text for i in sentences)
    anchor = DPRK_ANCHOR.search(text)
    if not incident_type.startswith("context_"):
        # Every sanctions activity in this domain is North Korea's, named or not ("the North").
        actors[("KP", "perpetrator")] = Actor(name=anchor.group() if anchor else "North Korea", country="KP", role="perpetrator")
    elif incident_type == "context_enforcement" and (target := _NORTH_KOREAN_TARGET.search(text)):
        # A seizure or a designation of a North Korean ship, bank or firm acts against North Korea.
        actors[("KP", "perpetrator")] = Actor(name=target.group(1), country="KP", role="perpetrator")
    if incident_type == "context_diplomatic" and (addressed := _NORTH_KOREA_ADDRESSED.search(text)):
        # North Korea as the other side of a diplomatic act: visited, urged, met.
        actors[("KP", "counterpart")] = Actor(name=addressed.group(1), country="KP", role="counterpart")
    if incident_type == "context_enforcement" and (body := _INTERNATIONAL_BODY.search(text)):
        # The Security Council, its committee or its panel: an enforcer with no country (ANNOTATION_NOTES).
        actors[(None, "enforcer")] = Actor(name=body.group(), country=None, role="enforcer")
    for index in sentences:
        referent = pronoun_referent(document, index)
        if referent is not None and referent.country:
            role = "enforcer" if incident_type == "context_enforcement" else "counterpart"
            actors.setdefault((referent.country, role), Actor(name=referent.text, country=referent.country, role=role))
        for mention in document.mentions_in(index):
            if mention.label not in ("COUNTRY", "NORP", "ORG", "GPE", "FAC") or not mention.country or mention.country == "KP":
                continue
            if mention.label in ("GPE", "FAC") and not _names_a_country(mention):
                continue  # a city or a province is a place; only a country (or its bank) is a party
            role = _actor_role(document, mention, incident_type)
            if role is not None and not _nearer_to_another_activity(document, mention, incident_type):
                actors.setdefault((mention.country, role), Actor(name=mention.text, country=mention.country, role=role))
    victim = _VICTIM_NOUN.search(text) if incident_type == "cyber_theft" else None
    if victim is not None and not any(role == "counterpart" for _, role in actors):
        actors[(None, "counterpart")] = Actor(name=victim.group(), country=None, role="counterpart")
    return tuple(actors.values())


# The victim of a theft named without a country: "cryptocurrency exchanges", "an unnamed entity".
_VICTIM_NOUN = re.compile(
    r"\b(?:banks?|(?:crypto(?:currency)? )?exchanges?|wallets?|platforms?|bridges?|compan(?:y|ies)|firms?|entit(?:y|ies)|organi[sz]ations?|victims?)\b"
)


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


def _summary(cues: IncidentTypeCues, quantity: Quantity | None, locations: Sequence[Location], time: TimeRange, certainty: str) -> str:
    parts = [cues.label]
    if quantity is not None:
        if quantity.min is not None and quantity.max is not None and quantity.min != quantity.max:
            amount = f"{quantity.min:,.0f}–{quantity.max:,.0f}"
        elif quantity.max is not None and quantity.min is None:
            amount = f"up to {quantity.max:,.0f}"
        elif quantity.min is not None and quantity.max is None:
            amount = f"at least {quantity.min:,.0f}"
        else:
            amount = f"{(quantity.min or quantity.max or 0):,.0f}"
        unit = "US dollars" if quantity.unit == "USD" else (quantity.item or quantity.unit)
        parts.append(f"of {amount} {unit}")
    named = [p.name for p in locations][:4]
    if named:
        parts.append("involving " + ", ".join(named))
    if time.text:
        parts.append(f"({time.text})")
    prefix = {"asserted": "", "reported": "Reported: ", "speculative": "Possible: "}[certainty]
    return prefix + " ".join(parts) + "."


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
        c.sentence == lead and c.type != group.type and not c.type.startswith("context_") for c in document.candidates
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
        (p, p + len(c.cue))
        for c in document.candidates
        if c.sentence == index and (incident_type is None or c.type == incident_type) and (p := text.find(c.cue)) >= 0
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
    for candidate in document.candidates:
        if candidate.sentence != index or candidate.type != incident_type:
            continue
        cue = text.find(candidate.cue)
        if cue < 0 or position >= cue:
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
    locations = _locations(document, evidence_indexes, cues.name)
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
        summary=_summary(cues, quantity, locations, time, certainty),
        actors=_actors(document, evidence_indexes, cues.name),
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
    return incident.with_changes(confidence=confidence)


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
