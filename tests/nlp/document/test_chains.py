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
