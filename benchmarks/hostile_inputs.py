"""How long the hostile inputs of the tests take (BAD_INPUTS: megabyte strings without
whitespace, deep markup, huge feeds, entity bombs). The tests check that each returns the right
thing; the time each takes is measured here, never asserted.

    .venv/bin/python benchmarks/hostile_inputs.py

Prints the median of three runs per input.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sanctionwatch.errors import FeedError
from sanctionwatch.ingest.feeds import parse_feed
from sanctionwatch.ingest.pages import extract_page
from sanctionwatch.nlp.arguments.quantities import find_quantities
from sanctionwatch.nlp.arguments.timex import find_time_expressions
from sanctionwatch.nlp.arguments.vessels import find_vessels

RUNS = 3
PUBLISHED = date(2024, 5, 16)


def _feed(items: int) -> bytes:
    body = "".join(f"<item><guid>g{i}</guid><link>https://news.example/{i}</link><title>T{i}</title></item>" for i in range(items))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{body}</channel></rss>'.encode()


def _refused(body: bytes) -> None:
    try:
        parse_feed(body, url="https://news.example/feed")
    except FeedError:
        return
    raise SystemExit("an entity bomb was parsed, not refused")


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + ']><rss version="2.0"><channel><title>&i;</title></channel></rss>'
).encode()

CASES: list[tuple[str, Callable[[], object]]] = [
    ("timex: 1 MB of 'a'", lambda: find_time_expressions("a" * 1_000_000, PUBLISHED)),
    ("timex: '1,000' x 200,000", lambda: find_time_expressions("1,000" * 200_000, PUBLISHED)),
    ("timex: 'May' x 333,333", lambda: find_time_expressions("May" * 333_333, PUBLISHED)),
    ("quantities: 1 MB of '1'", lambda: find_quantities("1" * 1_000_000)),
    ("quantities: '3만' x 300,000", lambda: find_quantities("3만" * 300_000)),
    ("vessels: '[' x 1,000,000", lambda: find_vessels("[" * 1_000_000)),
    ("vessels: 'Panama-flagged ' x 60,000", lambda: find_vessels("Panama-flagged " * 60_000)),
    ("page: 10,000 nested divs", lambda: extract_page("<html><body>" + "<div>" * 10_000 + "<p>text</p>" + "</div>" * 10_000, url=None)),
    ("page: 100,000 paragraphs", lambda: extract_page("<html><body>" + "<p>Coal shipments continued past the port.</p>" * 100_000, url=None)),
    ("feed: 10,050 items (capped at 10,000)", lambda: parse_feed(_feed(10_050), url="https://news.example/feed")),
    ("feed: billion laughs refused", lambda: _refused(BILLION_LAUGHS)),
]


def main() -> None:
    print(f"{'input':<42} {'median':>9}  (of {RUNS} runs)")
    for label, run in CASES:
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
        print(f"{label:<42} {statistics.median(times):8.3f} s")


if __name__ == "__main__":
    main()
