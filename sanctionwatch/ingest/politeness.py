"""Politeness and retry policy: per-host gate, exponential backoff, Retry-After, cache hints.

Numbers from research §3.1 F5/F6: per host one request at a time and at least 1 s apart
(Scrapy's template); backoff ×2 capped at 24 h; pause a source after 5 consecutive failures;
honour Retry-After, ``Cache-Control: max-age`` and ``Expires`` but never beyond 24 h.
These are pure helpers; the scheduler that owns sources decides when to call them.
"""

from __future__ import annotations

import email.utils
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

MAX_HINT_SECONDS = 24 * 3600.0
# Statuses worth retrying soon; other 4xx mean "this URL is wrong or forbidden".
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


def is_transient_status(status: int) -> bool:
    """True for statuses that a later retry may cure (5xx, 408, 429 …), False for 401/403/404/410."""
    return status in TRANSIENT_STATUSES or status >= 500


def parse_http_date(value: str) -> datetime | None:
    """An HTTP-date (RFC 9110: IMF-fixdate, RFC 850 or asctime) as aware UTC, or None."""
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value.

    ``"120"`` → 120.0; an HTTP-date → seconds until then, 0.0 if it is in the past; missing,
    negative or unparseable (``"soon"``) → None.
    """
    if value is None:
        return None
    stripped = value.strip()
    if re.fullmatch(r"\d{1,10}", stripped):
        return float(int(stripped))
    moment = parse_http_date(stripped) if re.search(r"[A-Za-z]", stripped) else None
    if moment is None:
        return None
    current = now or datetime.now(UTC)
    return max(0.0, (moment - current).total_seconds())


def cache_lifetime_seconds(headers: Mapping[str, str], *, now: datetime | None = None) -> float | None:
    """How long the response says it stays fresh, clamped to [0, 24 h]; None if it says nothing.

    ``Cache-Control: max-age`` wins over ``Expires``; ``Expires: 0`` or a past date → 0.0
    (already stale: no reason to wait longer than the normal schedule). Header names must be
    lowercase.
    """
    cache_control = headers.get("cache-control", "")
    match = re.search(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", cache_control, re.IGNORECASE)
    if match:
        return min(float(match.group(1)), MAX_HINT_SECONDS)
    expires = headers.get("expires")
    if expires is None:
        return None
    moment = parse_http_date(expires)
    if moment is None:
        return 0.0  # RFC 9111: an invalid Expires, notably "0", means already expired
    current = now or datetime.now(UTC)
    return min(max(0.0, (moment - current).total_seconds()), MAX_HINT_SECONDS)


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff for a source that keeps failing.

    ``next_delay(n)`` is ``base_delay_seconds × multiplier^(n-1)`` for ``n ≥ 1`` failures,
    never less than a server's Retry-After, never more than ``max_delay_seconds``. Callers
    add their own jitter. ``should_pause(n)`` is True from ``pause_after_failures`` on; a
    success or a 304 resets the count (the caller keeps it).
    """

    base_delay_seconds: float = 60.0
    multiplier: float = 2.0
    max_delay_seconds: float = MAX_HINT_SECONDS
    pause_after_failures: int = 5

    def next_delay(self, failures: int, retry_after_seconds: float | None = None) -> float:
        exponent = max(failures, 1) - 1
        # Cap the exponent before computing so that thousands of failures cannot overflow.
        delay = self.base_delay_seconds * self.multiplier ** min(exponent, 64)
        if retry_after_seconds is not None:
            delay = max(delay, retry_after_seconds)
        return min(delay, self.max_delay_seconds)

    def should_pause(self, consecutive_failures: int) -> bool:
        return consecutive_failures >= self.pause_after_failures


def host_key(url_or_host: str) -> str:
    """The politeness key of a URL (lowercase host and port) or of a bare host."""
    if "://" not in url_or_host:
        return url_or_host.lower()
    parts = urlsplit(url_or_host)
    return f"{(parts.hostname or '').lower()}:{parts.port or ''}"


class HostGate:
    """One request at a time per host, and ``min_delay_seconds`` between the end of one
    request and the start of the next to the same host. Thread-safe.

    Usage: ``with gate.slot(url): fetch(url, ...)``. Different hosts never wait for each other.
    """

    def __init__(
        self,
        min_delay_seconds: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.min_delay_seconds = min_delay_seconds
        self._clock = clock
        self._sleep = sleep
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._last_finished: dict[str, float] = {}

    @contextmanager
    def slot(self, url_or_host: str) -> Iterator[None]:
        key = host_key(url_or_host)
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            last = self._last_finished.get(key)
            if last is not None:
                wait_seconds = last + self.min_delay_seconds - self._clock()
                if wait_seconds > 0:
                    self._sleep(wait_seconds)
            try:
                yield
            finally:
                self._last_finished[key] = self._clock()
