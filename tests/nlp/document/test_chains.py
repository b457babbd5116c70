"""Ship chains on invented articles: a ship named once is spoken of again as "the freighter"."""

from __future__ import annotations

from datetime import date

from sanctionwatch.model import Article
from sanctionwatch.nlp.document.chains import vessel_chains
from sanctionwatch.nlp.pipeline import Pipeline, default_pipeline

TEXT = "\n\n".join(
    [
        "Indonesian authorities have impounded a North Korean freighter, the Kum Song 7, for violating sanctions.",
        "Officials said the ship had carried anthracite for a trading company.",
        "The freighter had arrived on Tuesday in Surabaya from Nampo.",
        "It had been inspected twice before.",
        "Separately, a Russian tanker, the Vostok Star, was seen off Vladivostok.",
        "The tanker left the next day.",
    ]
)


def _document():  # type: ignore[no-untyped-def]
    article = Article(id="chains-test", text=TEXT, published=date(2024, 3, 8), title="North Korea", source="Test Wire")
    return Pipeline(("relevance", "sentences")).run(article)


def test_descriptions_and_pronouns_join_the_chain_of_the_ship_last_named() -> None:
    chains = {c.name: c.sentences for c in vessel_chains(_document())}
    assert chains["Kum Song 7"] == [0, 1, 2, 3]
    assert chains["Vostok Star"] == [4, 5]


def test_an_act_against_a_ship_takes_its_place_and_date_from_the_chain() -> None:
    article = Article(id="chains-test", text=TEXT, published=date(2024, 3, 8), title="North Korea", source="Test Wire")
    seizures = [i for i in default_pipeline().extract(article) if i.type == "context_enforcement"]
    assert seizures
    seizure = seizures[0]
    assert any("Surabaya" in e for e in seizure.evidence)
    assert "Surabaya" in {p.name for p in seizure.locations}
    assert seizure.time.start == date(2024, 3, 5)


# Goods followed from port to port: the places on their way are the incident's, backed by the
# sentences that name them.
ROUTE = " ".join(
    [
        "North Korea has imported luxury goods in breach of sanctions.",
        "Reporters traced a shipment of three armoured limousines bought for the North Korean leader.",
        "The trail begins at a container terminal in Antwerp.",
        "After a long voyage, the cars arrive in Singapore.",
        "We followed them to the port of Nakhodka.",
        "Officials say the weather was poor.",
        "Finally, the limousines were spotted in Pyongyang.",
    ]
)


def _extract(text: str):  # type: ignore[no-untyped-def]
    article = Article(id="route-test", text=text, published=date(2024, 3, 8), title="North Korea", source="Test Wire")
    return default_pipeline().extract(article)


def test_the_places_on_the_goods_way_are_the_incidents_and_each_is_backed_by_its_sentence() -> None:
    luxury = [i for i in _extract(ROUTE) if i.type == "luxury_goods"]
    assert len(luxury) == 1
    places = {p.name for p in luxury[0].locations}
    assert {"Antwerp", "Singapore", "Nakhodka", "Pyongyang"} <= places
    for name in ("Antwerp", "Singapore", "Nakhodka", "Pyongyang"):
        assert any(name in e for e in luxury[0].evidence)
    # A port of call is not a party to the deal.
    assert not {a.country for a in luxury[0].actors} & {"BE", "SG", "RU"}


def test_goods_the_sentence_points_back_to_start_no_route() -> None:
    # "the cars" of the typed sentence are another story's goods: no chain starts from it.
    text = " ".join(
        [
            "North Korea has imported luxury goods in breach of sanctions.",
            "After the limousines vanished, officials seized a ship smuggling coal from North Korea.",
            "The cars later arrived in Singapore.",
        ]
    )
    coal = [i for i in _extract(text) if i.type == "coal_mineral_export"]
    assert coal and "Singapore" not in {p.name for p in coal[0].locations}


def test_a_chain_ends_when_the_goods_are_not_spoken_of_again() -> None:
    text = " ".join(
        [
            "North Korea has imported luxury goods in breach of sanctions.",
            "Reporters traced a shipment of three armoured limousines bought for the North Korean leader.",
            "The weather was poor that year.",
            "Prices rose sharply.",
            "Tourists flocked to the beaches.",
            "Meanwhile, the cargo of a fishing boat arrived in Singapore.",
        ]
    )
    luxury = [i for i in _extract(text) if i.type == "luxury_goods"]
    assert luxury and "Singapore" not in {p.name for p in luxury[0].locations}
