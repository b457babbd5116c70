"""Time expressions, quantities and vessel identifiers, per candidate sentence."""

from __future__ import annotations

from datetime import date

from sanctionwatch.nlp.document import Document
from sanctionwatch.nlp.stage import stage


@stage("times", requires={"sentences", "candidates"}, provides={"time_mentions"}, relevant_only=True)
def times_stage(document: Document) -> Document:
    """Resolve time expressions against the publication date."""
    from sanctionwatch.nlp.arguments.timex import find_time_expressions

    published = document.article.published or date.today()
    for index in document.candidate_sentences():
        document.time_mentions[index] = find_time_expressions(document.sentences[index].text, published)
    return document


@stage("quantities", requires={"sentences", "candidates"}, provides={"quantity_mentions", "vessel_mentions"}, relevant_only=True)
def quantities_stage(document: Document) -> Document:
    """Counted quantities, money and vessel identities."""
    from sanctionwatch.nlp.arguments.quantities import find_quantities
    from sanctionwatch.nlp.arguments.vessels import find_vessels

    for index in document.candidate_sentences():
        text = document.sentences[index].text
        document.quantity_mentions[index] = find_quantities(text)
        document.vessel_mentions[index] = find_vessels(text)
    return document
