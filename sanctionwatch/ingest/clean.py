"""Plain text → main text: drop page furniture, keep bylines and credits as metadata.

Only whole lines are removed, and kept lines are kept byte for byte, so every sentence of the
cleaned text is also a verbatim substring of the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Lines that are never article prose. Each pattern matches a whole stripped line.
_FURNITURE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"-?\d{1,3}(?:\.\d)?\s*°?\s*[CF]",  # weather widget temperature "22.1 C"
        r"(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+\w+\s+\d{1,2},?\s+\d{4}",  # date line
        r"\w+\s+\d{1,2},\s+\d{4}(?:\s+at\s+\d{1,2}:\d{2}\s*(?:AM|PM)?)?",  # "May 16, 2024 at 02:00PM"
        r"read in (?:korean|english|chinese|japanese)",
        r"(?:most popular|most read|related|recommended|trending)(?: articles| stories| news)?:?",
        r"(?:share|tweet|print|email|subscribe|advertisement|sponsored)(?: this)?(?: article| story)?",
        r"(?:by\s+)?daily ?nk\s*\(.*\)",  # "by DailyNK(North Korean Media)"
        r"please send any comments or questions about this article to .*",
        r"copyright\b.*|©.*|all rights reserved\.?",
        r"(?:home|politics|economy|society|world|opinion)(?:\s*[|/·]\s*\w+)+",  # nav bars
    )
]
# A line that names a single place, shown beside the weather ("Delhi"): one or two capitalised words.
_LONE_PLACE = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+)?")
_CREDIT = re.compile(
    r"^(?:(?:translated|written|edited|reported|reporting|additional reporting) by [^.]+\.\s*)+$", re.IGNORECASE
)
_BYLINE = re.compile(r"^(?i:by)\s+([A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})$")
# Both start the line: a story whose last sentence is "For more information about …, please
# visit …" is a story, not furniture (a one-line article must not be cleaned away).
_OUTLET_BOILERPLATE = re.compile(
    r"^(?:(?:\w[\w ]{0,30}) works with a network of sources|for more information about .{0,80} please visit)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class CleanText:
    text: str
    metadata: dict[str, str] = field(default_factory=dict)
    removed_lines: tuple[str, ...] = ()


def clean_text(raw: str) -> CleanText:
    """Remove furniture lines from scraped text; return the text and what was learnt."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = text.split("\n")
    kept: list[str] = []
    removed: list[str] = []
    metadata: dict[str, str] = {}
    head_zone = True  # furniture such as "Delhi" only appears before the first prose paragraph
    for line in lines:
        stripped = line.strip()
        if not stripped:
            kept.append(line)
            continue
        if _CREDIT.match(stripped):
            metadata["credits"] = stripped
            removed.append(line)
            continue
        byline = _BYLINE.match(stripped)
        if byline and len(stripped) < 60:
            metadata.setdefault("author", byline.group(1))
            removed.append(line)
            continue
        if any(p.fullmatch(stripped) for p in _FURNITURE) or _OUTLET_BOILERPLATE.search(stripped):
            removed.append(line)
            continue
        if head_zone and _LONE_PLACE.fullmatch(stripped) and len(kept) < 6:
            removed.append(line)
            continue
        if len(stripped) > 80:
            head_zone = False
        kept.append(line)
    cleaned = "\n".join(kept)
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned).strip()
    return CleanText(text=cleaned, metadata=metadata, removed_lines=tuple(removed))
