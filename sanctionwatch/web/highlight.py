"""Evidence highlighting that cannot inject markup.

Positions are found on the raw article text; the template escapes every segment on its own
(autoescape) and wraps marked ones in ``<mark>``. Nothing here produces HTML, so scraped text is
never marked safe.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    marked: bool


def evidence_ranges(text: str, evidence: Iterable[str]) -> list[tuple[int, int]]:
    """Sorted, merged [start, end) ranges of each evidence sentence's first occurrence in ``text``.

    Evidence is stored verbatim (a substring by construction), so an exact search suffices;
    a sentence that is not found (an analyst edited the text) is simply not highlighted.
    """
    ranges = []
    for sentence in evidence:
        if not sentence:
            continue
        start = text.find(sentence)
        if start >= 0:
            ranges.append((start, start + len(sentence)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight_segments(text: str, evidence: Iterable[str]) -> list[Segment]:
    """``text`` cut into plain and marked segments; joined, they give back ``text`` exactly."""
    segments = []
    position = 0
    for start, end in evidence_ranges(text, evidence):
        if start > position:
            segments.append(Segment(text[position:start], marked=False))
        segments.append(Segment(text[start:end], marked=True))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:], marked=False))
    return segments


@dataclass(frozen=True, slots=True)
class KeyedSegment:
    """A stretch of text, the keys of every incident whose evidence covers it (none: plain), and
    the keys whose evidence starts here (where a link to that evidence should land)."""

    text: str
    keys: tuple[str, ...]
    starts: tuple[str, ...] = ()

    @property
    def marked(self) -> bool:
        return bool(self.keys)


def evidence_segments(text: str, keyed_evidence: Iterable[tuple[str, Iterable[str]]]) -> list[KeyedSegment]:
    """``text`` cut wherever some incident's evidence starts or ends; joined, the segments give
    back ``text`` exactly. A sentence that backs two incidents carries both keys."""
    ranges: list[tuple[int, int, str]] = []
    for key, evidence in keyed_evidence:
        for start, end in evidence_ranges(text, evidence):
            ranges.append((start, end, key))
    cuts = sorted({0, len(text), *(start for start, _, _ in ranges), *(end for _, end, _ in ranges)})
    segments: list[KeyedSegment] = []
    seen: set[str] = set()
    for start, end in pairwise(cuts):
        keys = tuple(dict.fromkeys(key for s, e, key in ranges if s <= start and end <= e))
        starts = tuple(key for key in keys if key not in seen)
        seen.update(starts)
        if segments and segments[-1].keys == keys and not starts:
            previous = segments[-1]
            segments[-1] = KeyedSegment(previous.text + text[start:end], keys, previous.starts)
        else:
            segments.append(KeyedSegment(text[start:end], keys, starts))
    return segments
