"""The Dask engine: ``--engine dask [--scheduler tcp://HOST:PORT]``.

With a scheduler address, batches go to that cluster; its workers must have the same
sanctionwatch installed (they import ``sanctionwatch.engines.work``), and they never see the
database: results come back here and are stored by this process. Without one, a
``LocalCluster`` of ``--workers`` single-threaded worker processes is started for the run and
closed after it.

A worker that dies is handled by Dask first: its nanny starts a new one and the scheduler runs
the lost tasks again (up to ``distributed.scheduler.allowed-failures`` times); only then does
the task fail with ``KilledWorker`` and ``batches.run_batch_groups`` retries, splits or gives up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sanctionwatch.engines.batches import run_batch_groups
from sanctionwatch.engines.work import Outcome, PipelineSpec, WorkItem, extract_batch
from sanctionwatch.errors import EngineError

BATCH_SIZE = 8
BATCHES_IN_FLIGHT_PER_WORKER = 3
CONNECT_TIMEOUT_SECONDS = 10
MISSING = "--engine dask needs dask and distributed, which are not installed: pip install 'sanctionwatch[dask]'"


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise EngineError(MISSING, engine="dask") from exc
    return distributed


class DaskEngine:
    name = "dask"

    def __init__(
        self,
        *,
        workers: int,
        scheduler: str | None,
        spec: PipelineSpec,
        on_retry: Callable[[str], object] | None = None,
    ) -> None:
        distributed = _distributed()
        self.spec = spec
        self.on_retry = on_retry
        self.cluster: Any = None
        try:
            if scheduler:
                self.client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT_SECONDS)
            else:
                self.cluster = distributed.LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,  # one pipeline per process; spaCy is not shared across threads
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self.client = distributed.Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            self.close()
            where = scheduler or "a local cluster"
            raise EngineError(f"cannot reach the Dask scheduler at {where}: {exc}", engine="dask") from exc
        self._killed_worker = distributed.KilledWorker
        # The window follows the cluster's size: one task per worker thread, a few queued behind.
        self.workers = max(1, sum(self.client.nthreads().values()) or workers)

    # Backend ---------------------------------------------------------------------------------

    def submit(self, batch: Sequence[WorkItem]) -> Any:
        # pure=False: the same batch sent again after a failure is a new task, not a cached one.
        return self.client.submit(extract_batch, list(batch), self.spec, pure=False)

    def lost_worker(self, error: BaseException) -> bool:
        return isinstance(error, self._killed_worker)

    def recover(self) -> bool:
        return False  # the scheduler lost only that task; the others go on

    # Engine ----------------------------------------------------------------------------------

    def map(self, items: Iterable[WorkItem]) -> Iterator[tuple[WorkItem, Outcome]]:
        for group in self.map_batches(items):
            yield from group

    def map_batches(self, items: Iterable[WorkItem]) -> Iterator[list[tuple[WorkItem, Outcome]]]:
        return run_batch_groups(
            self, items, batch_size=BATCH_SIZE, window=BATCHES_IN_FLIGHT_PER_WORKER * self.workers, on_retry=self.on_retry
        )

    def worker_pids(self) -> list[int]:
        import os

        return list(self.client.run(os.getpid).values())

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self.cluster is not None:
            self.cluster.close()
