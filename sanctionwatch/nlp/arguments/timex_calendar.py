"""Calendar arithmetic and the simple resolvers behind ``sanctionwatch.nlp.arguments.timex``.

Pure functions of a publication date; the conventions are those of shared/dev/ANNOTATION_NOTES.md.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from sanctionwatch.model import TimeRange

MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")),
        start=1,
    )
    for name in names
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "a few": 3, "few": 3, "several": 3, "a couple of": 2, "couple of": 2,
}


def resolve_season(groups: dict, published: date) -> TimeRange | None:
    """"last summer", "winter of 2019": the season's months (Northern Hemisphere); None for a bare season."""
    season = groups["season"].lower()
    first_month = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}[season]
    rel = (groups.get("rel") or "").lower()
    if groups.get("year"):
        year = int(groups["year"])
    elif rel in ("last", "past"):
        # the most recent season that ended before the publication month
        year = published.year if first_month + 2 < published.month else published.year - 1
    elif rel in ("this", "next"):
        year = published.year + (1 if rel == "next" else 0)
    else:
        return None  # a bare season ("in summer") is too vague to place
    end_year, last_month = (year + 1, 2) if first_month == 12 else (year, first_month + 2)
    return TimeRange(date(year, first_month, 1), date(end_year, last_month, calendar.monthrange(end_year, last_month)[1]), "month")


def resolve_holiday(groups: dict, published: date) -> TimeRange | None:
    """"Last Christmas Eve": the most recent such day on or before publication (or the next one)."""
    name = groups["holiday"].lower().replace("’", "'")
    month, day = {"christmas eve": (12, 24), "new year's eve": (12, 31), "new year's day": (1, 1)}.get(name, (12, 25))
    year = published.year if (month, day) <= (published.month, published.day) else published.year - 1
    if (groups.get("rel") or "").lower() == "next":
        year = published.year if (month, day) > (published.month, published.day) else published.year + 1
    return day_range(year, month, day)


def resolve_relative(groups: dict, published: date) -> TimeRange:
    """"last/this/next/past week|month|year": "this" runs to publication, "last" is the whole previous unit."""
    rel, unit = groups["rel"].lower(), groups["unit"].lower()
    pre = " ".join((groups.get("pre") or "").lower().split())
    offset = {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[rel]
    if unit == "week":
        monday = published - timedelta(days=published.weekday())
        if offset == 0:
            return TimeRange(monday, published, "day")
        if rel == "past":
            return TimeRange(published - timedelta(days=7), published, "day")
        start = monday + timedelta(days=7 * offset)
        return TimeRange(start, start + timedelta(days=6), "day")
    if unit == "month":
        if offset == 0:
            return TimeRange(published.replace(day=1), published, "month")
        if rel == "past":
            return TimeRange(shift(published, "month", -1), published, "day")
        shifted = shift(published.replace(day=1), "month", offset)
        return month_span(shifted.year, shifted.month, shifted.month)
    if offset == 0:
        return TimeRange(date(published.year, 1, 1), published, "month" if pre else "year")
    if rel == "past":
        return TimeRange(shift(published, "year", -1), published, "month")
    year = published.year + offset
    return TimeRange(date(year, 1, 1), date(year, 12, 31), "year")


def resolve_deictic(word: str, anchor: date) -> TimeRange:
    """"yesterday", "today": the day relative to ``anchor`` (the statement's day or publication)."""
    word = " ".join(word.lower().split())
    day = anchor - timedelta(days={"yesterday": 1, "the day before yesterday": 2}.get(word, 0))
    return TimeRange(day, day, "day")


def month_number(word: str) -> int:
    return MONTH_NUMBERS[word.rstrip(".").lower()]


def norm_mod(mod: str | None) -> str:
    """A part-of-period modifier as one of "", "early", "mid", "late", "first half", "second half"."""
    if not mod:
        return ""
    words = " ".join(mod.lower().replace("-", " ").split())
    words = words.removeprefix("the ").removeprefix("very ").removesuffix(" of").strip()
    return {"beginning": "early", "start": "early", "end": "late", "middle": "mid"}.get(words, words)


def number_from_word(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[" ".join(word.lower().split())]


def unit_precision(unit: str) -> str:
    unit = unit.lower().rstrip("s")
    return {"day": "day", "week": "day", "month": "month"}.get(unit, "year")


def shift(day: date, unit: str, count: int) -> date:
    """``day`` moved by ``count`` days/weeks/months/years/decades, the day clamped to the month's end."""
    unit = unit.lower().rstrip("s")
    if unit in ("day", "week"):
        return day + timedelta(days=count * (7 if unit == "week" else 1))
    months = count * {"month": 1, "year": 12, "decade": 120}[unit]
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month_index + 1, min(day.day, calendar.monthrange(year, month_index + 1)[1]))


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_span(year: int, first_month: int, last_month: int) -> TimeRange:
    return TimeRange(date(year, first_month, 1), month_end(year, last_month), "month")


def day_range(year: int, month: int, day: int) -> TimeRange | None:
    try:
        point = date(year, month, day)
    except ValueError:
        return None
    return TimeRange(point, point, "day")
