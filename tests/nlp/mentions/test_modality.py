"""Modality and hedges of event mentions, read from the parse of invented sentences."""

from __future__ import annotations

import pytest

from sanctionwatch.nlp.mentions.modality import Hedge, Modality, read_modality
from sanctionwatch.nlp.spacy_model import load_spacy


def _reading(sentence: str, word: str):  # type: ignore[no-untyped-def]
    doc = load_spacy()(sentence)
    token = next(t for t in doc if t.text == word)
    return read_modality(token, sentence_text=sentence)


@pytest.mark.parametrize(
    ("sentence", "word", "modality"),
    [
        ("Smugglers shipped diesel to the port of Chongjin in March.", "shipped", Modality.ASSERTED),
        ("The regime did not send any loggers to Siberia this year.", "send", Modality.NEGATED),
        ("No tankers reached Nampo after the cap took effect.", "tankers", Modality.NEGATED),
        ("Pyongyang will dispatch two thousand seamstresses to Dandong next spring.", "dispatch", Modality.FUTURE),
        ("The firm plans to sell trucks to the North.", "sell", Modality.FUTURE),
        ("Traders could smuggle copper across the river, officials warned.", "smuggle", Modality.HYPOTHETICAL),
        ("If the buyers paid in cash, the trade would stay hidden.", "paid", Modality.HYPOTHETICAL),
        ("The ministry should expel the fishing crews at once.", "expel", Modality.RECOMMENDED),
        ("The new resolution bans exports of seafood from the North.", "exports", Modality.MEASURE),
        ("Member states are barred from buying North Korean textiles.", "buying", Modality.MEASURE),
        ("Member states cannot import coal from the North.", "import", Modality.MEASURE),
        ("Arms sales to the regime are prohibited.", "sales", Modality.MEASURE),
        ("Its ships usually unload zinc ore in foreign ports.", "unload", Modality.HABITUAL),
        ("Beijing denied that its banks had processed the payments.", "processed", Modality.DENIED),
        ("Did the tanker deliver fuel to the North?", "deliver", Modality.QUESTION),
        ("Satellite images showed limousines arriving in Pyongyang in breach of the ban on luxury goods.", "arriving", Modality.ASSERTED),
        ("The report named firms that buy coal from North Korea.", "buy", Modality.ASSERTED),
    ],
)
def test_modality(sentence: str, word: str, modality: Modality) -> None:
    assert _reading(sentence, word).modality is modality


@pytest.mark.parametrize(
    ("sentence", "word", "hedge"),
    [
        ("The regime may have sold rifles to rebels in the region.", "sold", Hedge.SPECULATIVE),
        ("The group is believed to have stolen $12 million from the bank.", "stolen", Hedge.REPORTED),
        ("The freighter, suspected of carrying coal, was detained.", "carrying", Hedge.REPORTED),
        ("The freighter carried coal to the port.", "carried", Hedge.NONE),
    ],
)
def test_hedges_are_apart_from_modality(sentence: str, word: str, hedge: Hedge) -> None:
    reading = _reading(sentence, word)
    assert reading.modality is Modality.ASSERTED
    assert reading.hedge is hedge


def test_a_reporting_verb_frames_the_claim_without_changing_it() -> None:
    reading = _reading("Customs officials said the vessel had transferred oil at sea.", "transferred")
    assert reading.modality is Modality.ASSERTED and reading.reporting_verb is not None
    assert reading.reporting_verb.text == "said"


def test_finding_no_evidence_negates_the_claim() -> None:
    assert _reading("Investigators found no evidence that the exchange laundered the funds.", "laundered").modality is Modality.NEGATED


def test_a_fact_is_not_hedged_by_the_argument_around_it() -> None:
    sentence = "The fact that two states expelled the traders in 2019 might seem to support that view."
    assert _reading(sentence, "expelled").modality is Modality.ASSERTED


def test_the_ground_of_an_enforcement_act_is_conduct_that_took_place() -> None:
    reading = _reading("The ministry fined three shipping agents for helping the regime buy diesel.", "buy")
    assert reading.modality is Modality.ASSERTED and reading.hedge is Hedge.REPORTED


def test_an_ongoing_activity_with_a_general_adverb_is_no_habit() -> None:
    assert _reading("The new crews have generally been entering the port at night.", "entering").modality is Modality.ASSERTED


@pytest.mark.parametrize(
    ("sentence", "word"),
    [
        ("The rocket is capable of carrying a warhead over long distances.", "carrying"),
        ("The submarine was designed to carry cruise missiles.", "carry"),
    ],
)
def test_capacity_is_no_event(sentence: str, word: str) -> None:
    assert _reading(sentence, word).modality is Modality.HYPOTHETICAL


def test_an_act_named_in_the_subject_of_a_hedged_verb_is_taken_as_given() -> None:
    sentence = "North Korea's recent sale of rockets to Syria may have changed the balance of power."
    reading = _reading(sentence, "sale")
    assert reading.modality is Modality.ASSERTED and reading.hedge is Hedge.NONE
    assert _reading("Any sale of rockets to Syria would anger Washington.", "sale").modality is Modality.HYPOTHETICAL


def test_a_measure_is_broken_only_by_a_word_that_governs_it() -> None:
    broken = _reading("Cars arrived in Pyongyang despite the ban on luxury cars.", "cars")
    assert broken.modality is Modality.ASSERTED
    content = _reading("Talks went on, despite the fact that the resolution prohibits the sale of rockets.", "sale")
    assert content.modality is Modality.MEASURE


def test_an_effort_to_sell_is_no_sale() -> None:
    sentence = "The sanctions target officials at the center of the regime's effort to sell missile parts abroad."
    assert _reading(sentence, "sell").modality is Modality.HYPOTHETICAL
