"""The mentions stage: event mentions from the candidates and the parse (``nlp/mentions/build.py``)."""

from __future__ import annotations

from sanctionwatch.nlp.document import Document
from sanctionwatch.nlp.mentions.build import mentions_of, tells_an_event_in
from sanctionwatch.nlp.mentions.dates import mark_reporting_dates
from sanctionwatch.nlp.stage import stage


@stage("mentions", requires={"candidates", "parses", "entities"}, provides={"event_mentions"}, relevant_only=True)
def mentions_stage(document: Document) -> Document:
    """Read each candidate's triggers in the parse; keep the candidates that tell an event; mark
    the time expressions that date reports."""
    kept = []
    for candidate in document.candidates:
        parse = document.parses.get(candidate.sentence)
        mentions = mentions_of(document, candidate, parse) if parse is not None else []
        document.event_mentions.extend(mentions)
        if tells_an_event_in(document, candidate, mentions):
            kept.append(candidate)
    document.candidates = kept
    document.reindex()
    mark_reporting_dates(document)
    return document
