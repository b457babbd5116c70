"""Geocoder speed: gazetteer load, a known name once loaded, an unknown name (fuzzy search).

    .venv/bin/python benchmarks/geocoding.py

Prints the median of several runs; nothing here is asserted (tests check results, not speed).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sanctionwatch.resolve.gazetteer import load_gazetteer
from sanctionwatch.resolve.geocode import geocode

RUNS = 5
KNOWN = ["Tumen", "Nampo", "Jilin Province", "North Korea", "Sinuiju", "Moscow", "Yellow Sea", "Onsong County"]


def main() -> None:
    loads = []
    for _ in range(RUNS):
        load_gazetteer.cache_clear()
        started = time.perf_counter()
        load_gazetteer()
        loads.append(time.perf_counter() - started)
    geocode("Tumen")
    known = []
    for _ in range(RUNS):
        started = time.perf_counter()
        for name in KNOWN * 125:
            geocode(name)
        known.append((time.perf_counter() - started) / (len(KNOWN) * 125))
    unknown = []
    for run in range(RUNS):
        started = time.perf_counter()
        for index in range(20):
            geocode(f"Qwxzvillage{run}{index:02d}")
        unknown.append((time.perf_counter() - started) / 20)
    print(f"gazetteer load        median {statistics.median(loads) * 1000:8.1f} ms  (range {min(loads) * 1000:.1f}-{max(loads) * 1000:.1f})")
    print(f"known name, loaded    median {statistics.median(known) * 1e6:8.1f} µs")
    print(f"unknown name (fuzzy)  median {statistics.median(unknown) * 1000:8.2f} ms")


if __name__ == "__main__":
    main()
