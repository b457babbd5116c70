"""How a batch command extracts: in this process (default), a process pool, or on Dask.

Every engine runs ``work.extract_batch`` on batches of items and yields each item with its
``Outcome`` in input order, so the same input gives the same results whichever engine runs
it. Workers extract and never touch the database; the caller stores every outcome, in one
place, with writes keyed by article (a stored article is found again by id and content hash),
so a batch that is sent again after its worker died stores nothing twice.

    with open_engine(EngineSpec("process", workers=2)) as engine:
        for item, outcome in engine.map(articles):
            ...
        # or engine.map_batches(articles): a finished batch at a time, to store it at once

``EngineSpec`` is what the CLI's ``--engine``, ``--workers`` and ``--scheduler`` say. Only the
engine asked for is imported: Dask is an optional extra (``sanctionwatch[dask]``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from sanctionwatch.engines.batches import batches
from sanctionwatch.engines.work import ArticleSource, Outcome, PipelineSpec, WorkItem, extract_batch, item_key
from sanctionwatch.errors import ConfigError

if TYPE_CHECKING:
    from sanctionwatch.nlp.pipeline import Pipeline

ENGINE_NAMES = ("local", "process", "dask")

__all__ = [
    "ENGINE_NAMES",
    "LOCAL_BATCH_SIZE",
    "ArticleSource",
    "EngineSpec",
    "ExtractionEngine",
    "LocalEngine",
    "Outcome",
    "PipelineSpec",
    "WorkItem",
    "item_key",
    "open_engine",
]


@dataclass(frozen=True, slots=True)
class EngineSpec:
    """Which engine, how many workers, which Dask scheduler (None: a local cluster)."""

    name: str = "local"
    workers: int = 1
    scheduler: str | None = None

    def __post_init__(self) -> None:
        if self.name not in ENGINE_NAMES:
            raise ConfigError(f"unknown engine {self.name!r}; one of {', '.join(ENGINE_NAMES)}")
        if self.workers < 1:
            raise ConfigError(f"workers must be 1 or more, got {self.workers}")
        if self.scheduler and self.name != "dask":
            raise ConfigError("--scheduler is for --engine dask")

    @classmethod
    def from_options(cls, engine: str | None, workers: int, scheduler: str | None) -> EngineSpec:
        """The CLI's choice: ``--workers N`` alone means a process pool, ``--scheduler`` Dask."""
        if engine is None:
            engine = "dask" if scheduler else ("process" if workers > 1 else "local")
        return cls(engine, workers, scheduler)


class ExtractionEngine(Protocol):
    name: str

    def map(self, items: Iterable[WorkItem]) -> Iterator[tuple[WorkItem, Outcome]]: ...

    def map_batches(self, items: Iterable[WorkItem]) -> Iterator[list[tuple[WorkItem, Outcome]]]:
        """``map``, a batch at a time, as each is done: the caller can store a batch at once."""
        ...

    def close(self) -> None: ...


LOCAL_BATCH_SIZE = 8  # items extracted together (the parser reads their sentences in one run)


class LocalEngine:
    """In this process, a few items at a time, in order; a given ``pipeline`` is used as it is."""

    name = "local"

    def __init__(self, *, spec: PipelineSpec, pipeline: Pipeline | None = None, batch_size: int = LOCAL_BATCH_SIZE) -> None:
        self.spec = spec
        self.pipeline = pipeline
        self.batch_size = batch_size

    def map(self, items: Iterable[WorkItem]) -> Iterator[tuple[WorkItem, Outcome]]:
        for group in self.map_batches(items):
            yield from group

    def map_batches(self, items: Iterable[WorkItem]) -> Iterator[list[tuple[WorkItem, Outcome]]]:
        pipeline = self.pipeline or self.spec.build()
        for batch in batches(items, self.batch_size):
            yield list(zip(batch, extract_batch(batch, pipeline=pipeline), strict=True))

    def close(self) -> None:
        return None


@contextmanager
def open_engine(
    spec: EngineSpec | None = None,
    *,
    on_error: str = "raise",
    pipeline: Pipeline | None = None,
    on_retry: Callable[[str], object] | None = None,
) -> Iterator[ExtractionEngine]:
    """The engine ``spec`` names, closed (workers stopped) on exit.

    ``on_error`` is the pipeline's policy in the workers; ``pipeline`` replaces the default one
    in the local engine only (other engines build theirs in each worker); ``on_retry`` hears of
    each batch sent again after a worker died.
    """
    spec = spec or EngineSpec()
    pipeline_spec = PipelineSpec(on_error)
    engine: ExtractionEngine
    if spec.name == "local":
        engine = LocalEngine(spec=pipeline_spec, pipeline=pipeline)
    elif spec.name == "process":
        from sanctionwatch.engines.pool import ProcessPoolEngine

        engine = ProcessPoolEngine(workers=spec.workers, spec=pipeline_spec, on_retry=on_retry)
    else:
        from sanctionwatch.engines.cluster import DaskEngine

        engine = DaskEngine(workers=spec.workers, scheduler=spec.scheduler, spec=pipeline_spec, on_retry=on_retry)
    try:
        yield engine
    finally:
        engine.close()
