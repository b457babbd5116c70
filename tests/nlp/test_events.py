"""Sentence typing and the extraction traps of BAD_INPUTS 24-29, on sentences written for the tests.

Every sentence here is invented: none is copied from the corpus. The first table gives one
sentence per incident type (including types without a dev example); the traps check that a
denial, a negation or a hypothetical is never an asserted activity, that a recalled incident keeps
its own date, and that evidence is an exact substring of the text whatever its Unicode form.
"""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from sanctionwatch.model import Article
from sanctionwatch.nlp.cues import load_incident_types
from sanctionwatch.nlp.document import Sentence
from sanctionwatch.nlp.mentions.triggers import classify_sentence
from sanctionwatch.nlp.pipeline import default_pipeline
from sanctionwatch.nlp.text.reading import reading_of

ACTIVITY_TYPES = {
    "labor_export", "maritime_transfer", "petroleum_trade", "coal_mineral_export", "seafood_export", "textile_export",
    "arms_military", "luxury_goods", "wmd_dual_use_procurement", "financial_banking", "cyber_theft",
    "machinery_vehicle_metal_import", "smuggling_other",
}


def _types(text: str, *, linked: bool = True, sanctions_context: bool = True, espionage_article: bool = False) -> set[str]:
    sentence = Sentence(index=0, start=0, end=len(text), text=text, paragraph=0)
    found = classify_sentence(
        sentence, load_incident_types(), linked=linked, sanctions_context=sanctions_context, espionage_article=espionage_article
    )
    return {c.type for c in found}


def _extract(text: str, published: date = date(2024, 6, 20), source: str | None = "Test Wire") -> list:
    article = Article(id="test-article", text=text, published=published, title="North Korea sanctions", source=source)
    return default_pipeline().extract(article)


@pytest.mark.parametrize(
    ("incident_type", "sentence"),
    [
        ("labor_export", "North Korea dispatched about 500 workers to construction sites in Vladivostok last spring."),
        ("maritime_transfer", "A North Korean tanker took on diesel in a ship-to-ship transfer off the Chinese coast."),
        ("petroleum_trade", "Smugglers sold refined petroleum products to North Korea well beyond the annual cap."),
        ("coal_mineral_export", "North Korea exported coal to Chinese ports through a chain of front companies."),
        ("seafood_export", "Pyongyang sold squid and crabs to processing plants across the border in Hunchun."),
        ("textile_export", "North Korean factories made garments that were exported under Chinese labels."),
        ("arms_military", "North Korea shipped artillery shells to Russia by rail through the Tumangang crossing."),
        ("luxury_goods", "Traders smuggled two armoured limousines into North Korea for the leadership."),
        ("wmd_dual_use_procurement", "Agents of Pyongyang sought to buy centrifuges and other dual-use equipment for the nuclear programme."),
        ("financial_banking", "A regional bank laundered proceeds for North Korean front companies in Dubai."),
        ("cyber_theft", "North Korean hackers stole $40 million in cryptocurrency from an exchange in Seoul."),
        ("machinery_vehicle_metal_import", "Excavators and trucks were smuggled into North Korea across the Yalu river."),
        ("smuggling_other", "The network shipped prohibited goods to North Korea hidden among consumer products."),
        ("context_enforcement", "Japanese customs officers seized a vessel suspected of carrying coal from North Korea."),
        ("context_diplomatic", "Beijing blocked a proposal to designate the shipping firm at the sanctions committee."),
    ],
)
def test_every_type_has_a_cue(incident_type: str, sentence: str) -> None:
    assert incident_type in _types(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        # BAD_INPUTS 24: denials are not asserted activities
        "Officials in Beijing denied that coal was shipped from North Korea to Chinese ports.",
        "The company denies selling refined petroleum to North Korean tankers.",
        # negations
        "No new North Korean workers have been dispatched to the region since the ban.",
        "The customs agency said the tanker did not transfer fuel at sea to any North Korean ship.",
        # hypotheticals and analysis
        "Front companies could be used to evade the ban on North Korean coal exports.",
        "Analysts say Pyongyang may also send more labourers abroad if the border reopens.",
        "A proposal to ban countries from hiring North Korean workers was discussed at the council.",
    ],
)
def test_denials_negations_and_hypotheticals_are_not_activities(sentence: str) -> None:
    assert not (_types(sentence) & ACTIVITY_TYPES)


def test_a_denial_is_diplomatic_context() -> None:
    assert "context_diplomatic" in _types("The foreign ministry denied the reports that its ports handled North Korean coal.")


@pytest.mark.parametrize(
    "sentence",
    [
        # a missile test is not an arms transfer, however many weapon words it has
        "The missile deployed an object that appeared to reach orbit, officials said.",
        "North Korea tested a new solid-fuel missile on Tuesday.",
        # link targets are not prose: a URL slug naming missiles or ships types nothing
        "A new submarine, dubbed the [Hero](https://example.com/navy-ships/north-korea-missile-submarine-sold), is under construction.",
    ],
)
def test_tests_and_link_targets_are_not_arms(sentence: str) -> None:
    assert "arms_military" not in _types(sentence)


def test_the_reading_drops_link_targets_and_soft_hyphens() -> None:
    text = "See [the report](https://example.com/coal-ship-to-ship) for details."
    assert "ship-to-ship" not in reading_of(text).text
    assert "https" not in reading_of("Read https://example.com/a-b now.").text
    assert reading_of(text).text.startswith("See the report for")
    assert reading_of("dis\u00adpatched").text == "dispatched"


def test_troops_deployed_to_a_country_are_arms() -> None:
    assert "arms_military" in _types("North Korea deployed thousands of troops to Russia's Kursk region.")


def test_hacking_in_a_spying_story_needs_a_theft() -> None:
    sentence = "The hackers gained access to the networks of the target companies."
    assert "cyber_theft" not in _types(sentence, espionage_article=True)
    theft = "The same hackers also stole $3 million in ether from a wallet provider."
    assert "cyber_theft" in _types(theft, espionage_article=True)


def test_an_unlinked_sentence_is_not_an_activity() -> None:
    assert not (_types("Smugglers sold refined petroleum products across the border.", linked=False) & ACTIVITY_TYPES)


# --- whole-pipeline traps -----------------------------------------------------------------------


def test_old_incident_keeps_its_own_time() -> None:
    text = (
        "North Korea has long relied on coal smuggling, a report said on Monday.\n\n"
        "In 2017, the vessel exported coal from North Korea to Vietnam in breach of sanctions, the report said."
    )
    coal = [i for i in _extract(text) if i.type == "coal_mineral_export"]
    assert coal
    assert coal[0].time.start is not None and coal[0].time.start.year == 2017
    assert coal[0].time.end is not None and coal[0].time.end.year == 2017


def test_relative_time_resolves_against_publication() -> None:
    text = (
        "North Korea has been sending workers to China since the end of April, a source told the newspaper.\n\n"
        "The North Korean workers were put to work at seafood plants near the border."
    )
    labour = [i for i in _extract(text, published=date(2024, 5, 16)) if i.type == "labor_export"]
    assert labour
    assert str(labour[0].time.start) == "2024-04-21"
    assert str(labour[0].time.end) == "2024-05-16"


def test_quantity_range_of_workers() -> None:
    text = "North Korea sent 1,000-2,000 workers to factories in China this spring, sources said."
    labour = [i for i in _extract(text) if i.type == "labor_export"]
    assert labour and labour[0].quantity is not None
    assert (labour[0].quantity.min, labour[0].quantity.max, labour[0].quantity.unit) == (1000, 2000, "persons")


def test_sea_area_has_no_point() -> None:
    text = "A North Korean tanker received oil in a ship-to-ship transfer in the East China Sea, officials said."
    transfers = [i for i in _extract(text) if i.type == "maritime_transfer"]
    assert transfers
    for place in transfers[0].locations:
        if "Sea" in place.name:
            assert place.lat is None and place.lon is None


def test_north_korea_is_not_a_place_of_its_own_exports() -> None:
    text = "North Korea exports textiles to China despite the sanctions, the Test Wire has found."
    textiles = [i for i in _extract(text) if i.type == "textile_export"]
    assert textiles
    assert [p.country for p in textiles[0].locations] == ["CN"]


@pytest.mark.parametrize(
    "text",
    [
        # BAD_INPUTS 29: NFD Hangul, curly quotes and soft hyphens stay as the article writes them
        unicodedata.normalize("NFD", "North Korean workers were dispatched to 단둥 (Dandong) factories, a source said."),
        "“North Korean workers were dispatched to Dandong factories,” a source said.",
        "North Korean workers were dis\u00adpatched to Dandong fac\u00adtories, a source said.",
    ],
)
def test_evidence_is_verbatim(text: str) -> None:
    incidents = _extract(text)
    assert incidents
    for incident in incidents:
        for sentence, (start, end) in zip(incident.evidence, incident.evidence_spans, strict=True):
            assert sentence in text
            assert text[start:end] == sentence


def test_a_link_does_not_push_a_theft_word_out_of_reach() -> None:
    # The link targets are long; without them "losses" stands close to "hackers".
    sentence = (
        "The most prolific was the February 2025 Bybit breach, [attributed to North Korean hackers]"
        "(https://www.example.com/news/security/fbi-confirms-lazarus-hackers-were-behind-15b-bybit-crypto-heist/),"
        " which resulted in approximately [$1.46 billion in losses]"
        "(https://www.example.com/news/security/hacker-steals-record-146-billion-from-bybit-eth-cold-wallet/)."
    )
    assert "cyber_theft" in _types(sentence)


def test_a_bold_caption_is_not_prose() -> None:
    assert _types("**Stolen amounts linked to North Korean hacks**") == set()
    assert "cyber_theft" in _types("**North Korean hackers stole $3 million in ether from an exchange.**")


@pytest.mark.parametrize(
    "sentence",
    [
        "North Korean officers oversaw the training of Ugandan air force pilots and police between 2017 and 2018.",
        "The attaché offered neighbouring South Sudan presidential guard training and tank crew training.",
    ],
)
def test_military_training_of_other_forces_is_arms(sentence: str) -> None:
    assert "arms_military" in _types(sentence)


def test_training_at_home_is_not_arms() -> None:
    assert "arms_military" not in _types("The city offers police training courses for its own recruits every spring.", linked=False)


def test_intrusions_into_defence_firms_are_spying_unless_something_is_stolen() -> None:
    from sanctionwatch.nlp.mentions.triggers import _ESPIONAGE

    assert _ESPIONAGE.search("North Korean Lazarus hackers compromised three European companies in the defense sector.")
    assert _ESPIONAGE.search("The group targeted several defence contractors in Europe.")
    assert not _ESPIONAGE.search("The hackers stole $600 million from a cross-chain bridge.")


def test_a_measure_passed_by_lawmakers_is_enforcement_context() -> None:
    assert "context_enforcement" in _types(
        "The U.S. House measure passed by 418-2, with overwhelming support from Republicans and Democrats on Tuesday.",
        linked=False,
    )


def test_a_theft_verb_with_what_was_stolen_needs_no_other_word() -> None:
    assert "cyber_theft" in _types(
        "Last March North Korea ripped off a cross-chain bridge, a method for moving cryptocurrency between blockchains."
    )


def test_artillery_trained_on_a_city_is_not_an_arms_transfer() -> None:
    assert "arms_military" not in _types("The North currently has almost 1,000 long-range artillery pieces trained on Seoul.")


def test_money_seized_by_authorities_is_enforcement_context() -> None:
    assert "context_enforcement" in _types("On February 16th Norwegian authorities seized another $5.8m.", linked=False)


def test_putting_a_cap_on_oil_is_a_measure_not_trade() -> None:
    assert "petroleum_trade" not in _types(
        "In September, the Security Council put a cap of 2 million barrels a year on refined petroleum products exports to North Korea."
    )
    assert "petroleum_trade" not in _types(
        "The latest U.N. resolution seeks to ban nearly 90 percent of refined petroleum exports to North Korea."
    )


def test_a_statement_of_a_ban_is_not_an_incident() -> None:
    assert "arms_military" not in _types("North Korean arms exports are also banned under the sanctions regime.")


@pytest.mark.parametrize(
    "sentence",
    [
        "Wang and his North Korean counterpart, Ri Yong Ho, met at the meeting of foreign ministers in Manila.",
        "Wang said he pressed Ri to abide by U.N. resolutions.",
    ],
)
def test_a_ministerial_meeting_pressing_compliance_is_diplomatic_context(sentence: str) -> None:
    assert "context_diplomatic" in _types(sentence)


def test_buying_for_the_missile_programme_is_procurement_not_an_arms_sale() -> None:
    types = _types("North Korean agents tried to buy aramid fibre and machine tools from a Chinese supplier for the missile programme.")
    assert "wmd_dual_use_procurement" in types and "arms_military" not in types


def test_ships_that_deliver_cargo_are_not_ships_changing_hands() -> None:
    cargo = "North Korean ships loaded coal at Nampo in January and delivered it to Chinese buyers off Ningbo."
    assert "machinery_vehicle_metal_import" not in _types(cargo)
    sale = "At least ten second-hand vessels were sold to North Korea by Chinese owners last year."
    assert "machinery_vehicle_metal_import" in _types(sale)
