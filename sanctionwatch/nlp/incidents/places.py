"""Which named places are places of an incident, and in which role.

A place named in an evidence sentence is a scene of the incident unless the words around it make it
something else: a source ("a firm based in New York"), an outlet ("the New York Times"), a flag or a
base inside a compound adjective ("North Korea-flagged"), an owner ("Russia's war effort"), the
country of a war, or the scene of another activity told in the same sentence. Some countries come
from words that are not place names: the subject behind "It continues to buy coal", a victim's
adjective ("a Vietnamese bank"), an enforcing state ("by Indonesian authorities"), the origin of
goods ("Taiwanese oil").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sanctionwatch.model import Location
from sanctionwatch.nlp.document import Document, EntityMention
from sanctionwatch.nlp.stages.entities import PRONOUN_SUBJECT

_ROLE_BEFORE = [
    (re.compile(r"\b(?:from|out of|left|leaving|departed|departing)\s+(?:the\s+)?$", re.IGNORECASE), "origin"),
    (re.compile(r"\b(?:to|into|towards?|reach(?:ed|ing)?|arriv\w+ (?:in|at))\s+(?:the\s+)?$", re.IGNORECASE), "destination"),
    (re.compile(r"\b(?:via|through|across|transit\w*(?: through)?)\s+(?:the\s+)?$", re.IGNORECASE), "route"),
    (re.compile(r"\b(?:port of|docked (?:in|at)|in the port of)\s+$", re.IGNORECASE), "port"),
]

# A country is a place of the incident when a preposition gives it a role ("to Syria", "from
# North Korea"); as the subject of a reporting verb ("America said") it is a source, not a place.
PREPOSITION_BEFORE = re.compile(
    r"\b(?:to|into|from|in|between|across|via|off|at|for|through|towards?)\s+(?:the\s+)?$", re.IGNORECASE
)

# North Korea is the perpetrator of every activity, so as a place it says something only where
# goods move into it ("oil shipments to North Korea") or, for arms, out of it ("shipments from
# North Korea to Syria", "North Korea had sent munitions to Russia").
_INTO_BEFORE = re.compile(r"\b(?:to|into)\s+(?:the\s+)?$", re.IGNORECASE)

_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)

_TO_A_COUNTRY = re.compile(r"\bto (?:the )?[A-Z][a-z]+")

POSSESSIVE_AFTER = re.compile(r"^(?:’s|'s|’|')")

# Types whose goods go to North Korea; exports (coal, seafood, textiles) come from it.
IMPORT_TYPES = {"petroleum_trade", "machinery_vehicle_metal_import", "luxury_goods", "wmd_dual_use_procurement", "maritime_transfer"}

SOURCE_AFTER = re.compile(
    r"^(?:(?:’s|'s)\s+)?(?:\s*(?:has|have|had|also|on \w+|officials?|government|authorities|administration|State Department"
    r"|Foreign Ministry|Ministry|Department|Treasury|President|intelligence|military|envoy|ambassador|spy|coast guard|navy|defen[cs]e ministry)\b)*\s*"
    r"(?:said|says|say|told|tells|accused|announced|claimed|claims|believes|alleged|warned|reported|confirmed"
    r"|spotted|observed|detected|tracked|photographed)\b",
    re.IGNORECASE,
)

# The country that acts in an enforcement event is its place: "Angola and Uganda expelled",
# "South Korea said on Friday that in late November it seized".
_ENFORCER_AFTER = re.compile(
    r"^(?:\s+and\s+[A-Z]\w+(?:\s[A-Z]\w+)?)?\s+(?:(?:has|have|had|also|on \w+|said(?: on \w+)? that(?: in [\w ]{3,30}?)? it)\s+)*"
    r"(?:seiz|expel|repatriat|impound|confiscat|froze|freez|deport|detain|arrest|suspend)",
)

# A place inside the name of a news outlet, or its owner ("South Korea's Chosun Ilbo newspaper").
NAMES_AN_OUTLET_AFTER = re.compile(
    r"^(?:’s|'s)?\s+(?:[A-Z][\w.&-]*\s+){0,3}(?:Times|Post|Journal|Herald|Tribune|Ilbo|Shimbun|Daily|newspaper|news agency|broadcaster)\b"
)

_AT_THE_COUNCIL = re.compile(
    r"\b(?:vetoed|veto(?:es)?|blocked|blocks)\b.{0,60}(?:\bU\.N\.|\bUN\b|\bUnited Nations\b|\bSecurity Council\b)"
    r"|(?:\bU\.N\.|\bUN\b|\bUnited Nations\b) (?:Security Council )?(?:resolution|vote)\b.{0,40}\b(?:vetoed|blocked)\b"
)

# "a North Korea-flagged tanker", "its Taiwan-based charterer": a name inside a compound adjective.
_COMPOUND_AFTER = re.compile(
    r"^[-–](?:flagged|based|registered|owned|linked|made|built|bound|born|headquartered)\b"
    # "North Korea's Belarus Trade Office": a country inside the name of another state's office.
    r"|^\s+(?:Trade Office|Trade Mission|Representative Office|Office|Embassy|Consulate)\b"
)

# The country of a war or of a court is background to the incident, not its scene.
NOT_THE_SCENE_BEFORE = re.compile(
    r"\b(?:war|invasion|conflict|fighting) (?:in|on|against)\s+(?:the\s+)?$|\b(?:court|courthouse|prosecutors?|United Nations|U\.N\.|UN|headquarters) in\s+$|\bDistrict of\s+$",
    re.IGNORECASE,
)

# Where a source or a firm sits is not a scene: "a firm based in New York", "a source in Dandong told".
_BASED_IN = re.compile(r"\bbased in\s+$|\bremarks to reporters in\s+$|\bsources? in\s+$", re.IGNORECASE)

# People or bodies placed in a country, as the targets of a measure are: "its trade
# representatives in Syria, Iran and", "officials of the bank stationed in".
_TARGETS_IN_BEFORE = re.compile(
    r"\b(?:representatives?|officials?|individuals?|nationals?|agents?|envoys?|diplomats?|operatives?|firms?|compan(?:y|ies)"
    r"|entit(?:y|ies)|banks?|branch(?:es)?|offices?)\s+(?:(?:based|stationed|operating|working)\s+)?in\s+(?:the\s+)?"
    r"(?:[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*,?\s+(?:and\s+|or\s+)?)*$"
)

# Where an authority sits is its own place, not the scene of the conduct it acts against.
AUTHORITY_IN_BEFORE = re.compile(
    r"\b(?:police|authorities|prosecutors?|investigators|officials|courts?|customs|regulators?|coast ?guard|ministry|government)"
    r"\s+(?:\w+\s+)?in\s+(?:the\s+)?$",
    re.IGNORECASE,
)

_CROSSING_CONTEXT = re.compile(r"\bcross\w*|border (?:town|crossing|city)|checkpoint", re.IGNORECASE)


def _role(document: Document, mention: EntityMention, incident_type: str) -> str:
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


def is_incident_place(document: Document, mention: EntityMention, incident_type: str) -> bool:
    """Whether a geocoded mention is a place of the incident rather than a source or a subject."""
    location: Location = mention.location
    before = document.text[max(0, mention.start - 40) : mention.start]
    after = document.text[mention.end : mention.end + 80]
    if _BASED_IN.search(before) or (mention.text.isupper() and len(mention.text) > 3):
        return False  # "a firm based in New York", a "BEIJING (Reuters)" dateline
    if not incident_type.startswith("context_") and AUTHORITY_IN_BEFORE.search(before):
        return False  # "the Federal police in Germany seized the servers of an exchange that laundered …": the enforcer's seat
    if NAMES_AN_OUTLET_AFTER.match(after) or NOT_THE_SCENE_BEFORE.search(before) or _COMPOUND_AFTER.match(after):
        return False  # "the New York Times", "South Korea's Chosun Ilbo newspaper", "its war in Ukraine"
    if nearer_to_another_activity(document, mention, incident_type):
        return False  # "a theft of cryptocurrency and the dispatch of IT workers in China": China is the workers'
    if location.lat is not None or location.admin1 is not None or location.country is None:
        return True
    # A whole country.
    if incident_type == "context_enforcement" and location.country != "US" and _ENFORCER_AFTER.match(after):
        return True
    if incident_type == "context_enforcement" and _TARGETS_IN_BEFORE.search(document.text[max(0, mention.start - 120) : mention.start]):
        return False  # "trade representatives in Syria, Iran and Vietnam are among those blacklisted": where the targets are
    if SOURCE_AFTER.match(after):
        return False
    if POSSESSIVE_AFTER.match(after) and location.country != "KP" and incident_type != "context_enforcement":
        return False  # "supporting Russia's war effort": an owner, not a scene
    has_role = bool(PREPOSITION_BEFORE.search(before))
    if location.country == "KP":
        return _north_korea_is_place(document, mention, incident_type, before, after)
    if location.country == "US" or incident_type.startswith("context_"):
        return has_role
    return True


_SCENE_BEFORE = re.compile(r"\b(?:in|to|into|from|at|via|through|across)\s+(?:the\s+)?(?:[A-Z][\w-]+\s+(?:and|or)\s+)?$")

# How much nearer another activity's cue must stand before a place is its own and not shared.
COORDINATED_CUES_CHARACTERS = 25


def nearer_to_another_activity(document: Document, mention: EntityMention, incident_type: str) -> bool:
    """In a sentence that tells two activities, a place (a scene, after a preposition: "the dispatch
    of IT workers in China") belongs to the one whose cue stands clearly nearer. A subject
    ("Russia is violating the sanctions by … and by …") belongs to all."""
    if not _SCENE_BEFORE.search(document.text[max(0, mention.start - 40) : mention.start]):
        return False
    return cue_clearly_nearer(document, mention.sentence, mention.start - document.sentences[mention.sentence].start, incident_type)


def cue_clearly_nearer(document: Document, sentence_index: int, here: int, incident_type: str) -> bool:
    """Whether another activity's cue stands clearly nearer than this type's to offset ``here`` of the sentence."""
    own: list[int] = []
    other: list[int] = []
    for candidate, start in document.cue_positions(sentence_index):
        if not candidate.type.startswith("context_"):
            middle = start + len(candidate.cue) // 2
            (own if candidate.type == incident_type else other).append(abs(middle - here))
    # Cues side by side share their places ("exports textiles and seafood to China").
    return bool(own and other) and min(other) + COORDINATED_CUES_CHARACTERS < min(own)


def _north_korea_is_place(document: Document, mention: EntityMention, incident_type: str, before: str, after: str) -> bool:
    if incident_type.startswith("context_"):
        return False  # the place of an enforcement act or a denial is where it happens, not its target
    if _INTO_BEFORE.search(before):
        return incident_type in IMPORT_TYPES or incident_type == "arms_military"
    if incident_type != "arms_military":
        return False
    if _FROM_BEFORE.search(before):
        return True
    sentence = document.sentences[mention.sentence]
    rest = document.text[mention.end : sentence.end]
    return not POSSESSIVE_AFTER.match(after) and bool(_TO_A_COUNTRY.search(rest))


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


def _country_of_adjective(document: Document, mention: EntityMention, incident_type: str) -> Location | None:
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


def pronoun_referent(document: Document, index: int) -> EntityMention | None:
    """The country a sentence-opening "It"/"They" stands for: the subject country of the sentence
    before ("China demurs … . It continues to buy sanctioned coal from North Korea"), else None.

    Only a country that is not North Korea (the perpetrator, named anyway), not governed by a
    preposition and not a possessive ("North Korea’s concerns") counts as that subject.
    """
    if index == 0 or not PRONOUN_SUBJECT.match(document.sentences[index].text):
        return None
    for mention in document.entities_in(index - 1):
        if mention.label != "COUNTRY" or mention.country in (None, "KP"):
            continue
        before = document.text[max(0, mention.start - 40) : mention.start]
        after = document.text[mention.end : mention.end + 3]
        if PREPOSITION_BEFORE.search(before) or POSSESSIVE_AFTER.match(after) or re.search(r"\b(?:and|or|both)\s+$", before):
            continue
        return mention
    return None


def _referent_role(incident_type: str) -> str:
    """Where the country behind "it" stands: it buys an export, it supplies an import."""
    if incident_type in IMPORT_TYPES:
        return "origin"
    if incident_type.startswith("context_") or incident_type in ("cyber_theft", "financial_banking"):
        return "site"
    return "destination"


def incident_locations(document: Document, sentences: Sequence[int], incident_type: str) -> tuple[Location, ...]:
    found: dict[str, Location] = {}
    for index in sentences:
        referent = pronoun_referent(document, index)
        if referent is not None and referent.location is not None and not incident_type.startswith("context_"):
            place = referent.location
            found.setdefault(
                f"{place.name}|{place.country}",
                Location(name=place.name, country=place.country, admin1=None, role=_referent_role(incident_type)),
            )
        for mention in document.entities_in(index):
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
        for mention in document.entities_in(index):
            place = _country_of_adjective(document, mention, incident_type)
            if place is not None:
                found.setdefault(f"{place.name}|{place.country}", place)
    if incident_type == "context_diplomatic":
        for index in sentences:
            if _AT_THE_COUNCIL.search(document.sentences[index].text):
                # A veto or a block at the UN happens in the Security Council (no country, no point).
                found.setdefault("United Nations Security Council|None", Location(name="United Nations Security Council", country=None, role="site"))
    places = list(found.values())
    if incident_type == "machinery_vehicle_metal_import" and places and not any(p.country == "KP" for p in places):
        # Ships, machinery and metals of this type go to North Korea by definition: where the
        # article says only where they came from, North Korea is where they went.
        from sanctionwatch.resolve.geocode import country_location

        destination = country_location("KP", role="destination")
        if destination is not None:
            places.append(destination)
    # A country adds nothing where a place inside it is named (the map already shows it).
    finer_countries = {p.country for p in places if p.lat is not None or p.admin1}
    return tuple(p for p in places if not (p.lat is None and p.admin1 is None and p.country in finer_countries))
