"""Speed and memory figures for sanctionwatch. Prints a table; never asserts.

    .venv/bin/python benchmarks/run.py [--background-limit N]

Corpus runs need ../shared (skipped with a note when it is absent). Figures depend on the
machine; the ones in the closing notes were taken on the project's 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from sanctionwatch.model import Incident
from sanctionwatch.nlp.pipeline import Pipeline
from sanctionwatch.service.exports import export_incidents
from sanctionwatch.service.inputs import read_articles
from sanctionwatch.service.samples import sample_articles

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, articles: list, pipeline: Pipeline) -> None:
    started = time.perf_counter()
    incidents = sum(len(pipeline.extract(a)) for a in articles)
    seconds = time.perf_counter() - started
    words = sum(len(a.text.split()) for a in articles)
    print(
        f"{label:<34} {len(articles):>6} articles  {seconds:7.2f} s  {len(articles) / seconds:8.1f} articles/s"
        f"  {words / seconds:9.0f} words/s  {incidents:>5} incidents"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--background-limit", type=int, default=3000, help="background articles to run (default all 3000)")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}; peak RSS before loading models {peak_rss_mib():.0f} MiB")

    started = time.perf_counter()
    pipeline = Pipeline()
    warm = list(sample_articles())
    pipeline.extract(warm[0])  # loads spaCy, the gazetteer and dateparser
    print(f"{'first article (models load)':<34} {time.perf_counter() - started:7.2f} s  peak RSS {peak_rss_mib():.0f} MiB")
    timed("seed article x20", warm * 20, pipeline)

    if SHARED.exists():
        split = json.loads((SHARED / "corpus" / "split.json").read_text())
        dev_ids = set(split["dev"])
        dev = [a for a in read_articles(SHARED / "corpus" / "articles.jsonl") if a.id in dev_ids]
        timed("dev articles", dev, pipeline)
        background = []
        for article in read_articles(SHARED / "corpus" / "background.jsonl", require_date=False):
            background.append(article)
            if len(background) >= args.background_limit:
                break
        timed("background (general news)", background, pipeline)
    else:
        print("../shared not found: corpus benchmarks skipped")

    from sanctionwatch.service.ingestion import ingest_articles
    from sanctionwatch.store import create_database_engine
    from sanctionwatch.store.articles import upsert_article
    from sanctionwatch.store.incidents import replace_incidents
    from sanctionwatch.store.queries import IncidentQuery, iter_incidents

    with tempfile.TemporaryDirectory() as folder:
        engine = create_database_engine(Path(folder) / "bench.db")
        started = time.perf_counter()
        ingest_articles(engine, warm, pipeline=pipeline)
        print(f"{'ingest seed (extract + store)':<34} {time.perf_counter() - started:7.2f} s")
        base = warm[0]
        count = 20_000
        started = time.perf_counter()
        with engine.begin() as connection:
            for number in range(count // 10):
                article_id = f"bench-{number}"
                upsert_article(connection, base.__class__(id=article_id, text=f"{number} {base.text[:500]}", published=base.published))
                replace_incidents(
                    connection,
                    article_id,
                    [
                        Incident(article_id=article_id, type="coal_mineral_export", summary=f"n{k}", evidence=(f"s{k}",), evidence_spans=((k, k + 1),), extractor_version="bench")
                        for k in range(10)
                    ],
                    run_id=None,
                )
        seconds = time.perf_counter() - started
        print(f"{'store 20,000 incidents':<34} {seconds:7.2f} s  {count / seconds:8.0f} incidents/s")
        for export_format in ("jsonl", "csv", "geojson"):
            started = time.perf_counter()
            size = sum(len(chunk) for chunk in export_incidents(iter_incidents(engine, IncidentQuery(status="any")), export_format))
            seconds = time.perf_counter() - started
            print(f"{'export ' + export_format + ' (20,000)':<34} {seconds:7.2f} s  {size / 1e6:6.1f} MB  peak RSS {peak_rss_mib():.0f} MiB")
        cluster_benchmark(engine, base)
    print(f"peak RSS at the end {peak_rss_mib():.0f} MiB")


def cluster_benchmark(engine, base) -> None:  # type: ignore[no-untyped-def]
    """Clustering as ingest runs it: each new article's incidents against those blocked by type
    and time. 2,000 articles over two years, 15 types, one incident each."""
    from datetime import timedelta

    from sanctionwatch.model import INCIDENT_TYPES, TimeRange
    from sanctionwatch.service.clusters import clusters_figures, recluster_article
    from sanctionwatch.store.articles import upsert_article
    from sanctionwatch.store.incidents import replace_incidents

    count = 2000
    started = time.perf_counter()
    for number in range(count):
        day = base.published + timedelta(days=number * 730 // count)
        article_id = f"cluster-bench-{number}"
        incident = Incident(
            article_id=article_id, type=INCIDENT_TYPES[number % len(INCIDENT_TYPES)], summary=f"c{number}",
            evidence=(f"Shipment {number % 97} left port {number % 13}.",), evidence_spans=((0, 10),),
            time=TimeRange(start=day, end=day, precision="day"), extractor_version="bench",
        )  # fmt: skip
        with engine.begin() as connection:
            upsert_article(connection, base.__class__(id=article_id, text=f"c{number} {base.text[:300]}", published=day))
            replace_incidents(connection, article_id, [incident], run_id=None)
            recluster_article(connection, article_id)
    seconds = time.perf_counter() - started
    figures = clusters_figures(engine)
    print(f"{'store + cluster 2,000 articles':<34} {seconds:7.2f} s  {seconds / count * 1000:6.1f} ms/article  {figures['clusters']} clusters")


if __name__ == "__main__":
    main()
