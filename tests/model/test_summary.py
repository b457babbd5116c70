"""summarize(): invented incidents in, one analyst's line out."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest

from sanctionwatch.model import Actor, Incident, Location, Quantity, TimeRange
from sanctionwatch.model.summary import (
    CountryNames,
    country_names_from_records,
    describe_window,
    format_amount,
    summarize,
)

NAMES = country_names_from_records(
    [
        {"code": "KP", "name": "North Korea", "adjectives": ["North Korean", "N. Korean"]},
        {"code": "CN", "name": "China", "adjectives": ["Chinese"]},
        {"code": "US", "name": "United States", "adjectives": ["American", "U.S.", "US"]},
        {"code": "RU", "name": "Russia", "adjectives": ["Russian"]},
        {"code": "SD", "name": "Sudan", "adjectives": ["Sudanese"]},
        {"code": "AO", "name": "Angola", "adjectives": ["Angolan"]},
        {"code": "LK", "name": "Sri Lanka", "adjectives": ["Sri Lankan"]},
    ]
)
KP = Actor(name="North Korea", country="KP", role="perpetrator")


def incident(type: str = "labor_export", **fields) -> Incident:  # type: ignore[no-untyped-def]
    return Incident(article_id="a-1", type=type, **fields)


def test_the_example_line_of_the_issue() -> None:
    line = summarize(
        incident(
            actors=(KP,),
            quantity=Quantity(min=1000, max=2000, unit="persons", item="workers"),
            locations=(Location(name="Jilin", country="CN", role="destination"),),
            time=TimeRange(start=date(2024, 4, 21), end=date(2024, 5, 31), precision="day"),
            certainty="asserted",
        ),
        NAMES,
    )
    assert line == "North Korea sent 1,000–2,000 workers to Jilin, China (late April–May 2024)."


def test_a_unit_is_never_repeated() -> None:
    line = summarize(
        incident(
            "maritime_transfer",
            actors=(KP,),
            quantity=Quantity(min=None, max=600, unit="tons", item="tons"),
            commodity="oil",
            locations=(Location(name="Yellow Sea", role="site"),),
        ),
        NAMES,
    )
    assert "of tons of tons" not in line and "tons of tons" not in line
    assert "?" not in line
    assert line == "North Korea transferred up to 600 tons of oil in the Yellow Sea."


@pytest.mark.parametrize(
    ("quantity", "money", "expected"),
    [
        (Quantity(min=None, max=600, unit="tons"), None, "up to 600"),
        (Quantity(min=10, max=None, unit="persons"), None, "at least 10"),
        (Quantity(min=1000, max=2000, unit="persons"), None, "1,000–2,000"),
        (Quantity(min=1_500_000_000, max=1_500_000_000, unit="USD"), "USD", "US$1.5 billion"),
        (Quantity(min=6_400_000, max=None, unit="USD"), "USD", "at least US$6.4 million"),
        (Quantity(min=2_000_000, max=9_999_999, unit="USD"), "USD", "US$2–10 million"),
        (Quantity(min=750_000, max=750_000, unit="USD"), "USD", "US$750,000"),
        (Quantity(min=3, max=3, unit="KRW"), "KRW", "3 won"),
    ],
)
def test_amounts(quantity: Quantity, money: str | None, expected: str) -> None:
    assert format_amount(quantity, money=money) == expected


def test_an_actors_home_is_not_a_place_involved() -> None:
    # The old line was "Labour export involving Arizona.": Arizona is where the U.S. counterpart is.
    line = summarize(
        incident(
            actors=(Actor("North Korean", "KP", "perpetrator"), Actor("U.S.", "US", "counterpart")),
            locations=(Location(name="Arizona", country="US", role="site"),),
        ),
        NAMES,
    )
    assert "involving" not in line
    assert line == "North Korea sent workers to Arizona, the United States."


def test_places_in_counterpart_countries_and_countries_named_once() -> None:
    line = summarize(
        incident(
            "arms_military",
            actors=(
                Actor("North Korea’s", "KP", "perpetrator"),
                Actor("Angola", "AO", "counterpart"),
                Actor("Sri Lanka", "LK", "counterpart"),
            ),
            locations=(
                Location(name="Luanda", country="AO", role="site", lat=-8.84, lon=13.23),
                Location(name="Sri Lanka", country="LK", role="site"),
            ),
            time=TimeRange(start=date(2014, 1, 1), end=date(2016, 12, 31), precision="year"),
            certainty="reported",
        ),
        NAMES,
    )
    assert line == "North Korea reportedly supplied arms to Luanda, Angola and Sri Lanka (2014–2016)."


def test_money_as_value_of_goods_and_speculative_modal() -> None:
    line = summarize(
        incident(
            "arms_military",
            actors=(KP, Actor("Sudan", "SD", "counterpart")),
            quantity=Quantity(min=6_400_000, max=None, unit="USD"),
            locations=(Location(name="North Korea", country="KP"), Location(name="Sudan", country="SD")),
            time=TimeRange(start=date(2013, 8, 1), end=date(2013, 8, 31), precision="month"),
            certainty="speculative",
        ),
        NAMES,
    )
    assert line == "North Korea may have supplied arms worth at least US$6.4 million to Sudan (August 2013)."


def test_enforcement_names_the_enforcer_and_the_target() -> None:
    line = summarize(
        incident(
            "context_enforcement",
            actors=(Actor("U.S.", "US", "enforcer"),),
            quantity=Quantity(min=10, max=10, unit="persons", item="individuals"),
        ),
        NAMES,
    )
    assert "Enforcement action of" not in line
    assert line == "The United States took action against 10 individuals."


def test_theft_money_is_the_object_and_leftover_fragments_are_dropped() -> None:
    line = summarize(
        incident(
            "cyber_theft",
            actors=(Actor("North Korean", "KP", "perpetrator"), Actor("bridge", None, "counterpart")),
            quantity=Quantity(min=600_000_000, max=None, unit="USD"),
            commodity="cryptocurrency",
            time=TimeRange(start=date(2022, 3, 1), end=date(2022, 3, 31), precision="month"),
        ),
        NAMES,
    )
    assert line == "North Korea stole at least US$600 million in cryptocurrency (March 2022)."


def test_without_a_subject_the_line_is_a_noun_phrase_with_its_certainty() -> None:
    line = summarize(
        incident(
            "maritime_transfer",
            quantity=Quantity(min=6, max=6, unit="occasions", item="occasions"),
            locations=(Location(name="East China Sea", role="site"),),
            certainty="reported",
        )
    )
    assert line == "Reported: Ship-to-ship transfer of cargo on 6 occasions in the East China Sea."


def test_without_names_codes_and_names_as_written_are_used() -> None:
    line = summarize(
        incident(
            actors=(Actor("North Korea", "KP", "perpetrator"),),
            locations=(Location(name="Dandong", country="CN", role="destination"),),
        ),
        CountryNames(),
    )
    assert line == "North Korea sent workers to Dandong."


def test_an_empty_incident_still_reads() -> None:
    assert summarize(incident("smuggling_other")) == "Smuggling of goods."
    assert summarize(Incident(article_id="a", type="unknown_type")) == "Incident."


@pytest.mark.parametrize(
    ("time", "expected"),
    [
        (TimeRange(), ""),
        (TimeRange(start=date(2024, 5, 1), end=date(2024, 5, 31), precision="month"), "May 2024"),
        (TimeRange(start=date(2024, 4, 1), end=date(2024, 5, 31), precision="month"), "April–May 2024"),
        (TimeRange(start=date(2023, 11, 1), end=date(2024, 2, 29), precision="month"), "November 2023–February 2024"),
        (TimeRange(start=date(2023, 9, 13), end=date(2023, 9, 13), precision="day"), "13 September 2023"),
        (TimeRange(start=date(2025, 11, 3), end=date(2025, 11, 5), precision="day"), "3–5 November 2025"),
        (TimeRange(start=date(2024, 4, 21), end=date(2024, 5, 31), precision="day"), "late April–May 2024"),
        (TimeRange(start=date(2024, 4, 28), end=date(2024, 5, 3), precision="day"), "28 April–3 May 2024"),
        (TimeRange(start=date(2014, 1, 1), end=date(2016, 12, 31), precision="year"), "2014–2016"),
        (TimeRange(start=date(2017, 1, 1), end=date(2017, 12, 31), precision="year"), "2017"),
        (TimeRange(start=None, end=date(2025, 6, 21)), "by 21 June 2025"),
        (TimeRange(start=date(2022, 3, 1), end=None, precision="month"), "March 2022"),
    ],
)
def test_windows_at_their_precision(time: TimeRange, expected: str) -> None:
    assert describe_window(time) == expected


def test_no_question_marks_or_doubled_words_across_many_shapes() -> None:
    quantities = [None, Quantity(None, 600, "tons", "tons"), Quantity(5, None, "vessels", "ships"),
                  Quantity(1, 1, "persons", "workers"), Quantity(2, 9, "containers", None)]  # fmt: skip
    for type_name in ("labor_export", "maritime_transfer", "arms_military", "context_diplomatic", "cyber_theft"):
        for quantity in quantities:
            line = summarize(incident(type_name, actors=(KP,), quantity=quantity), NAMES)
            words = line.rstrip(".").split()
            assert "?" not in line and "None" not in line, line
            assert all(a != b for a, b in pairwise(words)), line
            assert line.endswith(".") and line[0].isupper()


def test_money_ranges_across_scales_and_aliases_read_as_the_country() -> None:
    assert format_amount(Quantity(200_000_000, 999_999_999, "USD"), money="USD") == "US$200 million–1 billion"
    names = country_names_from_records(
        [{"code": "KP", "name": "North Korea", "adjectives": [], "aliases": ["Democratic People's Republic of Korea"]}]
    )
    line = summarize(
        incident(
            actors=(Actor("Democratic People's Republic of Korea", "KP"),),
            quantity=Quantity(2e8, 1e9, "USD"),
            commodity="IT workers",
        ),
        names,
    )
    assert line == "North Korea sent IT workers earning US$200 million–1 billion."


def test_enforcement_happens_in_a_place_and_the_high_seas_read_on() -> None:
    enforcement = incident("context_enforcement", actors=(Actor("U.S.", "US", "enforcer"),),
                           locations=(Location("Arizona", "US", role="origin"),))  # fmt: skip
    assert summarize(enforcement, NAMES) == "The United States took enforcement action in Arizona."
    transfer = incident("maritime_transfer", actors=(KP,), locations=(Location("the high seas"),))
    assert summarize(transfer, NAMES) == "North Korea transferred cargo on the high seas."


def test_an_unnormalised_unit_is_a_counted_noun() -> None:
    line = summarize(incident(actors=(KP,), quantity=Quantity(min=2000, max=2000, unit="workers")), NAMES)
    assert line == "North Korea sent 2,000 workers."
