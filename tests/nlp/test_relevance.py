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
