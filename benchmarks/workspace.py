"""Speed and memory of the analyst's workspace on a large store. Prints a table; never asserts.

    .venv/bin/python benchmarks/workspace.py [--incidents 100000]

Builds a store of synthetic incidents (varied types, countries, places with and without points,
dates and undated ones), then times the list page, its counts twin, an incident page, a
saved-search feed and each export, and records the Python heap's peak while an export streams
(tracemalloc): a bounded export keeps that peak flat as the store grows.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from sanctionwatch.api.app import create_app
from sanctionwatch.model import INCIDENT_TYPES, Actor, Article, Incident, Location, TimeRange
from sanctionwatch.service.exports import export_incidents
from sanctionwatch.service.incidents import iter_incidents, make_query
from sanctionwatch.service.searches import save_search
from sanctionwatch.settings import Settings
from sanctionwatch.store.articles import upsert_article
from sanctionwatch.store.engine import create_database_engine
from sanctionwatch.store.incidents import replace_incidents

PLACES = [
    Location("Nampo", "KP", role="port", lat=38.73, lon=125.4),
    Location("Dandong", "CN", role="destination", lat=40.12, lon=124.38),
    Location("Vladivostok", "RU", role="port", lat=43.12, lon=131.9),
    Location("Yellow Sea", None, role="site"),
    Location("China", "CN", role="destination"),
    Location("Russia", "RU", role="destination"),
]
PER_ARTICLE = 10


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(path: Path, count: int) -> str:
    engine = create_database_engine(path)
    rng = random.Random(7)
    started = time.perf_counter()
    for number in range(count // PER_ARTICLE):
        text = " ".join(f"Sentence {number}-{k}." for k in range(PER_ARTICLE))
        article = Article(id=f"b-{number}", text=text, published=date(2024, 1, 1), source=rng.choice(["Wire", "Daily", "Monitor"]))
        found = []
        for k in range(PER_ARTICLE):
            sentence = f"Sentence {number}-{k}."
            start = text.index(sentence)
            day = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
            time_range = TimeRange() if rng.random() < 0.3 else TimeRange(start=day, end=day, precision="day")
            found.append(
                Incident(
                    article_id=article.id, type=rng.choice(INCIDENT_TYPES), summary=sentence,
                    actors=(Actor("North Korea", "KP"),), locations=(rng.choice(PLACES),) if rng.random() < 0.8 else (),
                    time=time_range, evidence=(sentence,), evidence_spans=((start, start + len(sentence)),),
                    certainty=rng.choice(["asserted", "reported"]), confidence=rng.random(), extractor_version="bench",
                )
            )
        with engine.begin() as connection:
            upsert_article(connection, article)
            replace_incidents(connection, article.id, found, run_id=None)
    print(f"{'store ' + format(count, ',') + ' incidents':<36} {time.perf_counter() - started:8.2f} s")
    engine.dispose()
    return str(path)


def timed_get(client: TestClient, label: str, path: str) -> None:
    started = time.perf_counter()
    response = client.get(path)
    seconds = time.perf_counter() - started
    print(f"{label:<36} {seconds:8.3f} s  {len(response.content) / 1e3:8.0f} kB  HTTP {response.status_code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as directory:
        path = build(Path(directory) / "workspace.db", args.incidents)
        engine = create_database_engine(path)
        search = save_search(engine, "Transfers", "type=maritime_transfer")
        with TestClient(create_app(Settings(database=path)), base_url="http://127.0.0.1:8000") as client:
            timed_get(client, "list page, no filter (first)", "/")
            timed_get(client, "list page, no filter (again)", "/")
            timed_get(client, "list page, type + date filter", "/?type=maritime_transfer&since=2020-01-01")
            timed_get(client, "counts twin /summary.json", "/summary.json?country=RU")
            incident_id = client.get("/api/v1/incidents?limit=1").json()["items"][0]["id"]
            timed_get(client, "incident page", f"/incidents/{incident_id}")
            timed_get(client, "saved-search Atom feed", f"/feeds/{search.feed_key}.atom")
        for export_format in ("csv", "geojson", "jsonl"):
            tracemalloc.start()
            started = time.perf_counter()
            size = sum(len(chunk) for chunk in export_incidents(iter_incidents(engine, make_query(status="any")), export_format))
            seconds = time.perf_counter() - started
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(
                f"{'export ' + export_format + ' (' + format(args.incidents, ',') + ')':<36} {seconds:8.2f} s"
                f"  {size / 1e6:8.1f} MB  Python heap peak {peak / 2**20:6.1f} MiB"
            )
    print(f"peak RSS at the end {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
