"""Pairing predicted incidents with gold ones, and comparing their fields.

Everything here works on plain dicts in the exchange format of docs/incidents.md (gold lines
and predicted incidents alike), so scoring does not depend on the extractor. Missing keys are
read as empty values; nothing here raises on a malformed prediction, it simply does not match.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

# Thresholds of docs/incidents.md, "How extraction is scored".
POINT_DISTANCE_LIMIT_KILOMETRES = 25.0
TIME_TOLERANCE_DAYS = 15
TIME_TOLERANCE_DAYS_MONTH_PRECISION = 30
QUANTITY_RELATIVE_TOLERANCE = 0.10
SENTENCE_OVERLAP_THRESHOLD = 0.5

EARTH_RADIUS_KILOMETRES = 6371.0088

_TOKEN_PATTERN = re.compile(r"\w+")
# Words the schema says to drop from place names before comparing them.
_PLACE_STOPWORDS = frozenset({"the", "province", "county"})


@dataclass(frozen=True, slots=True)
class IncidentPairing:
    """One article's pairing: ``pairs`` holds (predicted index, gold index) tuples."""

    pairs: tuple[tuple[int, int], ...]
    unpaired_predicted: tuple[int, ...]
    unpaired_gold: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class MatchCounts:
    """True positives, false positives and false negatives of one comparison."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    def __add__(self, other: MatchCounts) -> MatchCounts:
        return MatchCounts(
            self.true_positives + other.true_positives,
            self.false_positives + other.false_positives,
            self.false_negatives + other.false_negatives,
        )


# --- evidence ---------------------------------------------------------------------------------


def sentence_tokens(sentence: str) -> list[str]:
    """Casefolded word tokens; punctuation, quotes and markup symbols are dropped."""
    return _TOKEN_PATTERN.findall(unicodedata.normalize("NFKC", sentence or "").casefold())


def sentence_overlap_ratio(first: str, second: str) -> float:
    """Share of the shorter sentence's tokens (as a multiset) found in the other, 0..1.

    A sentence contained in the other (after token normalisation) scores 1.0.
    """
    first_tokens, second_tokens = sentence_tokens(first), sentence_tokens(second)
    if not first_tokens or not second_tokens:
        return 0.0
    shorter, longer = sorted((first_tokens, second_tokens), key=len)
    if " ".join(shorter) in " ".join(longer):
        return 1.0
    shared = sum((Counter(shorter) & Counter(longer)).values())
    return shared / len(shorter)


def sentences_overlap(first: str, second: str) -> bool:
    """The schema's evidence test: one contains the other or they share >= 50% of the shorter."""
    return sentence_overlap_ratio(first, second) >= SENTENCE_OVERLAP_THRESHOLD


def evidence_overlap(predicted_evidence: Sequence[str], gold_evidence: Sequence[str]) -> float:
    """How well two evidence lists agree, 0..1: the mean, over predicted sentences, of each one's
    best overlap ratio with a gold sentence. Used only to order candidate pairs."""
    if not predicted_evidence or not gold_evidence:
        return 0.0
    best = [max(sentence_overlap_ratio(p, g) for g in gold_evidence) for p in predicted_evidence]
    return sum(best) / len(best)


def pair_incidents(predicted: Sequence[Mapping[str, Any]], gold: Sequence[Mapping[str, Any]]) -> IncidentPairing:
    """Pair one article's incidents: same type only, greedy, best evidence overlap first.

    Pairs with zero overlap are still made between incidents of the same type, after every
    overlapping pair; ties keep the listed order, so the result is deterministic.
    """
    candidates = [
        (evidence_overlap(evidence_sentences(p), evidence_sentences(g)), predicted_index, gold_index)
        for predicted_index, p in enumerate(predicted)
        for gold_index, g in enumerate(gold)
        if p.get("type") == g.get("type")
    ]
    candidates.sort(key=lambda candidate: (-candidate[0], candidate[1], candidate[2]))
    used_predicted: set[int] = set()
    used_gold: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, predicted_index, gold_index in candidates:
        if predicted_index in used_predicted or gold_index in used_gold:
            continue
        used_predicted.add(predicted_index)
        used_gold.add(gold_index)
        pairs.append((predicted_index, gold_index))
    return IncidentPairing(
        pairs=tuple(sorted(pairs, key=lambda pair: pair[1])),
        unpaired_predicted=tuple(i for i in range(len(predicted)) if i not in used_predicted),
        unpaired_gold=tuple(i for i in range(len(gold)) if i not in used_gold),
    )


def evidence_sentences(incident: Mapping[str, Any]) -> list[str]:
    """The non-empty evidence sentences; a bare string is read as one sentence."""
    evidence = incident.get("evidence") or ()
    if isinstance(evidence, str):
        evidence = (evidence,)
    return [str(sentence) for sentence in evidence if sentence]


# --- locations --------------------------------------------------------------------------------


def haversine_kilometres(first_lat: float, first_lon: float, second_lat: float, second_lon: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(first_lat), math.radians(second_lat)
    delta_phi = phi2 - phi1
    delta_lambda = math.radians(second_lon - first_lon)
    a = math.sin(delta_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(delta_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KILOMETRES * math.asin(min(1.0, math.sqrt(a)))


def normalise_place_name(name: str | None) -> str:
    """Casefold, strip accents, punctuation and the words "the", "province", "county"."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.findall(r"[^\W_]+", without_accents.casefold())
    return " ".join(word for word in words if word not in _PLACE_STOPWORDS)


def locations_match(predicted: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    """Both with points: within 25 km. Otherwise: same country and same normalised name.

    Two points further apart never match, even with the same name (Nanping in Fujian is not
    Nanping in Jilin). Without a point the schema compares only country and name, not admin1.
    """
    predicted_point, gold_point = _point(predicted), _point(gold)
    if predicted_point is not None and gold_point is not None:
        return haversine_kilometres(*predicted_point, *gold_point) <= POINT_DISTANCE_LIMIT_KILOMETRES
    same_country = _country(predicted.get("country")) == _country(gold.get("country"))
    predicted_name = normalise_place_name(predicted.get("name"))
    return same_country and bool(predicted_name) and predicted_name == normalise_place_name(gold.get("name"))


def match_locations(
    predicted: Sequence[Mapping[str, Any]], gold: Sequence[Mapping[str, Any]]
) -> tuple[tuple[int, int], ...]:
    """A one-to-one matching of largest size: (predicted index, gold index) pairs."""
    return maximum_matching(len(predicted), len(gold), lambda p, g: locations_match(predicted[p], gold[g]))


def location_counts(predicted: Sequence[Mapping[str, Any]], gold: Sequence[Mapping[str, Any]]) -> MatchCounts:
    matched = len(match_locations(predicted, gold))
    return MatchCounts(matched, len(predicted) - matched, len(gold) - matched)


def maximum_matching(
    left_count: int, right_count: int, compatible: Callable[[int, int], bool]
) -> tuple[tuple[int, int], ...]:
    """Maximum bipartite matching by augmenting paths (Kuhn); lists are small, so O(V*E) is fine.

    Greedy matching can leave a place unmatched that a different assignment would match.
    """
    edges = [[right for right in range(right_count) if compatible(left, right)] for left in range(left_count)]
    owner_of_right: dict[int, int] = {}

    def augment(left: int, visited: set[int]) -> bool:
        for right in edges[left]:
            if right in visited:
                continue
            visited.add(right)
            if right not in owner_of_right or augment(owner_of_right[right], visited):
                owner_of_right[right] = left
                return True
        return False

    for left in range(left_count):
        augment(left, set())
    return tuple(sorted((left, right) for right, left in owner_of_right.items()))


def _point(location: Mapping[str, Any]) -> tuple[float, float] | None:
    lat, lon = location.get("lat"), location.get("lon")
    if lat is None or lon is None:
        return None
    try:
        return float(lat), float(lon)
    except (TypeError, ValueError):
        return None


def _country(code: Any) -> str | None:
    return str(code).strip().upper() or None if code else None


# --- time -------------------------------------------------------------------------------------


def time_is_null(time: Mapping[str, Any] | None) -> bool:
    """No start and no end (the event is only known to precede publication)."""
    time = time or {}
    return not time.get("start") and not time.get("end")


def time_tolerance_days(gold_time: Mapping[str, Any] | None) -> int:
    """15 days; 30 where gold's precision is month. Year precision keeps 15, as the schema says."""
    precision = (gold_time or {}).get("precision")
    return TIME_TOLERANCE_DAYS_MONTH_PRECISION if precision == "month" else TIME_TOLERANCE_DAYS


def time_is_right(predicted_time: Mapping[str, Any] | None, gold_time: Mapping[str, Any] | None) -> bool:
    """Each bound within tolerance of gold; a null gold bound must be predicted null and vice versa.

    An unreadable predicted date counts as null.
    """
    tolerance = time_tolerance_days(gold_time)
    for bound in ("start", "end"):
        gold_date = parse_date((gold_time or {}).get(bound))
        predicted_date = parse_date((predicted_time or {}).get(bound))
        if gold_date is None or predicted_date is None:
            if gold_date is not predicted_date:
                return False
            continue
        if abs((predicted_date - gold_date).days) > tolerance:
            return False
    return True


def parse_date(value: Any) -> date | None:
    """A YYYY-MM-DD date (longer ISO strings are cut to the date); None when absent or unreadable."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# --- quantity ---------------------------------------------------------------------------------


def quantity_is_right(predicted: Mapping[str, Any] | None, gold: Mapping[str, Any] | None) -> bool:
    """min and max each within 10% of gold; a null bound must match a null bound. Units are not
    compared: the schema scores numbers only."""
    if not gold:
        return not predicted
    if not predicted:
        return False
    return all(_within_tolerance(predicted.get(bound), gold.get(bound)) for bound in ("min", "max"))


def _within_tolerance(predicted: Any, gold: Any) -> bool:
    if gold is None or predicted is None:
        return gold is None and predicted is None
    try:
        predicted_number, gold_number = float(predicted), float(gold)
    except (TypeError, ValueError):
        return False
    return abs(predicted_number - gold_number) <= QUANTITY_RELATIVE_TOLERANCE * abs(gold_number)


# --- actors, provisions, single values --------------------------------------------------------


def actor_keys(actors: Iterable[Mapping[str, Any]] | None) -> list[tuple[str | None, str | None]]:
    """(country, role) of each actor; names are ignored. A null country is a value of its own
    (international bodies)."""
    return [(_country(actor.get("country")), actor.get("role")) for actor in actors or ()]


def multiset_counts(predicted: Iterable[Hashable], gold: Iterable[Hashable]) -> MatchCounts:
    predicted_counter, gold_counter = Counter(predicted), Counter(gold)
    shared = sum((predicted_counter & gold_counter).values())
    return MatchCounts(shared, sum(predicted_counter.values()) - shared, sum(gold_counter.values()) - shared)


def actor_counts(
    predicted: Iterable[Mapping[str, Any]] | None, gold: Iterable[Mapping[str, Any]] | None
) -> MatchCounts:
    return multiset_counts(actor_keys(predicted), actor_keys(gold))


def normalise_provision(provision: Any) -> str:
    """Collapse whitespace and upper-case, so "UNSCR 2397  op8" equals "UNSCR 2397 OP8"."""
    return " ".join(str(provision).split()).upper()


def provision_counts(predicted: Iterable[Any] | None, gold: Iterable[Any] | None) -> MatchCounts:
    """Set comparison: a provision listed twice counts once."""
    return multiset_counts(
        {normalise_provision(p) for p in predicted or ()}, {normalise_provision(g) for g in gold or ()}
    )


# --- error listing ----------------------------------------------------------------------------


def compared_view(field_name: str, incident: Mapping[str, Any]) -> Any:
    """The part of a field that scoring compares, in a short JSON-able form for error listings."""
    if field_name == "actors":
        return sorted(actor_keys(incident.get("actors")), key=str)
    if field_name == "provisions":
        return sorted({normalise_provision(p) for p in incident.get("provisions") or ()})
    if field_name == "locations":
        keys = ("name", "country", "lat", "lon")
        return [{key: place.get(key) for key in keys} for place in incident.get("locations") or ()]
    if field_name == "time":
        return {key: (incident.get("time") or {}).get(key) for key in ("start", "end", "precision")}
    return incident.get(field_name)
