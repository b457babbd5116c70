"""Rendering an EvaluationReport for people: a plain-text table of figures and an error listing.

The JSON-able form is ``EvaluationReport.to_dict()``; ``report_to_json`` writes it as text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sanctionwatch.evaluation.scores import EvaluationReport, FieldError, IncidentError, PrecisionRecall, Ratio

# Long evidence sentences are cut in listings; the full text is in to_dict().
EVIDENCE_DISPLAY_CHARACTERS = 160


def report_to_json(report: EvaluationReport, *, indent: int | None = 2) -> str:
    return json.dumps(report.to_dict(), indent=indent, ensure_ascii=False)


def render_table(report: EvaluationReport) -> str:
    """Every figure on one line with its counts; "-" where a figure has nothing to measure."""
    lines = [f"Evaluation over {report.article_count} articles", ""]
    lines += _section(
        "Incidents",
        [
            ("activity (article, type) [headline]", report.activity),
            ("context (article, type)", report.context),
            ("activity instances", report.activity_instances),
            ("context instances", report.context_instances),
            ("article relevance", report.relevance),
        ],
    )
    lines += _section(
        "Fields on paired incidents",
        [
            ("locations", report.locations),
            ("time (gold has a bound)", report.time),
            ("time (gold all null)", report.time_null),
            ("quantity (gold has one)", report.quantity),
            ("quantity predicted, gold none (lower is better)", report.quantity_without_gold),
            ("actors (country, role)", report.actors),
            ("attribution", report.attribution),
            ("certainty", report.certainty),
            ("provisions", report.provisions),
            ("evidence overlap (paired)", report.evidence_paired),
            ("evidence overlap (all predicted)", report.evidence_all),
        ],
    )
    lines += _section("Per type (article, type)", list(report.per_type.items()))
    lines += _section(
        "Calibration: precision of predicted activity incidents by confidence",
        [
            (f"[{band.lower:.2f}, {band.upper:.2f}{']' if band.upper >= 1.0 else ')'}", band.precision)
            for band in report.calibration
        ],
    )
    return "\n".join(lines).rstrip() + "\n"


def render_errors(report: EvaluationReport, limit: int | None = None) -> str:
    """Missed, spurious and wrong-field errors, grouped; ``limit`` caps each group's lines."""
    lines: list[str] = []
    lines += _error_group("Missed (gold article/type not predicted)", report.missed, limit, _incident_line)
    lines += _error_group("Spurious (predicted article/type not in gold)", report.spurious, limit, _incident_line)
    by_field: dict[str, list[FieldError]] = {}
    for error in report.field_errors:
        by_field.setdefault(error.field, []).append(error)
    for field_name in sorted(by_field):
        lines += _error_group(f"Wrong {field_name}", by_field[field_name], limit, _field_line)
    if not lines:
        return "No errors.\n"
    return "\n".join(lines).rstrip() + "\n"


def format_figure(figure: PrecisionRecall | Ratio) -> str:
    """One figure as aligned text, e.g. "P 0.750 (3/4)  R 1.000 (3/3)  F1 0.857"."""
    if isinstance(figure, Ratio):
        return f"{_number(figure.value)} ({figure.numerator}/{figure.denominator})"
    predicted = figure.true_positives + figure.false_positives
    expected = figure.true_positives + figure.false_negatives
    return (
        f"P {_number(figure.precision)} ({figure.true_positives}/{predicted})  "
        f"R {_number(figure.recall)} ({figure.true_positives}/{expected})  F1 {_number(figure.f1)}"
    )


def _section(title: str, rows: Sequence[tuple[str, PrecisionRecall | Ratio]]) -> list[str]:
    if not rows:
        return [title, "  (none)", ""]
    width = max(len(label) for label, _ in rows)
    return [title, *(f"  {label.ljust(width)}  {format_figure(figure)}" for label, figure in rows), ""]


def _number(value: float | None) -> str:
    return "    -" if value is None else f"{value:.3f}"


def _error_group(title: str, errors: Sequence[Any], limit: int | None, line: Any) -> list[str]:
    if not errors:
        return []
    shown = errors if limit is None else errors[:limit]
    out = [f"{title}: {len(errors)}"]
    for error in shown:
        out += line(error)
    if len(shown) < len(errors):
        out.append(f"  ... and {len(errors) - len(shown)} more")
    return [*out, ""]


def _incident_line(error: IncidentError) -> list[str]:
    lines = [f"  {error.article_id}  {error.type}"]
    if error.evidence:
        lines.append(f"      \"{_shorten(error.evidence)}\"")
    return lines


def _field_line(error: FieldError) -> list[str]:
    if error.field == "evidence":  # a predicted sentence that overlaps no gold evidence sentence
        return [
            f"  {error.article_id}  {error.type}",
            *(f"      gold:      \"{_shorten(sentence)}\"" for sentence in error.gold_value),
            f"      predicted: \"{_shorten(error.predicted_value)}\"",
        ]
    return [
        f"  {error.article_id}  {error.type}",
        f"      gold:      {_compact(error.gold_value)}",
        f"      predicted: {_compact(error.predicted_value)}",
    ]


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= EVIDENCE_DISPLAY_CHARACTERS:
        return flat
    return flat[: EVIDENCE_DISPLAY_CHARACTERS - 1] + "…"
