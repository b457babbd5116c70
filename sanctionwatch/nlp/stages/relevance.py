"""A cheap first filter: is this article about North Korea and sanctions-relevant activity?

Two regular-expression counts decide it, so general news costs a few microseconds per sentence
and never reaches the costly stages.
"""

from __future__ import annotations

from sanctionwatch.nlp.document import Document
from sanctionwatch.nlp.lexicon import DPRK_ANCHOR, SANCTIONS_LEXICON
from sanctionwatch.nlp.stage import stage

MIN_ANCHORS = 2  # one passing mention of North Korea in a story about something else is not enough


def relevance_score(title: str, text: str) -> tuple[int, int]:
    anchors = len(DPRK_ANCHOR.findall(text)) + 2 * len(DPRK_ANCHOR.findall(title))
    cues = len(SANCTIONS_LEXICON.findall(text))
    return anchors, cues


@stage("relevance", requires={"sentences"}, provides={"relevance"})
def relevance_stage(document: Document) -> Document:
    """Mark the document relevant when it names North Korea and uses sanctions vocabulary."""
    anchors, cues = relevance_score(document.article.title or "", document.text)
    document.relevance_score = anchors + cues
    document.relevant = anchors >= MIN_ANCHORS and cues >= 1
    return document
