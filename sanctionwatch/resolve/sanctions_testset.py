"""A test set for sanctions matching, built from the list itself, and its precision and recall.

Positives: every listed name and alias, and spelling variants of each written the ways news
reports write Korean names (case, hyphenated or joined given names, Western order, Revised
Romanization surnames, no McCune–Reischauer apostrophes, other legal forms), each with the entry
it must link to. Negatives: names that must link to nothing: other Korean names (listed
surnames with given names changed, well-known North Koreans who are not listed), look-alike
company names (a word of a listed name swapped or dropped) and common words.

Each query carries what an extractor would know besides the name: the kind (person or
organisation) and a country. A negative that folds to a listed name's key is dropped (it is the
same name by romanisation, not a true negative); that check uses the matcher's own folding and is
the one place the set leans on the code it measures.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sanctionwatch.resolve.sanctions_list import ListEntry, SanctionsList
from sanctionwatch.resolve.sanctions_match import SanctionsIndex
from sanctionwatch.resolve.sanctions_names import SURNAMES, variant_keys

# Revised Romanization / popular spellings of DPRK surnames, as South Korean and Western press
# write them (written out here, not derived from the matcher's table).
PRESS_SURNAMES = {
    "RI": "Lee", "PAK": "Park", "CHOE": "Choi", "JO": "Cho", "CHO": "Jo", "JANG": "Chang", "CHANG": "Jang",
    "RYU": "Yu", "RIM": "Lim", "KANG": "Gang", "KO": "Koh", "PAEK": "Baek", "YUN": "Yoon", "SON": "Sohn",
    "CHU": "Joo", "JON": "Jeon", "HYON": "Hyun", "MUN": "Moon", "PAE": "Bae",
}  # fmt: skip
# Swapped into given names to make other people's names (syllables common in DPRK names).
OTHER_SYLLABLES = ("Hun", "Sik", "Chan", "Myong", "Hui", "Gyu", "Dok", "Bin", "Ryol", "Sun")
LEGAL_FORM_SWAPS = (
    (r"\bCORPORATION\b", "Corp."), (r"\bCOMPANY\b", "Co."), (r"\bCO\b", "Company"), (r"\bLTD\b", "Limited"),
    (r"\bCORPORATION\b", "Co., Ltd."),
)  # fmt: skip
NOT_LISTED_NORTH_KOREANS = (
    "Kim Jong Un", "Kim Yo Jong", "Choe Son Hui", "Kim Jong Nam", "Jang Song Thaek", "Hyon Song Wol",
    "Kim Yong Nam", "Pak Pong Ju", "Kim Tok Hun", "Choe Ryong Hae", "Ri Son Gwon", "Kim Kye Gwan",
    "Thae Yong Ho", "Ri Il Nam", "Kim Il Sung", "Kim Jong Il", "Ri Sol Ju", "Jo Yong Won Jr",
)  # fmt: skip
LOOK_ALIKE_WORDS = ("Ocean", "Pacific", "General", "Trading", "United", "Star", "Golden", "Sea", "Maritime", "Energy")
COMMON_WORDS = (
    "Office", "Bank", "Korea", "Trading Corporation", "Foreign Trade", "Ministry", "National Defense",
    "Green", "Pine", "Ocean", "Leader", "First Oil", "Strategic", "Munitions", "Shipping Company",
    "Central Bank", "Workers Party", "Korean People's Army", "Development Bank", "Credit Bank",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class TestCase:
    query: str
    kind: str
    country: str | None
    expected: str | None  # the reference it must link to; None: it must link to nothing
    group: str  # listed name, alias, variant, other Korean name, look-alike company, common word


@dataclass(frozen=True, slots=True)
class Score:
    cases: int
    positives: int
    true_positives: int
    false_positives: int
    candidates_covering: int  # positives whose entry is at least a candidate

    @property
    def precision(self) -> float:
        made = self.true_positives + self.false_positives
        return self.true_positives / made if made else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.positives if self.positives else 1.0


def _country(entry: ListEntry) -> str | None:
    return (entry.nationalities + entry.countries or (None,))[0]


def _person_variants(name: str) -> Iterator[str]:
    words = name.split()
    if len(words) < 2:
        return
    surname, given = words[0], words[1:]
    title = [w.capitalize() for w in words]
    joined_given = "-".join(w.lower() for w in given).capitalize()
    yield " ".join(title)
    yield f"{surname.capitalize()} {joined_given}"
    yield f"{surname.capitalize()} {''.join(w.lower() for w in given).capitalize()}"
    yield f"{joined_given} {surname.capitalize()}"
    press = PRESS_SURNAMES.get(surname.upper().replace("'", "").replace("’", ""))
    if press:
        yield f"{press} {joined_given}"
    plain = re.sub(r"[’']", "", name)
    if plain != name:
        yield " ".join(w.capitalize() for w in plain.split())


def _company_variants(name: str) -> Iterator[str]:
    yield name.title()
    for pattern, replacement in LEGAL_FORM_SWAPS:
        swapped = re.sub(pattern, replacement, name.upper())
        if swapped != name.upper():
            yield swapped.title()
    plain = re.sub(r"[’']", "", name)
    if plain != name:
        yield plain.title()


def build_test_set(sanctions_list: SanctionsList) -> list[TestCase]:
    """Positives and negatives, in a fixed order (the list's order, then generated ones)."""
    cases: list[TestCase] = []
    person_keys = {key for e in sanctions_list.entries if e.kind == "person" for n in e.all_names for key in variant_keys(n, "person")}
    company_keys = {key for e in sanctions_list.entries if e.kind == "organization" for n in e.all_names for key in variant_keys(n)}
    for entry in sanctions_list.entries:
        country = _country(entry)
        cases.append(TestCase(entry.name, entry.kind, country, entry.reference, "listed name"))
        for alias in entry.aliases:
            cases.append(TestCase(alias.name, entry.kind, country, entry.reference, "alias"))
        for name in entry.all_names:
            variants = _person_variants(name) if entry.kind == "person" else _company_variants(name)
            for variant in dict.fromkeys(variants):
                if variant not in entry.all_names:
                    cases.append(TestCase(variant, entry.kind, country, entry.reference, "variant"))
        words = entry.name.split()
        if entry.kind == "person" and len(words) >= 3:
            for syllable in OTHER_SYLLABLES[:3]:
                other = " ".join([*words[:-1], syllable])
                if not variant_keys(other, "person") & person_keys:
                    cases.append(TestCase(other.title(), "person", country, None, "other Korean name"))
        if entry.kind == "organization" and len(words) >= 3:
            for index, word in enumerate(words):
                if word.upper() in ("KOREA", "CORPORATION", "COMPANY", "CO", "LTD", "OF", "THE", "AND"):
                    continue
                dropped = " ".join(words[:index] + words[index + 1 :])
                swapped = " ".join([*words[:index], LOOK_ALIKE_WORDS[index % len(LOOK_ALIKE_WORDS)], *words[index + 1 :]])
                for look_alike in (dropped, swapped):
                    if not variant_keys(look_alike) & company_keys:
                        cases.append(TestCase(look_alike.title(), "organization", country, None, "look-alike company"))
                break
    for name in NOT_LISTED_NORTH_KOREANS:
        if not variant_keys(name, "person") & person_keys:
            cases.append(TestCase(name, "person", "KP", None, "other Korean name"))
    for word in COMMON_WORDS:
        cases.append(TestCase(word, "organization", "KP", None, "common word"))
    surnames = sorted({s.capitalize() for s in SURNAMES.values()})
    for surname in surnames:
        cases.append(TestCase(surname, "person", "KP", None, "common word"))
    return cases


def score_test_set(index: SanctionsIndex, cases: list[TestCase], *, with_details: bool = True) -> dict[str, Score]:
    """Precision and recall over all cases and per group; ``with_details=False`` drops kind and country."""
    tallies: dict[str, list[int]] = {}
    for case in cases:
        result = index.match_name(case.query, kind=case.kind if with_details else None, country=case.country if with_details else None)
        linked = {link.reference for link in result.links}
        candidate_refs = {c.reference for c in result.candidates}
        for group in ("all", case.group):
            tally = tallies.setdefault(group, [0, 0, 0, 0, 0])
            tally[0] += 1
            if case.expected is not None:
                tally[1] += 1
                tally[2] += case.expected in linked
                tally[4] += case.expected in linked or case.expected in candidate_refs
            tally[3] += len(linked - {case.expected})
    return {group: Score(*tally) for group, tally in tallies.items()}
