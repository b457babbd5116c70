"""Sentence splitting with character offsets into the article text.

Paragraphs (blank-line or line separated) are split with pysbd, which knows "U.N.", "Apr. 13"
and "N. Korea". A sentence never crosses a paragraph break, so evidence taken from one is a
verbatim substring of the text by construction.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sanctionwatch.nlp.document import Document, Sentence
from sanctionwatch.nlp.stage import stage

MAX_SENTENCE_CHARACTERS = 2_000
_LINE = re.compile(r"[^\n]+")
# Paragraph breaks inside a line: HTML block tags (some sources keep their markup).
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|ul|ol|h\d|blockquote|section|article)\b[^>]{0,300}>|<span[^>]{0,300}/>", re.IGNORECASE)


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, paragraph text) for every line, cut again at HTML block tags."""
    found: list[tuple[int, str]] = []
    for line in _LINE.finditer(text):
        cursor = line.start()
        for tag in _BLOCK_TAG.finditer(line.group()):
            tag_start = line.start() + tag.start()
            if tag_start > cursor:
                found.append((cursor, text[cursor:tag_start]))
            cursor = line.start() + tag.end()
        if cursor < line.end():
            found.append((cursor, text[cursor : line.end()]))
    return found
# Leading or trailing markup and Markdown emphasis that is not part of the sentence.
_LEADING_MARKUP = re.compile(r"^(?:\s|<[^>]{0,200}>|[*_]{1,2}(?=\S))+")
_NOT_PROSE = re.compile(r"^\s*(?:!\[|\[!\[|https?://\S+\s*$)")


@lru_cache(maxsize=1)
def _segmenter():  # type: ignore[no-untyped-def]
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    for paragraph_index, (paragraph_start, paragraph_text) in enumerate(paragraphs(text)):
        if not paragraph_text.strip():
            continue
        if len(paragraph_text) > 20 * MAX_SENTENCE_CHARACTERS:
            # A megabyte without line breaks is not prose; cut it into fixed windows
            # instead of handing pysbd something it would take minutes over.
            pieces = [
                paragraph_text[i : i + MAX_SENTENCE_CHARACTERS]
                for i in range(0, len(paragraph_text), MAX_SENTENCE_CHARACTERS)
            ]
        else:
            pieces = _segmenter().segment(paragraph_text)
        cursor = 0
        for piece in pieces:
            stripped = _LEADING_MARKUP.sub("", piece).strip()
            if not stripped or _NOT_PROSE.match(stripped) or not re.search(r"[A-Za-z]{2}", stripped):
                continue
            local = paragraph_text.find(stripped, cursor)
            if local < 0:
                continue
            cursor = local + len(stripped)
            start = paragraph_start + local
            sentences.append(
                Sentence(
                    index=len(sentences),
                    start=start,
                    end=start + len(stripped),
                    text=stripped,
                    paragraph=paragraph_index,
                )
            )
    return sentences


@stage("sentences", requires={"relevance"}, provides={"sentences"}, relevant_only=True)
def sentences_stage(document: Document) -> Document:
    """Split the text into sentences with offsets."""
    document.sentences = split_sentences(document.text)
    return document
