"""Paragraphs and sentences with character offsets into the article text.

A paragraph is a run of lines without a blank line between them; a line break inside it counts
only where the text was hard-wrapped (a line that stops mid-sentence and a next line that carries
on), so "…the appearance in North Korea\\n    of a Rolls-Royce…" stays one sentence while a list
of lines stays a list. HTML block tags inside a line also break paragraphs.

Sentences are cut by one regular expression over candidate boundaries (a stop, a question or
exclamation mark, their closing quotes or brackets, then space and an opening character) and a
few checks on the word before the stop: titles ("Mr.", "Gen."), months ("Sept."), initials
("Kim J. Un"), dotted acronyms ("U.N.") unless the next word opens a sentence. This replaces
pysbd, which compiled hundreds of regular expressions per paragraph and was a third of the
pipeline's time, and it never crosses a paragraph break, so evidence taken from a sentence is a
verbatim substring of the text by construction.
"""

from __future__ import annotations

import itertools
import re

from sanctionwatch.nlp.document import Sentence

MAX_SENTENCE_CHARACTERS = 2_000

# Paragraph breaks inside a line: HTML block tags (some sources keep their markup).
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h\d|blockquote|section|article)\b[^>]{0,300}>|<span[^>]{0,300}/>", re.IGNORECASE
)
_LINE = re.compile(r"[^\n]+")
_BLANK_RUN = re.compile(r"\n[ \t\r\f\v\u00a0]*\n")

# A line that stops mid-sentence: it ends in a word, a comma or a hyphen, not a stop or a colon.
_OPEN_LINE_END = re.compile(r"[\w,;\-–—]\s*$")
# A next line that carries the sentence on: lower case, a digit or a dash.
_CONTINUING_LINE_START = re.compile(r"^\s*(?:[a-z0-9(\-–—]|“?[a-z])")
# Lines this long that end open were wrapped at a fixed width even when the next starts upper case.
WRAPPED_LINE_CHARACTERS = 60

# Leading or trailing markup and Markdown emphasis that is not part of the sentence.
_LEADING_MARKUP = re.compile(r"^(?:\s|<[^>]{0,200}>|[*_]{1,2}(?=\S))+")
_NOT_PROSE = re.compile(r"^\s*(?:!\[|\[!\[|https?://\S+\s*$)")

# A candidate boundary: terminal punctuation, closing quotes/brackets/emphasis, whitespace, and
# what may open a sentence. The stop itself is group "stop"; the next sentence starts at "next".
_BOUNDARY = re.compile(
    r"(?P<stop>[.!?…]+)(?P<close>[\"'”’»)\]*_]{0,4})(?P<space>\s+)(?=(?P<next>[\"'“‘«(\[*_]{0,3}[A-Z0-9À-ÖØ-Þ]))"
)

# Words that take a stop without ending a sentence (compared case-sensitively, without the stop).
ABBREVIATIONS = frozenset(
    """Mr Mrs Ms Dr Prof Gen Lt Col Maj Capt Cmdr Adm Sgt Cpl Pvt Brig Sen Rep Gov Pres Amb Rev Hon St Ste
    Jr Sr Messrs Mt Ft No Nos Nr Vol Art Sec Fig Ref Op Para Ch Pt Inc Corp Co Ltd Bros Dept Univ Assn
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun
    approx est vs etc al cf viz ca""".split()
)
# Abbreviations that also end sentences often ("… sold in the U.S. The move"): a boundary when
# the next word is one that opens sentences, not a name ("U.S. Treasury").
_DOTTED_ACRONYM = re.compile(r"(?:^|[\s(\"“])(?:[A-Za-z]\.){2,}$")
_SENTENCE_OPENERS = frozenset(
    """The A An It Its He She They Their We I In On At As But And Or So Yet If When While After Before
    Since Although Though This That These Those There Here His Her Our Some Many Most Several One Two
    Three Last Earlier Later Meanwhile However Still Also Even Such According""".split()
)


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, paragraph text) for every paragraph: blank-line separated blocks whose line breaks
    are kept only where a line ends a sentence or begins a new item, cut again at HTML block tags."""
    blocks = [_lines(text, start, end) for start, end in _blocks(text)]
    fixed_width = _wrapped_at_fixed_width(text, blocks)
    found: list[tuple[int, str]] = []
    for lines in blocks:
        for start, end in _logical_lines(text, lines, fixed_width=fixed_width):
            cursor = start
            for tag in _BLOCK_TAG.finditer(text, start, end):
                if tag.start() > cursor:
                    found.append((cursor, text[cursor : tag.start()]))
                cursor = tag.end()
            if cursor < end:
                found.append((cursor, text[cursor:end]))
    return found


def _blocks(text: str) -> list[tuple[int, int]]:
    blocks: list[tuple[int, int]] = []
    cursor = 0
    for blank in _BLANK_RUN.finditer(text):
        blocks.append((cursor, blank.start()))
        cursor = blank.end()
    blocks.append((cursor, len(text)))
    return [(a, b) for a, b in blocks if text[a:b].strip()]


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _LINE.finditer(text, start, end) if m.group().strip()]


def _breaks(text: str, lines: list[tuple[int, int]]) -> list[tuple[bool, bool]]:
    """For each line break of a block: (the line before ends mid-sentence, the next starts lower case)."""
    return [
        (bool(_OPEN_LINE_END.search(text[a[0] : a[1]])), bool(_CONTINUING_LINE_START.match(text[b[0] : b[1]])))
        for a, b in itertools.pairwise(lines)
    ]


def _wrapped_at_fixed_width(text: str, blocks: list[list[tuple[int, int]]]) -> bool:
    """Whether the text was wrapped at a fixed width: at least two line breaks fall mid-sentence
    before a lower-case word (one may be a typo), and they are at least a third of the breaks that
    fall mid-sentence (the others stand before names: "for North\\n Korean"). Headings and list
    items also end without a stop, but the line after them starts upper case."""
    breaks = [b for lines in blocks for b in _breaks(text, lines)]
    open_ends = sum(1 for open_end, _ in breaks if open_end)
    carried_on = sum(1 for open_end, lower in breaks if open_end and lower)
    return carried_on >= 2 and carried_on * 3 >= open_ends


def _logical_lines(text: str, lines: list[tuple[int, int]], *, fixed_width: bool) -> list[tuple[int, int]]:
    """Lines of one block, hard-wrapped lines joined into one span (the newline stays inside).

    A line ending mid-sentence joins the next when the next carries on in lower case; in a text
    wrapped at a fixed width it joins the next whatever its case ("…for North\\n Korean military").
    """
    joined: list[tuple[int, int]] = lines[:1]
    for (previous, line), (open_end, lower_start) in zip(itertools.pairwise(lines), _breaks(text, lines), strict=False):
        long_enough = previous[1] - previous[0] >= WRAPPED_LINE_CHARACTERS
        if open_end and (lower_start or (fixed_width and long_enough)):
            joined[-1] = (joined[-1][0], line[1])
        else:
            joined.append(line)
    return joined


def _is_boundary(paragraph: str, match: re.Match[str]) -> bool:
    stop = match.group("stop")
    if stop != ".":
        return True  # "?", "!", "…", "..." end sentences
    before = paragraph[max(0, match.start() - 20) : match.start()]
    word = re.search(r"[\w.&-]*$", before)
    last = word.group() if word else ""
    if match.group("close"):
        return True  # 'said.” The' — a closed quotation or bracket after the stop
    if last in ABBREVIATIONS:
        return False
    if len(last) == 1 and last.isupper():
        # An initial ("Kim J. Un", "N. Korea"), unless a long word before it shows it ends a clause.
        return False
    if _DOTTED_ACRONYM.search(before + "."):
        following = re.match(r"[\"'“‘(\[*_]*([A-Za-z]+)", paragraph[match.end() :])
        return bool(following and following.group(1) in _SENTENCE_OPENERS)
    return True


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one paragraph, trailing space excluded."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for match in _BOUNDARY.finditer(paragraph):
        if not _is_boundary(paragraph, match):
            continue
        end = match.start("space")
        if end > cursor:
            spans.append((cursor, end))
        cursor = match.end()
    if cursor < len(paragraph):
        spans.append((cursor, len(paragraph)))
    out: list[tuple[int, int]] = []
    for start, end in spans:
        # A megabyte without a stop is not prose: cut it into fixed windows.
        cut = start
        while end - cut > MAX_SENTENCE_CHARACTERS * 20:
            out.append((cut, cut + MAX_SENTENCE_CHARACTERS))
            cut += MAX_SENTENCE_CHARACTERS
        out.append((cut, end))
    return out


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    for paragraph_index, (paragraph_start, paragraph_text) in enumerate(paragraphs(text)):
        for start, end in sentence_spans(paragraph_text):
            piece = paragraph_text[start:end]
            lead = _LEADING_MARKUP.match(piece)
            offset = lead.end() if lead else 0
            stripped = piece[offset:].rstrip()
            if not stripped or _NOT_PROSE.match(stripped) or not re.search(r"[A-Za-z]{2}", stripped):
                continue
            absolute = paragraph_start + start + offset
            sentences.append(
                Sentence(
                    index=len(sentences),
                    start=absolute,
                    end=absolute + len(stripped),
                    text=stripped,
                    paragraph=paragraph_index,
                )
            )
    return sentences
