"""Places, countries and organisations named in the candidate sentences, geocoded.

spaCy (with the gazetteer ruler) proposes the names; the geocoder decides what each means,
in the context of every other place named in the same article, so "Nanping" next to "Jilin"
lands in Jilin and not in Fujian.
"""

from __future__ import annotations

import re
from typing import Any

from sanctionwatch.model import Location
from sanctionwatch.nlp.document import Document, EntityMention, Parse
from sanctionwatch.nlp.stage import stage
from sanctionwatch.nlp.text.reading import reading_of

PLACE_LABELS = ("GPE", "LOC", "FAC")
# Lower-case place phrases the NER never proposes.
_LOWERCASE_PLACES = re.compile(r"\b(?:the )?(?:high seas|international waters|waters off \w+)\b")


_BETWEEN_AFTER = re.compile(
    r"\s+between\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*\s+and\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|peninsula|coast|mainland))*"
)
_DESCRIBED_IN_COUNTRY = re.compile(
    r"(?P<place>\b(?:a|an)\s+(?:(?:small|remote|border|coastal|northeastern|northern|major)\s+)?(?:city|town|port|village|county|area)"
    r"\s+in\s+(?P<country>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s+(?:on|near|along)\s+the\s+border\s+with\s+North\s+Korea)\b"
)
_DESCRIBED_BY_ADJECTIVE = re.compile(
    r"(?P<place>\b(?P<country>Chinese|Russian|Japanese|South\s+Korean|Taiwanese|Vietnamese|Indonesian|Malaysian|Thai)\s+"
    r"(?:ports|waters|territorial\s+waters|border\s+(?:areas|towns|cities|regions)))\b"
)
# A name used as an adjective: "Hong Kong-flagged", "Hong Kong firms".
_MODIFIES_AFTER = re.compile(
    r"[-–]|\s+(?!(?:and|or|but|as|in|on|at|to|is|was|were|are|has|have|had|which|that|who|with|for|from|by|said|says)\b)[a-z]"
)
# An institution named after its country: the victim of a bank heist is a place of the incident.
_INSTITUTION_AFTER = re.compile(r"\s+(?:[Cc]entral [Bb]ank|Bank)\b(?! of)")
# Capitals stand for their governments ("Beijing-Pyongyang relations", "Washington believes");
# they are places only after a locative preposition ("in Moscow").
_METONYM_CAPITALS = {
    "Pyongyang", "Beijing", "Seoul", "Washington", "Moscow", "Tokyo", "Taipei", "Damascus", "Tehran", "Kyiv", "London",
}
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|to|from|into|near|via|outside|inside|through|around|of|reached|reaching|bound for)\s+$", re.IGNORECASE
)
_COMPASS_BEFORE = re.compile(r"\b(?:East|West|North|South|Central|Southern|Northern|Eastern|Western|Southeast|Northeast|Southwest|Northwest)\s$")
# A relation with a government, not a place: "a lifeline to Pyongyang", "ties with Moscow".
_RELATION_BEFORE = re.compile(
    r"\b(?:lifeline|support|aid|pressure|message|letter|warning|ties|relations|envoy|ambassador|delegation|appeal|overtures?)"
    r"\s+(?:to|for|on|with|from)\s+$",
    re.IGNORECASE,
)
_NOT_PLACES = {"North", "South", "East", "West", "the North", "the South", "Center", "Central"}


def is_place_reference(document: Document, mention: EntityMention) -> bool:
    """False for compass words, for part of a longer name the gazetteer does not know ("East
    Africa" read as "Africa"), and for capitals used to mean their governments."""
    if mention.text in _NOT_PLACES:
        return False
    if _COMPASS_BEFORE.search(document.text[max(0, mention.start - 12) : mention.start]):
        return False
    if mention.text in _METONYM_CAPITALS:
        before = document.text[max(0, mention.start - 12) : mention.start]
        after = document.text[mention.end : mention.end + 2]
        if after[:1] in ("-", "–", "’", "'") or before.endswith(("-", "–")):
            return False  # "Beijing-Pyongyang relations", "Pyongyang's weapons"
        if _RELATION_BEFORE.search(document.text[max(0, mention.start - 40) : mention.start]):
            return False  # "an economic lifeline to Pyongyang", "pressure on Beijing"
        return bool(_LOCATIVE_BEFORE.search(before))
    return True


def is_locative(document: Document, mention: EntityMention) -> bool:
    """True when a locative preposition introduces the mention ("in Dandong", "off the coast of Nampo")."""
    return bool(_LOCATIVE_BEFORE.search(document.text[max(0, mention.start - 12) : mention.start]))


# A sentence whose subject is a pronoun ("It continues to buy sanctioned coal from North Korea"):
# its actor is named in the sentence before ("China demurs from criticising …").
PRONOUN_SUBJECT = re.compile(
    r"^[\W_]*(?:It|They)\s+(?!is\b|was\b|are\b|were\b|seems?\b|appears?\b|remains?\b|will\b|would\b|could\b|may\b|might\b|also said\b|said\b)"
    r"(?:also\s+|still\s+|even\s+)?[a-z]+"
)


def _sentence_indexes(document: Document) -> list[int]:
    typed = set(document.candidate_sentences())
    before_pronouns = {i - 1 for i in typed if i > 0 and PRONOUN_SUBJECT.match(document.sentences[i].text)}
    return sorted(typed | before_pronouns)


PREFETCHED = "entities.parsed"  # memo key: {reading text: [spaCy Doc, ...]}, from prefetch_parses
PARSE_BATCH_SIZE = 64


def prefetch_parses(documents: list[Document]) -> None:
    """Parse the sentences every document's entities stage will read in one ``nlp.pipe`` run: a
    batch of sentences from several articles costs spaCy about an eighth less than one each."""
    from sanctionwatch.nlp.spacy_model import parse_texts

    wanted = [(document, reading_of(document.sentences[i].text).text) for document in documents for i in _sentence_indexes(document)]
    if not wanted:
        return
    parsed = parse_texts([text for _, text in wanted], batch_size=PARSE_BATCH_SIZE)
    for (document, text), doc in zip(wanted, parsed, strict=True):
        document.memo.setdefault(PREFETCHED, {}).setdefault(text, []).append(doc)


def _parses(document: Document, readings: list[Any]) -> list[Any]:
    """A spaCy parse of each reading, its own one: prefetched where ``prefetch_parses`` ran, else
    parsed now."""
    from sanctionwatch.nlp.spacy_model import parse_texts

    ready: dict[str, list[Any]] = document.memo.pop(PREFETCHED, {})
    found: list[Any] = [ready[r.text].pop(0) if ready.get(r.text) else None for r in readings]
    missing = [i for i, doc in enumerate(found) if doc is None]
    if missing:
        for i, doc in zip(missing, parse_texts([readings[i].text for i in missing], batch_size=32), strict=True):
            found[i] = doc
    return found


@stage(
    "entities",
    requires={"sentences", "candidates"},
    provides={"entities", "parses"},
    relevant_only=True,
    prefetch=prefetch_parses,
)
def mentions_stage(document: Document) -> Document:
    """Parse the candidate sentences; find and geocode places; find countries of actors (names and adjectives)."""
    from sanctionwatch.resolve.geocode import country_code, geocode_many

    indexes = _sentence_indexes(document)
    if not indexes:
        return document
    readings = [reading_of(document.sentences[i].text) for i in indexes]
    raw: list[EntityMention] = []
    for index, reading, parsed in zip(indexes, readings, _parses(document, readings), strict=True):
        document.parses[index] = Parse(doc=parsed, reading=reading)
        offset = document.sentences[index].start
        for entity in parsed.ents:
            if entity.label_ in (*PLACE_LABELS, "NORP", "ORG", "PERSON"):
                start, end = reading.span(entity.start_char, entity.end_char)
                raw.append(
                    EntityMention(
                        start=offset + start,
                        end=offset + end,
                        text=entity.text,
                        label=entity.label_,
                        sentence=index,
                    )
                )
        for match in _LOWERCASE_PLACES.finditer(document.sentences[index].text):
            end = match.end()
            between = _BETWEEN_AFTER.match(document.sentences[index].text, end)
            if between is not None:
                # "international waters between China and the Korean peninsula" is one place, with no
                # point: the names inside it are its bounds, not places of the incident.
                end = between.end()
                raw = [m for m in raw if not (m.sentence == index and offset + match.start() <= m.start < offset + end)]
            raw.append(EntityMention(start=offset + match.start(), end=offset + end, text=document.sentences[index].text[match.start() : end], label="LOC", sentence=index))
    for mention in raw:
        if mention.label == "NORP" and _is_country_name(mention.text) and not _MODIFIES_AFTER.match(document.text, mention.end):
            mention.label = "GPE"  # "Hong Kong and businesses there": the name, not the adjective ("Hong Kong-flagged")
    places = [m for m in raw if m.label in PLACE_LABELS and is_place_reference(document, m)]
    locations = geocode_many([m.text for m in places], locative=[is_locative(document, m) for m in places])
    for mention, location in zip(places, locations, strict=True):
        if location is None:
            continue
        mention.location = _extend_to_institution(document, mention, location)
        mention.country = location.country
        if location.lat is None and location.admin1 is None and location.country and _is_country_name(mention.text):
            mention.label = "COUNTRY"
        document.entities.append(mention)
    _bare_names_mean_the_facility(document)
    described = _described_places(document, indexes)
    if described:
        spans = [(m.start, m.end) for m in described]
        # The names inside a described place are its parts ("a city in China on the border with North Korea").
        document.entities = [m for m in document.entities if not any(a <= m.start < b for a, b in spans)]
        raw = [m for m in raw if not any(a <= m.start < b for a, b in spans)]
        document.entities.extend(described)
    for mention in raw:
        if mention.label == "NORP":
            mention.country = country_code(mention.text)
            if mention.country:
                document.entities.append(mention)
        elif mention.label == "ORG":
            first_word = mention.text.split()[0] if mention.text.split() else ""
            mention.country = country_code(first_word) if first_word[:1].isupper() else None
            document.entities.append(mention)
        elif mention.label == "PERSON":
            document.entities.append(mention)
    document.entities.sort(key=lambda m: m.start)
    document.reindex()
    return document


def _described_places(document: Document, indexes: list[int]) -> list[EntityMention]:
    """Places an article describes rather than names: "a city in China on the border with North
    Korea", "Chinese ports". Each keeps the article's words as its name, the country they give and
    no point."""
    from sanctionwatch.resolve.geocode import country_code

    found: list[EntityMention] = []
    for index in indexes:
        sentence = document.sentences[index]
        for pattern in (_DESCRIBED_IN_COUNTRY, _DESCRIBED_BY_ADJECTIVE):
            for match in pattern.finditer(sentence.text):
                country = country_code(match.group("country"))
                if country is None:
                    continue
                start, end = sentence.start + match.start("place"), sentence.start + match.end("place")
                mention = EntityMention(start=start, end=end, text=match.group("place"), label="LOC", sentence=index, country=country)
                mention.location = Location(name=match.group("place"), country=country)
                found.append(mention)
    return found


def _bare_names_mean_the_facility(document: Document) -> None:
    """In a story about the Kaesong Industrial Complex, "funds paid to Kaesong" means the complex:
    a bare town name that begins the name of a facility the article names takes the facility."""
    from sanctionwatch.resolve.geocode import is_facility

    facilities = {m.location.name: m.location for m in document.entities if m.location is not None and is_facility(m.location.name)}
    if not facilities:
        return
    for mention in document.entities:
        if mention.location is None or " " in mention.text:
            continue
        for name, facility in facilities.items():
            if name.split()[0] == mention.text:
                mention.location = facility
                break


def _extend_to_institution(document: Document, mention: EntityMention, location: Location) -> Location:
    """"Bangladesh Bank", "the Bangladesh central bank": a named institution is the place, with its
    country and no point, rather than the whole country."""
    institution = _INSTITUTION_AFTER.match(document.text, mention.end)
    if institution is None or location.lat is not None or location.admin1 is not None:
        return location
    mention.end = institution.end()
    mention.text = document.text[mention.start : mention.end]
    mention.label = "FAC"
    return Location(name=mention.text, country=location.country)


def _is_country_name(text: str) -> bool:
    from sanctionwatch.resolve.geocode import country_code

    return country_code(text) is not None
