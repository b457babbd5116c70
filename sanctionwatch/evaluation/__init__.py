"""Scoring extracted incidents against gold (docs/incidents.md, "How extraction is scored")."""

from sanctionwatch.evaluation.matching import (
    IncidentPairing,
    MatchCounts,
    evidence_overlap,
    haversine_kilometres,
    locations_match,
    match_locations,
    normalise_place_name,
    pair_incidents,
    quantity_is_right,
    sentences_overlap,
    time_is_right,
)
from sanctionwatch.evaluation.report import format_figure, render_errors, render_table, report_to_json
from sanctionwatch.evaluation.scores import (
    CalibrationBand,
    EvaluationReport,
    FieldError,
    IncidentError,
    PrecisionRecall,
    Ratio,
    evaluate_background,
    load_gold,
    score,
)

__all__ = [
    "CalibrationBand",
    "EvaluationReport",
    "FieldError",
    "IncidentError",
    "IncidentPairing",
    "MatchCounts",
    "PrecisionRecall",
    "Ratio",
    "evaluate_background",
    "evidence_overlap",
    "format_figure",
    "haversine_kilometres",
    "load_gold",
    "locations_match",
    "match_locations",
    "normalise_place_name",
    "pair_incidents",
    "quantity_is_right",
    "render_errors",
    "render_table",
    "report_to_json",
    "score",
    "sentences_overlap",
    "time_is_right",
]
