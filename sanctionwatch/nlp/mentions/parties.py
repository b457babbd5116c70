"""Who does what to whom in an event mention, read from the parse of its clause.

``agent``: who acts (the subject of "sold", "North Korea's" in "North Korea's coal exports", "by
Russian tankers"); ``theme``: what or who is moved ("3,000 workers", "coal"); ``recipient``: where
it goes ("to Syria", "sold Russia shells"); ``origin``: where it comes from ("from Nampo",
"stole $81 million from Bangladesh's central bank"). Each party carries the countries its words
name: North Korea (by any of its names), a country, a nationality, or a capital that stands for
its government ("Beijing ordered …"). A pronoun subject ("it was sending …") takes the subject of
the clause that frames it ("the United States announced it was sending …") or of the sentence
before.

The question the mention stage asks of them: is North Korea a party of this event, or is the
sentence about another state's own dealings ("South Korea sold arms worth $17bn")?
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sanctionwatch.nlp.document import Document, Parse
from sanctionwatch.nlp.lexicon import DPRK_ANCHOR, THE_NORTH
from sanctionwatch.nlp.mentions.syntax import Token, children, clause_verb, is_verb, preposition_objects, span_of

# Capitals that stand for their governments when they act ("Beijing ordered", "Moscow supplied").
CAPITAL_COUNTRIES = {
    "Pyongyang": "KP", "Beijing": "CN", "Moscow": "RU", "Seoul": "KR", "Washington": "US", "Tokyo": "JP",
    "Tehran": "IR", "Damascus": "SY", "Taipei": "TW", "Kyiv": "UA", "Kiev": "UA", "London": "GB", "Paris": "FR",
    "Berlin": "DE", "Brussels": "EU", "Hanoi": "VN", "Vientiane": "LA", "Phnom Penh": "KH", "Ulaanbaatar": "MN",
    "Minsk": "BY", "Havana": "CU", "Caracas": "VE", "Naypyidaw": "MM", "Islamabad": "PK", "New Delhi": "IN",
    "Kampala": "UG", "Luanda": "AO", "Khartoum": "SD", "Tripoli": "LY", "Sanaa": "YE", "Asmara": "ER",
}
PRONOUNS = frozenset({"it", "its", "they", "their", "them", "itself"})
# Verbs that only carry the event named by their object ("conducted ship-to-ship transfers",
# "continued its coal exports"): their subject is the event's agent.
LIGHT_VERBS = frozenset(
    """conduct carry make continue resume increase expand step engage arrange organise organize run
    undertake perform pursue maintain boost ramp accelerate facilitate orchestrate""".split()
)


# Verbs whose object receives and whose "with" phrase names the goods.
SUPPLY_WITH_VERBS = frozenset("supply provide furnish equip arm feed resupply".split())


@dataclass(frozen=True, slots=True)
class Party:
    role: str  # agent, theme, recipient, origin
    text: str
    start: int  # offsets into the sentence's own text
    end: int
    countries: tuple[str, ...]
    pronoun: bool = False


def read_parties(document: Document, sentence_index: int, parse: Parse, event: Token) -> list[Party]:
    """The parties of the event named by ``event`` in sentence ``sentence_index``."""
    verb = clause_verb(event)
    found: list[Party] = []
    for role, token in _argument_tokens(event, verb):
        found.append(_party(document, sentence_index, parse, role, token))
    return [p for p in found if p.text]


def _argument_tokens(event: Token, verb: Token) -> list[tuple[str, Token]]:
    arguments: list[tuple[str, Token]] = []
    if is_verb(event):
        subject = _subject_of(event)
        if subject is not None:
            arguments.append(("agent", subject))
        for passive_agent in preposition_objects(event, "by"):
            arguments.append(("agent", passive_agent))
        with_goods = preposition_objects(event, "with") if event.lemma_.lower() in SUPPLY_WITH_VERBS else []
        if with_goods:
            # "supply Syria with jet fuel", "Russia was supplied with shells": the object is who
            # receives, the goods come after "with".
            arguments += [("recipient", t) for t in children(event, "dobj", "nsubjpass")]
            arguments += [("theme", t) for t in with_goods]
        else:
            arguments += [("theme", t) for t in children(event, "dobj", "nsubjpass")]
        if event.dep_ == "acl" and event.head.i != event.i:
            # "workers hired by U.S. companies": a passive participle's noun is its theme;
            # "companies operating in China": an active one's is its agent.
            arguments.append(("theme" if event.tag_ == "VBN" else "agent", event.head))
        arguments += [("recipient", t) for t in children(event, "dative") if t.tag_.startswith("N") or t.tag_ == "PRP"]
    else:
        arguments += [("agent", t) for t in children(event, "poss")]
        arguments += [("agent", t) for t in preposition_objects(event, "by")]
        arguments += [("agent", t) for t in children(event, "compound", "amod", "nmod") if _names_a_state(t)]
        arguments += [("theme", t) for t in preposition_objects(event, "of")]
        if not any(role == "agent" for role, _ in arguments) and event.dep_ in ("dobj", "attr") and verb.lemma_.lower() in LIGHT_VERBS:
            subject = _subject_of(verb)
            if subject is not None:
                arguments.append(("agent", subject))
        if event.dep_ in ("nsubj", "nsubjpass") and not any(role == "agent" for role, _ in arguments):
            arguments.append(("theme", event))
    for holder in {event, verb}:
        arguments += [("recipient", t) for t in preposition_objects(holder, "to", "into", "for")]
        arguments += [("origin", t) for t in preposition_objects(holder, "from")]
    if is_verb(event):
        # "sending rifles to the border police": the parser often hangs the destination on the
        # goods; a "to" under the verb's object still says where they go.
        for goods in children(event, "dobj"):
            arguments += [("recipient", t) for t in preposition_objects(goods, "to", "into")]
    unique: dict[int, tuple[str, Token]] = {}
    for role, token in arguments:
        unique.setdefault(token.i, (role, token))
    return list(unique.values())


def _subject_of(verb: Token) -> Token | None:
    """The subject of a verb, or of the verb it continues ("continued to send", "and sold")."""
    current = verb
    for _ in range(4):
        subjects = children(current, "nsubj")
        if subjects:
            return subjects[0]
        if current.dep_ in ("xcomp", "conj", "advcl") and current.head.i != current.i:
            current = current.head
            continue
        return None
    return None


def _names_a_state(token: Token) -> bool:
    return bool(DPRK_ANCHOR.match(token.text)) or token.ent_type_ in ("NORP", "GPE") or token.text in CAPITAL_COUNTRIES


def _phrase_tokens(token: Token) -> list[Token]:
    """The noun phrase of a party: the token and its modifiers, without relative clauses and
    long prepositional tails ("companies operating within its borders" is "companies")."""
    keep = [token]
    for child in token.children:
        if child.dep_ in ("compound", "amod", "poss", "det", "nummod", "nmod", "case", "quantmod", "appos") or (child.dep_ == "prep" and child.lower_ == "of"):
            keep.extend(child.subtree)
    return sorted({t.i: t for t in keep}.values(), key=lambda t: t.i)


def _party(document: Document, sentence_index: int, parse: Parse, role: str, token: Token) -> Party:
    tokens = _phrase_tokens(token)
    start, end = span_of(parse, tokens)
    text = document.sentences[sentence_index].text[start:end]
    pronoun = (token.lower_ in PRONOUNS and len(tokens) == 1) or (token.dep_ == "poss" and token.lower_ in PRONOUNS)
    countries = countries_in(document, sentence_index, start, end, text)
    if pronoun and not countries:
        countries = _pronoun_countries(document, sentence_index, parse, token)
    return Party(role=role, text=text, start=start, end=end, countries=countries, pronoun=pronoun)


def countries_in(document: Document, sentence_index: int, start: int, end: int, text: str) -> tuple[str, ...]:
    """The countries a phrase names: North Korea by any of its names, entities with a country,
    capitals standing for governments."""
    found: list[str] = []
    if DPRK_ANCHOR.search(text) or THE_NORTH.search(text):
        found.append("KP")
    offset = document.sentences[sentence_index].start
    for entity in document.entities_in(sentence_index):
        inside = start <= entity.start - offset and entity.end - offset <= end
        if entity.country and inside and entity.label in ("COUNTRY", "NORP", "GPE", "FAC", "ORG"):
            found.append(entity.country)
    for capital, country in CAPITAL_COUNTRIES.items():
        if capital in text:
            found.append(country)
    return tuple(dict.fromkeys(found))


def _pronoun_countries(document: Document, sentence_index: int, parse: Parse, pronoun: Token) -> tuple[str, ...]:
    """What a pronoun stands for. A subject: the subject of a framing clause in the same sentence
    ("the United States announced it was sending"), else the subject of the sentence before. An
    object ("bought coal from North Korea and provided it with boats"): the nearest state named
    before it in the sentence that is not the subject's."""
    if pronoun.dep_ not in ("nsubj", "nsubjpass", "poss"):
        subject_countries: set[str] = set()
        verb = clause_verb(pronoun)
        subject = _subject_of(verb) if is_verb(verb) else None
        if subject is not None:
            start, end = span_of(parse, _phrase_tokens(subject))
            subject_countries = set(countries_in(document, sentence_index, start, end, document.sentences[sentence_index].text[start:end]))
            if subject.lower_ in PRONOUNS and not subject_countries:
                subject_countries = set(_pronoun_countries(document, sentence_index, parse, subject))
        before = document.sentences[sentence_index].text[: span_of(parse, [pronoun])[0]]
        named = [c for c in _countries_in_order(document, sentence_index, before) if c not in subject_countries]
        if named:
            return (named[-1],)
    for above in _heads(pronoun):
        if not is_verb(above):
            continue
        for subject in children(above, "nsubj", "nsubjpass"):
            if subject.i == pronoun.i or subject.lower_ in PRONOUNS:
                continue
            tokens = _phrase_tokens(subject)
            start, end = span_of(parse, tokens)
            countries = countries_in(document, sentence_index, start, end, document.sentences[sentence_index].text[start:end])
            if countries:
                return countries
    previous = document.parses.get(sentence_index - 1)
    if previous is not None:
        root = next((t for t in previous.doc if t.dep_ == "ROOT"), None)
        subject = _subject_of(root) if root is not None else None
        if subject is not None and subject.lower_ not in PRONOUNS:
            tokens = _phrase_tokens(subject)
            start, end = span_of(previous, tokens)
            text = document.sentences[sentence_index - 1].text[start:end]
            return countries_in(document, sentence_index - 1, start, end, text)
    return ()


def _countries_in_order(document: Document, sentence_index: int, text: str) -> list[str]:
    """The states named in ``text`` (a prefix of the sentence), in order."""
    found: list[tuple[int, str]] = [(m.start(), "KP") for m in DPRK_ANCHOR.finditer(text)]
    offset = document.sentences[sentence_index].start
    for entity in document.entities_in(sentence_index):
        if entity.country and entity.end - offset <= len(text) and entity.label in ("COUNTRY", "NORP", "GPE"):
            found.append((entity.start - offset, entity.country))
    return [country for _, country in sorted(found)]


def _heads(token: Token) -> list[Token]:
    found = []
    current = token
    for _ in range(12):
        if current.head.i == current.i:
            break
        current = current.head
        found.append(current)
    return found


# Types whose goods go to North Korea: a delivery to another named state is another trade.
INTO_NORTH_KOREA = frozenset({"petroleum_trade", "luxury_goods", "machinery_vehicle_metal_import", "wmd_dual_use_procurement"})


def dprk_involvement(parties: Sequence[Party], clause_text: str, incident_type: str = "") -> str:
    """``party``: North Korea is one of the parties; ``clause``: it is named in the clause but not
    as a party; ``other``: the agent is another state, or goods that go to North Korea go to
    another named state ("a scheme to supply Syria with jet fuel"), and North Korea is nowhere in
    the clause; ``none``: no state is named (North Korea is implied by the article, or not)."""
    if any("KP" in p.countries for p in parties):
        return "party"
    if DPRK_ANCHOR.search(clause_text):
        return "clause"
    if any(p.role == "agent" and p.countries for p in parties):
        return "other"
    if incident_type in INTO_NORTH_KOREA and any(p.role == "recipient" and p.countries for p in parties):
        return "other"
    return "none"
