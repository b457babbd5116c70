"""Sanctions lists: the list in use, measuring the matcher on it (more with the store, later)."""

from __future__ import annotations

from dataclasses import dataclass

from sanctionwatch.resolve.sanctions_index import bundled_index
from sanctionwatch.resolve.sanctions_match import SanctionsIndex
from sanctionwatch.resolve.sanctions_testset import Score, build_test_set, score_test_set


@dataclass(frozen=True, slots=True)
class MatchingReport:
    list_title: str
    list_date: str | None
    entries: int
    with_details: dict[str, Score]
    name_only: dict[str, Score]

    def lines(self) -> list[str]:
        out = [f"{self.list_title} of {self.list_date or 'unknown date'}: {self.entries} entries"]
        for label, scores in (("name + kind + country", self.with_details), ("name only", self.name_only)):
            out.append(f"{label}:")
            for group, score in scores.items():
                out.append(
                    f"  {group:<20} {score.cases:>5} queries {score.positives:>5} positives  "
                    f"precision {score.precision:.3f}  recall {score.recall:.3f}  false links {score.false_positives}"
                )
        return out


def evaluate_matching(index: SanctionsIndex | None = None) -> MatchingReport:
    """Precision and recall of the matcher on the test set built from ``index``'s own list."""
    index = index or bundled_index()
    cases = build_test_set(index.list)
    return MatchingReport(
        list_title=index.list.title,
        list_date=index.list.generated.isoformat() if index.list.generated else None,
        entries=len(index.list.entries),
        with_details=score_test_set(index, cases),
        name_only=score_test_set(index, cases, with_details=False),
    )
