"""Arguments of an incident read from its evidence sentences: quantity, vessels, time, provisions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from sanctionwatch.model import Quantity, TimeRange, Vessel
from sanctionwatch.nlp.cues import IncidentTypeCues
from sanctionwatch.nlp.document import Document
from sanctionwatch.nlp.incidents.places import cue_clearly_nearer

# The units that make sense as the quantity of each type, most telling first.
PREFERRED_UNITS: dict[str, tuple[str, ...]] = {
    "labor_export": ("persons", "permits", "USD"),
    "maritime_transfer": ("tons", "barrels", "occasions", "vessels"),
    "petroleum_trade": ("barrels", "tons", "USD", "occasions", "vessels"),
    "coal_mineral_export": ("tons", "USD", "vessels"),
    "seafood_export": ("tons", "USD"),
    "textile_export": ("USD", "tons"),
    "arms_military": ("containers", "shipments", "rounds", "tons", "trips", "USD", "persons"),
    "luxury_goods": ("USD", "vehicles"),
    "wmd_dual_use_procurement": ("USD",),
    "financial_banking": ("USD",),
    "cyber_theft": ("USD", "organizations"),
    "machinery_vehicle_metal_import": ("vessels", "USD"),
    "smuggling_other": ("USD", "projects"),
    "context_enforcement": ("USD", "vessels", "persons"),
    "context_diplomatic": (),
}


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
# People counted for labour export are workers, not the parties of a case: "two individuals …
# compromised the identities", "four North Korean nationals were charged".
_CASE_PEOPLE = re.compile(
    r"^(?:individuals?|nationals?|citizens?|officials?|agents?|operatives?|defendants?|suspects?|facilitators?"
    r"|representatives?|executives?|diplomats?|Americans|men|persons?)$",
    re.IGNORECASE,
)
# Another count conjoined with this one: "three nationals and a company", "two entities and 10 individuals".
_OTHER_COUNT_BESIDE = re.compile(r"^\s+(?:[\w-]+\s+){0,3}(?:and|as well as)\s+(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s", re.IGNORECASE)
_OTHER_COUNT_BEFORE = re.compile(r"\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:[\w-]+\s+){0,3}(?:and|as well as)\s+$", re.IGNORECASE)
# Money an enforcement act takes is not the sum of the activity: "the forfeiture of $15 million".
_SEIZED_BEFORE = re.compile(
    r"\b(?:forfeit\w*|seiz\w*|froze|frozen|freez\w*|recover\w*|confiscat\w*|fin(?:ed|es?)|penalt\w*|rewards?)\b(?:\s+[\w-]+){0,5}\s*$",
    re.IGNORECASE,
)
# An enforcement quantity is what was seized, frozen, recovered or fined, told near that verb.
_ENFORCEMENT_VERB = re.compile(
    r"\b(?:seiz\w*|froze|frozen|freez\w*|forfeit\w*|recover\w*|fin(?:ed|es?)|penalt\w*|confiscat\w*|impound\w*"
    r"|designat\w*|blacklist\w*|sanctioned|expel\w*|repatriat\w*|arrest\w*|charg\w*|indict\w*|convict\w*|sentenc\w*|disrupt\w*)\b",
    re.IGNORECASE,
)


def taken_by_enforcement(text: str, start: int) -> bool:
    """Whether the sum at ``start`` is money an enforcement act takes ("the forfeiture of $15
    million", "traced and seized $15 million")."""
    return bool(_SEIZED_BEFORE.search(text[max(0, start - 60) : start]))


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
    if incident_type == "labor_export" and quantity.unit == "persons" and _CASE_PEOPLE.match(quantity.item or ""):
        return False  # "two individuals … compromised the identities": defendants, not workers
    if incident_type == "context_enforcement":
        if _OTHER_COUNT_BESIDE.search(text[mention.end : mention.end + 40]) or _OTHER_COUNT_BEFORE.search(text[max(0, mention.start - 40) : mention.start]):
            return False  # "three North Korean nationals and a company": several counts, no one quantity
        return bool(_ENFORCEMENT_VERB.search(text[max(0, mention.start - 60) : mention.end + 40]))
    if quantity.unit == "USD" and taken_by_enforcement(text, mention.start):
        return False  # "seeking the forfeiture of $15 million": the money of the enforcement act
    # "$1.7 billion of cryptocurrency stolen …, and … arms sales": the money is the theft's.
    return not (cue_clearly_nearer(document, index, mention.start, incident_type) and _own_cue_in_another_clause(document, index, mention.start, incident_type))


def _own_cue_in_another_clause(document: Document, index: int, position: int, incident_type: str) -> bool:
    """Whether a comma or a semicolon stands between a figure and every cue of this type in the sentence
    ("supplied fuel on at least three occasions by transferring cargoes at sea" is one clause)."""
    text = document.sentences[index].text
    starts = [start for candidate, start in document.cue_positions(index) if candidate.type == incident_type]
    spans = [text[min(p, position) : max(p, position)] for p in starts]
    return bool(spans) and all(re.search(r"[,;–—]", span) for span in spans)


def incident_quantity(document: Document, sentences: Sequence[int], incident_type: str) -> Quantity | None:
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


def incident_vessels(document: Document, sentences: Sequence[int]) -> tuple[Vessel, ...]:
    vessels: dict[str, Vessel] = {}
    for index in sentences:
        for mention in document.vessel_mentions.get(index, []):
            vessel: Vessel = mention.vessel
            vessels.setdefault(vessel.imo or vessel.name or "", vessel)
    return tuple(vessels.values())


def incident_provisions(
    cues: IncidentTypeCues, evidence_text: str, time: TimeRange, published: date | None, direction: str | None = None
) -> tuple[str, ...]:
    """The paragraphs in force during the incident's window: the first rule that applies at its
    end, and at each date within the window when a later paragraph took effect (coal carried
    "since at least 2016" until April 2018 breached 2270 OP29, then 2321 OP26, then 2371 OP8)."""
    end = time.end or time.start or published
    dates = [end]
    if time.start is not None and end is not None:
        dates += [rule.after for rule in cues.provisions if rule.after is not None and time.start < rule.after <= end]
    found: set[str] = set()
    for when in dates:
        for rule in cues.provisions:
            if rule.applies(evidence_text, when, direction):
                found.update(rule.ids)
                break
    return tuple(sorted(found))


def goods_direction(document: Document, indexes: Sequence[int], incident_type: str) -> str | None:
    """Which way the goods go, as the parse tells it: ``out_of`` where North Korea supplies or is
    the origin, ``into`` where it receives; None where the parse does not say."""
    mentions = [m for i in sorted(set(indexes)) for m in document.mentions_in(i, incident_type) if m.asserted]
    if any("KP" in m.countries("agent") or "KP" in m.countries("origin") for m in mentions):
        return "out_of"
    if any("KP" in m.countries("recipient") for m in mentions):
        return "into"
    return None


def incident_time(document: Document, indexes: Sequence[int], *, context: bool, incident_type: str | None = None) -> TimeRange:
    from sanctionwatch.nlp.arguments.timex import choose_incident_time

    mentions = [
        m
        for i in indexes
        for m in _local_times(document, i, incident_type)
        if context or incident_type is None or not _dates_an_enforcement(document, i, m.start, incident_type)
    ]
    return choose_incident_time(mentions, include_reporting_dates=context)


def _local_times(document: Document, index: int, incident_type: str | None) -> list[Any]:
    """The time expressions of a sentence that date its act of ``incident_type``: those inside the
    clause of an asserted mention of the act, where the sentence has some there ("the group blamed
    for the Sony hack of 2014 and for stealing $81 million in 2016": the theft's is "in 2016");
    every one of the sentence otherwise."""
    times = document.time_mentions.get(index, [])
    if incident_type is None or len(times) < 2:
        return times
    clauses = [(m.clause_start, m.clause_end) for m in document.mentions_in(index, incident_type) if m.asserted]
    local = [t for t in times if any(start <= t.start and t.end <= end for start, end in clauses)]
    return local or times


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
        verbs = list(_ENFORCEMENT_VERB.finditer(text, 0, cue))
        if verbs and _ENFORCED_ACTIVITY.search(text, verbs[-1].end(), cue):
            return True
    return False
