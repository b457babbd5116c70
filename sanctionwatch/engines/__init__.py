"""How a batch of articles is processed: in this process (default) or in a process pool.

Both engines run the same ``extract_batch`` function on the same input and give identical
results; a Dask engine would submit that same function to a cluster.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice

from sanctionwatch.model import Article, Incident
from sanctionwatch.nlp.pipeline import default_pipeline

BATCH_SIZE = 16


def extract_batch(articles: list[Article]) -> list[tuple[Article, list[Incident]]]:
    """The unit of work every engine runs: one pipeline, a list of articles."""
    pipeline = default_pipeline()
    return [(article, pipeline.extract(article)) for article in articles]


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while batch := list(islice(iterator, size)):
        yield batch


def run_local(articles: Iterable[Article]) -> Iterator[tuple[Article, list[Incident]]]:
    for batch in _batches(articles, BATCH_SIZE):
        yield from extract_batch(batch)


def run_pool(articles: Iterable[Article], *, workers: int) -> Iterator[tuple[Article, list[Incident]]]:
    """Batches in ``workers`` processes, results in input order, at most 2×workers batches in flight."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending = []
        for batch in _batches(articles, BATCH_SIZE):
            pending.append(pool.submit(extract_batch, batch))
            if len(pending) >= 2 * workers:
                yield from pending.pop(0).result()
        for future in pending:
            yield from future.result()


def run_engine(articles: Iterable[Article], *, workers: int = 1) -> Iterator[tuple[Article, list[Incident]]]:
    return run_local(articles) if workers <= 1 else run_pool(articles, workers=workers)
