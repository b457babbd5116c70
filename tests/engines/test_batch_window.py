"""run_batches keeps every worker busy while the oldest batch is slow, and still yields in input order."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date

from sanctionwatch.engines.batches import BUFFERED_WINDOWS, run_batches
from sanctionwatch.engines.work import Outcome, WorkItem
from sanctionwatch.model import Article


class _Threads:
    """A backend of two threads; the batch holding article "a0" takes until it is released."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=2)
        self.release = threading.Event()
        self.submitted = 0
        self.finished_while_head_ran = 0

    def _run(self, batch: list[WorkItem]) -> list[Outcome]:
        if any(getattr(item, "id", "") == "a0" for item in batch):
            assert self.release.wait(10)
        elif not self.release.is_set():
            self.finished_while_head_ran += 1
        return [Outcome(item if isinstance(item, Article) else None) for item in batch]

    def submit(self, batch: Sequence[WorkItem]) -> Future[list[Outcome]]:
        self.submitted += 1
        return self.pool.submit(self._run, list(batch))

    def lost_worker(self, error: BaseException) -> bool:
        return False

    def recover(self) -> bool:
        return False


def test_a_slow_first_batch_does_not_stall_the_others() -> None:
    backend = _Threads()
    articles = [Article(id=f"a{n}", text=f"text {n}", published=date(2024, 1, 1)) for n in range(40)]
    window = 2
    results = run_batches(backend, articles, batch_size=1, window=window)
    releaser = threading.Timer(0.5, backend.release.set)
    releaser.start()
    ordered = [item.id for item, _ in results]  # type: ignore[union-attr]
    releaser.join()
    assert ordered == [a.id for a in articles]  # input order, whatever finished first
    # While "a0" ran, the other thread went on with later batches (beyond one window), up to
    # the buffer's bound, instead of waiting idle behind it.
    assert backend.finished_while_head_ran >= window
    assert backend.finished_while_head_ran <= window * BUFFERED_WINDOWS
    backend.pool.shutdown()
