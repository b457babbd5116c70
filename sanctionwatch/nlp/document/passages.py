"""How sentences of a passage hang together: prose or not, which sentence carries another on
("These are often transferred between ships on the high seas") and which one points back to the
sentence before it ("Many of them had gone there …")."""

from __future__ import annotations

import re

from sanctionwatch.nlp.document import Document
from sanctionwatch.nlp.text.reading import reading_of

_QUESTION_OR_HEADLINE = re.compile(r"\?\s*$")
# Prose ends with punctuation; a headline, a subheading or a caption does not.
_PROSE_END = re.compile(r"[.!\"”’')\]]\s*$")


def is_prose(text: str) -> bool:
    """Whether a reading ends like a sentence of prose (not a question, headline or caption)."""
    return not _QUESTION_OR_HEADLINE.search(text) and bool(_PROSE_END.search(text))


# A sentence that carries on the one before through a reference back to it ("These are often
# transferred between ships on the high seas", "As a result of this scheme, they collected over
# $17 million"): its dates, figures and places belong to the same incident.
_CONTINUATION = re.compile(
    r"^[\W_]*(?:These|This|Those|Such|They|Both|At the time|As a result|In (?:total|all)"
    r"|The (?:same|trade|shipments?|transfers?|deliveries|scheme|money|funds|cargo(?:es)?|vessels?|ships?|tankers?|workers|sales?|heist|theft|attack|hack))\b"
    r"(?![’']s)"  # "The ship's registered manager …" tells about the owner, not the event
)

# ... or names it again early on ("Though the pandemic curbed this trade, it is reported to have grown").
_BACK_REFERENCE = re.compile(
    r"\b(?:this|these|those|such) (?:trade|shipments?|transfers?|exports?|imports?|deliveries|schemes?|activit(?:y|ies)"
    r"|smuggling|practices?|ships?|vessels?|tankers?|workers|labou?rers|money|funds|cargo(?:es)?|sales?|deals?|heists?|thefts?|attacks?|hacks?)\b",
    re.IGNORECASE,
)
_BACK_REFERENCE_REACH = 60


def _kept_beside(document: Document, index: int, other: int) -> bool:
    """Whether sentence ``other`` is prose in the paragraph of sentence ``index`` or the one next to it."""
    if not 0 <= other < len(document.sentences):
        return False
    if abs(document.sentences[other].paragraph - document.sentences[index].paragraph) > 1:
        return False
    return is_prose(reading_of(document.sentences[other].text).text)


def continuation_after(document: Document, index: int) -> int | None:
    """The index of the sentence after ``index`` when it carries ``index`` on (in its paragraph or
    the next), else None."""
    following = index + 1
    if not _kept_beside(document, index, following):
        return None
    text = reading_of(document.sentences[following].text).text
    if not (_CONTINUATION.match(text) or _BACK_REFERENCE.search(text[:_BACK_REFERENCE_REACH])):
        return None
    return following


# A sentence that opens by pointing back ("Many of them had gone there … to earn money for the
# state"): the sentence before names who and where.
_POINTS_BACK = re.compile(r"^[\W_]*(?:(?:Many|Most|Some|All|Few|Several|Many more|Hundreds|Thousands) of (?:them|these|those)|They|These|Those)\b")


def antecedent_before(document: Document, index: int) -> int | None:
    """The index of the sentence before ``index`` when ``index`` opens by pointing back to it, else None."""
    if index == 0 or not _POINTS_BACK.match(document.sentences[index].text) or not _kept_beside(document, index, index - 1):
        return None
    return index - 1
