"""SVG geometry of the timeline: bars with counts, axes, the undated bar and the window strip.

Everything is computed here as numbers and drawn by the template with SVG attributes (the CSP
forbids inline styles). The chart is a fixed 1000-unit-wide viewBox; its container scrolls
sideways on a narrow screen rather than shrinking the labels to nothing.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sanctionwatch.service.timeline import Timeline, TimelineBin

VIEW_WIDTH = 1000
LEFT = 46  # room for the count axis
UNDATED_WIDTH = 60
UNDATED_GAP = 22
PLOT_WIDTH = VIEW_WIDTH - LEFT - UNDATED_GAP - UNDATED_WIDTH - 6
TOP = 18  # room for the count above the highest bar
CHART_HEIGHT = 120
AXIS_LABEL_Y = TOP + CHART_HEIGHT + 16
STRIP_TOP = AXIS_LABEL_Y + 26
LANE_HEIGHT = 5
LANE_GAP = 2
MIN_LABEL_SPACING = 44  # viewBox units between two axis labels


@dataclass(frozen=True, slots=True)
class Bar:
    key: str
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float
    href: str
    show_count: bool
    since: str
    until: str


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True, slots=True)
class WindowMark:
    x: float
    y: float
    width: float
    precision: str
    title: str


@dataclass(frozen=True, slots=True)
class TimelineChart:
    granularity: str
    bars: tuple[Bar, ...]
    undated: Bar | None
    undated_capped: bool
    y_ticks: tuple[Tick, ...]
    x_labels: tuple[Tick, ...]
    windows: tuple[WindowMark, ...]
    height: float
    left: float
    plot_width: float
    baseline: float
    strip_top: float


def nice_ticks(highest: int) -> list[int]:
    """0 and two or three round values up to at least ``highest`` (0, 5, 10; 0, 20, 40, 60)."""
    if highest <= 0:
        return [0, 1]
    raw_step = highest / 3
    magnitude = 10 ** math.floor(math.log10(raw_step)) if raw_step >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw_step)
    step = max(1, int(step))
    top = step * math.ceil(highest / step)
    return list(range(0, top + 1, step))


def _every(count: int, spacing: float, steps: tuple[int, ...]) -> int:
    """The smallest label step (from ``steps``) that keeps labels ``MIN_LABEL_SPACING`` apart."""
    for step in steps:
        if spacing * step >= MIN_LABEL_SPACING:
            return step
    return max(steps[-1], math.ceil(count / 10))


def _x_labels(bins: tuple[TimelineBin, ...], granularity: str, width: float) -> list[Tick]:
    labels: list[Tick] = []
    if granularity == "year":
        step = _every(len(bins), width, (1, 2, 5, 10, 20))
        for index, item in enumerate(bins):
            if item.start.year % step == 0 or (step > 1 and index == 0 and len(bins) < step):
                labels.append(Tick(LEFT + (index + 0.5) * width, str(item.start.year)))
        return labels
    months_step = _every(len(bins), width, (1, 2, 3, 6, 12))
    if months_step < 12:
        for index, item in enumerate(bins):
            if (item.start.month - 1) % months_step == 0:
                text = str(item.start.year) if item.start.month == 1 else calendar.month_abbr[item.start.month]
                labels.append(Tick(LEFT + (index + 0.5) * width, text))
        return labels
    year_step = _every(len(bins), width * 12, (1, 2, 5, 10))
    for index, item in enumerate(bins):
        if item.start.month == 1 and item.start.year % year_step == 0:
            labels.append(Tick(LEFT + index * width, str(item.start.year)))
    if not labels or labels[0].position > LEFT + MIN_LABEL_SPACING:
        first = bins[0].start
        labels.insert(0, Tick(LEFT, f"{calendar.month_abbr[first.month]} {first.year}"))
    return labels


def _date_position(day: date, bins: tuple[TimelineBin, ...], granularity: str, width: float) -> float:
    """x of the start of ``day``, proportionally inside its bin."""
    first = bins[0].start
    if granularity == "year":
        index = day.year - first.year
        length = 366 if calendar.isleap(day.year) else 365
        fraction = (day - date(day.year, 1, 1)).days / length
    else:
        index = (day.year - first.year) * 12 + day.month - first.month
        fraction = (day.day - 1) / calendar.monthrange(day.year, day.month)[1]
    position = min(max(index + fraction, 0.0), float(len(bins)))
    return LEFT + position * width


def timeline_chart(timeline: Timeline, href_for: Callable[[str, str], str], undated_href: str) -> TimelineChart:
    """The drawable chart; ``href_for(since, until)`` is the page URL filtered to a bin."""
    bins = timeline.bins
    highest = max((item.count for item in bins), default=0)
    ticks = nice_ticks(highest)
    scale_top = ticks[-1] or 1
    baseline = TOP + CHART_HEIGHT
    width = PLOT_WIDTH / len(bins) if bins else PLOT_WIDTH
    gap = min(2.0, width * 0.2)

    def height_of(count: int) -> float:
        return round(min(count, scale_top) / scale_top * CHART_HEIGHT, 1)

    bars = []
    for index, item in enumerate(bins):
        if item.count == 0:
            continue
        height = height_of(item.count)
        since, until = item.start.isoformat(), item.end.isoformat()
        bars.append(
            Bar(
                key=item.key, label=item.label, count=item.count,
                x=round(LEFT + index * width + gap / 2, 2), y=round(baseline - height, 1),
                width=round(max(width - gap, 0.8), 2), height=height,
                href=href_for(since, until), show_count=width >= 14, since=since, until=until,
            )
        )  # fmt: skip
    undated = None
    capped = False
    if timeline.undated:
        capped = timeline.undated > scale_top
        height = height_of(timeline.undated)
        undated = Bar(
            key="undated", label="undated", count=timeline.undated,
            x=LEFT + PLOT_WIDTH + UNDATED_GAP, y=round(baseline - height, 1), width=UNDATED_WIDTH, height=height,
            href=undated_href, show_count=True, since="", until="",
        )  # fmt: skip
    windows = []
    for window in timeline.windows if bins else ():
        x = _date_position(window.start, bins, timeline.granularity, width)
        end = _date_position(window.end + timedelta(days=1), bins, timeline.granularity, width)
        precision = window.precision or "none"
        noun = "incident" if window.count == 1 else "incidents"
        title = f"{window.start.isoformat()} to {window.end.isoformat()} ({precision} precision): {window.count} {noun}"
        windows.append(
            WindowMark(round(x, 2), STRIP_TOP + window.lane * (LANE_HEIGHT + LANE_GAP), round(max(end - x, 2.0), 2), precision, title)
        )
    strip_height = timeline.lanes * (LANE_HEIGHT + LANE_GAP)
    y_ticks = tuple(Tick(round(baseline - tick / scale_top * CHART_HEIGHT, 1), f"{tick:,}") for tick in ticks)
    return TimelineChart(
        granularity=timeline.granularity,
        bars=tuple(bars),
        undated=undated,
        undated_capped=capped,
        y_ticks=y_ticks,
        x_labels=tuple(_x_labels(bins, timeline.granularity, width)) if bins else (),
        windows=tuple(windows),
        height=STRIP_TOP + strip_height + (16 if strip_height else 0),
        left=LEFT,
        plot_width=PLOT_WIDTH,
        baseline=baseline,
        strip_top=STRIP_TOP,
    )


@dataclass(frozen=True, slots=True)
class AreaBucket:
    low: int
    high: int | None  # None: and more
    colour: str
    label: str


# Sequential shades for countries and seas known only at that level (light: few, dark: many);
# warm, so they read apart from the blue sea and the beige land.
AREA_COLOURS = ("#fdd9a8", "#fdb57f", "#f98b56", "#e05a33", "#b3301b")


def area_buckets(counts: list[int]) -> tuple[AreaBucket, ...]:
    """Classes 1, 2–3, 4–7, 8–15, 16+ (doubling), only as many as the highest count needs."""
    if not counts:
        return ()
    highest = max(counts)
    buckets = []
    low = 1
    for index, colour in enumerate(AREA_COLOURS):
        last = index == len(AREA_COLOURS) - 1 or low * 2 > highest
        high = None if last else low * 2 - 1
        if last and index == len(AREA_COLOURS) - 1:
            label = f"{low}+"
        elif last:
            label = f"{low}" if low == highest else f"{low}–{highest}"
        else:
            label = f"{low}" if high == low else f"{low}–{high}"
        buckets.append(AreaBucket(low, high, colour, label))
        if last:
            break
        low *= 2
    return tuple(buckets)
