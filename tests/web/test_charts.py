"""Timeline geometry: bars scale to the highest bin, labels stay apart, links filter to the bin."""

from __future__ import annotations

import itertools
from typing import Any

from sanctionwatch.service.timeline import TimelineBuilder
from sanctionwatch.web.charts import AREA_COLOURS, MIN_LABEL_SPACING, area_buckets, nice_ticks, timeline_chart


def chart_of(*starts: str | None, granularity: str | None = None) -> Any:
    builder = TimelineBuilder()
    for start in starts:
        builder.add({"time": {"start": start, "end": start}})
    return timeline_chart(builder.build(granularity), lambda since, until: f"/?since={since}&until={until}", "/?undated=only")


def test_bars_scale_and_link_to_their_dates() -> None:
    chart = chart_of("2024-01-05", "2024-01-06", "2024-03-01", None)
    assert [(bar.key, bar.count) for bar in chart.bars] == [("2024-01", 2), ("2024-03", 1)]  # empty months: no bar
    assert chart.bars[0].height == 2 * chart.bars[1].height
    assert chart.bars[0].href == "/?since=2024-01-01&until=2024-01-31"
    assert chart.undated is not None and chart.undated.count == 1 and chart.undated.href == "/?undated=only"
    assert chart.y_ticks[0].label == "0" and int(chart.y_ticks[-1].label) >= 2


def test_a_huge_undated_bar_is_capped_not_rescaling_the_dated_ones() -> None:
    chart = chart_of("2024-01-05", *([None] * 50))
    assert chart.undated_capped
    assert chart.undated is not None and chart.undated.height <= chart.baseline


def test_axis_labels_never_crowd() -> None:
    starts = [f"{year}-{month:02d}-01" for year in range(2017, 2025) for month in range(1, 13)]
    for chart in (chart_of(*starts), chart_of(*starts, granularity="year"), chart_of("1990-01-01", "2025-01-01")):
        positions = [label.position for label in chart.x_labels]
        assert positions, "no axis labels"
        assert all(b - a >= MIN_LABEL_SPACING - 1 for a, b in itertools.pairwise(positions))


def test_nice_ticks() -> None:
    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(3) == [0, 1, 2, 3]
    assert nice_ticks(32) == [0, 20, 40]
    assert nice_ticks(70) == [0, 50, 100]


def test_area_buckets_double_and_end_at_the_highest_count() -> None:
    assert [bucket.label for bucket in area_buckets([1])] == ["1"]
    assert [bucket.label for bucket in area_buckets([13, 2])] == ["1", "2–3", "4–7", "8–13"]
    assert [bucket.label for bucket in area_buckets([200])][-1] == "16+"
    assert len(area_buckets([200])) == len(AREA_COLOURS)
    assert area_buckets([]) == ()
