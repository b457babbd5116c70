"""One real-world event, many reports: when two incidents are the same event (pure; no I/O).

Clusters are the connected components of a pairwise relation ("these two incidents report one
event"), so they are the same whatever order the incidents arrive in: the relation depends on
the two incidents only, and every pair is judged once, when the later of the two is stored. The
store blocks candidates by type and time (``time_window`` with ``slack_days``) so a new incident
is compared with a handful of others, never with the whole store.

Two incidents join when they are of one type, from different articles, their time windows
overlap (with slack for the precision of each), nothing contradicts (named vessels, named
counterparts or enforcing states that differ; places far apart; quantities far apart), and the
signals that they are the same add up to ``JOIN_SCORE``: a shared ship, sanctions-list entry or
named actor, near-duplicate evidence (strong, 2 each); a shared place, a compatible quantity,
windows that meet to the week (1 each). At least one of them must be a shared thing or place:
dates and numbers that agree are not enough on their own.
"""

from __future__ import annotations

import functools
import math
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

JOIN_SCORE = 2
# How far apart two reports' windows may be and still be one event, by the coarser precision.
SLACK_DAYS = {"day": 7, "month": 15, "year": 0, None: 7}
# An incident without a date of its own happened shortly before its report.
UNDATED_LOOKBACK_DAYS = 30
MAX_SLACK_DAYS = max(SLACK_DAYS.values())
FAR_APART_KILOMETRES = 300.0
NEAR_KILOMETRES = 50.0
QUANTITY_RATIO_CONFLICT = 3.0  # 1,000 vs 2,000 workers is a conflict to show; 100 vs 5,000 is two events
NEAR_DUPLICATE_SHINGLES = 0.5
SHINGLE_WORDS = 5
WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    admin1: str | None = None
    is_country: bool = False  # the place is a whole country ("China", "North Korea")


@dataclass(frozen=True, slots=True)
class ClusterRecord:
    """What clustering reads of one stored incident (built by the service from the store)."""

    incident_id: str
    article_id: str
    type: str
    published: date | None
    start: date | None
    end: date | None
    precision: str | None
    places: tuple[Place, ...] = ()
    vessels: frozenset[str] = frozenset()  # folded names and "imo:NNNNNNN"
    named_actors: frozenset[str] = frozenset()  # folded names of actors that are not countries
    counterparts: frozenset[str] = frozenset()  # folded names of named counterpart actors
    enforcers: frozenset[str] = frozenset()  # countries of enforcing actors
    sanctions_references: frozenset[str] = frozenset()
    quantity: tuple[float, float, str] | None = None  # (min, max, unit)
    shingles: frozenset[int] = field(default=frozenset(), compare=False)

    def time_window(self) -> tuple[date, date] | None:
        """The dates the event may lie in; None when neither it nor its report is dated."""
        if self.start or self.end:
            start = self.start or self.end
            end = self.end or self.start
            assert start is not None and end is not None
            return (start, end)
        if self.published:
            return (self.published - timedelta(days=UNDATED_LOOKBACK_DAYS), self.published)
        return None

    @property
    def slack_days(self) -> int:
        return SLACK_DAYS.get(self.precision, SLACK_DAYS[None])


@dataclass(frozen=True, slots=True)
class Judgement:
    same: bool
    score: int
    reason: str


def fold(name: str) -> str:
    return " ".join(WORD.findall(name.casefold()))


# Texts whose shingles (and, in syndication, wire credit) are kept: a cluster's reports are
# compared again each time one of them joins or changes; an article's text weighs some 60 kB
# as shingles.
SHINGLE_CACHE_TEXTS = 256


@functools.lru_cache(maxsize=SHINGLE_CACHE_TEXTS)
def shingles(text: str) -> frozenset[int]:
    """Hashes of the 5-word shingles of a text (for near-duplicate evidence); the last texts'
    shingles are kept (the result is immutable, and a function of the text alone)."""
    words = WORD.findall(text.casefold())
    if len(words) < SHINGLE_WORDS:
        return frozenset({_hash(" ".join(words))}) if words else frozenset()
    return frozenset(_hash(" ".join(words[i : i + SHINGLE_WORDS])) for i in range(len(words) - SHINGLE_WORDS + 1))


def _hash(text: str) -> int:
    # crc32, not hash(): the same in every process, so a figure computed twice agrees.
    return zlib.crc32(text.encode("utf-8"))


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def kilometres(a: Place, b: Place) -> float | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi, dlambda = phi2 - phi1, math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _windows_meet(a: ClusterRecord, b: ClusterRecord) -> tuple[bool, bool]:
    """(overlap within slack, close to the week)."""
    wa, wb = a.time_window(), b.time_window()
    if wa is None or wb is None:
        return (wa is None and wb is None, False)
    slack = timedelta(days=max(a.slack_days, b.slack_days))
    overlap = wa[0] <= wb[1] + slack and wb[0] <= wa[1] + slack
    tight = overlap and (wa[1] - wa[0]).days <= 45 and (wb[1] - wb[0]).days <= 45
    return overlap, tight


def _quantities(a: ClusterRecord, b: ClusterRecord) -> str | None:
    """'agree', 'conflict' (far apart) or None (not comparable)."""
    if a.quantity is None or b.quantity is None or a.quantity[2] != b.quantity[2]:
        return None
    low = max(a.quantity[0], b.quantity[0])
    high = min(a.quantity[1], b.quantity[1])
    if low <= high * 1.2:
        return "agree"
    smaller = max(min(a.quantity[1], b.quantity[1]), 1e-9)
    return "conflict" if low / smaller > QUANTITY_RATIO_CONFLICT else "agree"


def _specific(places: tuple[Place, ...]) -> list[Place]:
    return [p for p in places if p.lat is not None]


def _named_places(places: tuple[Place, ...]) -> set[str]:
    """Places below the country (a province, a port, a sea): a whole country says little."""
    return {fold(p.name) for p in places if p.name and not (p.lat is None and p.admin1 is None and p.country and p.is_country)}


def _places(a: ClusterRecord, b: ClusterRecord) -> str | None:
    """'near' (one place, or points within 50 km), 'far' (all points over 300 km apart) or None."""
    if _named_places(a.places) & _named_places(b.places):
        return "near"
    distances = [d for pa in _specific(a.places) for pb in _specific(b.places) if (d := kilometres(pa, pb)) is not None]
    if not distances:
        return None
    if min(distances) <= NEAR_KILOMETRES:
        return "near"
    return "far" if min(distances) > FAR_APART_KILOMETRES else None


def judge(a: ClusterRecord, b: ClusterRecord) -> Judgement:
    """Whether two incidents report one event. Symmetric: ``judge(a, b) == judge(b, a)``."""
    if a.incident_id > b.incident_id:
        a, b = b, a
    if a.type != b.type:
        return Judgement(False, 0, "different types")
    if a.article_id == b.article_id:
        return Judgement(False, 0, "same article (the extractor kept them apart)")
    overlap, tight = _windows_meet(a, b)
    if not overlap:
        return Judgement(False, 0, "time windows do not meet")
    if a.vessels and b.vessels and not a.vessels & b.vessels:
        return Judgement(False, 0, "different ships")
    if a.counterparts and b.counterparts and not a.counterparts & b.counterparts:
        return Judgement(False, 0, "different named counterparts")
    if a.enforcers and b.enforcers and not a.enforcers & b.enforcers:
        return Judgement(False, 0, "different enforcing states")
    places = _places(a, b)
    if places == "far":
        return Judgement(False, 0, "places far apart")
    quantities = _quantities(a, b)
    if quantities == "conflict":
        return Judgement(False, 0, "quantities far apart")
    score = 0
    substantive = False  # a shared thing or place: dates and numbers alone are coincidence
    reasons: list[str] = []
    for label, shared in (
        ("ship", a.vessels & b.vessels),
        ("sanctions-list entry", a.sanctions_references & b.sanctions_references),
        ("named actor", a.named_actors & b.named_actors),
    ):
        if shared:
            score += 2
            substantive = True
            reasons.append(f"same {label} {sorted(shared)[0]}")
    similarity = jaccard(a.shingles, b.shingles)
    if similarity >= NEAR_DUPLICATE_SHINGLES:
        score += 2
        substantive = True
        reasons.append(f"near-duplicate evidence ({similarity:.0%} shared 5-word shingles)")
    if places == "near":
        score += 1
        substantive = True
        reasons.append("same place")
    if quantities == "agree":
        score += 1
        reasons.append("compatible quantities")
    if tight:
        score += 1
        reasons.append("dates meet within days")
    if score >= JOIN_SCORE and substantive:
        return Judgement(True, score, "; ".join(reasons))
    return Judgement(False, score, "too little in common" + (f" ({'; '.join(reasons)})" if reasons else ""))


def components(nodes: set[str], edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Cluster id of every node: the connected components of ``edges`` over ``nodes``.

    The id is ``c-`` and the smallest incident id of the component, without its ``i-``: the
    same members always give the same id, whatever the order they were found in.
    """
    parent = {node: node for node in nodes}

    def find(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in edges:
        if a in parent and b in parent:
            root_a, root_b = find(a), find(b)
            if root_a != root_b:
                parent[max(root_a, root_b)] = min(root_a, root_b)
    groups: dict[str, list[str]] = {}
    for node in nodes:
        groups.setdefault(find(node), []).append(node)
    return {node: "c-" + min(members).removeprefix("i-") for members in groups.values() for node in members}
