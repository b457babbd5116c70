"""Scoring predicted incidents against gold, as docs/incidents.md "How extraction is scored" says.

Every figure keeps its counts so readers see n. Division by zero is never an error: a ratio with
a zero denominator has ``value`` None ("not measurable here"), and so has a precision with
nothing predicted or a recall with nothing in gold; F1 is 2·TP / (2·TP + FP + FN), which is 0
(not None) when something was expected or predicted and nothing matched, None only when both
sides are empty.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from sanctionwatch.errors import InputError
from sanctionwatch.evaluation.matching import (
    MatchCounts,
    actor_counts,
    compared_view,
    evidence_sentences,
    location_counts,
    pair_incidents,
    provision_counts,
    quantity_is_right,
    sentences_overlap,
    time_is_null,
    time_is_right,
)
from sanctionwatch.model.incident import ACTIVITY_TYPES, CONTEXT_TYPES

# Lower bounds of the confidence bands; the last band includes 1.0.
CONFIDENCE_BAND_LOWER_BOUNDS = (0.0, 0.5, 0.7, 0.85)
_RATIO_NAMES = (
    "time", "time_null", "quantity", "quantity_without_gold", "attribution", "certainty", "evidence_paired",
    "evidence_all",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Ratio:
    """An accuracy or share: numerator / denominator, None when the denominator is 0."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    def to_dict(self) -> dict[str, Any]:
        return {"numerator": self.numerator, "denominator": self.denominator, "value": self.value}


@dataclass(frozen=True, slots=True)
class PrecisionRecall:
    """Precision, recall and F1 from true positive, false positive and false negative counts."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @classmethod
    def from_counts(cls, counts: MatchCounts) -> PrecisionRecall:
        return cls(counts.true_positives, counts.false_positives, counts.false_negatives)

    @classmethod
    def from_sets(cls, predicted: set[Any], gold: set[Any]) -> PrecisionRecall:
        return cls(len(predicted & gold), len(predicted - gold), len(gold - predicted))

    @property
    def precision(self) -> float | None:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else None

    @property
    def recall(self) -> float | None:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else None

    @property
    def f1(self) -> float | None:
        denominator = 2 * self.true_positives + self.false_positives + self.false_negatives
        return 2 * self.true_positives / denominator if denominator else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "true_positives": self.true_positives,
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True, slots=True)
class CalibrationBand:
    """Precision of the predicted activity incidents whose confidence falls in [lower, upper)."""

    lower: float
    upper: float
    precision: Ratio

    def to_dict(self) -> dict[str, Any]:
        return {"lower": self.lower, "upper": self.upper, **self.precision.to_dict()}


@dataclass(frozen=True, slots=True)
class IncidentError:
    """A missed or spurious (article, type): ``evidence`` is its first evidence sentence."""

    article_id: str
    type: str
    evidence: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class FieldError:
    """A wrong field on a paired incident; values are as they appear in the exchange format."""

    article_id: str
    type: str
    field: str
    gold_value: Any
    predicted_value: Any

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class EvaluationReport:
    """All figures of one evaluation. (article, type) figures are the schema's headline ones;
    ``*_instances`` figures count paired incidents instead. Field figures are over paired
    incidents, activity and context alike."""

    article_count: int
    activity: PrecisionRecall
    context: PrecisionRecall
    activity_instances: PrecisionRecall
    context_instances: PrecisionRecall
    relevance: PrecisionRecall
    per_type: dict[str, PrecisionRecall]
    locations: PrecisionRecall
    time: Ratio
    time_null: Ratio
    quantity: Ratio
    quantity_without_gold: Ratio
    actors: PrecisionRecall
    attribution: Ratio
    certainty: Ratio
    provisions: PrecisionRecall
    evidence_paired: Ratio
    evidence_all: Ratio
    calibration: tuple[CalibrationBand, ...]
    missed: tuple[IncidentError, ...] = ()
    spurious: tuple[IncidentError, ...] = ()
    field_errors: tuple[FieldError, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict: every figure with its counts and value (None where unmeasurable)."""
        return {item.name: _jsonable(getattr(self, item.name)) for item in fields(self)}


def _jsonable(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_jsonable(item) for item in value]
    return value


def load_gold(path: str | Path) -> dict[str, list[dict[str, Any]]]:
    """Read a gold JSON Lines file: article id -> its incidents, in file order.

    An article whose only line has ``"type": null`` maps to []. Raises InputError (with path and
    line) on unreadable JSON or a line without ``article_id``.
    """
    gold: dict[str, list[dict[str, Any]]] = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InputError(f"cannot read gold file: {error}", path=str(path)) from error
    for line_number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(f"not JSON: {error}", path=str(path), line=line_number) from error
        if not isinstance(record, dict) or not record.get("article_id"):
            raise InputError("gold line without article_id", path=str(path), line=line_number)
        incidents = gold.setdefault(str(record["article_id"]), [])
        if record.get("type") is not None:
            incidents.append(record)
    return gold


def score(
    gold: Mapping[str, list[dict[str, Any]]],
    predicted: Mapping[str, list[dict[str, Any]]],
    article_ids: Iterable[str],
) -> EvaluationReport:
    """Score predictions on ``article_ids`` (duplicates ignored).

    Every id must be a key of ``gold`` (raises InputError otherwise: a typo would silently score
    as a negative article). Articles absent from ``predicted`` have no predictions. Incidents
    with a null type (gold-style negative lines) are ignored on both sides. A type outside the
    context types counts as activity, so an invented type is never a free prediction.
    """
    ids = list(dict.fromkeys(article_ids))
    missing = [article_id for article_id in ids if article_id not in gold]
    if missing:
        raise InputError(f"no gold for {len(missing)} article(s), e.g. {missing[0]!r}")
    tally = _Tally()
    for article_id in ids:
        gold_incidents = [g for g in gold[article_id] if g.get("type") is not None]
        predicted_incidents = [p for p in predicted.get(article_id) or () if p.get("type") is not None]
        tally.add_article(article_id, gold_incidents, predicted_incidents)
    return tally.report(len(ids))


def evaluate_background(predicted_by_article: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """False positives on background news (articles that report no incident): the share of
    articles with at least one sanctions-activity incident, and the counts behind it."""
    flagged = sorted(
        article_id
        for article_id, incidents in predicted_by_article.items()
        if any(_is_activity(incident.get("type")) for incident in incidents or ())
    )
    by_type = Counter(
        str(incident["type"])
        for incidents in predicted_by_article.values()
        for incident in incidents or ()
        if _is_activity(incident.get("type"))
    )
    return {
        "articles": len(predicted_by_article),
        "articles_with_activity": len(flagged),
        "share_with_activity": Ratio(len(flagged), len(predicted_by_article)).value,
        "activity_incidents_by_type": dict(by_type.most_common()),
        "article_ids_with_activity": flagged,
    }


def _is_activity(incident_type: Any) -> bool:
    return incident_type is not None and incident_type not in CONTEXT_TYPES


def _first_evidence(incident: Mapping[str, Any]) -> str | None:
    evidence = evidence_sentences(incident)
    return evidence[0] if evidence else None


class _Tally:
    """Running counts over articles; holds state, hence a class."""

    def __init__(self) -> None:
        self.gold_pairs: set[tuple[str, str]] = set()
        self.predicted_pairs: set[tuple[str, str]] = set()
        self.instance_counts = {True: MatchCounts(), False: MatchCounts()}  # keyed by is-activity
        self.relevant_gold: set[str] = set()
        self.relevant_predicted: set[str] = set()
        self.field_counts = {name: MatchCounts() for name in ("locations", "actors", "provisions")}
        self.ratios = {name: [0, 0] for name in _RATIO_NAMES}  # [right, counted]
        self.bands = [[0, 0] for _ in CONFIDENCE_BAND_LOWER_BOUNDS]
        self.first_evidence: dict[tuple[str, str, bool], str | None] = {}
        self.field_errors: list[FieldError] = []
        self.predicted_activity: list[tuple[str, str, Any]] = []

    def count(self, name: str, right: bool) -> None:
        self.ratios[name][0] += int(right)
        self.ratios[name][1] += 1

    def add_article(self, article_id: str, gold: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> None:
        for incidents, pairs, is_gold in ((gold, self.gold_pairs, True), (predicted, self.predicted_pairs, False)):
            for incident in incidents:
                key = (article_id, str(incident["type"]))
                pairs.add(key)
                self.first_evidence.setdefault((*key, is_gold), _first_evidence(incident))
        if any(_is_activity(g["type"]) for g in gold):
            self.relevant_gold.add(article_id)
        if any(_is_activity(p["type"]) for p in predicted):
            self.relevant_predicted.add(article_id)
        for incident in predicted:
            if _is_activity(incident["type"]):
                self.predicted_activity.append((article_id, str(incident["type"]), incident.get("confidence")))

        pairing = pair_incidents(predicted, gold)
        for is_activity in (True, False):
            self.instance_counts[is_activity] += MatchCounts(
                sum(_is_activity(gold[g]["type"]) == is_activity for _, g in pairing.pairs),
                sum(_is_activity(predicted[p]["type"]) == is_activity for p in pairing.unpaired_predicted),
                sum(_is_activity(gold[g]["type"]) == is_activity for g in pairing.unpaired_gold),
            )
        gold_sentences = [sentence for g in gold for sentence in evidence_sentences(g)]
        paired_predicted = {p for p, _ in pairing.pairs}
        gold_of = dict(pairing.pairs)
        for index, incident in enumerate(predicted):
            for sentence in evidence_sentences(incident):
                hit = any(sentences_overlap(sentence, g) for g in gold_sentences)
                self.count("evidence_all", hit)
                if index in paired_predicted:
                    self.count("evidence_paired", hit)
                    if not hit:
                        paired_gold = gold[gold_of[index]]
                        self.field_errors.append(
                            FieldError(article_id, str(paired_gold["type"]), "evidence", evidence_sentences(paired_gold), sentence)
                        )
        for predicted_index, gold_index in pairing.pairs:
            self.compare_fields(article_id, predicted[predicted_index], gold[gold_index])

    def compare_fields(self, article_id: str, predicted: Mapping[str, Any], gold: Mapping[str, Any]) -> None:
        def wrong(name: str, gold_value: Any, predicted_value: Any) -> None:
            self.field_errors.append(FieldError(article_id, str(gold["type"]), name, gold_value, predicted_value))

        for name, counts in (
            ("locations", location_counts(predicted.get("locations") or [], gold.get("locations") or [])),
            ("actors", actor_counts(predicted.get("actors"), gold.get("actors"))),
            ("provisions", provision_counts(predicted.get("provisions"), gold.get("provisions"))),
        ):
            self.field_counts[name] += counts
            if counts.false_positives or counts.false_negatives:
                wrong(name, compared_view(name, gold), compared_view(name, predicted))

        gold_time, predicted_time = gold.get("time") or {}, predicted.get("time") or {}
        right = time_is_right(predicted_time, gold_time)
        self.count("time_null" if time_is_null(gold_time) else "time", right)
        if not right:
            wrong("time", compared_view("time", gold), compared_view("time", predicted))

        gold_quantity, predicted_quantity = gold.get("quantity"), predicted.get("quantity")
        if gold_quantity:
            right = quantity_is_right(predicted_quantity, gold_quantity)
            self.count("quantity", right)
        else:
            right = not predicted_quantity
            self.count("quantity_without_gold", not right)  # counts the unwanted quantities
        if not right:
            wrong("quantity", gold_quantity, predicted_quantity)

        for name in ("attribution", "certainty"):
            right = predicted.get(name) == gold.get(name)
            self.count(name, right)
            if not right:
                wrong(name, gold.get(name), predicted.get(name))

    def report(self, article_count: int) -> EvaluationReport:
        def split(pairs: set[tuple[str, str]], activity: bool) -> set[tuple[str, str]]:
            return {pair for pair in pairs if _is_activity(pair[1]) == activity}

        for article_id, incident_type, confidence in self.predicted_activity:
            band = _band_index(confidence)
            if band is not None:
                self.bands[band][0] += int((article_id, incident_type) in self.gold_pairs)
                self.bands[band][1] += 1
        types = list(ACTIVITY_TYPES) + list(CONTEXT_TYPES)
        types += sorted({t for _, t in self.gold_pairs | self.predicted_pairs} - set(types))
        per_type = {
            t: PrecisionRecall.from_sets(
                {p for p in self.predicted_pairs if p[1] == t}, {g for g in self.gold_pairs if g[1] == t}
            )
            for t in types
            if any(pair[1] == t for pair in self.gold_pairs | self.predicted_pairs)
        }
        upper_bounds = [*CONFIDENCE_BAND_LOWER_BOUNDS[1:], 1.0]
        ratios = {name: Ratio(*counts) for name, counts in self.ratios.items()}
        return EvaluationReport(
            article_count=article_count,
            activity=PrecisionRecall.from_sets(split(self.predicted_pairs, True), split(self.gold_pairs, True)),
            context=PrecisionRecall.from_sets(split(self.predicted_pairs, False), split(self.gold_pairs, False)),
            activity_instances=PrecisionRecall.from_counts(self.instance_counts[True]),
            context_instances=PrecisionRecall.from_counts(self.instance_counts[False]),
            relevance=PrecisionRecall.from_sets(self.relevant_predicted, self.relevant_gold),
            per_type=per_type,
            locations=PrecisionRecall.from_counts(self.field_counts["locations"]),
            actors=PrecisionRecall.from_counts(self.field_counts["actors"]),
            provisions=PrecisionRecall.from_counts(self.field_counts["provisions"]),
            calibration=tuple(
                CalibrationBand(lower, upper, Ratio(*counts))
                for lower, upper, counts in zip(CONFIDENCE_BAND_LOWER_BOUNDS, upper_bounds, self.bands, strict=True)
            ),
            missed=self._incident_errors(self.gold_pairs - self.predicted_pairs, is_gold=True),
            spurious=self._incident_errors(self.predicted_pairs - self.gold_pairs, is_gold=False),
            field_errors=tuple(self.field_errors),
            **ratios,
        )

    def _incident_errors(self, pairs: set[tuple[str, str]], *, is_gold: bool) -> tuple[IncidentError, ...]:
        return tuple(
            IncidentError(article_id, incident_type, self.first_evidence.get((article_id, incident_type, is_gold)))
            for article_id, incident_type in sorted(pairs)
        )


def _band_index(confidence: Any) -> int | None:
    """Index of the confidence band; values outside 0..1 are clipped; non-numbers have no band."""
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        return None
    return max(index for index, lower in enumerate(CONFIDENCE_BAND_LOWER_BOUNDS) if index == 0 or confidence >= lower)
