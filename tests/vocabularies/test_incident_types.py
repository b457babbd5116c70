"""The incident-type vocabulary (vocabularies/incident_types.toml) checked against the provisions table.

Every keyword of a verified provisions row is either covered by its type's vocabulary, or listed
with a reason in vocabularies/provision_keywords_reviewed.toml; a listed keyword must really be
uncovered, so the list cannot hide words the vocabulary already has.
"""

from __future__ import annotations

import csv
import re
import tomllib
from functools import lru_cache
from importlib import resources

import pytest

from sanctionwatch.nlp.cues import IncidentTypeCues, load_incident_types
from sanctionwatch.nlp.document import Sentence
from sanctionwatch.nlp.mentions.triggers import classify_sentence

# Plain sentences of a sanctions activity: a keyword that names goods, work or a method of a type
# must make the type fire in one of them.
FRAMES = (
    "North Korea smuggled {k} abroad in violation of sanctions.",
    "A shipment of {k} was sent to North Korea in violation of sanctions.",
    "North Korea procured {k} through front companies.",
    "North Korea exported {k} to China in violation of sanctions.",
    "North Korea dispatched {k} abroad to earn foreign currency.",
    "North Korean hackers stole $5 million using {k}.",
)
ACTIVITY_TYPES = {
    "labor_export", "maritime_transfer", "petroleum_trade", "coal_mineral_export", "seafood_export", "textile_export",
    "arms_military", "luxury_goods", "wmd_dual_use_procurement", "financial_banking", "cyber_theft",
    "machinery_vehicle_metal_import", "smuggling_other",
}


def _vocabulary_file(name: str) -> str:
    return (resources.files("sanctionwatch") / "vocabularies" / name).read_text("utf-8")


@lru_cache(maxsize=1)
def _rows() -> list[dict[str, str]]:
    return list(csv.DictReader(_vocabulary_file("provisions.csv").splitlines()))


@lru_cache(maxsize=1)
def _reviewed() -> dict[str, str]:
    """keyword -> reason name."""
    reviewed: dict[str, str] = {}
    for reason, spec in tomllib.loads(_vocabulary_file("provision_keywords_reviewed.toml"))["reasons"].items():
        assert spec.get("why"), f"reason {reason} explains nothing"
        for keyword in spec["keywords"]:
            assert keyword not in reviewed, f"{keyword!r} is listed under {reviewed[keyword]} and {reason}"
            reviewed[keyword] = reason
    return reviewed


def _keywords() -> list[tuple[str, str]]:
    """(activity type, keyword) of every verified row, without repeats."""
    pairs: dict[tuple[str, str], None] = {}
    for row in _rows():
        if row["verified"] == "yes" and row["activity"] in ACTIVITY_TYPES:
            for keyword in row["keywords"].split(";"):
                if keyword.strip():
                    pairs[(row["activity"], keyword.strip())] = None
    return list(pairs)


def covered(types: dict[str, IncidentTypeCues], incident_type: str, keyword: str) -> bool:
    cues = types[incident_type]
    patterns = [
        *cues.cues, *cues.requires, *cues.commodity_terms,
        *(rule.when for rule in cues.provisions if rule.when is not None),
        *types["context_enforcement"].cues,  # an enforcement word is typed as enforcement context
    ]
    if any(pattern.search(keyword) for pattern in patterns):
        return True
    for frame in FRAMES:
        text = frame.format(k=keyword)
        sentence = Sentence(index=0, start=0, end=len(text), text=text, paragraph=0)
        if any(c.type == incident_type for c in classify_sentence(sentence, types, linked=True, sanctions_context=True)):
            return True
    return False


def test_every_provision_keyword_is_covered_or_reviewed() -> None:
    types = load_incident_types()
    unreviewed = sorted({k for t, k in _keywords() if not covered(types, t, k) and k not in _reviewed()})
    assert not unreviewed, f"provision keywords neither in the vocabulary nor reviewed: {unreviewed}"


def test_no_reviewed_keyword_is_actually_covered() -> None:
    types = load_incident_types()
    by_keyword: dict[str, list[str]] = {}
    for incident_type, keyword in _keywords():
        by_keyword.setdefault(keyword, []).append(incident_type)
    stale = sorted(k for k in _reviewed() if k not in by_keyword)
    assert not stale, f"reviewed keywords that the provisions table no longer has: {stale}"
    covered_anyway = sorted(k for k, ts in by_keyword.items() if k in _reviewed() and all(covered(types, t, k) for t in ts))
    assert not covered_anyway, f"reviewed keywords the vocabulary covers (drop them from the list): {covered_anyway}"


def test_most_keywords_of_goods_types_are_cue_words() -> None:
    """The types that name goods must cover most of their table's words themselves."""
    types = load_incident_types()
    for incident_type in ("petroleum_trade", "coal_mineral_export", "seafood_export", "textile_export", "luxury_goods", "cyber_theft"):
        pairs = [(t, k) for t, k in _keywords() if t == incident_type]
        share = sum(covered(types, t, k) for t, k in pairs) / len(pairs)
        assert share >= 0.6, f"{incident_type}: {share:.0%} of its provision keywords covered"


@pytest.mark.parametrize("incident_type", sorted(ACTIVITY_TYPES))
def test_every_provision_id_in_the_vocabulary_is_a_verified_row_of_the_type(incident_type: str) -> None:
    rows = {row["id"]: row for row in _rows()}
    for rule in load_incident_types()[incident_type].provisions:
        for provision_id in rule.ids:
            assert provision_id in rows, f"{incident_type}: unknown provision {provision_id}"
            assert rows[provision_id]["verified"] == "yes", f"{incident_type}: {provision_id} is not verified"


def test_every_type_of_the_table_has_cues() -> None:
    types = load_incident_types()
    for row in _rows():
        if row["verified"] == "yes" and row["activity"]:
            assert row["activity"] in types and types[row["activity"]].cues, row["activity"]


@pytest.mark.parametrize(
    ("incident_type", "sentence"),
    [
        ("arms_military", "North Korea sold rifles and pistols to an armed group in Africa."),
        ("luxury_goods", "Smugglers brought whisky, jewellery and cosmetics into North Korea for the elite."),
        ("coal_mineral_export", "North Korea exported titanium ore and magnesite to Chinese buyers."),
        ("petroleum_trade", "Traders sold condensate and LPG to North Korea above the cap."),
        ("seafood_export", "North Korean shrimp were sold to processing plants in China."),
        ("textile_export", "North Korean factories made clothing and embroidery for export to China."),
        ("maritime_transfer", "Satellite images show STS transfers between a North Korean tanker and a foreign ship."),
        ("machinery_vehicle_metal_import", "Trucks and excavators were smuggled into North Korea across the border."),
        ("labor_export", "North Korean seafarers were hired by a manning agency to crew foreign ships."),
        ("smuggling_other", "North Korea built statues and monuments in several African countries."),
        ("financial_banking", "A North Korean cash courier carried gold bars for the regime."),
        ("wmd_dual_use_procurement", "A North Korean procurement agent sought machine tools for the missile programme."),
    ],
)
def test_words_of_the_table_type_a_sentence(incident_type: str, sentence: str) -> None:
    found = classify_sentence(Sentence(0, 0, len(sentence), sentence, 0), load_incident_types(), linked=True, sanctions_context=True)
    assert incident_type in {c.type for c in found}


def test_think_tanks_and_fuel_tanks_are_not_arms() -> None:
    for sentence in ("A think tank sold its report on North Korea to a publisher.", "North Korea bought fuel tanks for its trucks."):
        found = classify_sentence(Sentence(0, 0, len(sentence), sentence, 0), load_incident_types(), linked=True, sanctions_context=True)
        assert "arms_military" not in {c.type for c in found}, sentence
        assert re.search(r"tank", sentence)
