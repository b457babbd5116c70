"""The sentences stage: paragraphs and sentences with offsets (``nlp/text/sentences.py``)."""

from __future__ import annotations

from sanctionwatch.nlp.document import Document
from sanctionwatch.nlp.stage import stage
from sanctionwatch.nlp.text.sentences import split_sentences


@stage("sentences", requires={"relevance"}, provides={"sentences"}, relevant_only=True)
def sentences_stage(document: Document) -> Document:
    """Split the text into sentences with offsets."""
    document.sentences = split_sentences(document.text)
    return document
