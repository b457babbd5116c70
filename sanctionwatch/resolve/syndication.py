"""Which reports of one cluster are independent sources (pure; no I/O).

Reports count once when they are copies of one story: the same text (content hash), near-
duplicate text (5-word shingles, Jaccard or containment), or the same wire origin (a dateline
``(Reuters)``, a credit line "first published by Daily NK", or an outlet named "Daily NK (via an
aggregator page)"). Every merge of two reports carries its reason, shown by the API.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from sanctionwatch.resolve.clusters import SHINGLE_CACHE_TEXTS, jaccard, shingles

NEAR_DUPLICATE_JACCARD = 0.6
# A copy with page furniture added or cut: most of the shorter text's shingles are in the longer.
NEAR_DUPLICATE_CONTAINMENT = 0.8
WIRES = {
    "reuters": "Reuters", "ap": "Associated Press", "associated press": "Associated Press", "afp": "AFP",
    "agence france-presse": "AFP", "yonhap": "Yonhap", "yonhap news agency": "Yonhap", "kyodo": "Kyodo",
    "xinhua": "Xinhua", "kcna": "KCNA", "daily nk": "Daily NK", "dailynk": "Daily NK", "nk news": "NK News",
    "radio free asia": "Radio Free Asia", "rfa": "Radio Free Asia", "bloomberg": "Bloomberg",
}  # fmt: skip
_WIRE_NAMES = "|".join(sorted((re.escape(name) for name in WIRES), key=len, reverse=True))
DATELINE = re.compile(rf"^\W{{0,3}}[A-Z][A-Za-z .,'-]{{0,60}}\((?P<wire>{_WIRE_NAMES})\)\s*[-—–]", re.IGNORECASE | re.MULTILINE)
CREDIT = re.compile(
    rf"\b(?:(?:first|originally)\s+(?:appeared|published|ran)\s+(?:in|on|by|at)|(?:re)?published\s+with\s+permission\s+(?:of|from)|"
    rf"(?:this|the)\s+(?:article|story|report)\s+(?:is\s+)?(?:from|by|courtesy\s+of)|source:|via)\s+(?:the\s+)?(?P<wire>{_WIRE_NAMES})\b",
    re.IGNORECASE,
)
VIA_IN_OUTLET = re.compile(r"\s*\((?:via|through)\b[^)]*\)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Report:
    article_id: str
    outlet: str | None
    text: str
    content_hash: str
    published: str | None = None  # ISO date; the earliest report of a group is its original


@dataclass(frozen=True, slots=True)
class SourceGroup:
    """Reports that count as one source; ``reasons`` say why each joined the first."""

    article_ids: tuple[str, ...]
    origin: str
    reasons: tuple[str, ...]


def normalise_outlet(outlet: str | None) -> str | None:
    if not outlet:
        return None
    name = VIA_IN_OUTLET.sub("", outlet).strip()
    return WIRES.get(name.casefold(), name)


def wire_origin(report: Report) -> str | None:
    """The outlet a report credits as its origin (a wire dateline or a credit line), if any."""
    return credited_wire(report.text)


@functools.lru_cache(maxsize=SHINGLE_CACHE_TEXTS)  # the same texts as the shingles kept
def credited_wire(text: str) -> str | None:
    match = DATELINE.search(text[:400]) or CREDIT.search(text)
    return WIRES[match.group("wire").casefold()] if match else None


def _containment(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def source_groups(reports: list[Report]) -> list[SourceGroup]:
    """Reports grouped into independent sources, earliest report first in each, in a fixed order."""
    ordered = sorted(reports, key=lambda r: (r.published or "9999", r.article_id))
    rank = {r.article_id: index for index, r in enumerate(ordered)}
    parent = {r.article_id: r.article_id for r in ordered}
    reasons: dict[str, list[str]] = {r.article_id: [] for r in ordered}

    def find(node: str) -> str:
        while parent[node] != node:
            node = parent[node]
        return node

    def union(a: str, b: str, reason: str) -> None:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            keep, other = sorted((root_a, root_b), key=rank.__getitem__)
            parent[other] = keep
            reasons[keep].extend([reason, *reasons[other]])

    origins = {r.article_id: wire_origin(r) or normalise_outlet(r.outlet) for r in ordered}
    texts = {r.article_id: shingles(r.text) for r in ordered}
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if a.content_hash == b.content_hash:
                union(a.article_id, b.article_id, f"{b.article_id} has the same text as {a.article_id}")
                continue
            similarity = jaccard(texts[a.article_id], texts[b.article_id])
            contained = _containment(texts[a.article_id], texts[b.article_id])
            if similarity >= NEAR_DUPLICATE_JACCARD or contained >= NEAR_DUPLICATE_CONTAINMENT:
                union(a.article_id, b.article_id, f"{b.article_id} is a near-duplicate of {a.article_id} ({max(similarity, contained):.0%} of 5-word shingles shared)")
                continue
            origin_a, origin_b = origins[a.article_id], origins[b.article_id]
            if origin_a and origin_b and origin_a.casefold() == origin_b.casefold():
                union(a.article_id, b.article_id, f"{a.article_id} and {b.article_id} have the same origin, {origin_a}")
    groups: dict[str, list[str]] = {}
    for report in ordered:
        groups.setdefault(find(report.article_id), []).append(report.article_id)
    return [
        SourceGroup(tuple(members), origins[root] or root, tuple(reasons[root]))
        for root, members in sorted(groups.items(), key=lambda item: rank[item[0]])
    ]
