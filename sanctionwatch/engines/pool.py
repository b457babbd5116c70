"""The process-pool engine: ``--engine process --workers N`` on this machine.

Worker processes come from a fork server started fresh (not forks of this process), so they
inherit no database connection, lock or thread of the parent; each builds its own pipeline
and loads spaCy only when an article needs it. A worker killed mid-batch breaks the whole
pool (that is how ``concurrent.futures`` works): a new pool is started and every batch that
was in flight is sent again (``batches.run_batch_groups``).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from sanctionwatch.engines.batches import run_batch_groups
from sanctionwatch.engines.work import Outcome, PipelineSpec, WorkItem, extract_batch

BATCH_SIZE = 4  # small: 50 ms to 1 s of work each, so that a short input still spreads over every worker
BATCHES_IN_FLIGHT_PER_WORKER = 3


class ProcessPoolEngine:
    name = "process"

    def __init__(self, *, workers: int, spec: PipelineSpec, on_retry: Callable[[str], object] | None = None) -> None:
        self.workers = workers
        self.spec = spec
        self.on_retry = on_retry
        context = multiprocessing.get_context("forkserver")
        # The fork server imports the work module once; each worker forks from it already warm.
        context.set_forkserver_preload(["sanctionwatch.engines.work", "sanctionwatch.nlp.pipeline"])
        self._context = context
        self._pool = self._new_pool()
        self.restarts = 0

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=self._context)

    # Backend ---------------------------------------------------------------------------------

    def submit(self, batch: Sequence[WorkItem]) -> Future[list[Outcome]]:
        return self._pool.submit(extract_batch, list(batch), self.spec)

    def lost_worker(self, error: BaseException) -> bool:
        return isinstance(error, BrokenProcessPool)

    def recover(self) -> bool:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()
        self.restarts += 1
        return True

    # Engine ----------------------------------------------------------------------------------

    def map(self, items: Iterable[WorkItem]) -> Iterator[tuple[WorkItem, Outcome]]:
        for group in self.map_batches(items):
            yield from group

    def map_batches(self, items: Iterable[WorkItem]) -> Iterator[list[tuple[WorkItem, Outcome]]]:
        return run_batch_groups(
            self, items, batch_size=BATCH_SIZE, window=BATCHES_IN_FLIGHT_PER_WORKER * self.workers, on_retry=self.on_retry
        )

    def worker_pids(self) -> list[int]:
        """The worker processes' ids now (for diagnostics and the tests that kill one)."""
        return [process.pid for process in (self._pool._processes or {}).values() if process.pid]

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
