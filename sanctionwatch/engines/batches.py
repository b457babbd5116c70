"""Batches in flight on workers, results in input order, batches retried when a worker dies.

Shared by the process pool and Dask. The window holds at most ``window`` batches, so a large
input streams through in bounded memory. When a batch's worker dies (``Backend.lost_worker``),
the batch is submitted again; after ``MAX_ATTEMPTS`` tries it is split into single items, and a
single item that still takes its worker down is reported as a failed item, so one poisonous
article can neither stop the run nor loop forever. A batch whose task raised some other error
is split the same way, to find which item it was. Every item is yielded exactly once.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from itertools import islice
from typing import Any, Protocol

from sanctionwatch.engines.work import Outcome, WorkItem, item_key

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # per batch before it is split; a single item gets as many
# Batches finished while the oldest is still running wait for it (outcomes come in input
# order); up to this many windows' worth may wait, so that a slow batch (a worker loading the
# parser, a long article) does not leave the other workers idle. Bounds the memory held.
BUFFERED_WINDOWS = 4
POLL_SECONDS = 0.01  # how often the oldest batch is looked at while others finish


class Backend(Protocol):
    def submit(self, batch: Sequence[WorkItem]) -> Any: ...

    def lost_worker(self, error: BaseException) -> bool:
        """True when ``error`` means the worker process died (not that the task raised)."""
        ...

    def recover(self) -> bool:
        """Make the backend usable again after a lost worker; True when every batch in flight
        was lost with it (a process pool breaks whole), False when only the failed one was."""
        ...


@dataclass(slots=True)
class _InFlight:
    batch: list[WorkItem]
    future: Any  # a backend's future, or _Ready
    attempt: int
    generation: int  # which incarnation of the backend it was submitted to


@dataclass(frozen=True, slots=True)
class _Ready:
    """A finished stand-in future: the outcome of an item given up."""

    outcomes: list[Outcome]

    def result(self) -> list[Outcome]:
        return self.outcomes

    def done(self) -> bool:
        return True


def _finished_well(future: Any) -> bool:
    """A concurrent.futures future that completed with a result (not an error) already."""
    if not isinstance(future, Future) or not future.done() or future.cancelled():
        return False
    return future.exception() is None


def batches(items: Iterable[WorkItem], size: int) -> Iterator[list[WorkItem]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class _Window:
    def __init__(self, backend: Backend, on_retry: Callable[[str], object] | None) -> None:
        self.backend = backend
        self.on_retry = on_retry
        self.entries: deque[_InFlight] = deque()
        self.generation = 0

    def push(self, batch: list[WorkItem], attempt: int, *, front: bool = False, ready: list[Outcome] | None = None) -> None:
        future = _Ready(ready) if ready is not None else self.backend.submit(batch)
        entry = _InFlight(batch, future, attempt, self.generation)
        if front:
            self.entries.appendleft(entry)
        else:
            self.entries.append(entry)

    def fail(self, head: _InFlight, error: Exception) -> None:
        """``head`` (already taken off the window) failed with ``error``: retry, split or give up."""
        lost = self.backend.lost_worker(error)
        if lost and head.generation == self.generation and self.backend.recover():
            self.generation += 1
            # Every batch in flight died with the pool: submit them all again, in order.
            dead = [head, *self.entries]
            self.entries.clear()
            for entry in dead:
                if entry is not head and _finished_well(entry.future):
                    self.entries.append(entry)  # done before the pool broke: keep its result
                    continue
                for batch, attempt, ready in self._next_tries(entry, lost=True, error=error):
                    self.push(batch, attempt, ready=ready)
            return
        for batch, attempt, ready in reversed(self._next_tries(head, lost=lost, error=error)):
            self.push(batch, attempt, front=True, ready=ready)

    def _next_tries(
        self, entry: _InFlight, *, lost: bool, error: Exception
    ) -> list[tuple[list[WorkItem], int, list[Outcome] | None]]:
        keys = ", ".join(item_key(item) for item in entry.batch[:3]) + (", …" if len(entry.batch) > 3 else "")
        why = "its worker died" if lost else f"{error.__class__.__name__}: {error}"
        tries: list[tuple[list[WorkItem], int, list[Outcome] | None]]
        if lost and entry.attempt < MAX_ATTEMPTS:
            tries = [(entry.batch, entry.attempt + 1, None)]
            message = f"batch of {len(entry.batch)} ({keys}) sent again: {why}"
        elif len(entry.batch) > 1:
            tries = [([item], 1, None) for item in entry.batch]
            message = f"batch of {len(entry.batch)} ({keys}) split into single articles: {why}"
        else:
            reason = f"not extracted: its worker died {entry.attempt} times on it" if lost else f"not extracted: {why}"
            tries = [(entry.batch, entry.attempt, [Outcome(None, error=reason)])]
            message = f"{keys}: {reason}"
        log.warning(message)
        if self.on_retry:
            self.on_retry(message)
        return tries


def run_batches(
    backend: Backend,
    items: Iterable[WorkItem],
    *,
    batch_size: int,
    window: int,
    on_retry: Callable[[str], object] | None = None,
) -> Iterator[tuple[WorkItem, Outcome]]:
    """Each item with its outcome, in input order; ``on_retry`` hears of every retry."""
    for group in run_batch_groups(backend, items, batch_size=batch_size, window=window, on_retry=on_retry):
        yield from group


def run_batch_groups(
    backend: Backend,
    items: Iterable[WorkItem],
    *,
    batch_size: int,
    window: int,
    on_retry: Callable[[str], object] | None = None,
) -> Iterator[list[tuple[WorkItem, Outcome]]]:
    """``run_batches``, a finished batch at a time: its items with their outcomes, in order."""
    source = batches(items, batch_size)
    flight = _Window(backend, on_retry)
    exhausted = False

    def refill() -> None:
        # ``window`` batches running at once; finished ones waiting for an older one do not count.
        nonlocal exhausted
        while not exhausted and len(flight.entries) < window * BUFFERED_WINDOWS:
            if sum(1 for entry in flight.entries if not entry.future.done()) >= window:
                return
            batch = next(source, None)
            if batch is None:
                exhausted = True
                return
            flight.push(batch, 1)

    refill()
    while flight.entries:
        while not flight.entries[0].future.done():
            refill()
            time.sleep(POLL_SECONDS)
        head = flight.entries.popleft()
        try:
            outcomes = head.future.result()
        except Exception as error:  # the engines' fault policy: a failed batch never ends the run
            flight.fail(head, error)
            continue
        yield list(zip(head.batch, outcomes, strict=True))
        refill()
