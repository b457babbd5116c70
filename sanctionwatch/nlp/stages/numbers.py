"""Time expressions, quantities and vessel identifiers, per candidate sentence.

Times and quantities are read on the sentence's reading (``nlp/text/reading.py``: no markup, no
soft hyphens, plain spaces) and mapped back to offsets of the sentence's own text. Vessels are
read on the text itself: ship trackers' link targets carry IMO and MMSI numbers.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TypeVar

from sanctionwatch.nlp.document import Document
from sanctionwatch.nlp.stage import stage
from sanctionwatch.nlp.text.reading import Reading, reading_of

_Found = TypeVar("_Found")


def in_original(reading: Reading, original_text: str, found: list[_Found]) -> list[_Found]:
    """Mentions found on ``reading.text`` with their offsets and text moved back to ``original_text``."""
    moved = []
    for mention in found:
        start, end = reading.span(mention.start, mention.end)  # type: ignore[attr-defined]
        moved.append(replace(mention, start=start, end=end, text=original_text[start:end]))  # type: ignore[type-var]
    return moved


@stage("times", requires={"sentences", "candidates"}, provides={"time_mentions"}, relevant_only=True)
def times_stage(document: Document) -> Document:
    """Resolve time expressions against the publication date."""
    from sanctionwatch.nlp.arguments.timex import find_time_expressions

    published = document.article.published or date.today()
    for index in document.candidate_sentences():
        text = document.sentences[index].text
        reading = reading_of(text)
        document.time_mentions[index] = in_original(reading, text, find_time_expressions(reading.text, published))
    return document


@stage("quantities", requires={"sentences", "candidates"}, provides={"quantity_mentions", "vessel_mentions"}, relevant_only=True)
def quantities_stage(document: Document) -> Document:
    """Counted quantities, money and vessel identities."""
    from sanctionwatch.nlp.arguments.quantities import find_quantities
    from sanctionwatch.nlp.arguments.vessels import find_vessels

    for index in document.candidate_sentences():
        text = document.sentences[index].text
        reading = reading_of(text)
        document.quantity_mentions[index] = in_original(reading, text, find_quantities(reading.text))
        document.vessel_mentions[index] = find_vessels(text)
    return document
