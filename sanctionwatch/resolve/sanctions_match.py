"""Matching names and text against a sanctions list, precision first.

Evidence levels (the ``reason`` of every link says which one fired):

1. ``reference``: a UN reference number (``KPe.001``) in the text;
2. ``imo``: a valid IMO number of a listed company or ship;
3. ``exact alias``: a listed name or alias, folded only for case, marks, punctuation and legal
   forms (``sanctions_names.literal_key``). For an organisation this is a link. An acronym of three
   letters or fewer (``DCB``, ``PAD``) links only when a longer name of the same entry is also there;
4. ``spelling variant``: the same Korean romanisation-folded key (``variant_keys``);
5. ``similar name`` (rapidfuzz ratio of the folded keys): a candidate, never a link.

Korean personal names repeat (Kim Yong Chol the listed KOMID representative is not Kim Yong
Chol the former intelligence chief), so a person needs another detail before a name makes a
link: from an extractor, the kind (person) and a matching nationality; in text, an organisation
that the person's own list entry names (``KOMID``, ``Tanchon Commercial Bank``) in the same text.
An organisation's spelling variant needs its country. Everything below the bar is returned as a
candidate ("possible match") for an analyst.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process
from rigour.ids import IMO
from rigour.text import ascii_text

from sanctionwatch.model import SanctionsLink
from sanctionwatch.resolve.sanctions_list import ListEntry, SanctionsList
from sanctionwatch.resolve.sanctions_names import (
    has_legal_form,
    literal_key,
    literal_key_of_words,
    plain_word_tuple,
    plain_words,
    variant_keys,
    variant_keys_of_words,
)

SCORE_REFERENCE = 1.0
SCORE_EXACT = 1.0
SCORE_VARIANT = 0.95
# Folded keys this similar are worth an analyst's look. Below it, one changed syllable of a
# Korean given name (KIM KYONG IL / KIM KYONG OK, ratio 0.80) is already another person.
CANDIDATE_RATIO = 88.0
MAX_CANDIDATES = 3
MAX_NAME_WORDS = 10
# A folded key shorter than this is too common to trust. Persons may be shorter ("Kim Kyu"):
# a person's variant never links without kind and nationality behind it.
MIN_VARIANT_CHARACTERS = {"organization": 8, "person": 5}
CONNECTIVES = frozenset({"of", "and", "the", "a", "an", "for", "to", "in", "on", "by", "with"})

REFERENCE_IN_TEXT = re.compile(r"\bKP[ei]\.\d{3}\b")
IMO_IN_TEXT = re.compile(r"\bIMO(?:\s*(?:number|no\.?|#))?[:\s]*(\d{7})\b", re.IGNORECASE)
TEXT_WORD = re.compile(r"[^\W_]+(?:[’'ʼ-][^\W_]+)*")


@dataclass(frozen=True, slots=True)
class IndexedName:
    reference: str
    name: str  # the listed name or alias, as the list writes it
    kind: str  # of the entry: person, organization; "vessel" for a ship its entry names
    acronym: bool = False

    @property
    def word_count(self) -> int:
        return len(self.name.split())

    @property
    def short_without_legal_form(self) -> bool:
        """"FIRST OIL JV CO LTD" keys as "first oil": two common words, unsafe without the legal form."""
        return self.kind == "organization" and len(literal_key(self.name).split()) <= 2 and has_legal_form(self.name)


@dataclass(frozen=True, slots=True)
class MatchResult:
    links: tuple[SanctionsLink, ...] = ()
    candidates: tuple[SanctionsLink, ...] = ()


@dataclass(frozen=True, slots=True)
class TextHit:
    """A list name (or reference, or IMO number) found in a text, with offsets into it."""

    start: int
    end: int
    text: str
    kind: str  # person, organization, vessel
    link: SanctionsLink
    is_link: bool  # False: a candidate only


@dataclass(frozen=True, slots=True)
class _TextWord:
    start: int
    end: int
    surface: str
    plain: tuple[str, ...]

    @property
    def capitalised(self) -> bool:
        return self.surface[:1].isupper() or self.surface[:1].isdigit()


def _is_acronym(name: str) -> bool:
    return " " not in name.strip() and name.isupper() and len(name) <= 6


class SanctionsIndex:
    """Every name of a list in dicts keyed by literal and variant keys; built once per list."""

    def __init__(self, sanctions_list: SanctionsList) -> None:
        self.list = sanctions_list
        self.entries = sanctions_list.by_reference()
        self.literal: dict[str, list[IndexedName]] = defaultdict(list)
        self.variant: dict[str, list[IndexedName]] = defaultdict(list)
        self.imo: dict[str, list[str]] = defaultdict(list)
        fuzzy_keys: dict[str, list[IndexedName]] = defaultdict(list)
        for entry in sanctions_list.entries:
            names = [IndexedName(entry.reference, entry.name, entry.kind)]
            names += [IndexedName(entry.reference, a.name, entry.kind, a.quality == "acronym" or _is_acronym(a.name)) for a in entry.aliases]
            names += [IndexedName(entry.reference, vessel, "vessel") for vessel in entry.vessel_names]
            for indexed in names:
                literal = literal_key(indexed.name, indexed.kind)
                if not literal:
                    continue
                self.literal[literal].append(indexed)
                if indexed.kind != "vessel" and not indexed.acronym:
                    for key in variant_keys(indexed.name, indexed.kind):
                        if len(key) >= MIN_VARIANT_CHARACTERS[indexed.kind]:
                            self.variant[key].append(indexed)
                            fuzzy_keys[key].append(indexed)
            for number in entry.imo_numbers:
                self.imo[number].append(entry.reference)
        self.max_words = min(MAX_NAME_WORDS, max((len(key.split()) for key in self.literal), default=1) + 3)
        self._fuzzy_keys = sorted(fuzzy_keys)
        self._fuzzy_names = fuzzy_keys
        # Each organisation's names as the related-entry search reads them, made once for all persons.
        self._organisation_names = [
            (other.reference, name, _is_acronym(name), f" {' '.join(plain_words(name))} ")
            for other in sanctions_list.entries
            if other.kind == "organization"
            for name in other.all_names
        ]
        self.related: dict[str, frozenset[str]] = {}
        self.related = {entry.reference: self._related_references(entry) for entry in sanctions_list.entries}

    # --- links -------------------------------------------------------------------------------

    def _link(self, indexed: IndexedName | ListEntry, alias: str, score: float, reason: str) -> SanctionsLink:
        entry = self.entries[indexed.reference]
        return SanctionsLink(
            list=self.list.list_id, reference=entry.reference, name=entry.name, matched_alias=alias,
            score=round(score, 3), reason=reason,
        )  # fmt: skip

    def _countries(self, reference: str) -> set[str]:
        entry = self.entries[reference]
        return set(entry.nationalities) | set(entry.countries)

    def _related_references(self, entry: ListEntry) -> frozenset[str]:
        """Organisations that a person's own entry names (comments, designations), by their names
        as written: ``KOMID`` in capitals, longer names in any case."""
        if entry.kind != "person":
            return frozenset()
        text = " ".join((entry.comments, *entry.designations))
        plain = " " + " ".join(plain_words(text)) + " "
        capitals = set(re.findall(r"\b[A-Z][A-Z0-9]+\b", text))
        return frozenset(
            reference
            for reference, name, acronym, words in self._organisation_names
            if ((name in capitals) if acronym else (words in plain))
        )

    # --- one name, from an extractor -----------------------------------------------------------

    def match_name(self, name: str, *, kind: str | None = None, country: str | None = None) -> MatchResult:
        """Links and candidates for one actor name; ``kind`` and ``country`` are the other details."""
        links: dict[str, SanctionsLink] = {}
        candidates: dict[str, SanctionsLink] = {}
        kinds = (kind,) if kind in ("person", "organization") else ("organization", "person")
        for query_kind in kinds:
            literal = literal_key(name, query_kind)
            for indexed in self.literal.get(literal, ()):
                if indexed.kind != query_kind:
                    continue
                self._judge(indexed, SCORE_EXACT, _level("exact alias", indexed, name), kind, country, links, candidates)
            # An exact alias wins: "Korea Taesong Trading Company" and "Korea Daesong Trading
            # Corporation" are two listed firms whose names fold together.
            exact = bool(links)
            for key in variant_keys(name, query_kind):
                for indexed in self.variant.get(key, ()):
                    if indexed.kind == query_kind and indexed.reference not in links:
                        level = _level("spelling variant", indexed, name)
                        self._judge(indexed, SCORE_VARIANT, level, kind, country, links if not exact else {}, candidates)
        if not links:
            for query_kind in kinds:
                for candidate in self._similar(name, query_kind):
                    candidates.setdefault(candidate.reference, candidate)
        for reference in links:
            candidates.pop(reference, None)
        return MatchResult(tuple(links.values()), tuple(sorted(candidates.values(), key=lambda c: (-c.score, c.reference))[:MAX_CANDIDATES]))

    def _judge(
        self,
        indexed: IndexedName,
        score: float,
        level: str,
        kind: str | None,
        country: str | None,
        links: dict[str, SanctionsLink],
        candidates: dict[str, SanctionsLink],
    ) -> None:
        country_agrees = bool(country) and country in self._countries(indexed.reference)
        if indexed.kind == "person":
            backed = kind == "person" and country_agrees
            detail = "kind person and nationality " + (country or "")
        elif level == "exact alias" and not (indexed.acronym and len(indexed.name) <= 3):
            backed, detail = True, ""
        elif level.endswith(WITHOUT_LEGAL_FORM) or (indexed.acronym and len(indexed.name) <= 3):
            backed, detail = False, ""  # "First Oil" is two common words; "PAD" is a word
        else:
            backed = country_agrees and kind in (None, "organization")
            detail = "country " + (country or "")
        reason = f"{level} {indexed.name!r}" + (f", backed by {detail}" if backed and detail else "")
        if backed:
            links[indexed.reference] = self._link(indexed, indexed.name, score, reason)
        else:
            missing = "needs another detail (kind, country) for a link"
            candidates.setdefault(indexed.reference, self._link(indexed, indexed.name, score * 0.9, f"{level} {indexed.name!r}; {missing}"))

    def _similar(self, name: str, kind: str) -> list[SanctionsLink]:
        found: list[SanctionsLink] = []
        for key in sorted(variant_keys(name, kind)):
            if len(key) < MIN_VARIANT_CHARACTERS[kind]:
                continue
            for match_key, ratio, _ in process.extract(key, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=CANDIDATE_RATIO, limit=MAX_CANDIDATES):
                for indexed in self._fuzzy_names[match_key]:
                    if indexed.kind == kind:
                        reason = f"similar name {indexed.name!r} ({ratio:.0f}% of the folded spelling); a name alone is never a link"
                        found.append(self._link(indexed, indexed.name, ratio / 100 * 0.9, reason))
        return found

    def match_vessel(self, name: str | None, imo: str | None) -> MatchResult:
        """A ship by IMO number (exact) or by a name the list names (exact name)."""
        links: dict[str, SanctionsLink] = {}
        number = (imo or "").upper().removeprefix("IMO").strip()
        if number and IMO.is_valid(number):
            for reference in self.imo.get(number, ()):
                links[reference] = self._link(self.entries[reference], f"IMO {number}", SCORE_REFERENCE, f"IMO number {number}")
        if name:
            for indexed in self.literal.get(literal_key(name, "vessel"), ()):
                if indexed.kind == "vessel" and indexed.reference not in links:
                    links[indexed.reference] = self._link(indexed, indexed.name, SCORE_EXACT, _vessel_reason(indexed, self.entries))
        return MatchResult(tuple(links.values()))

    # --- names in a text -------------------------------------------------------------------------

    def find_in_text(self, text: str, *, context: str | None = None, countries: Iterable[str] = ()) -> list[TextHit]:
        """List names, reference numbers and IMO numbers in ``text`` (offsets into it).

        ``context`` (default: ``text``) is where a person's related organisations are looked
        for; ``countries`` are the incident's countries that back an organisation's variant name.
        """
        hits: list[TextHit] = []
        for match in REFERENCE_IN_TEXT.finditer(text):
            entry = self.entries.get(match.group(0))
            if entry is not None:
                link = self._link(entry, match.group(0), SCORE_REFERENCE, f"UN reference number {entry.reference} in the text")
                hits.append(TextHit(match.start(), match.end(), match.group(0), entry.kind, link, True))
        for match in IMO_IN_TEXT.finditer(text):
            number = match.group(1)
            for reference in self.imo.get(number, ()) if IMO.is_valid(number) else ():
                link = self._link(self.entries[reference], f"IMO {number}", SCORE_REFERENCE, f"IMO number {number} in the text")
                hits.append(TextHit(match.start(), match.end(), match.group(0), self.entries[reference].kind, link, True))
        context_text = text if context is None else context
        related_found = {hit.link.reference for hit in self._scan_names(context_text, related_for=None)}
        hits += self._scan_names(text, related_for=related_found, countries=set(countries))
        # A short acronym (DCB) is a link once a longer name of the same entry is linked here.
        linked = {hit.link.reference for hit in hits if hit.is_link}
        hits = [
            replace(hit, is_link=True, link=replace(hit.link, score=SCORE_EXACT, reason=f"acronym {hit.link.matched_alias!r}, backed by the full name in the same text"))
            if not hit.is_link and hit.kind == "organization" and hit.link.reference in linked
            else hit
            for hit in hits
        ]
        return sorted(hits, key=lambda h: (h.start, -h.end, h.link.reference))

    def _scan_names(self, text: str, *, related_for: set[str] | None, countries: set[str] = frozenset()) -> list[TextHit]:  # type: ignore[assignment]
        words = [_TextWord(m.start(), m.end(), m.group(0), plain_word_tuple(m.group(0))) for m in TEXT_WORD.finditer(text)]
        hits: list[TextHit] = []
        position = 0
        while position < len(words):
            found = self._longest_at(text, words, position, related_for, countries)
            if found:
                hits += found
                position = max(_word_index_after(words, hit.end) for hit in found)
            else:
                position += 1
        return hits

    def _longest_at(self, text, words, position, related_for, countries):  # type: ignore[no-untyped-def]
        first = words[position]
        if not first.plain or first.plain[0] in CONNECTIVES:
            return []
        # Names are capitalised in text ("the strategic force" is not the Strategic Force).
        if not first.capitalised:
            return []
        # A name in text is a run of capitalised words (connectives and numbers allowed inside),
        # never across a sentence end, a line break or brackets.
        end = position + 1
        while end < len(words) and end - position < self.max_words:
            word = words[end]
            if _gap_breaks(text, words[end - 1].end, word.start):
                break
            if not (word.capitalised or (word.plain and word.plain[0] in CONNECTIVES)):
                break
            end += 1
        for size in range(end - position, 0, -1):
            window = words[position : position + size]
            if window[-1].plain and window[-1].plain[-1] in CONNECTIVES:
                continue
            plain = [w for word in window for w in word.plain]
            found = self._judge_window(text[window[0].start : window[-1].end], plain, window[0].start, window[-1].end, size, related_for, countries)
            if found:
                return found
        return []

    def _judge_window(self, surface, plain, start, end, size, related_for, countries):  # type: ignore[no-untyped-def]
        hits: list[TextHit] = []
        seen: set[str] = set()
        for key_kind in ("organization", "person", "vessel"):
            for indexed in self.literal.get(literal_key_of_words(plain, key_kind), ()):
                if indexed.kind != key_kind or indexed.reference in seen or not _surface_fits(surface, indexed, size):
                    continue
                seen.add(indexed.reference)
                hits.append(self._text_hit(indexed, surface, start, end, _level("exact alias", indexed, surface), related_for, countries))
        if hits or size < 2:
            return hits
        for key_kind in ("organization", "person"):
            for key in variant_keys_of_words(plain, key_kind):
                for indexed in self.variant.get(key, ()):
                    if indexed.kind == key_kind and indexed.reference not in seen:
                        seen.add(indexed.reference)
                        level = _level("spelling variant", indexed, surface)
                        hits.append(self._text_hit(indexed, surface, start, end, level, related_for, countries))
        return hits

    def _text_hit(self, indexed, surface, start, end, level, related_for, countries) -> TextHit:  # type: ignore[no-untyped-def]
        score = SCORE_EXACT if level == "exact alias" else SCORE_VARIANT
        if indexed.kind == "vessel":
            return TextHit(start, end, surface, "vessel", self._link(indexed, indexed.name, score, _vessel_reason(indexed, self.entries)), True)
        if indexed.kind == "person":
            related = (related_for or set()) & self.related.get(indexed.reference, frozenset())
            if related:
                named = ", ".join(sorted(related))
                reason = f"{level} {indexed.name!r}, backed by the related list entry {named} named in the same text"
                return TextHit(start, end, surface, "person", self._link(indexed, indexed.name, score, reason), True)
            reason = f"{level} {indexed.name!r}; a person's name alone is not a link (no related entry in the text)"
            return TextHit(start, end, surface, "person", self._link(indexed, indexed.name, score * 0.9, reason), False)
        short_acronym = indexed.acronym and len(indexed.name) <= 3
        if level == "exact alias" and not short_acronym:
            return TextHit(start, end, surface, "organization", self._link(indexed, indexed.name, score, f"exact alias {indexed.name!r}"), True)
        if level == "spelling variant" and self._countries(indexed.reference) & countries:
            reason = f"spelling variant of {indexed.name!r}, backed by country {', '.join(sorted(self._countries(indexed.reference) & countries))}"
            return TextHit(start, end, surface, "organization", self._link(indexed, indexed.name, score, reason), True)
        reason = f"{level} {indexed.name!r}; " + ("a short acronym alone is not a link" if short_acronym else "no country to back it")
        return TextHit(start, end, surface, "organization", self._link(indexed, indexed.name, score * 0.9, reason), False)


WITHOUT_LEGAL_FORM = " without its legal form"


def _level(level: str, indexed: IndexedName, query: str) -> str:
    if indexed.short_without_legal_form and not has_legal_form(query):
        return level + WITHOUT_LEGAL_FORM
    return level


def _vessel_reason(indexed: IndexedName, entries: dict[str, ListEntry]) -> str:
    owner = entries[indexed.reference]
    return f"ship {indexed.name!r} named in the list entry of {owner.name} ({owner.reference})"


def _gap_breaks(text: str, end: int, next_start: int) -> bool:
    """A name does not run across a sentence end, a line break or brackets."""
    gap = text[end:next_start]
    return any(mark in gap for mark in ".;:!?()[]\n\"“”") or len(gap) > 3


def _word_index_after(words: list[_TextWord], offset: int) -> int:
    for index, word in enumerate(words):
        if word.start >= offset:
            return index
    return len(words)


def _surface_fits(surface: str, indexed: IndexedName, size: int) -> bool:
    """Single words match only as written: an acronym in capitals, a name capitalised."""
    if size > 1:
        return True
    if indexed.word_count > 1:
        return False  # "Koti" is the ship; the company is "KOTI CORP", legal form and all
    if indexed.acronym:
        return surface.isupper() and ascii_text(surface) == ascii_text(indexed.name).upper()
    return surface[:1].isupper()
