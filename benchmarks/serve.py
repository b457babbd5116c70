"""Serving at scale: the dashboard and the API over 1,000 and 100,000 incidents. Prints; never asserts.

    .venv/bin/python benchmarks/serve.py [--small 1000] [--large 100000] [--clients 20] [--seconds 30]

Builds two stores with synthetic incidents (ten per article, varied types, countries, places,
dates and review states; built through the store's own write path, so every derived column and
index is what ingest writes), serves each with ``sanctionwatch serve`` on 127.0.0.1 in its own
process, and measures over real HTTP:

1. median latency of ``/`` and ``/api/v1/incidents`` (the first, uncached request apart) at the
   small and the large store, and their ratio (target: within 2x);
2. a CSV export of every incident of the large store, against reading the same rows with plain
   ``sqlite3`` and writing them with the ``csv`` module (target: within 3x);
3. ``--clients`` concurrent clients on mixed traffic (list pages with filters, keyset pages,
   incident and article pages, API lists, health) for ``--seconds``: errors, p50 and p99, and
   the p99 of a health probe sent every 100 ms meanwhile (targets: 0 errors, p99 < 2 s, health
   p99 < 200 ms); once on a warm server (each page requested once first) and once cold.

Each server is measured once its start-up work is done (``prepared`` in its health answer).

Figures depend on the machine; the project's targets were set for its 2-core machine.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import json
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sanctionwatch.model import Actor, Article, Incident, Location, Quantity, TimeRange
from sanctionwatch.model.incident import INCIDENT_TYPES
from sanctionwatch.store import create_database_engine
from sanctionwatch.store.articles import upsert_article
from sanctionwatch.store.engine import write_transaction
from sanctionwatch.store.incidents import record_review, replace_incidents

INCIDENTS_PER_ARTICLE = 10
PLACES = [
    ("Dandong", "CN", 40.12, 124.38), ("Nampo", "KP", 38.73, 125.40), ("Vladivostok", "RU", 43.12, 131.89),
    ("Hunchun", "CN", 42.87, 130.36), ("Sinuiju", "KP", 40.10, 124.40), ("Zhoushan", "CN", 29.99, 122.20),
    ("Yellow Sea", None, None, None), ("East China Sea", None, None, None), ("Sudan", "SD", None, None),
    ("Dubai", "AE", 25.20, 55.27), ("Busan", "KR", 35.10, 129.04), ("Kaesong", "KP", 37.97, 126.55),
]  # fmt: skip
SOURCES = ["Daily NK", "NK News", "Yonhap", "Reuters", "RFA", "UN Panel of Experts", "38 North", "Asia Press"]
COMMODITIES = ["coal", "oil", "workers", "seafood", "textiles", "iron ore", "sand", "cryptocurrency", "rocket parts"]


def synthetic_article(number: int, rng: random.Random) -> tuple[Article, list[Incident]]:
    published = date(2015, 1, 1) + timedelta(days=rng.randrange(3600))
    sentences, incidents = [], []
    for k in range(INCIDENTS_PER_ARTICLE):
        place, country, lat, lon = rng.choice(PLACES)
        commodity = rng.choice(COMMODITIES)
        amount = rng.randrange(10, 5000)
        sentence = (
            f"North Korea shipped {amount} tons of {commodity} through {place} in report {number}-{k}, "
            f"a source familiar with the matter told {rng.choice(SOURCES)}."
        )
        start = sentence_start = sum(len(s) + 2 for s in sentences)
        sentences.append(sentence)
        dated = rng.random() > 0.15
        when = published - timedelta(days=rng.randrange(0, 400))
        incidents.append(
            Incident(
                article_id=f"bench-{number}",
                type=rng.choice(INCIDENT_TYPES),
                summary=f"North Korea moved {amount} tons of {commodity} via {place}.",
                actors=(Actor("North Korea", "KP", "perpetrator"), Actor(f"Trading firm {rng.randrange(500)}", country)),
                quantity=Quantity(min=amount, max=amount, unit="tons", item=commodity),
                commodity=commodity,
                locations=(Location(name=place, country=country, role="site", lat=lat, lon=lon),),
                time=TimeRange(start=when, end=when + timedelta(days=30), precision="month") if dated else TimeRange(),
                attribution=rng.choice(["anonymous_source", "un_report", "named_official", None]),
                certainty=rng.choice(["reported", "asserted", "speculative"]),
                evidence=(sentence,),
                evidence_spans=((sentence_start, start + len(sentence)),),
                confidence=round(rng.random(), 3),
                extractor_version="bench",
            )
        )
    article = Article(
        id=f"bench-{number}",
        text="\n\n".join(sentences),
        published=published,
        title=f"Report {number}",
        url=f"https://news.example.org/{number}",
        source=rng.choice(SOURCES),
    )
    return article, incidents


def build_store(path: Path, incident_count: int) -> float:
    """A store of ``incident_count`` incidents, some reviewed; returns the seconds it took."""
    rng = random.Random(incident_count)
    engine = create_database_engine(path)
    started = time.perf_counter()
    articles = incident_count // INCIDENTS_PER_ARTICLE
    batch = 100
    for first in range(0, articles, batch):
        with write_transaction(engine) as connection:
            for number in range(first, min(first + batch, articles)):
                article, incidents = synthetic_article(number, rng)
                upsert_article(connection, article)
                result = replace_incidents(connection, article.id, incidents, run_id=None)
                if number % 7 == 0:
                    record_review(connection, result.ids[0], status="confirmed", note="bench")
                if number % 11 == 0:
                    record_review(connection, result.ids[1], status="rejected", note="bench")
                if number % 13 == 0:
                    record_review(connection, result.ids[2], status="edited", edited_data={"type": "luxury_goods"})
    engine.dispose()
    sqlite3.connect(path).execute("ANALYZE").connection.close()
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """``sanctionwatch serve`` in its own process."""

    def __init__(self, database: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sanctionwatch", "--db", str(database), "serve", "--port", str(self.port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        if "dashboard on" not in self.process.stdout.readline():
            raise SystemExit("the server did not start")
        # Measure a server that has finished its start-up work (the file's integrity check and
        # the default dashboard's counts, in a background thread): health says when.
        client, deadline = Client(self.port), time.monotonic() + 600
        while time.monotonic() < deadline:
            status, body, _ = client.get("/api/v1/health")
            if status == 200 and json.loads(body).get("prepared"):
                return
            time.sleep(0.5)
        raise SystemExit("the server did not finish preparing")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Client:
    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, path: str) -> tuple[int, bytes, float]:
        started = time.perf_counter()
        try:
            self.connection.request("GET", path, headers={"Host": f"127.0.0.1:{self.port}"})
            response = self.connection.getresponse()
            body = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            status, body = 0, b""
        return status, body, time.perf_counter() - started


def latencies(client: Client, path: str, repeats: int) -> tuple[float, float]:
    """(the first request's seconds, the median of the next ``repeats``)."""
    status, _, first = client.get(path)
    assert status == 200, (path, status)
    times = []
    for _ in range(repeats):
        status, _, seconds = client.get(path)
        assert status == 200, (path, status)
        times.append(seconds)
    return first, statistics.median(times)


def page_figures(database: Path, repeats: int) -> dict[str, tuple[float, float]]:
    server = Server(database)
    try:
        client = Client(server.port)
        return {path: latencies(client, path, repeats) for path in ("/", "/api/v1/incidents")}
    finally:
        server.stop()


def export_figures(database: Path) -> tuple[float, float, int, int]:
    """(seconds of the HTTP CSV export, seconds of plain sqlite3 + csv, rows of each)."""
    server = Server(database)
    try:
        client = Client(server.port)
        status, body, seconds = client.get("/api/v1/export?format=csv&status=any")
        assert status == 200
        exported = body.decode("utf-8-sig").count("\n") - 1
    finally:
        server.stop()
    started = time.perf_counter()
    connection = sqlite3.connect(database)
    out = io.StringIO()
    writer = csv.writer(out)
    rows = 0
    # The same rows (listed incidents with their review, article and cluster) and the same 33
    # columns the export writes, computed the plain way.
    query = (
        "SELECT i.id, i.data, r.edited_data, r.status, a.source, a.url, a.published, i.created_at, m.cluster_id, "
        "c.independent_sources FROM incidents i JOIN articles a ON a.id = i.article_id "
        "LEFT JOIN reviews r ON r.incident_id = i.id LEFT JOIN cluster_members m ON m.incident_id = i.id "
        "LEFT JOIN clusters c ON c.id = m.cluster_id WHERE i.listed"
    )
    for incident_id, data, edits, status_, source, url, published, stored, cluster, sources in connection.execute(query):
        record = json.loads(data)
        if edits and (changes := json.loads(edits)):
            record.update(changes)
        time_ = record.get("time") or {}
        quantity = record.get("quantity") or {}
        actors, places, vessels = record.get("actors") or [], record.get("locations") or [], record.get("vessels") or []
        points = [(p["lat"], p["lon"]) for p in places if p.get("lat") is not None]
        writer.writerow(
            [
                incident_id, record.get("article_id"), record.get("type"), record.get("summary"),
                ";".join(sorted({p.get("country") for p in actors + places if p.get("country")})),
                ";".join(p.get("name") or "" for p in places), points[0][0] if points else None,
                points[0][1] if points else None, ";".join(f"{lat} {lon}" for lat, lon in points),
                time_.get("start"), time_.get("end"), time_.get("precision"), quantity.get("min"), quantity.get("max"),
                quantity.get("unit"), quantity.get("item"), record.get("commodity"),
                ";".join(f"{a.get('name')} ({a.get('country')}, {a.get('role')})" for a in actors),
                ";".join(v.get("name") or "" for v in vessels), ";".join(str(v.get("imo")) for v in vessels if v.get("imo")),
                "", record.get("attribution"), record.get("certainty"), ";".join(record.get("provisions") or []),
                record.get("confidence"), status_ or "unreviewed", cluster, sources,
                " | ".join(record.get("evidence") or []), source, published, url, stored,
            ]
        )  # fmt: skip
        rows += 1
    baseline = time.perf_counter() - started
    return seconds, baseline, exported, rows


def mixed_paths(database: Path, rng: random.Random) -> list[str]:
    connection = sqlite3.connect(database)
    incident_ids = [row[0] for row in connection.execute("SELECT id FROM incidents ORDER BY random() LIMIT 200")]
    article_ids = [row[0] for row in connection.execute("SELECT id FROM articles ORDER BY random() LIMIT 100")]
    connection.close()
    paths = ["/", "/?type=labor_export", "/?country=CN", "/?since=2020-01-01&until=2022-12-31", "/?sort=confidence", "/?q=coal"]
    paths += ["/api/v1/incidents", "/api/v1/incidents?type=cyber_theft", "/api/v1/incidents?status=confirmed", "/api/v1/incidents?limit=200"]
    paths += ["/api/v1/incidents?offset=5000", "/api/v1/incidents?sort=oldest&country=KP"]
    paths += [f"/incidents/{rng.choice(incident_ids)}" for _ in range(6)]
    paths += [f"/api/v1/incidents/{rng.choice(incident_ids)}" for _ in range(6)]
    paths += [f"/articles/{quote(rng.choice(article_ids))}" for _ in range(3)]
    paths += [f"/api/v1/articles/{quote(rng.choice(article_ids))}" for _ in range(3)]
    return paths


def load_figures(database: Path, clients: int, seconds: float, *, warm: bool) -> dict[str, Any]:
    """``warm``: every distinct path is requested once before the clock starts (a server that
    has been in use); otherwise each page's first request happens under the load."""
    server = Server(database)
    rng = random.Random(7)
    paths = mixed_paths(database, rng)
    if warm:
        warmer = Client(server.port)
        for path in dict.fromkeys(paths):
            warmer.get(path)
    stop = time.monotonic() + seconds
    results: list[tuple[str, int, float]] = []
    health: list[tuple[int, float]] = []
    lock = threading.Lock()

    def worker(seed: int) -> None:
        client, own = Client(server.port), random.Random(seed)
        while time.monotonic() < stop:
            path = own.choice(paths)
            status, _, took = client.get(path)
            with lock:
                results.append((path, status, took))

    def prober() -> None:
        client = Client(server.port)
        while time.monotonic() < stop:
            status, _, took = client.get("/api/v1/health")
            health.append((status, took))
            time.sleep(0.1)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)] + [threading.Thread(target=prober)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.stop()
    times = sorted(took for _, _, took in results)
    health_times = sorted(took for _, took in health)

    def percentile(values: list[float], fraction: float) -> float:
        return values[min(len(values) - 1, int(fraction * len(values)))] if values else float("nan")

    return {
        "requests": len(results),
        "errors": sum(1 for _, status, _ in results if status != 200) + sum(1 for status, _ in health if status != 200),
        "rate": len(results) / seconds,
        "p50": percentile(times, 0.5),
        "p99": percentile(times, 0.99),
        "max": times[-1] if times else float("nan"),
        "health_p99": percentile(health_times, 0.99),
        "health_max": health_times[-1] if health_times else float("nan"),
        "health_probes": len(health),
        # The paths of the slowest 1% (what the p99 is made of), with their count among them.
        "slowest": Counter(path for path, _, took in results if times and took >= percentile(times, 0.99)).most_common(4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000, help="incidents in the small store (default 1,000)")
    parser.add_argument("--large", type=int, default=100_000, help="incidents in the large store (default 100,000)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients of the load test (default 20)")
    parser.add_argument("--seconds", type=float, default=30, help="length of the load test (default 30)")
    parser.add_argument("--repeats", type=int, default=30, help="requests per page for the medians (default 30)")
    parser.add_argument("--only", choices=("pages", "export", "load"), help="run one part only")
    parser.add_argument("--keep", type=Path, help="build (or reuse) the stores in this folder instead of a temporary one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        stores = {}
        for count in (args.small, args.large):
            path = folder / f"serve-{count}.db"
            if not path.exists():
                print(f"building a store of {count:,} incidents ...", flush=True)
                partial = path.with_suffix(".partial")
                for leftover in folder.glob(partial.name + "*"):
                    leftover.unlink()
                seconds = build_store(partial, count)
                partial.rename(path)
                print(f"  built in {seconds:.1f} s ({path.stat().st_size / 1e6:.0f} MB)", flush=True)
            stores[count] = path
        if args.only in (None, "pages"):
            report_pages(args, stores)
        if args.only in (None, "export"):
            report_export(stores[args.large])
        if args.only in (None, "load"):
            report_load(args, stores[args.large])


def report_pages(args: argparse.Namespace, stores: dict[int, Path]) -> None:
    print("\n1. page latency (first request, then the median of the next ones)")
    figures = {count: page_figures(path, args.repeats) for count, path in stores.items()}
    for page in ("/", "/api/v1/incidents"):
        (small_first, small), (large_first, large) = figures[args.small][page], figures[args.large][page]
        print(
            f"  {page:<18} {args.small:>7,}: {small * 1000:7.1f} ms (first {small_first * 1000:6.0f} ms)   "
            f"{args.large:>7,}: {large * 1000:7.1f} ms (first {large_first * 1000:6.0f} ms)   ratio {large / small:4.2f}x  (target < 2x)"
        )


def report_export(database: Path) -> None:
    print("\n2. CSV export of the large store")
    exported, baseline, exported_rows, baseline_rows = export_figures(database)
    print(
        f"  GET /api/v1/export?format=csv&status=any: {exported:6.1f} s, {exported_rows:,} rows; "
        f"sqlite3 + csv: {baseline:6.1f} s, {baseline_rows:,} rows; ratio {exported / baseline:4.2f}x  (target < 3x)"
    )


def report_load(args: argparse.Namespace, database: Path) -> None:
    print(f"\n3. {args.clients} clients, mixed traffic, {args.seconds:.0f} s, large store")
    for warm in (True, False):
        load = load_figures(database, args.clients, args.seconds, warm=warm)
        label = "warm (each page requested once before)" if warm else "cold (each page's first request under load)"
        print(f"  {label}:")
        print(
            f"    {load['requests']:,} requests ({load['rate']:.1f}/s), {load['errors']} errors; "
            f"p50 {load['p50'] * 1000:.0f} ms, p99 {load['p99'] * 1000:.0f} ms, max {load['max'] * 1000:.0f} ms  (target p99 < 2000 ms)"
        )
        print(
            f"    health: {load['health_probes']} probes, p99 {load['health_p99'] * 1000:.0f} ms, "
            f"max {load['health_max'] * 1000:.0f} ms  (target p99 < 200 ms)"
        )
        print("    slowest 1%: " + ", ".join(f"{path} ({count})" for path, count in load["slowest"]))


if __name__ == "__main__":
    main()
