"""The relevance filter on invented texts: North Korea named and sanctions vocabulary."""

from __future__ import annotations

from datetime import date

import pytest

from sanctionwatch.model import Article
from sanctionwatch.nlp.pipeline import Pipeline


def _relevant(text: str, title: str = "") -> bool:
    article = Article(id="t", text=text, published=date(2024, 5, 1), title=title, source="Test Wire")
    return bool(Pipeline(("relevance",)).run(article).relevant)


@pytest.mark.parametrize(
    "text",
    [
        "North Korea sent 2,000 workers to factories in Jilin in April 2024, sources said.",
        "North Korea dispatched 1.5 thousand workers to Russia last year.",
        "North Korea sent workers to Russia last year.",
    ],
)
def test_one_mention_in_a_sentence_that_reports_sending_workers_is_enough(text: str) -> None:
    # The single mention of North Korea stands in the sentence of the act, figures and all.
    assert _relevant(text)


def test_one_passing_mention_in_other_news_is_not() -> None:
    assert not _relevant("The weather in Seoul was mild, and officials said North Korea held a parade. Oil prices rose.")


def test_sanctions_words_without_north_korea_score_nothing() -> None:
    # Vocabulary alone (ships, oil, sanctions on another country) is general news: the cues are
    # not counted at all when no anchor is present, and the article is not relevant.
    from sanctionwatch.nlp.stages.relevance import relevance_score

    text = "Sanctions on Iran hit oil exports; tankers and ships were seized, and smuggling rose."
    assert relevance_score("Oil tankers seized", text) == (0, 0)
    assert not _relevant(text, title="Oil tankers seized")
    # With an anchor in the title, the same vocabulary is counted.
    anchors, cues = relevance_score("North Korea oil tankers seized", text)
    assert anchors == 2 and cues >= 6
    assert _relevant(text, title="North Korea oil tankers seized")


@pytest.mark.parametrize(
    "text",
    [
        "North Korea shipped coal from Nampho to Ningbo in March, in violation of UN sanctions, officials said.",
        "A UN-sanctioned tanker delivered diesel to a North Korean port last month, satellite images show.",
        "The freighter carried iron ore from North Korea to Longkou in breach of Security Council resolutions.",
        "Customs officers say the shipment of textiles from North Korea was a clear case of sanctions evasion.",
    ],
)
def test_one_mention_in_a_sentence_that_states_a_breach_of_sanctions_is_enough(text: str) -> None:
    # A brief names North Korea once: the sentence that does so also says sanctions were broken
    # (or that a sanctioned party acted), so the article goes through the full pipeline.
    assert _relevant(text)


@pytest.mark.parametrize(
    "text",
    [
        # Breach words, but in another sentence than the one mention of North Korea.
        "Officials said North Korea held a parade. Separately, an Iranian tanker was accused of violating oil sanctions.",
        # The mention and sanctions, but no breach: policy news.
        "Lawmakers debated new sanctions on North Korea on Tuesday, and the vote was postponed.",
    ],
)
def test_breach_words_away_from_the_one_mention_or_policy_news_are_not_enough(text: str) -> None:
    assert not _relevant(text)


def test_a_brief_with_one_mention_and_a_breach_becomes_an_incident_with_its_places() -> None:
    from sanctionwatch.nlp.pipeline import default_pipeline

    text = "North Korea shipped coal from Nampho to Ningbo in March, in violation of UN sanctions, officials said."
    found = default_pipeline().extract(Article(id="brief", text=text, published=date(2024, 5, 1)))
    assert [incident.type for incident in found] == ["coal_mineral_export"]
    assert {location.name for location in found[0].locations} >= {"Nampho", "Ningbo"}
    assert found[0].evidence == (text,)
