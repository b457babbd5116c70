"""HostGate, Backoff, Retry-After and cache hints (BAD_INPUTS items 6 and 7)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from sanctionwatch.ingest.politeness import (
    Backoff,
    HostGate,
    cache_lifetime_seconds,
    is_transient_status,
    parse_retry_after,
)

NOW = datetime(2024, 5, 16, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        ("0", 0.0),
        ("Thu, 16 May 2024 12:02:00 GMT", 120.0),
        ("Wed, 15 May 2024 12:00:00 GMT", 0.0),
        ("soon", None),
        ("", None),
        (None, None),
        ("-1", None),
        ("1.5", None),
    ],
)
def test_parse_retry_after(value, expected) -> None:
    assert parse_retry_after(value, now=NOW) == expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"expires": "0"}, 0.0),
        ({"cache-control": "max-age=86400000"}, 86400.0),
        ({"cache-control": "no-cache, max-age=60"}, 60.0),
        ({"expires": "Thu, 16 May 2024 13:00:00 GMT"}, 3600.0),
        ({"cache-control": "max-age=30", "expires": "Thu, 16 May 2024 13:00:00 GMT"}, 30.0),
        ({}, None),
    ],
)
def test_cache_lifetime(headers, expected) -> None:
    assert cache_lifetime_seconds(headers, now=NOW) == expected


@pytest.mark.parametrize(
    ("failures", "retry_after", "expected"),
    [(1, None, 60.0), (2, None, 120.0), (5, None, 960.0), (1, 600.0, 600.0), (3, 10.0, 240.0), (40, None, 86400.0), (10_000, None, 86400.0), (1, 10**9, 86400.0)],
)
def test_backoff_grows_exponentially_with_cap(failures, retry_after, expected) -> None:
    assert Backoff().next_delay(failures, retry_after) == expected


@pytest.mark.parametrize(("failures", "pause"), [(0, False), (4, False), (5, True), (9, True)])
def test_backoff_pauses_after_five_failures(failures: int, pause: bool) -> None:
    assert Backoff().should_pause(failures) is pause


def test_backoff_pause_threshold_is_configurable() -> None:
    assert Backoff(pause_after_failures=3).should_pause(3)
    assert not Backoff(pause_after_failures=3).should_pause(2)


@pytest.mark.parametrize(("status", "transient"), [(401, False), (403, False), (404, False), (410, False), (429, True), (408, True), (500, True), (503, True), (599, True)])
def test_transient_statuses(status: int, transient: bool) -> None:
    assert is_transient_status(status) is transient


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_host_gate_spaces_requests_to_one_host_only() -> None:
    clock = FakeClock()
    gate = HostGate(1.0, clock=clock, sleep=clock.sleep)
    with gate.slot("http://a.example/feed"):
        clock.now += 0.25
    with gate.slot("http://a.example/other"):
        pass
    with gate.slot("http://b.example/feed"):
        pass
    assert clock.sleeps == [1.0]


def test_host_gate_allows_one_request_at_a_time_per_host() -> None:
    gate = HostGate(0.0)
    active = 0
    peak = 0
    lock = threading.Lock()

    def worker() -> None:
        nonlocal active, peak
        with gate.slot("http://a.example/"):
            with lock:
                active += 1
                peak = max(peak, active)
            threading.Event().wait(0.01)
            with lock:
                active -= 1

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak == 1
