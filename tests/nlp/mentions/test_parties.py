"""Parties of event mentions and North Korea's part in them, on invented sentences."""

from __future__ import annotations

from datetime import date

import pytest

from sanctionwatch.model import Article
from sanctionwatch.nlp.mentions.build import mentions_of
from sanctionwatch.nlp.pipeline import Pipeline, default_pipeline

_UP_TO_ENTITIES = ("relevance", "sentences", "triggers", "times", "quantities", "entities")


def _extract(text: str):  # type: ignore[no-untyped-def]
    article = Article(id="t", text=text, published=date(2024, 6, 1), title="North Korea sanctions", source="Test Wire")
    return default_pipeline().extract(article)


def _mentions(text: str, incident_type: str):  # type: ignore[no-untyped-def]
    article = Article(id="t", text=text, published=date(2024, 6, 1), title="North Korea sanctions", source="Test Wire")
    document = Pipeline(_UP_TO_ENTITIES).run(article)
    found = []
    for candidate in document.candidates:
        if candidate.type == incident_type:
            found.extend(mentions_of(document, candidate, document.parses[candidate.sentence]))
    return found


@pytest.mark.parametrize(
    ("text", "incident_type", "involvement"),
    [
        ("North Korea sold artillery shells to Russia last year, officials said. North Korea denies it.", "arms_military", "party"),
        ("North Korean sanctions are tight. Russian tankers delivered diesel to North Korea in May.", "petroleum_trade", "party"),
        ("North Korea is under sanctions. South Korea sold tanks worth $5bn to Poland last year.", "arms_military", "other"),
        (
            "North Korea is under sanctions. The United States announced it was sending missile interceptors to Guam.",
            "arms_military",
            "other",
        ),
    ],
)
def test_north_koreas_part(text: str, incident_type: str, involvement: str) -> None:
    mentions = _mentions(text, incident_type)
    assert mentions, "the sentence is typed"
    assert mentions[0].involvement == involvement


def test_agent_theme_and_recipient() -> None:
    (mention, *_) = _mentions("North Korea is isolated. Pyongyang shipped 2,000 artillery shells to Syria in 2012.", "arms_military")
    assert mention.countries("agent") == {"KP"}
    assert mention.countries("recipient") == {"SY"}


def test_an_object_pronoun_takes_the_state_named_before_it() -> None:
    text = "China trades with North Korea. It buys coal from North Korea and has provided it with old boats to smuggle it in."
    boats = list(_mentions(text, "machinery_vehicle_metal_import"))
    assert boats and boats[0].involvement == "party"


def test_a_participle_s_noun_is_its_theme() -> None:
    text = "North Korea earns money abroad. North Korean IT workers hired by U.S. firms earned $6 million for the regime."
    mentions = _mentions(text, "labor_export")
    assert mentions and mentions[0].involvement == "party"
    assert "KP" in mentions[0].countries("theme") and "US" in mentions[0].countries("agent")


@pytest.mark.parametrize(
    ("text", "typed"),
    [
        ("North Korea is under sanctions. A North Korean freighter was carrying coal to a Chinese port in May.", True),
        ("North Korea is under sanctions. Its military keeps carrying a large standing army of conscripts and coal miners.", False),
    ],
)
def test_carrying_moves_goods_only_when_a_conveyance_carries(text: str, typed: bool) -> None:
    assert bool(_mentions(text, "coal_mineral_export")) is typed


def test_labour_at_home_is_no_labour_export() -> None:
    home = "North Korea's army is large. Many soldiers are employed as labourers and some have been sent to toil on farms."
    assert not [i for i in _extract(home) if i.type == "labor_export"]
    abroad = "North Korea's army is large. Many labourers have been sent abroad to toil on farms for foreign companies."
    assert [i for i in _extract(abroad) if i.type == "labor_export"]


def test_goods_bound_for_another_named_state_are_another_trade() -> None:
    text = "North Korea imports fuel. Employees of a shipping firm ran a scheme to supply Syria with jet fuel in 2015."
    mentions = _mentions(text, "petroleum_trade")
    assert mentions and all(m.involvement == "other" for m in mentions if "Syria" in m.event_text or m.countries("recipient"))


def test_a_company_on_a_blacklist_is_no_enforcement_act() -> None:
    text = "North Korea faces sanctions. Investigators are looking at two Chinese firms on the U.N. sanctions blacklist."
    assert not [i for i in _extract(text) if i.type == "context_enforcement"]


def test_an_earlier_designation_named_as_background_is_no_enforcement_act() -> None:
    text = "North Korea's tankers keep sailing. While the tanker Sea Star was designated by the US Treasury in May 2022, it still sails."
    assert not [i for i in _extract(text) if i.type == "context_enforcement"]
    news = "North Korea's tankers keep sailing. The tanker Sea Star was designated by the US Treasury on Monday."
    assert [i for i in _extract(news) if i.type == "context_enforcement"]


def test_the_arms_trade_of_others_in_a_north_korea_story_is_no_incident() -> None:
    text = "\n\n".join(
        [
            "North Korea sold artillery shells to Russia last year, officials said.",
            "The world's arms market has changed.",
            "Dealers compete hard for buyers.",
            "Over half the weapons exports of the period went to a few buyers in Asia.",
        ]
    )
    arms = [i for i in _extract(text) if i.type == "arms_military"]
    assert len(arms) == 1 and "artillery shells" in arms[0].evidence[0]


def test_military_cooperation_is_an_arms_act_of_its_own() -> None:
    text = "North Korea faces sanctions. The panel is investigating military cooperation between North Korea and Sudan."
    assert [i for i in _extract(text) if i.type == "arms_military"]
    plan = "North Korea faces sanctions. The two states may deepen their military cooperation next year."
    assert not [i for i in _extract(plan) if i.type == "arms_military"]


def test_a_word_of_moving_goods_supports_arms_only_where_the_parse_links_them() -> None:
    unlinked = "North Korea faces sanctions. The front is quiet in the rocket war, with both armies facing dwindling supplies."
    assert not [i for i in _extract(unlinked) if i.type == "arms_military"]
    linked = "North Korea faces sanctions. North Korea supplied rockets to the junta last year, officials said."
    assert [i for i in _extract(linked) if i.type == "arms_military"]


def test_a_hyphenated_description_of_the_weapon_names_no_act() -> None:
    text = "North Korea faces sanctions. Analysts say the liquid-fuel rocket is hard to intercept."
    assert not [i for i in _extract(text) if i.type == "arms_military"]
    # The description may sit on another weapon of the list than the cue the word supports.
    listed = "North Korea faces sanctions. The leader unveiled a list of new weapons, including spy drones, solid-fuel missiles and nuclear-powered submarines."
    assert not [i for i in _extract(listed) if i.type == "arms_military"]
    # Goods that modify the act word leave it an act: "an oil-smuggling ring that shipped diesel".
    ring = "North Korea faces sanctions. Police broke up an oil-smuggling ring that shipped diesel to North Korea last year."
    assert [i for i in _extract(ring) if i.type == "petroleum_trade"]


@pytest.mark.parametrize(
    ("text", "typed"),
    [
        ("North Korea faces sanctions. The regime is sending rifles to the border police to enforce its curfew.", False),
        ("North Korea faces sanctions. Pyongyang sent its special forces to the northern border area last week.", False),
        ("North Korea faces sanctions. North Korea sent rifles to Russian troops in Kursk last week, officials said.", True),
    ],
)
def test_arms_for_the_states_own_forces_move_no_arms_abroad(text: str, typed: bool) -> None:
    assert bool([i for i in _extract(text) if i.type == "arms_military"]) is typed


def test_supplying_a_state_with_goods_makes_it_the_recipient() -> None:
    mentions = _mentions("North Korea faces sanctions. North Korea supplied Russia with artillery shells last year.", "arms_military")
    roles = {(p.role, p.text) for m in mentions for p in m.parties}
    assert ("recipient", "Russia") in roles and ("theme", "artillery shells") in roles
    # Another state's scheme to supply a third with fuel is that state's trade, not North Korea's.
    other = "North Korea faces sanctions. A Russian firm ran a scheme to supply Syria with jet fuel, officials said."
    assert not [i for i in _extract(other) if i.type == "petroleum_trade"]
