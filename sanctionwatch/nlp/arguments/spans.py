"""Helpers over anything with character offsets ``start`` and ``end``."""

from __future__ import annotations

from typing import Protocol, TypeVar


class HasOffsets(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


SpanT = TypeVar("SpanT", bound=HasOffsets)


def longest_without_overlap(mentions: list[SpanT]) -> list[SpanT]:
    """Left to right, an overlapping pair keeps the longer mention (linear after sorting)."""
    kept: list[SpanT] = []
    for mention in sorted(mentions, key=lambda m: (m.start, m.start - m.end)):
        if kept and mention.start < kept[-1].end:
            if mention.end - mention.start > kept[-1].end - kept[-1].start:
                kept[-1] = mention
            continue
        kept.append(mention)
    return kept
