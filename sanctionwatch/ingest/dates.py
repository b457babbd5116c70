"""Publication dates from feeds: parse what feedparser gets wrong, reject the implausible.

feedparser reads ``2024년 5월 16일`` and ``2024年5月16日`` as 1 November 2024 and ignores
``KST`` (measured with 6.0.14), so raw strings with CJK date markers or East-Asian zone names
are parsed here instead. A date is kept only if plausible: not epoch 0 (a common "unset"
value), not more than :data:`FUTURE_TOLERANCE` after now (clock skew, typos like 2099).
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime, timedelta, timezone

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
