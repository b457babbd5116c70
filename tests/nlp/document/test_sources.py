"""Sources of a document: the lede's source governs what the story reports, not its background."""

from __future__ import annotations

from datetime import date

from sanctionwatch.model import Article
from sanctionwatch.nlp.document.sources import governing_source, sourcing_of
from sanctionwatch.nlp.pipeline import Pipeline, default_pipeline


def _article(text: str, source: str = "Test Wire") -> Article:
    return Article(id="sources-test", text=text, published=date(2025, 6, 30), title="North Korea", source=source)


LEDE = (
    "The Finance Ministry announced on Monday that it had traced a shipment of North Korean coal to a port in Vietnam.\n\n"
    "North Korean coal worth $3 million was unloaded at the port in May, hidden under bags of cement.\n\n"
    "In 2016, North Korean coal was sold to traders in Malaysia through a front company."
)


def test_the_lede_names_the_source_of_the_story() -> None:
    document = Pipeline(("relevance", "sentences")).run(_article(LEDE))
    assert sourcing_of(document).lede == "named_official"
    assert governing_source(document, recent=True) == "named_official"
    assert governing_source(document, recent=False) == ""


def test_what_the_story_reports_takes_the_lede_source_and_its_background_the_outlet() -> None:
    coal = [i for i in default_pipeline().extract(_article(LEDE)) if i.type == "coal_mineral_export"]
    by_year = {i.time.start.year if i.time.start else None: i for i in coal}
    assert by_year[2025].attribution == "named_official"
    assert by_year[2016].attribution == "journalist_observation"


def test_a_story_whose_lede_names_no_source_speaks_in_the_outlet_s_voice() -> None:
    text = "North Korean coal worth $3 million was unloaded at a port in Vietnam in May, hidden under bags of cement."
    coal = [i for i in default_pipeline().extract(_article(text)) if i.type == "coal_mineral_export"]
    assert coal and coal[0].attribution == "journalist_observation"
