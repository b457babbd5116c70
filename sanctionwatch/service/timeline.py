"""The timeline: every matching incident counted once, by month or year, undated ones apart.

An incident is counted in the bin of its start (its end when only that is known). Its window is
kept as well, at its own precision, so the dashboard can draw what a count hides: a "2014–2016"
incident is a three-year bar, a "May 2024" one a month, a dated one a day.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sanctionwatch.service.summaries import time_range

GRANULARITIES = ("month", "year")
# Month bins up to this many; a longer span is drawn by year unless the user asks for months.
MAX_AUTO_MONTHS = 96
MAX_MONTH_BINS = 360
# The window strip draws at most this many distinct windows in this many lanes (the rest are counted).
MAX_WINDOWS = 300
MAX_LANES = 16


@dataclass(frozen=True, slots=True)
class TimelineBin:
    key: str  # "2024-05" or "2024"
    label: str  # "May 2024" or "2024"
    start: date
    end: date
    count: int


@dataclass(frozen=True, slots=True)
class Window:
    """A distinct (start, end, precision) and how many incidents share it, in a lane of the strip."""

    start: date
    end: date
    precision: str | None
    count: int
    lane: int


@dataclass(frozen=True, slots=True)
class Timeline:
    granularity: str
    bins: tuple[TimelineBin, ...]
    undated: int
    dated: int
    windows: tuple[Window, ...]
    windows_left_out: int  # distinct windows not drawn (past MAX_WINDOWS or MAX_LANES)
    lanes: int
    bins_left_out: int  # incidents before the first drawn bin (only past MAX_MONTH_BINS)

    @property
    def total(self) -> int:
        return self.dated + self.undated

    def to_dict(self) -> dict[str, Any]:
        return {
            "granularity": self.granularity,
            "bins": [{"key": b.key, "start": b.start.isoformat(), "end": b.end.isoformat(), "count": b.count} for b in self.bins],
            "undated": self.undated,
            "dated": self.dated,
            "total": self.total,
        }


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _bins(first: date, last: date, granularity: str) -> list[tuple[str, str, date, date]]:
    out = []
    if granularity == "year":
        for year in range(first.year, last.year + 1):
            out.append((f"{year:04d}", str(year), date(year, 1, 1), date(year, 12, 31)))
        return out
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append((f"{year:04d}-{month:02d}", f"{calendar.month_abbr[month]} {year}", date(year, month, 1), _month_end(year, month)))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


@dataclass
class TimelineBuilder:
    """Accumulates the timeline over a stream of incidents; memory grows with distinct dates only."""

    anchors: Counter[date] = field(default_factory=Counter)
    windows: Counter[tuple[date, date, str | None]] = field(default_factory=Counter)
    undated: int = 0

    def add(self, incident: dict[str, Any]) -> None:
        time = time_range(incident.get("time"))
        anchor = time.start or time.end
        if anchor is None:
            self.undated += 1
            return
        self.anchors[anchor] += 1
        start, end = sorted((time.start or anchor, time.end or anchor))
        self.windows[(start, end, time.precision)] += 1

    def build(self, granularity: str | None = None) -> Timeline:
        dated = sum(self.anchors.values())
        if not self.anchors:
            return Timeline(granularity or "month", (), self.undated, 0, (), 0, 0, 0)
        first, last = min(self.anchors), max(self.anchors)
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        if granularity not in GRANULARITIES:
            granularity = "month" if months <= MAX_AUTO_MONTHS else "year"
        left_out = 0
        if granularity == "month" and months > MAX_MONTH_BINS:
            # Hundreds of thin bars are unreadable; the earliest are cut and counted on the page.
            cut_year, cut_month = divmod(last.year * 12 + last.month - 1 - (MAX_MONTH_BINS - 1), 12)
            first = date(cut_year, cut_month + 1, 1)
            left_out = sum(count for day, count in self.anchors.items() if day < first)
        counts: Counter[str] = Counter()
        for day, count in self.anchors.items():
            if day >= first:
                counts[f"{day.year:04d}" if granularity == "year" else f"{day.year:04d}-{day.month:02d}"] += count
        bins = tuple(TimelineBin(key, label, start, end, counts.get(key, 0)) for key, label, start, end in _bins(first, last, granularity))
        windows, windows_left_out, lanes = self._packed_windows(first)
        return Timeline(granularity, bins, self.undated, dated, windows, windows_left_out, lanes, left_out)

    def _packed_windows(self, first: date) -> tuple[tuple[Window, ...], int, int]:
        """Greedy interval packing: each window in the first lane free from its start."""
        candidates = [(key, count) for key, count in self.windows.items() if key[1] >= first]
        # The most shared windows first when there are too many to draw.
        candidates.sort(key=lambda item: -item[1])
        drawn = sorted(candidates[:MAX_WINDOWS], key=lambda item: (item[0][0], item[0][1]))
        lane_ends: list[date] = []
        windows = []
        left_out = len(candidates) - len(drawn)
        for (start, end, precision), count in drawn:
            for lane, lane_end in enumerate(lane_ends):
                if lane_end < start:
                    lane_ends[lane] = end
                    break
            else:
                if len(lane_ends) >= MAX_LANES:
                    left_out += 1
                    continue
                lane = len(lane_ends)
                lane_ends.append(end)
            windows.append(Window(max(start, first), end, precision, count, lane))
        return tuple(windows), left_out, len(lane_ends)
