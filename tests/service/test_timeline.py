"""The timeline counts every incident once: by the bin of its start, undated ones apart."""

from __future__ import annotations

from typing import Any

from sanctionwatch.service.timeline import MAX_LANES, TimelineBuilder


def dated(start: str | None, end: str | None = None, precision: str | None = "day") -> dict[str, Any]:
    return {"time": {"start": start, "end": end or start, "precision": precision}}


def test_every_incident_is_counted_once_and_undated_apart() -> None:
    builder = TimelineBuilder()
    for record in [dated("2024-01-05"), dated("2024-03-01", "2024-03-31", "month"), dated("2024-03-20"), {"time": {}}, {}]:
        builder.add(record)
    timeline = builder.build()
    assert timeline.granularity == "month"
    assert [(b.key, b.count) for b in timeline.bins] == [("2024-01", 1), ("2024-02", 0), ("2024-03", 2)]
    assert (timeline.dated, timeline.undated, timeline.total) == (3, 2, 5)


def test_a_long_span_is_drawn_by_year_and_nothing_early_is_dropped() -> None:
    builder = TimelineBuilder()
    builder.add(dated("1990-06-01"))
    builder.add(dated("2024-05-01"))
    timeline = builder.build()
    assert timeline.granularity == "year"
    assert len(timeline.bins) == 35 and sum(b.count for b in timeline.bins) == 2
    # Asked by month over 35 years: the earliest months are cut, and counted as cut.
    by_month = builder.build("month")
    assert by_month.bins_left_out == 1 and sum(b.count for b in by_month.bins) == 1


def test_a_window_known_by_its_end_only_is_dated_by_it() -> None:
    builder = TimelineBuilder()
    builder.add({"time": {"start": None, "end": "2025-06-21"}})
    timeline = builder.build()
    assert timeline.dated == 1 and timeline.bins[0].key == "2025-06"


def test_windows_keep_their_precision_and_pack_into_lanes() -> None:
    builder = TimelineBuilder()
    builder.add(dated("2014-01-01", "2016-12-31", "year"))
    builder.add(dated("2015-05-01", "2015-05-31", "month"))
    builder.add(dated("2015-05-01", "2015-05-31", "month"))  # the same window: drawn once, counted twice
    builder.add(dated("2017-02-03"))
    timeline = builder.build("year")
    windows = {(w.start.isoformat(), w.end.isoformat(), w.precision): (w.count, w.lane) for w in timeline.windows}
    assert windows == {
        ("2014-01-01", "2016-12-31", "year"): (1, 0),
        ("2015-05-01", "2015-05-31", "month"): (2, 1),  # overlaps the first: a lane of its own
        ("2017-02-03", "2017-02-03", "day"): (1, 0),  # after the first ended: back in lane 0
    }
    assert timeline.lanes == 2


def test_lanes_are_bounded_and_the_rest_counted() -> None:
    builder = TimelineBuilder()
    for index in range(MAX_LANES + 3):
        builder.add(dated(f"2020-01-{index + 1:02d}", "2020-12-31", None))
    timeline = builder.build()
    assert timeline.lanes == MAX_LANES
    assert timeline.windows_left_out == 3
