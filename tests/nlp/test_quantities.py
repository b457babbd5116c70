"""Quantities: counted nouns and money, conventions of ANNOTATION_NOTES.md, numbers that are not quantities."""

from __future__ import annotations

import pytest

from sanctionwatch.model import Quantity
from sanctionwatch.nlp.arguments.quantities import QuantityMention, best_quantity, find_quantities

INF = None  # an open bound


@pytest.mark.parametrize(
    ("text", "minimum", "maximum", "unit", "item"),
    [
        # BAD_INPUTS 26
        ("1,000-2,000 workers", 1000, 2000, "persons", "workers"),
        ("about 1.5 million tonnes of coal", 1_500_000, 1_500_000, "tons", "tonnes"),
        ("several hundred workers", 200, 999, "persons", "workers"),
        ("북한 노동자 3만 명이 파견됐다", 30_000, 30_000, "persons", None),
        ("2억 달러", 200_000_000, 200_000_000, "USD", None),
        ("1억 5천만 원", 150_000_000, 150_000_000, "KRW", None),
        ("3만여 명", 30_000, INF, "persons", None),
        ("more than 50,000 barrels", 50_000, INF, "barrels", "barrels"),
        ("as much as 600 tons", INF, 600, "tons", "tons"),
        # seed and dev conventions
        ("one or two thousand workers", 1000, 2000, "persons", "workers"),
        ("Dozens or even hundreds of workers", 24, 999, "persons", "workers"),
        ("hundreds of containers of weaponry", 200, 999, "containers", "containers"),
        ("tens of millions of dollars", 10_000_000, 99_999_999, "USD", None),
        ("almost 300 North Korean workers", INF, 300, "persons", "workers"),
        ("on at least three occasions", 3, INF, "occasions", "occasions"),
        ("about 30 times since October", 30, 30, "occasions", "times"),
        ("over $17 million in illicit revenue", 17_000_000, INF, "USD", "illicit revenue"),
        ("the $81 million heist", 81_000_000, 81_000_000, "USD", None),
        ("$1.7 billion of cryptocurrency", 1_700_000_000, 1_700_000_000, "USD", "cryptocurrency"),
        ("a record $1.7bn of the stuff", 1_700_000_000, 1_700_000_000, "USD", "stuff"),
        ("more than $600m", 600_000_000, INF, "USD", None),
        ("an estimated $2billion", 2_000_000_000, 2_000_000_000, "USD", None),
        ("seized another $5.8m.", 5_800_000, 5_800_000, "USD", None),
        ("2.5 million won", 2_500_000, 2_500_000, "KRW", None),
        ("52 ships", 52, 52, "vessels", "ships"),
        ("some 10,000 containers of munitions", 10_000, 10_000, "containers", "containers"),
        ("four vessels", 4, 4, "vessels", "vessels"),
        ("at least 40 previously unreported shipments", 40, INF, "shipments", "shipments"),
        ("four healthcare and non-profit organizations", 4, 4, "organizations", "organizations"),
        ("56 construction projects", 56, 56, "projects", "projects"),
        ("at least nine trips", 9, INF, "trips", "trips"),
        ("two tankers", 2, 2, "vessels", "tankers"),
        ("49 laptops", 49, 49, "items", "laptops"),
        ("between 10 and 20 ships", 10, 20, "vessels", "ships"),
        ("300 or more workers", 300, INF, "persons", "workers"),
        ("thousands of IT workers", 2000, 9999, "persons", "workers"),
        ("Four of the vessels were designated", 4, 4, "vessels", "vessels"),
    ],
)
def test_quantity_is_found(text: str, minimum: float | None, maximum: float | None, unit: str, item: str | None) -> None:
    mentions = find_quantities(text)
    assert len(mentions) == 1
    quantity = mentions[0].quantity
    assert (quantity.min, quantity.max, quantity.unit, quantity.item) == (minimum, maximum, unit, item)
    assert text[mentions[0].start : mentions[0].end] == mentions[0].text == quantity.text


@pytest.mark.parametrize(
    "text",
    [
        "in 2017 the ship sailed",
        "published on May 16, 2024 at 02:00PM",
        "a 45-year-old man, aged 45",
        "30% of exports, 30 percent of imports",
        "under Resolution 2397 and UNSCR 2094",
        "call +82-2-1234-5678 now",
        "22.1 C / Delhi",
        "the 200-page report",
        "an 8,000 dwt product tanker",
        "North Korea fired 3 missiles in 2 days",
        "",
    ],
)
def test_numbers_that_are_not_quantities(text: str) -> None:
    assert [m for m in find_quantities(text) if m.quantity.unit != "items"] == []
    assert all(m.quantity.item != "days" for m in find_quantities(text))


def test_resolution_and_year_numbers_give_nothing() -> None:
    assert find_quantities("Resolution 2397 sanctions since 2017 workers left") == []


def test_seed_sentence_gives_both_ranges_and_the_larger_is_best() -> None:
    text = (
        "Dozens or even hundreds of workers have been entering China in each batch, with one or two thousand "
        "workers making the move since the end of April, the source estimated."
    )
    mentions = find_quantities(text)
    assert [(m.quantity.min, m.quantity.max) for m in mentions] == [(24, 999), (1000, 2000)]
    best = best_quantity(mentions)
    assert best is not None and (best.min, best.max, best.unit, best.item) == (1000, 2000, "persons", "workers")


def _mention(minimum: float | None, maximum: float | None, unit: str) -> QuantityMention:
    return QuantityMention(0, 1, "x", Quantity(minimum, maximum, unit))


@pytest.mark.parametrize(
    ("mentions", "expected_unit", "expected_max"),
    [
        ([], None, None),
        ([_mention(3, 3, "items"), _mention(300, 300, "persons")], "persons", 300),
        ([_mention(5000, 5000, "items"), _mention(2, 2, "vessels")], "vessels", 2),
        ([_mention(600, None, "USD"), _mention(None, 300, "persons")], "USD", None),
    ],
)
def test_best_quantity(mentions: list[QuantityMention], expected_unit: str | None, expected_max: float | None) -> None:
    best = best_quantity(mentions)
    assert (best.unit if best else None, best.max if best else None) == (expected_unit, expected_max)


@pytest.mark.parametrize("text", ["1" * 1_000_000, "1,000" * 200_000, "a" * 1_000_000, "3만" * 300_000])
def test_megabyte_without_whitespace_returns_quickly(text: str) -> None:
    # Returns at all (the hang guard in pyproject.toml stops a backtracking pattern).
    found = find_quantities(text)
    assert isinstance(found, list)
