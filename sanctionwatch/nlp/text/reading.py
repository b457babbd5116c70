"""The reading of a sentence: its words as a reader sees them, with a map back to the original.

Articles arrive with Markdown links, bare URLs, HTML tags and entities, emphasis markers,
backslash escapes, soft hyphens, zero-width characters, non-breaking spaces and tabs. None of
that is language: "dis\\u00adpatched 2,000 workers", "sent\\u00a0workers" and
"[designated](https://…) three firms" must read as "dispatched 2,000 workers", "sent workers" and
"designated three firms" to every reader (cues, time expressions, quantities, the parser). Each
reader works on ``Reading.text`` and maps what it finds back with ``Reading.span``, so evidence and
offsets always point at the article's own characters.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

# Markup that is dropped whole: a Markdown link's brackets and target ("[label](url)" reads
# "label"), a bare URL, an HTML tag.
_DROPPED = re.compile(
    r"\[(?=[^\[\]\n]{0,300}\]\([^()\s]{1,2000}\))|\](?=\([^()\s]{1,2000}\))|(?<=\])\([^()\s]{1,2000}\)"
    r"|https?://[^\s)\]>]{1,2000}|<[^<>]{0,300}>"
)
# An HTML entity ("&#x27;", "&amp;"), read as its character.
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")
# Characters that only lay text out: soft hyphen, zero-width space/joiners, word joiner, BOM.
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
# Emphasis markers and escapes around words: "**Kim Se Un**", "_Dozens of …_", "\\[Panama’s president\\]".
_EMPHASIS = re.compile(r"(?:(?<=\s)|^)[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}(?=[\s.,;:!?)\]”\"']|$)|\\(?=[\[\]()*_#])")


@dataclass(frozen=True, slots=True)
class Reading:
    """``text`` as read; ``offsets[i]`` is the original index of ``text[i]`` (one extra entry: the end)."""

    text: str
    offsets: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original (start, end) of ``text[start:end]``."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1

    def position(self, original: int) -> int:
        """The reading index of an original offset (the first reading character at or after it)."""
        low, high = 0, len(self.offsets) - 1
        while low < high:
            middle = (low + high) // 2
            if self.offsets[middle] < original:
                low = middle + 1
            else:
                high = middle
        return low


# Anything the reading would change; a text without it reads as it stands.
_NEEDS_READING = re.compile(r"[^\S ]|  |^ | $|[&<>\[\]()*_\\\u00ad\u200b\u200c\u200d\u2060\ufeff]|https?://")


@lru_cache(maxsize=4096)
def reading_of(text: str) -> Reading:
    """The reading of ``text`` (cached: every reader of a sentence asks for the same one)."""
    if not _NEEDS_READING.search(text):
        return Reading(text, tuple(range(len(text) + 1)))
    pieces: list[str] = []
    offsets: list[int] = []
    dropped = _dropped_ranges(text)
    ranges = iter(dropped)
    current = next(ranges, None)
    index = 0
    previous_space = True
    while index < len(text):
        if current is not None and index >= current[0]:
            index = current[1]
            current = next(ranges, None)
            continue
        character = text[index]
        entity = _ENTITY.match(text, index) if character == "&" else None
        if entity is not None:
            character = html.unescape(entity.group())
            width = entity.end() - index
        else:
            width = 1
        if character in _INVISIBLE:
            index += width
            continue
        if character.isspace():
            if not previous_space:
                pieces.append(" ")
                offsets.append(index)
            previous_space = True
            index += width
            continue
        for single in character:
            pieces.append(single)
            offsets.append(index)
        previous_space = False
        index += width
    while pieces and pieces[-1] == " ":
        pieces.pop()
        offsets.pop()
    offsets.append(offsets[-1] + 1 if offsets else len(text))
    return Reading("".join(pieces), tuple(offsets))


def _dropped_ranges(text: str) -> list[tuple[int, int]]:
    ranges = [(m.start(), m.end()) for m in _DROPPED.finditer(text)]
    ranges += [(m.start(), m.end()) for m in _EMPHASIS.finditer(text)]
    ranges.sort()
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
