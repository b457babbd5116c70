"""A cheap first filter: is this article about North Korea and sanctions-relevant activity?

Two regular-expression counts decide it, so general news never reaches the costly stages. The
North Korea anchors are counted first: most general news names none, and then the sanctions
vocabulary (a case-insensitive pattern about ten times as costly per character) is not read at
all, since no count of it could make the article relevant.
"""

from __future__ import annotations

from sanctionwatch.nlp.document import Document
from sanctionwatch.nlp.lexicon import DPRK_ANCHOR, SANCTIONS_ACTIVITY, SANCTIONS_BREACH, SANCTIONS_LEXICON
from sanctionwatch.nlp.stage import stage

MIN_ANCHORS = 2  # one passing mention of North Korea in a story about something else is not enough
# ...unless that one mention sits in a sentence that itself reports an activity ("a Chinese bank
# suspected of money laundering pertaining to North Korea") or a breach of sanctions ("North
# Korea shipped coal to Ningbo in violation of UN sanctions"): roundups and briefs name it once.


def relevance_score(title: str, text: str) -> tuple[int, int]:
    """North Korea anchors (a title's count double) and sanctions cues; the cues are 0 without
    an anchor, where they cannot make the article relevant."""
    anchors = len(DPRK_ANCHOR.findall(text)) + 2 * len(DPRK_ANCHOR.findall(title))
    cues = len(SANCTIONS_LEXICON.findall(text)) if anchors else 0
    return anchors, cues


@stage("relevance", provides={"relevance"})
def relevance_stage(document: Document) -> Document:
    """Mark the document relevant when it names North Korea and uses sanctions vocabulary."""
    anchors, cues = relevance_score(document.article.title or "", document.text)
    document.relevance_score = anchors + cues
    # The one-mention sentence that reports the act is itself the sanctions cue ("in breach of
    # Security Council resolutions" uses no word of the vocabulary).
    document.relevant = (cues >= 1 and anchors >= MIN_ANCHORS) or (anchors == 1 and _activity_near_anchor(document.text))
    return document


def _activity_near_anchor(text: str) -> bool:
    """The one North Korea mention stands in a sentence that names a sanctions activity.

    Runs before sentence splitting (which is the costly part for general news), so the
    sentence is approximated by the text between the nearest full stops or line breaks.
    """
    for anchor in DPRK_ANCHOR.finditer(text):
        start = max(text.rfind(". ", 0, anchor.start()), text.rfind("\n", 0, anchor.start())) + 1
        ends = [i for i in (text.find(". ", anchor.end()), text.find("\n", anchor.end())) if i >= 0]
        end = min(ends) if ends else len(text)
        sentence = text[start:end]
        if SANCTIONS_ACTIVITY.search(sentence) or SANCTIONS_BREACH.search(sentence):
            return True
    return False
