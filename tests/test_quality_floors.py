"""The extraction figures on both halves of the gold never fall below their pinned floors
(tests/quality_floors.json: one set of floors for ``dev``, one for ``dev_b``).

Floors may be raised when the extractor improves, never lowered: a change that costs quality
must be fixed, not excused by editing the floor. Skipped where the shared corpus is absent.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).parents[1].parent / "shared"
GOLD = SHARED / "dev" / "gold.jsonl"
CORPUS = SHARED / "corpus" / "articles.jsonl"
FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text(encoding="utf-8"))
# Figure name in quality_floors.json -> (report key, field of that entry).
FIGURES = {
    "activity_f1": ("activity", "f1"),
    "context_f1": ("context", "f1"),
    "relevance_f1": ("relevance", "f1"),
    "locations_f1": ("locations", "f1"),
    "time": ("time", "value"),
    "quantity": ("quantity", "value"),
    "attribution": ("attribution", "value"),
    "certainty": ("certainty", "value"),
    "provisions_f1": ("provisions", "f1"),
    "evidence_paired": ("evidence_paired", "value"),
    "actors_f1": ("actors", "f1"),
    "activity_instances_f1": ("activity_instances", "f1"),
}
# Calibration bands with fewer predictions than this are too small to compare.
MIN_BAND_SIZE = 5

pytestmark = pytest.mark.skipif(not (GOLD.exists() and CORPUS.exists()), reason="shared dev corpus not available")


HALVES = ("dev", "dev_b")


@lru_cache(maxsize=2)
def _report(split: str) -> dict[str, Any]:
    from sanctionwatch.service.evaluation import run_evaluation

    return json.loads(run_evaluation(gold_path=GOLD, corpus_path=CORPUS, split=split, as_json=True))


@pytest.mark.parametrize("split", HALVES)
@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_at_or_above_floor(split: str, name: str) -> None:
    key, field = FIGURES[name]
    value = _report(split)[key][field]
    floor = FLOORS[split][name]
    assert value is not None and value >= floor, f"{split} {name} = {value:.3f}, floor {floor}"


def test_every_floor_is_checked() -> None:
    assert set(FLOORS) - {"_comment"} == set(HALVES)
    for split in HALVES:
        assert set(FLOORS[split]) == set(FIGURES)


def test_confidence_bands_are_monotonic() -> None:
    """Higher confidence must mean more often right (on the dev half; dev_b has too few per band)."""
    bands = [b for b in _report("dev")["calibration"] if b["denominator"] >= MIN_BAND_SIZE]
    values = [b["value"] for b in bands]
    assert values == sorted(values), f"precision by confidence band: {values}"
