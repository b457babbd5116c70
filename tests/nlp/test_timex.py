"""Time expressions: resolution conventions of ANNOTATION_NOTES.md, spans, reporting dates, bad inputs."""

from __future__ import annotations

from datetime import date

import pytest

from sanctionwatch.model import TimeRange
from sanctionwatch.nlp.arguments.timex import TimeMention, choose_incident_time, find_time_expressions, resolve_time_expression

SEED_PUBLISHED = date(2024, 5, 16)  # a Thursday


@pytest.mark.parametrize(
    ("expression", "published", "start", "end", "precision"),
    [
        # seed article (Daily NK, 16 May 2024)
        ("since the end of April", SEED_PUBLISHED, "2024-04-21", "2024-05-16", "month"),
        ("last month’s visit", SEED_PUBLISHED, "2024-04-01", "2024-04-30", "month"),
        ("last month's visit", SEED_PUBLISHED, "2024-04-01", "2024-04-30", "month"),
        ("Apr. 30", SEED_PUBLISHED, "2024-04-30", "2024-04-30", "day"),
        ("on Tuesday", SEED_PUBLISHED, "2024-05-14", "2024-05-14", "day"),
        # BAD_INPUTS 25: year rollover, "earlier this year", ranges
        ("last month", date(2018, 1, 5), "2017-12-01", "2017-12-31", "month"),
        ("last year", date(2018, 1, 5), "2017-01-01", "2017-12-31", "year"),
        ("earlier this year", SEED_PUBLISHED, "2024-01-01", "2024-05-16", "month"),
        ("this year", SEED_PUBLISHED, "2024-01-01", "2024-05-16", "year"),
        ("between March and May", SEED_PUBLISHED, "2024-03-01", "2024-05-31", "month"),
        ("between November and February", date(2018, 3, 10), "2017-11-01", "2018-02-28", "month"),
        ("from 2012 to 2017", date(2018, 2, 28), "2012-01-01", "2017-12-31", "year"),
        ("between October 2020 and October 2023", date(2025, 7, 25), "2020-10-01", "2023-10-31", "month"),
        ("in October and November", date(2018, 1, 2), "2017-10-01", "2017-11-30", "month"),
        ("2014-2016", SEED_PUBLISHED, "2014-01-01", "2016-12-31", "year"),
        # month parts and bare months
        ("in late November", date(2017, 12, 30), "2017-11-21", "2017-11-30", "month"),
        ("the beginning of April", SEED_PUBLISHED, "2024-04-01", "2024-04-10", "month"),
        ("early April", SEED_PUBLISHED, "2024-04-01", "2024-04-10", "month"),
        ("mid-April", SEED_PUBLISHED, "2024-04-11", "2024-04-20", "month"),
        ("end of April", SEED_PUBLISHED, "2024-04-21", "2024-04-30", "month"),
        ("since October", date(2017, 12, 30), "2017-10-01", "2017-12-30", "month"),
        ("In September", date(2023, 2, 22), "2022-09-01", "2022-09-30", "month"),
        ("in May", SEED_PUBLISHED, "2024-05-01", "2024-05-31", "month"),
        ("March 2016", SEED_PUBLISHED, "2016-03-01", "2016-03-31", "month"),
        ("in May of 2019", date(2019, 10, 12), "2019-05-01", "2019-05-31", "month"),
        ("last February", date(2018, 5, 3), "2018-02-01", "2018-02-28", "month"),
        ("Last March", date(2023, 2, 22), "2022-03-01", "2022-03-31", "month"),
        ("as early as September last year", date(2023, 9, 13), "2022-09-01", "2022-09-30", "month"),
        ("since the beginning of November 2025", date(2026, 2, 24), "2025-11-01", "2026-02-24", "month"),
        # explicit dates
        ("on Oct. 19", date(2017, 12, 30), "2017-10-19", "2017-10-19", "day"),
        ("May 16, 2024", date(2024, 6, 1), "2024-05-16", "2024-05-16", "day"),
        ("On February 16th", date(2023, 2, 22), "2023-02-16", "2023-02-16", "day"),
        ("5 March 2019", SEED_PUBLISHED, "2019-03-05", "2019-03-05", "day"),
        ("2019-05-09", SEED_PUBLISHED, "2019-05-09", "2019-05-09", "day"),
        ("Dec. 28", date(2018, 1, 2), "2017-12-28", "2017-12-28", "day"),
        # years and year parts
        ("in 2017", date(2018, 2, 28), "2017-01-01", "2017-12-31", "year"),
        ("since 2017", SEED_PUBLISHED, "2017-01-01", "2024-05-16", "year"),
        ("early 2020", date(2023, 11, 22), "2020-01-01", "2020-04-30", "month"),
        ("late 2019", SEED_PUBLISHED, "2019-10-01", "2019-12-31", "month"),
        ("the first quarter of 2022", SEED_PUBLISHED, "2022-01-01", "2022-03-31", "month"),
        ("in the 1990s", SEED_PUBLISHED, "1990-01-01", "1999-12-31", "year"),
        ("last summer", SEED_PUBLISHED, "2023-06-01", "2023-08-31", "month"),
        # weekdays and days
        ("on Friday", date(2017, 12, 30), "2017-12-29", "2017-12-29", "day"),
        ("on Thursday", SEED_PUBLISHED, "2024-05-16", "2024-05-16", "day"),
        ("yesterday", SEED_PUBLISHED, "2024-05-15", "2024-05-15", "day"),
        ("today", SEED_PUBLISHED, "2024-05-16", "2024-05-16", "day"),
        ("this week", date(2019, 5, 12), "2019-05-06", "2019-05-12", "day"),
        ("last week", SEED_PUBLISHED, "2024-05-06", "2024-05-12", "day"),
        ("two weeks ago", SEED_PUBLISHED, "2024-05-02", "2024-05-02", "day"),
        ("In the past few days", date(2018, 1, 2), "2017-12-30", "2018-01-02", "day"),
        ("in the last five months", date(2025, 3, 24), "2024-10-24", "2025-03-24", "month"),
        ("Last Christmas Eve", date(2023, 12, 7), "2022-12-24", "2022-12-24", "day"),
        # atomic leftovers go to dateparser
        ("16/05/2024", date(2024, 6, 1), "2024-05-16", "2024-05-16", "day"),
        ("2024年5月16日", date(2024, 6, 1), "2024-05-16", "2024-05-16", "day"),
    ],
)
def test_resolve_time_expression(expression: str, published: date, start: str, end: str, precision: str) -> None:
    resolved = resolve_time_expression(expression, published)
    assert resolved is not None
    assert (resolved.start, resolved.end, resolved.precision) == (date.fromisoformat(start), date.fromisoformat(end), precision)


@pytest.mark.parametrize(
    ("expression", "published", "end", "precision"),
    [
        ("in recent months", date(2017, 12, 30), "2017-12-30", "month"),
        ("recently", date(2016, 5, 13), "2016-05-13", None),
        ("More recently", date(2023, 11, 22), "2023-11-22", None),
        ("continues", date(2024, 3, 5), "2024-03-05", None),
        ("has continued", date(2020, 9, 30), "2020-09-30", None),
        ("up until 2015", date(2023, 11, 22), "2015-12-31", "year"),
        ("For more than a year", date(2025, 3, 24), "2025-03-24", None),
    ],
)
def test_open_start_expressions(expression: str, published: date, end: str, precision: str | None) -> None:
    resolved = resolve_time_expression(expression, published)
    assert resolved is not None
    assert (resolved.start, resolved.end, resolved.precision) == (None, date.fromisoformat(end), precision)


@pytest.mark.parametrize(
    "text",
    [
        "Theresa May said the deal may hold.",
        "Protesters march now, and officials may act.",
        "Resolution 2397 and UNSCR 2094 ban such sales.",
        "About 2000 workers left.",
        "the IMO 9191981 vessel",
        "",
    ],
)
def test_non_dates_are_not_found(text: str) -> None:
    assert find_time_expressions(text, SEED_PUBLISHED) == []


@pytest.mark.parametrize("expression", ["may", "now", "march on", "2397", "the ship", "12:30"])
def test_non_dates_do_not_resolve(expression: str) -> None:
    assert resolve_time_expression(expression, SEED_PUBLISHED) is None


SEED_SENTENCE = (
    "Speaking on condition of anonymity, a source in China told Daily NK on Tuesday that the North Korean "
    "authorities have been sending large batches of additional workers to China since the end of April."
)


def test_seed_sentence_spans_and_reporting_flag() -> None:
    mentions = find_time_expressions(SEED_SENTENCE, SEED_PUBLISHED)
    assert [(m.text, m.is_reporting_date) for m in mentions] == [("on Tuesday", True), ("since the end of April", False)]
    assert all(SEED_SENTENCE[m.start : m.end] == m.text for m in mentions)


@pytest.mark.parametrize(
    ("text", "reporting"),
    [
        ("South Korea said on Friday that in late November it seized a ship.", [True, False]),
        ("Trump said on Twitter on Thursday that China had been caught.", [True]),
        ("the ministry said in a statement on Friday", [True]),
        ("A ministry official said the ship transferred oil on Oct. 19 in international waters.", [False]),
        ("The panel was dissolved on Apr. 30.", [False]),
        ("The newspaper this week quoted sources as saying ships made transfers since October.", [True, False]),
        ("according to a report published this month", [True]),
    ],
)
def test_reporting_dates_are_flagged(text: str, reporting: list[bool]) -> None:
    assert [m.is_reporting_date for m in find_time_expressions(text, date(2017, 12, 30))] == reporting


@pytest.mark.parametrize(
    ("text", "published", "start", "end", "precision"),
    [
        # a sentence-opening date of a claim: the claimed activity happened by then
        ("Last month America said that North Korea had sent 10,000 containers to Russia.", date(2024, 3, 5),
         None, "2024-02-29", "month"),
        ("In 2018, a senior German intelligence official noted that the embassy had been used.", date(2023, 11, 22),
         None, "2018-12-31", "year"),
        ("In October the ministry accused the company of shipping coal.", date(2023, 12, 7), None, "2023-10-31", "month"),
        # an announcing verb dates the announced act; a date inside the sentence is the event's own date
        ("Separately Thursday, Justice Department officials announced that they seized a ship.", date(2019, 5, 9),
         "2019-05-09", "2019-05-09", "day"),
        ("In October the ship unloaded coal, officials said.", date(2023, 12, 7), "2023-10-01", "2023-10-31", "month"),
        ("Officials said that in 2018 the embassy was used.", date(2023, 11, 22), "2018-01-01", "2018-12-31", "year"),
    ],
)
def test_sentence_opening_claim_dates(text: str, published: date, start: str | None, end: str, precision: str) -> None:
    (mention,) = find_time_expressions(text, published)
    assert not mention.is_reporting_date
    expected_start = date.fromisoformat(start) if start else None
    assert (mention.range.start, mention.range.end, mention.range.precision) == (expected_start, date.fromisoformat(end), precision)


def test_yesterday_is_anchored_on_the_statement_day() -> None:
    text = "The ministry said on Friday the vessels were designated yesterday."
    mentions = find_time_expressions(text, date(2017, 12, 30))
    assert mentions[-1].range.start == date(2017, 12, 28)
    explicit = find_time_expressions("designated yesterday", date(2017, 12, 30), statement_date=date(2017, 12, 29))
    assert explicit[0].range.start == date(2017, 12, 28)


def test_separate_expressions_are_not_joined_into_a_range() -> None:
    mentions = find_time_expressions("in May of 2019 and in April 2018", date(2019, 10, 12))
    assert [m.text for m in mentions] == ["in May of 2019", "in April 2018"]


def _mention(start: str | None, end: str | None, precision: str | None, *, reporting: bool = False) -> TimeMention:
    time_range = TimeRange(date.fromisoformat(start) if start else None, date.fromisoformat(end) if end else None, precision)
    return TimeMention(0, 1, "x", time_range, reporting)


@pytest.mark.parametrize(
    ("mentions", "expected"),
    [
        ([], TimeRange()),
        ([_mention("2024-05-14", "2024-05-14", "day", reporting=True), _mention("2024-04-21", "2024-05-16", "month")],
         TimeRange(date(2024, 4, 21), date(2024, 5, 16), "month")),
        ([_mention("2024-05-14", "2024-05-14", "day", reporting=True)], TimeRange()),
        ([_mention(None, "2017-12-30", "month"), _mention("2017-10-19", "2017-10-19", "day")],
         TimeRange(date(2017, 10, 19), date(2017, 10, 19), "day")),
        ([_mention("2017-10-01", "2017-10-31", "month"), _mention("2017-10-19", "2017-10-19", "day")],
         TimeRange(date(2017, 10, 19), date(2017, 10, 19), "day")),
        ([_mention("2017-12-25", "2017-12-30", "day"), _mention("2017-10-01", "2017-12-30", "month")],
         TimeRange(date(2017, 10, 1), date(2017, 12, 30), "month")),
    ],
)
def test_choose_incident_time(mentions: list[TimeMention], expected: TimeRange) -> None:
    chosen = choose_incident_time(mentions)
    assert (chosen.start, chosen.end, chosen.precision) == (expected.start, expected.end, expected.precision)


def test_choose_incident_time_can_keep_reporting_dates() -> None:
    chosen = choose_incident_time([_mention("2017-12-29", "2017-12-29", "day", reporting=True)], include_reporting_dates=True)
    assert chosen.start == date(2017, 12, 29)


@pytest.mark.parametrize("text", ["a" * 1_000_000, "1,000" * 200_000, "May" * 333_333])
def test_megabyte_without_whitespace_returns_quickly(text: str) -> None:
    # Returns at all (the hang guard in pyproject.toml stops a backtracking pattern); nothing in
    # these strings is a date. benchmarks/hostile_inputs.py times them.
    found = find_time_expressions(text, SEED_PUBLISHED)
    assert all(m.start is None or m.start.year > 1900 for m in found)


def test_the_same_period_this_year_closes_a_range() -> None:
    text = "Exports grew fourfold between the first quarter of 2022 and the same period this year."
    mentions = find_time_expressions(text, date(2023, 12, 7))
    assert [(m.range.start, m.range.end) for m in mentions] == [(date(2022, 1, 1), date(2023, 3, 31))]


@pytest.mark.parametrize(
    "text",
    [
        "North Korea’s relationship with Angola – which dates to the early 1970s – has seen arms dealers hosted.",
        "The campaign dates back to at least 2009, the report said.",
        "Green Pine, founded in 2008, sold arms abroad.",
    ],
)
def test_the_age_of_a_thing_is_not_a_date_of_the_incident(text: str) -> None:
    assert not [m for m in find_time_expressions(text, date(2023, 11, 22)) if m.range.start and m.range.start.year < 2010]


def test_a_dated_start_carried_on_runs_to_publication() -> None:
    text = "The ship, sanctioned in March 2016, was later renamed and continued to ship goods out of North Korea."
    (mention,) = find_time_expressions(text, date(2018, 2, 28))
    assert (mention.range.start, mention.range.end) == (date(2016, 3, 1), date(2018, 2, 28))
    # without a continuation the date stays as it is
    (plain,) = find_time_expressions("In 2019 the ship continued to sail.", date(2020, 5, 1))
    assert (plain.range.start, plain.range.end) == (date(2019, 1, 1), date(2019, 12, 31))


def test_the_border_closure_is_a_named_period() -> None:
    (when,) = find_time_expressions("Some North Koreans were trapped in China when the borders shut.", date(2023, 8, 27))
    assert (when.range.start, when.range.end) == (date(2020, 1, 1), date(2020, 1, 31))
    (since,) = find_time_expressions("Trade has collapsed since the border was closed.", date(2023, 8, 27))
    assert (since.range.start, since.range.end) == (date(2020, 1, 1), date(2023, 8, 27))
    assert find_time_expressions("Trade stopped when the borders shut.", date(2019, 1, 1)) == []


def test_the_first_half_of_the_year() -> None:
    (half,) = find_time_expressions("Exports rose in the first half of the year.", date(2023, 9, 14))
    assert (half.range.start, half.range.end) == (date(2023, 1, 1), date(2023, 6, 30))


def test_the_year_in_a_document_s_name_dates_no_event() -> None:
    from sanctionwatch.nlp.arguments.timex import find_time_expressions

    found = find_time_expressions("despite the 2006 U.N. Security Council Resolution 1718, trade went on", date(2018, 7, 7))
    assert found and all(m.is_reporting_date for m in found)
