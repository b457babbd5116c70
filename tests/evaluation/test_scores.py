"""Scoring predicted incidents against gold: hand-made tables, plus the seed gold against itself."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from sanctionwatch.errors import InputError
from sanctionwatch.evaluation import (
    PrecisionRecall,
    Ratio,
    evaluate_background,
    load_gold,
    locations_match,
    normalise_place_name,
    pair_incidents,
    quantity_is_right,
    render_errors,
    render_table,
    score,
    sentences_overlap,
    time_is_right,
)

SEED_GOLD = Path(__file__).resolve().parents[3] / "shared" / "seed" / "gold.jsonl"

NANPING_JILIN = {"name": "Nanping", "country": "CN", "admin1": "Jilin", "role": "crossing", "lat": 42.25, "lon": 129.23}
NANPING_FUJIAN = {**NANPING_JILIN, "admin1": "Fujian", "lat": 26.64, "lon": 118.17}


def incident(article_id: str = "a1", incident_type: str = "labor_export", **overrides: Any) -> dict[str, Any]:
    """A complete made-up incident in the exchange format; overrides replace single fields."""
    base: dict[str, Any] = {
        "article_id": article_id,
        "type": incident_type,
        "summary": "Workers were sent abroad.",
        "actors": [
            {"name": "North Korean authorities", "country": "KP", "role": "perpetrator"},
            {"name": "a factory", "country": "CN", "role": "counterpart"},
        ],
        "quantity": {"min": 100, "max": 200, "unit": "persons", "item": "workers"},
        "locations": [NANPING_JILIN, {"name": "Jilin Province", "country": "CN", "lat": None, "lon": None}],
        "time": {"start": "2024-04-21", "end": "2024-05-16", "precision": "day", "text": "since late April"},
        "attribution": "anonymous_source",
        "certainty": "reported",
        "provisions": ["UNSCR 2397 OP8"],
        "evidence": [f"A source said {incident_type.replace('_', ' ')} happened in article {article_id}."],
        "confidence": 0.9,
    }
    base.update(overrides)
    return base


def gold_table() -> dict[str, list[dict[str, Any]]]:
    """Three articles: two activity incidents, a context-only article and a negative one."""
    return {
        "a1": [
            incident("a1", "labor_export"),
            incident(
                "a1", "cyber_theft", quantity=None, locations=[], evidence=["Hackers stole coins from an exchange."]
            ),
        ],
        "a2": [incident("a2", "context_enforcement", quantity=None, provisions=[], attribution="named_official")],
        "a3": [],
    }


def test_perfect_prediction_scores_one_everywhere() -> None:
    gold = gold_table()
    report = score(gold, copy.deepcopy(gold), gold)
    figures = report.to_dict()
    for name in ("activity", "context", "activity_instances", "context_instances", "relevance", "locations",
                 "actors", "provisions"):  # fmt: skip
        assert figures[name]["f1"] == 1.0, name
    for name in ("time", "quantity", "attribution", "certainty", "evidence_paired", "evidence_all"):
        assert figures[name]["value"] == 1.0, name
    assert report.quantity_without_gold.numerator == 0
    assert all(figure.f1 == 1.0 for figure in report.per_type.values())
    assert report.missed == report.spurious == report.field_errors == ()
    assert render_errors(report) == "No errors.\n"


def test_missing_incident_lowers_recall_not_precision() -> None:
    gold = gold_table()
    predicted = {"a1": [gold["a1"][0]], "a2": gold["a2"]}
    report = score(gold, predicted, gold)
    assert (report.activity.recall, report.activity.precision) == (0.5, 1.0)
    assert [(error.article_id, error.type) for error in report.missed] == [("a1", "cyber_theft")]
    assert report.missed[0].evidence == "Hackers stole coins from an exchange."
    assert report.per_type["cyber_theft"].recall == 0.0


def test_spurious_incident_lowers_precision_and_relevance() -> None:
    gold = gold_table()
    predicted = copy.deepcopy(gold)
    predicted["a3"] = [incident("a3", "arms_military", evidence=["Made-up shipment of rifles."])]
    report = score(gold, predicted, gold)
    assert report.activity.precision == pytest.approx(2 / 3)
    assert report.relevance.precision == 0.5
    assert report.spurious[0].evidence == "Made-up shipment of rifles."
    assert report.evidence_all.value == pytest.approx(3 / 4)  # the spurious sentence overlaps no gold
    assert report.evidence_paired.value == 1.0


def test_empty_predictions_give_zero_recall_and_no_crash() -> None:
    gold = gold_table()
    report = score(gold, {}, gold)
    assert report.activity.recall == 0.0
    assert report.activity.precision is None  # nothing predicted: precision is not measurable
    assert report.activity.f1 == 0.0
    assert report.relevance.recall == 0.0
    assert report.locations.f1 is None and report.time.value is None
    assert "activity" in render_table(report)
    assert "Missed" in render_errors(report)
    json.dumps(report.to_dict())


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        (Ratio(0, 0), None),
        (Ratio(1, 4), 0.25),
        (PrecisionRecall(0, 0, 0), (None, None, None)),
        (PrecisionRecall(0, 0, 3), (None, 0.0, 0.0)),
        (PrecisionRecall(0, 2, 0), (0.0, None, 0.0)),
        (PrecisionRecall(1, 1, 0), (0.5, 1.0, pytest.approx(2 / 3))),
    ],
)
def test_division_by_zero_gives_none(figure: Ratio | PrecisionRecall, expected: Any) -> None:
    if isinstance(figure, Ratio):
        assert figure.value == expected
    else:
        assert (figure.precision, figure.recall, figure.f1) == expected


def test_headline_counts_article_type_pairs_as_sets() -> None:
    thefts = [incident("a1", "cyber_theft", evidence=[f"Theft number {n} hit exchange {n}."]) for n in range(3)]
    report = score({"a1": thefts}, {"a1": [thefts[2]]}, ["a1"])
    assert (report.activity.true_positives, report.activity.recall) == (1, 1.0)
    assert report.activity_instances.recall == pytest.approx(1 / 3)
    assert report.missed == ()


def test_pairing_prefers_best_evidence_overlap_then_pairs_leftovers() -> None:
    gold = [
        incident(evidence=["Workers crossed at Tumen in April."]),
        incident(evidence=["Workers were flown to Vladivostok in May."]),
        incident(incident_type="cyber_theft", evidence=["Coins were stolen."]),
    ]
    predicted = [
        incident(evidence=["Nothing in common here."]),
        incident(evidence=["Workers were flown to Vladivostok in May."]),
        incident(incident_type="arms_military", evidence=["Coins were stolen."]),
    ]
    pairing = pair_incidents(predicted, gold)
    assert pairing.pairs == ((0, 0), (1, 1))  # zero-overlap pair made after the overlapping one
    assert (pairing.unpaired_predicted, pairing.unpaired_gold) == ((2,), (2,))


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        (NANPING_FUJIAN, NANPING_JILIN, False),  # same name, ~2,000 km apart
        ({**NANPING_JILIN, "lat": 42.40}, NANPING_JILIN, True),  # ~17 km
        ({**NANPING_JILIN, "lat": 42.52}, NANPING_JILIN, False),  # ~30 km
        ({**NANPING_JILIN, "name": "Nanping Town"}, NANPING_JILIN, True),  # points decide
        ({"name": "jilin", "country": "cn"}, {"name": "Jilin Province", "country": "CN", "lat": None}, True),
        ({"name": "Nanping", "country": "CN"}, NANPING_JILIN, True),  # one point missing: names compared
        ({"name": "Nanping", "country": "KP"}, NANPING_JILIN, False),
        ({"name": "Sinŭiju", "country": "KP"}, {"name": "Sinuiju", "country": "KP"}, True),
        ({"name": "the Yellow Sea", "country": None}, {"name": "Yellow Sea", "country": None}, True),
        ({"name": "", "country": "CN"}, {"name": "", "country": "CN"}, False),
    ],
)
def test_location_matching(predicted: dict[str, Any], gold: dict[str, Any], expected: bool) -> None:
    assert locations_match(predicted, gold) is expected


def test_wrong_province_location_lowers_location_score_and_is_listed() -> None:
    gold = {"a1": [incident(locations=[NANPING_JILIN])]}
    predicted = {"a1": [incident(locations=[NANPING_FUJIAN])]}
    report = score(gold, predicted, ["a1"])
    assert (report.locations.true_positives, report.locations.f1) == (0, 0.0)
    assert [error.field for error in report.field_errors] == ["locations"]
    assert "Wrong locations" in render_errors(report)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Onsong County", "onsong"),
        ("North Hamgyong Province", "north hamgyong"),
        ("Rason (Rajin-Sŏnbong)", "rason rajin sonbong"),
    ],
)
def test_normalise_place_name(name: str, expected: str) -> None:
    assert normalise_place_name(name) == expected


def _day_window(start: str | None, end: str | None, precision: str | None = "day") -> dict[str, Any]:
    return {"start": start, "end": end, "precision": precision}


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        (_day_window("2024-05-16", "2024-05-16"), _day_window("2024-05-01", "2024-05-01"), True),  # 15 days
        (_day_window("2024-05-17", "2024-05-17"), _day_window("2024-05-01", "2024-05-01"), False),  # 16 days
        (_day_window("2024-05-31", "2024-05-31"), _day_window("2024-05-01", "2024-05-01", "month"), True),  # 30 days
        (_day_window("2024-06-01", "2024-06-01"), _day_window("2024-05-01", "2024-05-01", "month"), False),  # 31
        (_day_window("2024-05-17", "2024-05-17"), _day_window("2024-05-01", "2024-05-01", "year"), False),
        (_day_window(None, "2024-05-16"), _day_window(None, "2024-05-10", None), True),
        (_day_window("2024-05-10", "2024-05-16"), _day_window(None, "2024-05-16", None), False),  # null bound
        (_day_window(None, None), _day_window("2024-05-01", "2024-05-16"), False),
        (_day_window("garbage", "2024-05-16"), _day_window("2024-05-16", "2024-05-16"), False),
        (None, _day_window(None, None, None), True),
    ],
)
def test_time_window(predicted: dict[str, Any] | None, gold: dict[str, Any], expected: bool) -> None:
    assert time_is_right(predicted, gold) is expected


def test_time_with_null_gold_is_counted_separately() -> None:
    gold = {"a1": [incident(time=_day_window(None, None, None)), incident("a1", "cyber_theft")]}
    predicted = {"a1": [incident(time=_day_window("2024-01-01", "2024-01-01")), incident("a1", "cyber_theft")]}
    report = score(gold, predicted, ["a1"])
    assert (report.time_null.numerator, report.time_null.denominator) == (0, 1)
    assert (report.time.numerator, report.time.denominator) == (1, 1)


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        ({"min": 110, "max": 180}, {"min": 100, "max": 200}, True),  # each within 10%
        ({"min": 111, "max": 200}, {"min": 100, "max": 200}, False),
        ({"min": None, "max": 600}, {"min": None, "max": 600}, True),
        ({"min": 600, "max": 600}, {"min": None, "max": 600}, False),  # null must match null
        (None, {"min": 3, "max": None}, False),
        (None, None, True),
        ({"min": 0, "max": 0}, {"min": 0, "max": 0}, True),
    ],
)
def test_quantity(predicted: dict[str, Any] | None, gold: dict[str, Any] | None, expected: bool) -> None:
    assert quantity_is_right(predicted, gold) is expected


def test_quantity_predicted_where_gold_has_none_is_reported_apart() -> None:
    gold = {"a1": [incident(quantity=None)]}
    report = score(gold, {"a1": [incident()]}, ["a1"])
    assert report.quantity.denominator == 0
    assert (report.quantity_without_gold.numerator, report.quantity_without_gold.denominator) == (1, 1)


def test_actors_compare_country_and_role_as_multiset_ignoring_names() -> None:
    gold_actors = [
        {"name": "A", "country": "KP", "role": "perpetrator"},
        {"name": "B", "country": "KP", "role": "perpetrator"},
    ]
    predicted_actors = [
        {"name": "Pyongyang", "country": "kp", "role": "perpetrator"},
        {"name": "UN", "country": None, "role": "enforcer"},
    ]
    report = score({"a1": [incident(actors=gold_actors)]}, {"a1": [incident(actors=predicted_actors)]}, ["a1"])
    assert (report.actors.true_positives, report.actors.false_positives, report.actors.false_negatives) == (1, 1, 1)


def test_provisions_attribution_and_certainty() -> None:
    gold = {"a1": [incident(provisions=["UNSCR 2397 OP8", "UNSCR 2375 OP17"])]}
    predicted = {"a1": [incident(provisions=["UNSCR 2397  op8", "UNSCR 2270 OP6"], certainty="asserted")]}
    report = score(gold, predicted, ["a1"])
    assert (report.provisions.true_positives, report.provisions.f1) == (1, 0.5)
    assert (report.certainty.value, report.attribution.value) == (0.0, 1.0)
    wrong = {error.field: error for error in report.field_errors}
    assert (wrong["certainty"].gold_value, wrong["certainty"].predicted_value) == ("reported", "asserted")


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("Workers crossed at Tumen.", "Sources said: “Workers crossed at Tumen.” on Friday", True),  # contained
        ("Workers crossed the river at Tumen", "Workers crossed a bridge at Tumen", True),  # 4 of 6 tokens
        ("Workers crossed at Tumen", "Coal was shipped from Nampo", False),
        ("", "Anything", False),
    ],
)
def test_sentence_overlap(first: str, second: str, expected: bool) -> None:
    assert sentences_overlap(first, second) is expected


def test_calibration_bands_count_activity_incidents_only() -> None:
    gold = {"a1": [incident()]}
    predicted = {
        "a1": [
            incident(confidence=0.95),
            incident(incident_type="arms_military", confidence=0.6),
            incident(incident_type="context_enforcement", confidence=0.3),
            incident(incident_type="cyber_theft", confidence=1.0),
        ]
    }
    bands = score(gold, predicted, ["a1"]).calibration
    assert [(b.precision.numerator, b.precision.denominator) for b in bands] == [(0, 0), (0, 1), (0, 0), (1, 2)]


def test_context_only_prediction_is_not_relevant() -> None:
    gold = gold_table()
    report = score(gold, {"a2": gold["a2"]}, gold)
    assert report.relevance.true_positives == 0 and report.relevance.false_positives == 0
    assert report.context.f1 == 1.0


def test_load_gold_maps_null_type_articles_to_empty(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    lines = [incident("a1"), {"article_id": "a2", "type": None, "negative_kind": "other"}]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8")
    gold = load_gold(path)
    assert list(gold) == ["a1", "a2"] and gold["a2"] == [] and len(gold["a1"]) == 1


@pytest.mark.parametrize("bad_line", ["{not json", '{"type": "labor_export"}'])
def test_load_gold_reports_bad_line(tmp_path: Path, bad_line: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(incident()) + "\n" + bad_line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_gold(path)
    assert caught.value.line == 2


def test_score_refuses_article_without_gold() -> None:
    with pytest.raises(InputError, match="no gold"):
        score(gold_table(), {}, ["a1", "typo"])


def test_evaluate_background_share() -> None:
    predicted = {
        "b1": [],
        "b2": [incident("b2", "context_diplomatic")],
        "b3": [incident("b3", "petroleum_trade"), incident("b3", "petroleum_trade")],
        "b4": [incident("b4", "arms_military")],
    }
    result = evaluate_background(predicted)
    assert (result["articles"], result["articles_with_activity"], result["share_with_activity"]) == (4, 2, 0.5)
    assert result["activity_incidents_by_type"] == {"petroleum_trade": 2, "arms_military": 1}
    assert evaluate_background({})["share_with_activity"] is None


def test_render_table_shows_counts() -> None:
    gold = gold_table()
    text = render_table(score(gold, {"a1": gold["a1"]}, gold))
    assert "R 1.000 (2/2)" in text  # activity pairs
    assert "R 0.000 (0/1)" in text  # context pairs


def test_render_errors_limit() -> None:
    gold = {"a1": [incident("a1", t) for t in ("labor_export", "cyber_theft", "arms_military")]}
    text = render_errors(score(gold, {}, ["a1"]), limit=1)
    assert "Missed (gold article/type not predicted): 3" in text and "... and 2 more" in text


@pytest.mark.corpus
@pytest.mark.skipif(not SEED_GOLD.exists(), reason="shared/ is absent")
def test_seed_gold_against_itself_scores_one() -> None:
    gold = load_gold(SEED_GOLD)
    report = score(gold, gold, gold)
    assert report.activity.f1 == report.context.f1 == report.relevance.f1 == 1.0
    assert report.locations.f1 == report.actors.f1 == report.provisions.f1 == 1.0
    assert report.time.value == report.quantity.value == report.evidence_paired.value == 1.0
    assert report.field_errors == ()
