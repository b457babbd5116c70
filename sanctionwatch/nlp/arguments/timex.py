"""Time expressions: find them in a sentence and resolve them against the publication date.

Conventions follow shared/dev/ANNOTATION_NOTES.md: weekdays are the most recent such day on or
before publication, a bare month the most recent such month, "late X" the 21st to the month's end,
"mid-X" the 11th-20th, "early X" the 1st-10th, "early <year>" January-April, "late <year>" from
1 October, "recently"/"continues" an open start ending at publication.

Every pattern is a bounded regex (no nested unbounded repetition), so a megabyte of text without
whitespace is scanned in linear time. dateparser is used only in ``resolve_time_expression`` for an
atomic leftover that none of our own rules understood; ``search_dates`` is never used.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sanctionwatch.model import TimeRange
from sanctionwatch.nlp.arguments.spans import longest_without_overlap
from sanctionwatch.nlp.arguments.timex_calendar import (
    WEEKDAYS,
    day_range,
    month_end,
    month_number,
    month_span,
    norm_mod,
    number_from_word,
    resolve_deictic,
    resolve_holiday,
    resolve_relative,
    resolve_season,
    shift,
    unit_precision,
)


@dataclass(frozen=True)
class TimeMention:
    """A resolved time expression; ``start``/``end`` are character offsets into the searched text."""

    start: int
    end: int
    text: str
    range: TimeRange
    is_reporting_date: bool = False


# Months must be capitalised ("march" the verb is not a date); abbreviations need a dot or a word end.
_MONTH = (
    r"(?P<month>(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?![A-Za-z])|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|(?![A-Za-z])))"
)
_YEAR = r"(?P<year>(?:19|20)\d\d)(?![\d,.]\d)"
_MOD = r"(?P<mod>(?i:(?:the\s+)?(?:very\s+)?(?:end|beginning|start|middle|first\s+half|second\s+half)\s+of|early|late|mid-?))"
_NUM = r"(?P<num>(?i:a\s+few|a\s+couple\s+of|couple\s+of|few|several|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)|\d{1,3})"
_UNIT = r"(?P<unit>(?i:days?|weeks?|months?|years?|decades?))"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("iso", r"\b(?P<year>(?:19|20)\d\d)-(?P<month_number>[01]\d)-(?P<day>[0-3]\d)\b"),
        ("date", rf"\b{_MONTH}\s{{0,3}}(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s{{1,3}}{_YEAR})?"),
        ("date", rf"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s{{1,3}}(?:of\s+)?{_MONTH}(?:,?\s{{1,3}}{_YEAR})?"),
        ("month", rf"\b(?:(?P<rel>(?i:last|this|next|past|previous))\s+)?(?:{_MOD}\s*)?{_MONTH}"
                  rf"(?:,?\s{{1,3}}(?:of\s+)?{_YEAR}|\s+(?P<year_rel>(?i:this|last|next))\s+(?i:year)\b)?"),
        ("year_range", r"\b(?P<year>(?:19|20)\d\d)\s?[-–]\s?(?P<year2>(?:19|20)\d\d|\d\d)(?![\d,])"),
        ("year", rf"(?<![\d.,$#€£/-])\b(?:{_MOD}\s*)?(?:the\s+)?{_YEAR}(?P<decade>s)?\b"),
        ("quarter", rf"\b(?i:(?:the\s+)?(?P<quarter>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+of)\s+{_YEAR}"),
        ("half", r"\b(?i:(?:the\s+)?(?P<half>first|second)\s+half\s+of\s+(?:the|this)\s+year)\b"),
        ("season", rf"\b(?:(?P<rel>(?i:last|this|next|past))\s+|{_MOD}\s*)?(?P<season>(?i:spring|summer|autumn|winter))"
                   rf"(?:\s+(?:of\s+)?{_YEAR})?\b"),
        ("holiday", r"\b(?:(?P<rel>(?i:last|this|next))\s+)?(?P<holiday>Christmas Eve|Christmas Day|Christmas|New Year['’]s Eve|New Year['’]s Day)\b"),
        ("relative", r"\b(?:(?P<pre>(?i:earlier|later|so\s+far|until\s+earlier))\s+)?(?P<rel>(?i:last|this|next|past|previous|coming))\s+"
                     r"(?P<unit>(?i:week|month|year))\b"),
        ("weekday", rf"\b(?:(?P<rel>(?i:last|this|next))\s+)?{_WEEKDAY}(?![A-Za-z])"),
        ("deictic", r"\b(?P<word>(?i:the\s+day\s+before\s+yesterday|yesterday|today|tonight|this\s+morning|this\s+afternoon|this\s+evening))\b"),
        ("ago", rf"\b(?P<approx>(?i:more\s+than|over|about|nearly|almost|some)\s+)?{_NUM}\s+{_UNIT}\s+(?i:ago)\b"),
        ("window", rf"\b(?i:(?:in|over|during|within|for)\s+the\s+(?P<which>past|last|previous|preceding|next|coming))\s+(?:{_NUM}\s+)?{_UNIT}\b"),
        ("window", rf"\b(?i:in\s+the)\s+{_NUM}\s+{_UNIT}\s+(?i:since)\b"),
        ("window", rf"\b(?i:for\s+)(?P<approx>(?i:more\s+than|over|at\s+least|nearly|almost|about)\s+)?{_NUM}\s+{_UNIT}\b"),
        # Named periods of this domain: North Korea sealed its borders against covid in late January 2020.
        ("named", r"\b(?i:(?:when|after|before|since)\s+(?:the\s+|its\s+|North\s+Korea[’']s\s+)?(?:borders?|frontiers?)\s+"
                  r"(?:(?:were|was)\s+)?(?P<named>shut|closed|sealed))\b"),
        ("recent", r"\b(?i:(?:in|over)\s+recent\s+)(?P<unit>(?i:days|weeks|months|years))\b"),
        # "for the best part of a year", "for much of the past decade": going on until now.
        ("recent", r"\b(?i:for\s+(?:the\s+(?:best|better|greater)\s+part|much|most)\s+of\s+(?:a|the|this|the\s+past|the\s+last)\s+)(?P<unit>(?i:year|decade|month))\b"),
        ("recent", r"\b(?i:(?:(?:more|most|very|until|only)\s+)?recently|recent|(?:has|have)\s+(?:been\s+)?continu(?:ed|ing)|continues|continuing|"
                   r"continue\s+to|ongoing|to\s+this\s+day|to\s+date|so\s+far)\b"),
    )
)
_PREFIX = re.compile(
    r"(?P<word>(?i:since|until|till|up\s+until|up\s+to|through|as\s+far\s+back\s+as|as\s+early\s+as|between|from|on|in|during|of))\s+(?i:at\s+least\s+)?$"
)
_LEADING_PREFIX = re.compile(r"(?i:since|until|till|up\s+until|up\s+to|through|between|from|on|in|during)\s")
_CONJUNCTION = re.compile(r"\s*(?P<word>(?i:and|to|until|till|through)|[-–])\s*")
_POSSESSIVE = re.compile(r"['’]s\b")
_REPORTING_VERB = re.compile(
    r"\b(?:said|says|told|tells|announced|announces|reported|reports|stated|added|confirmed|denied|denies|wrote|"
    r"claimed|noted|disclosed|revealed|insisted|warned|testified|commented|published|released)"
    r"(?:\s+(?:(?:to|in|at|on|during)\s+)?(?:(?:a|an|the)\s+)?(?:statement|report|briefing|press\s+conference|"
    r"news\s+conference|interview|reporters|journalists|lawmakers|[A-Z][\w.’'&-]*(?:\s+[A-Z][\w.’'&-]*){0,3}))?\s*,?\s*$"
)
_REPORTING_AFTER = re.compile(
    r"\s*,?\s*(?:quoted|said|told|reported|announced|confirmed|denied|published)\b"
    r"|\s+(?:UN\s+|U\.N\.\s+|annual\s+|panel\s+)?(?:report|study|investigation|survey|analysis|paper)\b"  # "a 2023 report by … found"
    # The year in the name of a document: "the 2006 U.N. Security Council Resolution 1718 prohibits …".
    r"|\s+(?:(?:UN|U\.N\.|United\s+Nations)\s+)?(?:Security\s+Council\s+)?(?i:resolution|law|act|bill|treaty|accord|agreement|executive\s+order)\b"
)
# A sentence-opening date followed by its subject and a verb: "In October America accused North Korea of
# sending ...", "Last month America said that ...", "Separately Thursday, Justice Department officials announced".
# A claim verb dates the claim, so the claimed activity happened by then (open start); an announcing verb dates
# the announced act itself ("announced that they seized"), so that date stays as it is.
_SENTENCE_OPENING = re.compile(r"^[\W_]*(?:[A-Z][a-z]+,?\s+)?$")
_SUBJECT_THEN_VERB = re.compile(
    r"\s*,?\s*(?:[\w.’'&-]+\s+){1,6}?(?P<verb>said|says|accused|noted|claimed|alleged|stated|found|wrote|reported|told|"
    r"announced|announces|confirmed|disclosed|revealed|unveiled)\b"
)
_ANNOUNCING_VERBS = frozenset(["announced", "announces", "confirmed", "disclosed", "revealed", "unveiled"])
# North Korea's covid border closure (late January 2020), which reports date things by.
BORDERS_SHUT_START, BORDERS_SHUT_END = date(2020, 1, 1), date(2020, 1, 31)
BORDERS_SHUT = TimeRange(BORDERS_SHUT_START, BORDERS_SHUT_END, "month")
# A four-digit number followed by a counted noun is a count, not a year ("2000 workers").
_COUNT_AFTER_YEAR = re.compile(
    r"\s+(?:[a-z-]+\s+)?(?:workers|people|tons|tonnes|barrels|ships|vessels|containers|dollars|won|troops|soldiers|units|times)\b"
)
# A date that tells the age of a thing, not when the incident happened: "a relationship which dates
# to the early 1970s", "a campaign that dates back to at least 2009", "a firm founded in 2008".
_AGE_OF_A_THING_BEFORE = re.compile(
    r"(?i:\b(?:dat(?:es|ed|ing)|goes|going|went)\s+back\s+(?:to|as\s+far\s+as)|\bdat(?:es|ed|ing)\s+(?:to|from)"
    r"|\b(?:founded|established|set\s+up|created|built|launched|formed|opened)(?:\s+in)?)\s+(?:at\s+least\s+)?(?:the\s+)?$"
)
_NOT_YEAR_BEFORE = re.compile(r"(?i:resolutions?|unscr|no\.|number|imo|mmsi|page|article|paragraph|op)\s*$")


def find_time_expressions(text: str, published: date, *, statement_date: date | None = None) -> list[TimeMention]:
    """All time expressions in ``text``, resolved against ``published``, in text order.

    ``statement_date`` is the day of the quoted statement the text belongs to, the anchor of
    "yesterday"/"today"; without it a reporting date in the same text (day precision) or the
    publication date is used. Overlapping matches keep the longest.
    """
    candidates = [_extend_prefix(text, c, published) for c in _atoms(text, published)]
    candidates = _join_ranges(text, candidates, published) + candidates
    chosen = [m for m in longest_without_overlap(candidates) if not _AGE_OF_A_THING_BEFORE.search(text[max(0, m.start - 40) : m.start])]
    chosen = [_opening_claim(text, replace(m, is_reporting_date=_is_reporting(text, m))) for m in chosen]
    chosen = _carried_on(text, chosen, published)
    chosen = _closed_by_until(text, chosen, published)
    anchor = statement_date or next(
        (
            m.range.start
            for m in chosen
            if m.is_reporting_date and m.range.precision == "day" and m.range.start is not None and not _is_deictic(m.text)
        ),
        published,
    )
    if anchor != published:
        chosen = [_reanchor_deictic(m, anchor) for m in chosen]
    return chosen


def resolve_time_expression(expression: str, published: date) -> TimeRange | None:
    """Resolve one expression ("since the end of April", "last month’s visit", "Apr. 30"); None if not a time."""
    mentions = find_time_expressions(expression, published)
    if mentions:
        best = max(mentions, key=lambda m: m.end - m.start)
        return replace(best.range, text=expression.strip())
    return _dateparser_fallback(expression.strip(), published)


def choose_incident_time(mentions: Sequence[TimeMention], *, include_reporting_dates: bool = False) -> TimeRange:
    """The incident's time from the mentions of its evidence sentences (empty TimeRange if none fits).

    Ranges ("since", "between", windows, "late November") beat single calendar units, which beat
    open "recently"-style ranges; of two ranges the longer wins, of two units the finer precision,
    then the earlier mention.
    Reporting dates ("told Daily NK on Tuesday") are skipped unless ``include_reporting_dates``.
    """
    usable = [m for m in mentions if include_reporting_dates or not m.is_reporting_date]
    if not usable:
        return TimeRange()
    precision_rank = {"day": 3, "month": 2, "year": 1}

    def preference(pair: tuple[int, TimeMention]) -> tuple[int, int, int]:
        index, mention = pair
        shape = _shape_rank(mention.range)
        if shape == 3:  # of two ranges the longer usually covers the whole activity ("since 2020" > "this week")
            assert mention.range.start is not None and mention.range.end is not None
            return (shape, (mention.range.end - mention.range.start).days, -index)
        return (shape, precision_rank.get(mention.range.precision or "", 0), -index)

    return max(enumerate(usable), key=preference)[1].range


# --- atoms -------------------------------------------------------------------------------------


def _atoms(text: str, published: date) -> list[TimeMention]:
    found: list[TimeMention] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            time_range = _resolve_atom(kind, match, text, published)
            if time_range is not None:
                end = match.end()
                possessive = _POSSESSIVE.match(text, end)
                if possessive and kind in ("month", "relative", "weekday", "holiday", "deictic"):
                    end = possessive.end()
                found.append(TimeMention(match.start(), end, text[match.start() : end], replace(time_range, text=text[match.start() : end])))
    return found


def _resolve_atom(kind: str, match: re.Match[str], text: str, published: date, year: int | None = None) -> TimeRange | None:
    groups = match.groupdict()
    if kind == "iso":
        return day_range(int(groups["year"]), int(groups["month_number"]), int(groups["day"]))
    if kind == "date":
        month = month_number(groups["month"])
        day = int(groups["day"])
        if groups.get("year"):
            return day_range(int(groups["year"]), month, day)
        guess = year or (published.year if (month, day) <= (published.month, published.day) else published.year - 1)
        return day_range(guess, month, day)
    if kind == "month":
        return _resolve_month(groups, text, match.start(), published, year)
    if kind == "year_range":
        first, second = int(groups["year"]), groups["year2"]
        last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
        if not (1900 <= first < last <= published.year + 1):
            return None
        return TimeRange(date(first, 1, 1), date(last, 12, 31), "year")
    if kind == "year":
        return _resolve_year(groups, text, match, published)
    if kind == "quarter":
        quarter = "1234".index(groups["quarter"][0]) if groups["quarter"][0].isdigit() else ("first", "second", "third", "fourth").index(groups["quarter"].lower())
        first_month = quarter * 3 + 1
        return month_span(int(groups["year"]), first_month, first_month + 2)
    if kind == "half":
        first_month = 1 if groups["half"].lower() == "first" else 7
        span = month_span(published.year, first_month, first_month + 5)
        if span.start is not None and span.start > published:
            return None  # "the second half of the year" in a report from the first half: not yet
        return TimeRange(span.start, min(span.end, published) if span.end else published, "month")
    if kind == "season":
        return resolve_season(groups, published)
    if kind == "holiday":
        return resolve_holiday(groups, published)
    if kind == "relative":
        return resolve_relative(groups, published)
    if kind == "weekday":
        weekday = WEEKDAYS.index(groups["weekday"].lower())
        days_back = (published.weekday() - weekday) % 7
        rel = (groups.get("rel") or "").lower()
        if rel == "last" and days_back == 0:
            days_back = 7
        when = published + timedelta(days=7 - days_back if days_back else 7) if rel == "next" else published - timedelta(days=days_back)
        return TimeRange(when, when, "day")
    if kind == "deictic":
        return resolve_deictic(groups["word"], published)
    if kind == "named":
        if published < BORDERS_SHUT_END:
            return None  # before the closure, "when the borders shut" means something else
        if match.group(0).lower().startswith("since"):
            return TimeRange(BORDERS_SHUT_START, published, "month")
        return BORDERS_SHUT
    if kind == "ago":
        point = shift(published, groups["unit"], -number_from_word(groups["num"]))
        unit = unit_precision(groups["unit"])
        if unit == "month":
            return month_span(point.year, point.month, point.month)
        if unit == "year":
            return TimeRange(date(point.year, 1, 1), date(point.year, 12, 31), "year")
        return TimeRange(point, point, "day")
    if kind == "window":
        count = number_from_word(groups["num"]) if groups.get("num") else 1
        if (groups.get("approx") or "").strip().lower() in ("more than", "over", "at least"):
            return TimeRange(None, published, None)
        if (groups.get("which") or "").lower() in ("next", "coming"):
            return TimeRange(published, shift(published, groups["unit"], count), unit_precision(groups["unit"]))
        return TimeRange(shift(published, groups["unit"], -count), published, unit_precision(groups["unit"]))
    if kind == "recent":
        unit = (groups.get("unit") or "").lower()
        return TimeRange(None, published, {"months": "month", "years": "year"}.get(unit))
    return None


def _resolve_month(groups: dict, text: str, start: int, published: date, year: int | None) -> TimeRange | None:
    month_word = groups["month"]
    month = month_number(month_word)
    rel = (groups.get("rel") or "").lower()
    mod = norm_mod(groups.get("mod"))
    if month_word == "May" and not (rel or mod or groups.get("year") or groups.get("year_rel")):
        # "May" is also the modal verb and a surname; accept it only after a temporal preposition.
        before = text[max(0, start - 12) : start]
        if not re.search(r"\b(?i:in|since|of|until|till|by|from|between|through|during|and|to|before|after)\s+$", before):
            return None
    if groups.get("year"):
        chosen_year = int(groups["year"])
    elif groups.get("year_rel"):
        chosen_year = published.year + {"this": 0, "last": -1, "next": 1}[groups["year_rel"].lower()]
    elif year is not None:
        chosen_year = year
    elif rel in ("last", "past", "previous"):
        chosen_year = published.year if month < published.month else published.year - 1
    elif rel in ("this", "next"):
        chosen_year = published.year if rel == "this" or month > published.month else published.year + 1
    else:
        chosen_year = published.year if month <= published.month else published.year - 1
    last_day = calendar.monthrange(chosen_year, month)[1]
    first_day, final_day = {"early": (1, 10), "mid": (11, 20), "late": (21, last_day), "first half": (1, 15),
                            "second half": (16, last_day)}.get(mod, (1, last_day))
    return TimeRange(date(chosen_year, month, first_day), date(chosen_year, month, final_day), "month")


def _resolve_year(groups: dict, text: str, match: re.Match[str], published: date) -> TimeRange | None:
    year = int(groups["year"])
    if groups.get("decade"):
        if year % 10:
            return None
        return TimeRange(date(year, 1, 1), date(year + 9, 12, 31), "year")
    if not 1945 <= year <= published.year + 1 or _NOT_YEAR_BEFORE.search(text[max(0, match.start() - 14) : match.start()]):
        return None
    before = text[max(0, match.start() - 10) : match.start()]
    if not groups.get("mod") and _COUNT_AFTER_YEAR.match(text, match.end()) and not re.search(r"(?i:in|since)\s+$", before):
        return None
    mod = norm_mod(groups.get("mod"))
    first_month, last_month = {"early": (1, 4), "mid": (5, 8), "late": (10, 12), "first half": (1, 6),
                               "second half": (7, 12)}.get(mod, (1, 12))
    if mod:
        return month_span(year, first_month, last_month)
    return TimeRange(date(year, 1, 1), date(year, 12, 31), "year")


def _is_reporting(text: str, mention: TimeMention) -> bool:
    """A date attached to a reporting verb: "told Daily NK on Tuesday", "this week quoted sources"."""
    return bool(_REPORTING_VERB.search(text[max(0, mention.start - 80) : mention.start]) or _REPORTING_AFTER.match(text, mention.end))


def _opening_claim(text: str, mention: TimeMention) -> TimeMention:
    """A sentence-opening date of a claim or an announcement (see ``_SUBJECT_THEN_VERB``)."""
    if mention.is_reporting_date or mention.range.end is None or not _SENTENCE_OPENING.match(text[: mention.start]):
        return mention
    follow = _SUBJECT_THEN_VERB.match(text, mention.end)
    if follow is None or "," in text[mention.end : follow.start("verb")].lstrip(" ,"):
        return mention
    if follow.group("verb") in _ANNOUNCING_VERBS or mention.range.start is None:
        return mention
    return replace(mention, range=TimeRange(None, mention.range.end, mention.range.precision, mention.range.text))


_CARRIED_ON = re.compile(r"(?i:\b(?:later|then|since|afterwards|still)\b[^.;]{0,120}?\bcontinued\s+to\b)")


def _carried_on(text: str, mentions: list[TimeMention], published: date) -> list[TimeMention]:
    """"sanctioned in March 2016, was later renamed … and continued to ship goods": the activity
    runs from that date to publication (an ongoing activity, ANNOTATION_NOTES.md)."""
    dated = [m for m in mentions if not m.is_reporting_date and m.range.start is not None and m.range.end is not None]
    if len(dated) != 1:
        return mentions
    mention = dated[0]
    follow = _CARRIED_ON.search(text, mention.end)
    assert mention.range.end is not None  # ``dated`` holds closed windows only
    if follow is None or mention.range.end >= published:
        return mentions
    carried = replace(mention, range=TimeRange(mention.range.start, published, mention.range.precision, mention.range.text))
    return [carried if m is mention else m for m in mentions]


_UNTIL_CLAUSE = re.compile(r"\b(?i:until|till|up\s+until|before)\b")


def _closed_by_until(text: str, mentions: list[TimeMention], published: date) -> list[TimeMention]:
    """"Since at least 2016 the ship had carried coal until it was seized in April 2018": a
    since-range that an until-clause closes ends with the date of that clause."""
    result = list(mentions)
    for position, mention in enumerate(mentions):
        if not mention.text.lower().startswith("since") or mention.range.end != published or mention.range.start is None:
            continue
        for later in mentions[position + 1 :]:
            between = text[mention.end : later.start]
            if later.range.end is not None and later.range.end < published and _UNTIL_CLAUSE.search(between) and len(between) < 120:
                closed = TimeRange(mention.range.start, later.range.end, mention.range.precision, mention.range.text)
                result[position] = replace(mention, range=closed)
                break
    return result


def _is_deictic(mention_text: str) -> bool:
    return bool(re.search(r"(?i)\b(?:yesterday|today|tonight|this\s+(?:morning|afternoon|evening))\b", mention_text))


def _reanchor_deictic(mention: TimeMention, anchor: date) -> TimeMention:
    match = re.search(r"(?i)\b(the\s+day\s+before\s+yesterday|yesterday|today|tonight)\b", mention.text)
    if not match or mention.is_reporting_date or mention.range.start != mention.range.end:
        return mention
    return replace(mention, range=replace(resolve_deictic(match.group(1), anchor), text=mention.text))


# --- composites: prefixes ("since", "until") and ranges ("between X and Y") --------------------


def _extend_prefix(text: str, mention: TimeMention, published: date) -> TimeMention:
    prefix = _PREFIX.search(text[max(0, mention.start - 30) : mention.start])
    if not prefix:
        return mention
    word = " ".join(prefix.group("word").lower().split())
    start = mention.start - (len(prefix.group(0)))
    time_range = mention.range
    if word == "since" and time_range.start is not None:
        time_range = TimeRange(time_range.start, published, time_range.precision)
    elif word in ("until", "till", "up until", "up to", "through") and time_range.end is not None:
        time_range = TimeRange(None, time_range.end, time_range.precision)
    elif word == "as far back as" and time_range.start is not None:
        time_range = TimeRange(time_range.start, None, time_range.precision)
    span_text = text[start : mention.end]
    return TimeMention(start, mention.end, span_text, replace(time_range, text=span_text))


def _join_ranges(text: str, mentions: list[TimeMention], published: date) -> list[TimeMention]:
    """"between X and Y", "from X to Y", "in October and November": one range from X's start to Y's end."""
    by_start = {m.start: m for m in mentions}
    joined: list[TimeMention] = []
    for first in mentions:
        lead = first.text.split(None, 1)[0].lower() if first.text else ""
        conjunction = _CONJUNCTION.match(text, first.end)
        if lead not in ("between", "from", "in") or not conjunction or first.range.start is None:
            continue
        second = (
            by_start.get(conjunction.end())
            or _bare_atom_at(text, conjunction.end(), published)
            or _same_period_at(text, conjunction.end(), first, published)
        )
        if second is None or second.range.end is None:
            continue
        if lead == "in" and (conjunction.group("word").lower() != "and" or first.range.precision != "month"):
            continue
        if _LEADING_PREFIX.match(second.text):
            continue  # "in May of 2019 and in April 2018" are two expressions, not one range
        start = first.range.start
        if start > second.range.end:  # "between November and February": the first bound is last year's
            start = start.replace(year=start.year - 1, day=min(start.day, 28))
            if start > second.range.end:
                continue
        precisions = [p for p in ("year", "month", "day") if p in (first.range.precision, second.range.precision)]
        span_text = text[first.start : second.end]
        joined.append(TimeMention(first.start, second.end, span_text, TimeRange(start, second.range.end, precisions[0] if precisions else None, span_text)))
    return joined


_SAME_PERIOD = re.compile(r"(?i:the\s+same\s+(?:period|quarter|months?|time|season)\s+(?P<rel>this|last)\s+year)\b")


def _same_period_at(text: str, position: int, first: TimeMention, published: date) -> TimeMention | None:
    """"between the first quarter of 2022 and the same period this year": the first window moved to
    this (or last) year."""
    match = _SAME_PERIOD.match(text, position)
    if match is None or first.range.start is None or first.range.end is None:
        return None
    year = published.year - (1 if match.group("rel").lower() == "last" else 0)
    shift = year - first.range.start.year
    if shift <= 0 or first.range.end.year != first.range.start.year:
        return None
    start = first.range.start.replace(year=year)
    end = first.range.end.replace(year=year, day=min(first.range.end.day, month_end(year, first.range.end.month).day))
    return TimeMention(match.start(), match.end(), match.group(0), TimeRange(start, end, first.range.precision, match.group(0)))


def _bare_atom_at(text: str, position: int, published: date) -> TimeMention | None:
    for kind, pattern in _PATTERNS:
        match = pattern.match(text, position)
        if match:
            time_range = _resolve_atom(kind, match, text, published)
            if time_range is not None:
                return TimeMention(match.start(), match.end(), match.group(0), time_range)
    return None


# --- choosing and fallbacks ---------------------------------------------------------------------


def _shape_rank(time_range: TimeRange) -> int:
    if time_range.start is None or time_range.end is None:
        return 1 if time_range.end is not None or time_range.start is not None else 0
    start, end = time_range.start, time_range.end
    single_unit = (
        start == end
        or (start.day == 1 and end == month_end(start.year, start.month) and time_range.precision == "month")
        or (start == date(start.year, 1, 1) and end == date(start.year, 12, 31))
    )
    return 2 if single_unit else 3


def _dateparser_fallback(expression: str, published: date) -> TimeRange | None:
    # Only short leftovers that carry a digit and are not a bare number or a clock time ("16/05/2024").
    if not expression or len(expression) > 40 or not re.search(r"\d", expression) or re.fullmatch(r"(?i)[\d.,:\s]+(?:[ap]\.?m\.?)?", expression):
        return None
    from datetime import datetime

    import dateparser  # slow import; only needed for rare leftovers

    parsed = dateparser.parse(
        expression,
        settings={"RELATIVE_BASE": datetime(published.year, published.month, published.day, 12), "PREFER_DATES_FROM": "past"},
    )
    if parsed is None:
        return None
    return TimeRange(parsed.date(), parsed.date(), "day", expression)
