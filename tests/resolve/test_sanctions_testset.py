"""Precision and recall of sanctions matching on the list's own test set, against pinned floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sanctionwatch.resolve.sanctions_index import bundled_index
from sanctionwatch.resolve.sanctions_list import bundled_list
from sanctionwatch.resolve.sanctions_testset import build_test_set, score_test_set

FLOORS = json.loads((Path(__file__).parent / "sanctions_floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cases():  # type: ignore[no-untyped-def]
    return build_test_set(bundled_list())


def test_the_set_has_positives_and_every_kind_of_distractor(cases) -> None:  # type: ignore[no-untyped-def]
    groups = {case.group for case in cases}
    assert groups == {"listed name", "alias", "variant", "other Korean name", "look-alike company", "common word"}
    negatives = [case for case in cases if case.expected is None]
    assert len(negatives) >= 300 and len(cases) - len(negatives) >= 1000


def test_precision_and_recall_stay_above_their_floors(cases) -> None:  # type: ignore[no-untyped-def]
    score = score_test_set(bundled_index(), cases)["all"]
    assert score.precision >= FLOORS["precision"], f"precision {score.precision:.4f}"
    assert score.recall >= FLOORS["recall"], f"recall {score.recall:.4f}"


def test_a_name_alone_keeps_precision(cases) -> None:  # type: ignore[no-untyped-def]
    score = score_test_set(bundled_index(), cases, with_details=False)["all"]
    assert score.precision >= FLOORS["name_only_precision"]
    # Persons never link on a name alone, so recall must fall well below the detailed run's.
    assert score.recall < 0.8


def test_distractors_make_no_link(cases) -> None:  # type: ignore[no-untyped-def]
    scores = score_test_set(bundled_index(), cases)
    for group in ("other Korean name", "look-alike company", "common word"):
        assert scores[group].false_positives == 0, group
