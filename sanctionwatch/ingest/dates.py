"""Publication dates from feeds: parse what feedparser gets wrong, reject the implausible.

feedparser reads ``2024년 5월 16일`` and ``2024年5月16日`` as 1 November 2024 and ignores
``KST`` (measured with 6.0.14), so raw strings with CJK date markers or East-Asian zone names
are parsed here instead. A date is kept only if plausible: not epoch 0 (a common "unset"
value), not more than :data:`FUTURE_TOLERANCE` after now (clock skew, typos like 2099).
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, date, datetime, timedelta, timezone

FUTURE_TOLERANCE = timedelta(days=1)
EARLIEST_PLAUSIBLE = datetime(1970, 1, 2, tzinfo=UTC)
KOREA = timezone(timedelta(hours=9), "KST")
CHINA = timezone(timedelta(hours=8), "CST")
# Zone names feedparser does not know; US names (EST, PST …) it handles itself.
EXTRA_ZONES = {"KST": "+0900", "JST": "+0900", "HKT": "+0800", "SGT": "+0800", "PHT": "+0800", "ICT": "+0700"}
EXTRA_ZONE_PATTERN = re.compile(r"\b(" + "|".join(EXTRA_ZONES) + r")\b")
CJK_DATE = re.compile(
    r"(\d{4})\s*([년年])\s*(\d{1,2})\s*[월月]\s*(\d{1,2})\s*[일日]?"
    r"(?:\D{0,12}?(\d{1,2})\s*[:시时]\s*(\d{1,2}))?"
)


def needs_own_parser(raw: str) -> bool:
    """True for date strings that feedparser is known to misread."""
    return bool(CJK_DATE.search(raw) or EXTRA_ZONE_PATTERN.search(raw))


def parse_cjk_or_zoned_date(raw: str) -> datetime | None:
    """Parse Korean/Chinese numeric dates and RFC 822 dates with East-Asian zone names.

    Korean dates are taken in KST, Chinese (年) ones in UTC+8. Invalid dates → None.
    """
    match = CJK_DATE.search(raw)
    if match:
        year, marker, month, day, hour, minute = match.groups()
        zone = KOREA if marker == "년" else CHINA
        try:
            return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), tzinfo=zone)
        except ValueError:
            return None
    replaced = EXTRA_ZONE_PATTERN.sub(lambda zone_match: EXTRA_ZONES[zone_match.group(1)], raw)
    try:
        parsed = email.utils.parsedate_to_datetime(replaced)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def plausible_date(moment: datetime | None, *, now: datetime | None = None) -> datetime | None:
    """``moment`` in UTC if it is a believable publication date, else None."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    if moment < EARLIEST_PLAUSIBLE or moment > current + FUTURE_TOLERANCE:
        return None
    return moment.astimezone(UTC)


# Dates written in prose, as datelines and footers print them: "May 16, 2024", "Feb. 6, 2024",
# "Sept. 3, 2024", "6 February 2024", "3 Sept 2024".
MONTH_NUMBERS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("january", "jan"),
        ("february", "feb"),
        ("march", "mar"),
        ("april", "apr"),
        ("may",),
        ("june", "jun"),
        ("july", "jul"),
        ("august", "aug"),
        ("september", "sept", "sep"),
        ("october", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ),
    start=1,
):
    for _name in _names:
        MONTH_NUMBERS[_name] = _number
_MONTH = "(" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
MONTH_FIRST = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE)
DAY_FIRST = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}})\b", re.IGNORECASE)


def _written(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), MONTH_NUMBERS[month.lower()], int(day))
    except (ValueError, KeyError):
        return None


def written_dates(text: str) -> list[tuple[int, date]]:
    """(position, date) of every date written with a month name, in text order."""
    found = []
    for match in MONTH_FIRST.finditer(text):
        month, day, year = match.groups()
        if (when := _written(year, month, day)) is not None:
            found.append((match.start(), when))
    for match in DAY_FIRST.finditer(text):
        day, month, year = match.groups()
        if (when := _written(year, month, day)) is not None:
            found.append((match.start(), when))
    return sorted(found)


def parse_written_date(text: str) -> date | None:
    """A whole string that is one written date ("Feb. 6, 2024", "6 February 2024"), else None."""
    return _written_date(text.strip(), whole=True)


def _written_date(text: str, *, whole: bool) -> date | None:
    """The written date that is ``text`` (``whole``) or that starts it."""
    for pattern, order in ((MONTH_FIRST, (2, 0, 1)), (DAY_FIRST, (2, 1, 0))):
        match = pattern.fullmatch(text) if whole else pattern.match(text)
        if match:
            groups = match.groups()
            return _written(groups[order[0]], groups[order[1]], groups[order[2]])
    return None


# A page's own statement of when it was published, for pages whose header names no date:
# a cue ("Published", "Posted", "Updated", "First published") followed by a date, or a wire
# dateline opening the article ("SEOUL, May 16, 2024 —"). A date anywhere else in a page is
# not its publication date: htmldate's whole-page search falls back to the footer's copyright
# year ("© 2024" → 1 January 2024), which would anchor "last month" to the wrong month.
_DATE_CUE = re.compile(r"\b(?:first\s+)?(?:published|posted|updated|last\s+updated)\b\s*(?:on|at)?\s*:?\s*", re.IGNORECASE)
_TAG = re.compile(r"<[^>]{0,2000}>")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?!\d)")
_CUE_WINDOW = 200  # characters of markup after a cue, tags included
_DATELINE = re.compile(r"[A-Z][A-Za-z.'\- ]{1,40}(?:\([A-Za-z]{2,12}\))?,\s*")


def _date_at_start(text: str) -> date | None:
    text = text.lstrip(" \t\r\n|·•—–-,")
    match = _ISO_DAY.match(text)
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    return _written_date(text, whole=False)


def stated_publication_date(html: str, text: str, *, today: date | None = None) -> date | None:
    """The date a page says it was published ("Published May 16, 2024", a dateline), else None.

    ``html`` is searched for a cue followed by a date (markup between them skipped), ``text``
    (the extracted article) for a dateline in its first paragraph. Dates before 1990 or after
    tomorrow are not believed.
    """
    latest = (today or date.today()) + timedelta(days=1)

    def plausible(when: date | None) -> date | None:
        return when if when is not None and date(1990, 1, 1) <= when <= latest else None

    for match in _DATE_CUE.finditer(html, 0, min(len(html), 2_000_000)):
        following = _TAG.sub(" ", html[match.end() : match.end() + _CUE_WINDOW])
        if (when := plausible(_date_at_start(" ".join(following.split())))) is not None:
            return when
    # The dateline opens the first paragraph, or the second where the text starts with the title.
    for paragraph in [p.strip() for p in text[:2000].split("\n") if p.strip()][:2]:
        dateline = _DATELINE.match(paragraph[:160])
        if dateline and (when := plausible(_date_at_start(paragraph[dateline.end() : 160]))) is not None:
            return when
    return None
