"""Speed of the NLP path, stage by stage, on the North Korea reports of the corpus.

    .venv/bin/python benchmarks/nlp_path.py [--runs 3]

Runs the default pipeline over ``../shared/corpus/articles.jsonl`` (94 reports, 87 of them
relevant) after one warm-up article has loaded the models, and prints, as the median of the runs:
the seconds each stage takes over the whole corpus, reports per second (one process, one core),
words per second, and reports per CPU second (the process's own CPU time, steadier than wall
time on a busy machine). Nothing here is asserted; figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from sanctionwatch.engines import LOCAL_BATCH_SIZE  # noqa: E402
from sanctionwatch.nlp.pipeline import Pipeline, default_pipeline  # noqa: E402
from sanctionwatch.service.inputs import read_articles  # noqa: E402

CORPUS = REPOSITORY.parent / "shared" / "corpus" / "articles.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=LOCAL_BATCH_SIZE, help=f"articles per run_many call (default {LOCAL_BATCH_SIZE}, as the engines)")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"skipped: {CORPUS} is absent (the corpus lives in ../shared)")
        return 0
    articles = list(read_articles(CORPUS))
    pipeline = default_pipeline()
    relevance = Pipeline(("relevance",))  # which reports are relevant, without the rest of the path
    relevant = next(a for a in articles if relevance.run(a).relevant)
    pipeline.extract(relevant)  # loads spaCy and the gazetteer
    per_stage: dict[str, list[float]] = defaultdict(list)
    totals: list[float] = []
    cpu_totals: list[float] = []
    for _ in range(args.runs):
        spent: dict[str, float] = {}
        started, cpu_started = time.perf_counter(), time.process_time()
        # In batches, as every engine runs it (the parser reads a batch's sentences in one run).
        for first in range(0, len(articles), args.batch):
            pipeline.run_many(articles[first : first + args.batch], timings=spent)
        totals.append(time.perf_counter() - started)
        cpu_totals.append(time.process_time() - cpu_started)
        for name, seconds in spent.items():
            per_stage[name].append(seconds)
    total = statistics.median(totals)
    relevant_count = sum(1 for a in articles if relevance.run(a).relevant)
    words = sum(len(a.text.split()) for a in articles)
    print(f"NLP path over {len(articles)} corpus reports ({relevant_count} relevant), batches of {args.batch}, median of {args.runs} runs")
    for name, seconds in sorted(per_stage.items(), key=lambda item: -statistics.median(item[1])):
        print(f"  {name:<16} {statistics.median(seconds):7.2f} s")
    print(f"  {'total':<16} {total:7.2f} s  ({min(totals):.2f}-{max(totals):.2f})")
    print(f"reports/s (one core): {len(articles) / total:.1f}; relevant reports/s: {relevant_count / total:.1f}; words/s: {words / total:,.0f}")
    # CPU seconds of this process: what one core spent, whatever else the machine was running.
    cpu = statistics.median(cpu_totals)
    print(f"reports per CPU second: {len(articles) / cpu:.1f}  (CPU {cpu:.2f} s, {min(cpu_totals):.2f}-{max(cpu_totals):.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
