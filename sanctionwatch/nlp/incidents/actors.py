"""Who acts in an incident: actors with a country and a role (perpetrator, counterpart, facilitator, enforcer)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sanctionwatch.model import Actor
from sanctionwatch.nlp.document import Document, EntityMention
from sanctionwatch.nlp.incidents.places import (
    AUTHORITY_IN_BEFORE,
    NAMES_AN_OUTLET_AFTER,
    NOT_THE_SCENE_BEFORE,
    SOURCE_AFTER,
    nearer_to_another_activity,
    pronoun_referent,
)
from sanctionwatch.nlp.lexicon import DPRK_ANCHOR
from sanctionwatch.nlp.mentions import EventMention
from sanctionwatch.nlp.mentions.syntax import head_token, tokens_at
from sanctionwatch.resolve.countries import country_names

_HOLDS_EVIDENCE_AFTER = re.compile(r"^\s+(?:has|have|had)\s+(?:[\w,]+\s+){0,3}(?:reports?|evidence|information|intelligence)\b")

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


def _names_a_country(mention: EntityMention) -> bool:
    """A whole country, a city-state by its name ("Hong Kong"), or a country's bank."""
    from sanctionwatch.resolve.geocode import country_code

    location = mention.location
    if location is None:
        return False
    if location.lat is None and location.admin1 is None:
        return True
    return country_code(mention.text) == location.country


_AUTHORITY_AFTER = re.compile(
    r"^\s+(?:customs|coast ?guard|navy|police|authorities|officials|prosecutors|investigators|government|court|military|forces)\b",
    re.IGNORECASE,
)

_TARGET_AFTER = re.compile(
    r"^(?:\s+[a-z-]+)?\s+(?:compan(?:y|ies)|firms?|nationals?|individuals?|citizens?|businessm[ae]n|banks?|entit(?:y|ies)|ships?|vessels?|tankers?)\b"
)


def _actor_role(document: Document, mention: EntityMention, incident_type: str) -> str | None:
    """The role of a country named in an evidence sentence, or None when it is not a party."""
    after = document.text[mention.end : mention.end + 80]
    before = document.text[max(0, mention.start - 40) : mention.start]
    if SOURCE_AFTER.match(after) or _HOLDS_EVIDENCE_AFTER.match(after) or _CURRENCY_AFTER.match(after) or NAMES_AN_OUTLET_AFTER.match(after):
        return None
    if NOT_THE_SCENE_BEFORE.search(before):
        return None  # "its war in Ukraine"
    if incident_type == "context_enforcement":
        # The flag of a seized or blacklisted ship is the side acted against: "a Hong Kong-flagged ship".
        if re.match(r"^[-–](?:flagged|registered)\b", after):
            return "perpetrator"
        if mention.label == "NORP" and _TARGET_AFTER.match(after):
            # "sanctioned two Chinese companies and a Russian national": foreigners who helped North
            # Korea are its facilitators; a foreign ship acted against is itself the perpetrator.
            return "perpetrator" if re.match(r"^(?:\s+[a-z-]+)?\s+(?:ships?|vessels?|tankers?)\b", after) else "facilitator"
        if mention.label == "NORP" and not _AUTHORITY_AFTER.match(after):
            return None  # "relabelled as Russian coal": an adjective of goods, not an enforcing state
        return "enforcer"
    if _AUTHORITY_AFTER.match(after) or AUTHORITY_IN_BEFORE.search(before):
        return None  # "South Korean customs officials seized …", "the police in Germany": they enforce, they are no party to the trade
    if incident_type == "context_diplomatic":
        return "counterpart"
    if incident_type == "cyber_theft":
        return "counterpart"  # a bank or a firm named in a theft is its victim
    return "facilitator" if _FACILITATOR_AFTER.match(after) else "counterpart"


# The United Nations as the body that acts: its sanctions, its Council, its committee and lists.
_UN_BODY = re.compile(r"\b(?:U\.N\.|UN|United Nations|Security Council|1718 Committee)(?!\w)")


def acting_authorities(document: Document, index: int, mentions: Sequence[EventMention]) -> set[str]:
    """Who carries out the official act a sentence tells: the states its agents name ("the U.S.
    Treasury said *it* was blacklisting …": US), or the United Nations where an agent is one of
    its bodies or a word of the act names it ("new *U.N.* sanctions", "added to a *U.N.*
    blacklist"; not "as the United Nations steps up efforts"). Two acts by different authorities
    are two incidents, even told on one day."""
    found: set[str] = set()
    parse = document.parses.get(index)
    for mention in mentions:
        for party in mention.parties:
            if party.role != "agent":
                continue
            found |= {c for c in party.countries if c != "KP"}
            if _UN_BODY.search(party.text):
                found.add("UN")
        if parse is None:
            continue
        for start, end in ((mention.event_start, mention.event_end), (mention.cue_start, mention.cue_end)):
            word = head_token(tokens_at(parse, start, end))
            modifiers = [] if word is None else [c for c in word.children if c.dep_ in ("compound", "amod", "nmod", "poss")]
            if any(_UN_BODY.search(" ".join(t.text for t in m.subtree)) for m in modifiers):
                found.add("UN")
    return found


def incident_actors(document: Document, sentences: Sequence[int], incident_type: str) -> tuple[Actor, ...]:
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
    authorities: set[str] = set()
    if incident_type == "context_enforcement":
        for index in sentences:
            authorities |= acting_authorities(document, index, document.mentions_in(index, incident_type))
        # The states that act are the enforcers ("South Korea said *it* seized …"), named or not.
        for code in sorted(authorities - {"UN", "KP"}):
            actors.setdefault((code, "enforcer"), Actor(name=country_names().name(code) or code, country=code, role="enforcer"))
    for index in sentences:
        referent = pronoun_referent(document, index)
        if referent is not None and referent.country:
            referent_role = "enforcer" if incident_type == "context_enforcement" else "counterpart"
            actors.setdefault((referent.country, referent_role), Actor(name=referent.text, country=referent.country, role=referent_role))
        for mention in document.entities_in(index):
            if mention.label not in ("COUNTRY", "NORP", "ORG", "GPE", "FAC") or not mention.country or mention.country == "KP":
                continue
            if mention.label in ("GPE", "FAC") and not _names_a_country(mention):
                continue  # a city or a province is a place; only a country (or its bank) is a party
            role = _actor_role(document, mention, incident_type)
            if role == "enforcer" and authorities and mention.country not in authorities:
                continue  # "trade representatives in Syria" under a U.N. blacklisting: the targets' places
            if role is not None and not nearer_to_another_activity(document, mention, incident_type):
                actors.setdefault((mention.country, role), Actor(name=mention.text, country=mention.country, role=role))
    victim = _VICTIM_NOUN.search(text) if incident_type == "cyber_theft" else None
    if victim is not None and not any(role == "counterpart" for _, role in actors):
        actors[(None, "counterpart")] = Actor(name=victim.group(), country=None, role="counterpart")
    if incident_type == "maritime_transfer":
        _foreign_carriers_deliver(document, sentences, actors)
    return tuple(actors.values())


# "Russian tankers have supplied fuel to North Korea", "Chinese ships transferring oil to North
# Korean vessels": in a transfer at sea the foreign ships' state acts and North Korea receives
# (ANNOTATION_NOTES: ships take their flag).
_SHIPS_AFTER = re.compile(r"^(?:\s+[a-z-]+)?\s+(?:ships?|vessels?|tankers?|freighters?)\b")
_DELIVERS_TO_NORTH_KOREA = re.compile(
    r"\b(?:supplied|suppl\w+|transferr\w+|deliver\w+|ferr\w+|sold|loading)\b.{0,80}\bto (?:the )?North Korea\w*", re.IGNORECASE
)


def _foreign_carriers_deliver(document: Document, sentences: Sequence[int], actors: dict[tuple[str | None, str], Actor]) -> None:
    for index in sentences:
        if not _DELIVERS_TO_NORTH_KOREA.search(document.sentences[index].text):
            continue
        for mention in document.entities_in(index):
            if mention.label == "NORP" and mention.country and mention.country != "KP" and _SHIPS_AFTER.match(document.text[mention.end : mention.end + 40]):
                actors.pop((mention.country, "counterpart"), None)
                actors[(mention.country, "perpetrator")] = Actor(name=mention.text, country=mention.country, role="perpetrator")
                perpetrator = actors.pop(("KP", "perpetrator"), None)
                if perpetrator is not None:
                    actors[("KP", "counterpart")] = Actor(name=perpetrator.name, country="KP", role="counterpart")


# The victim of a theft named without a country: "cryptocurrency exchanges", "an unnamed entity".
_VICTIM_NOUN = re.compile(
    r"\b(?:banks?|(?:crypto(?:currency)? )?exchanges?|wallets?|platforms?|bridges?|compan(?:y|ies)|firms?|entit(?:y|ies)|organi[sz]ations?|victims?)\b"
)
