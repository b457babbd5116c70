"""Runs: which extractor version processed which batch, how it went, and which never finished.

A run records the process that runs it (pid and host). ``find_interrupted_runs`` marks as
``interrupted`` every run still ``running`` whose process on this host is gone (``kill -9``, a
crash, a power cut), so ``sanctionwatch runs`` and the health endpoint can say so instead of
showing it as running forever. A run on another host cannot be checked and stays ``running``.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Engine, select

from sanctionwatch.errors import StoreError
from sanctionwatch.store.clock import utc_now
from sanctionwatch.store.engine import write_transaction
from sanctionwatch.store.schema import runs

RUN_STATUSES = ("running", "finished", "failed", "interrupted", "unknown")


@dataclass(frozen=True, slots=True)
class RunRecord:
    id: int
    kind: str
    extractor_version: str
    started_at: str
    finished_at: str | None
    articles: int
    incidents: int
    failures: int
    pid: int | None
    host: str | None
    status: str


def _record(row: Any) -> RunRecord:
    return RunRecord(
        id=row.id,
        kind=row.kind,
        extractor_version=row.extractor_version,
        started_at=row.started_at,
        finished_at=row.finished_at,
        articles=row.articles,
        incidents=row.incidents,
        failures=row.failures,
        pid=row.pid,
        host=row.host,
        status=row.status,
    )


def start_run(engine: Engine, *, kind: str, extractor_version: str) -> int:
    with write_transaction(engine) as connection:
        result = connection.execute(
            runs.insert().values(
                kind=kind,
                extractor_version=extractor_version,
                started_at=utc_now(),
                pid=os.getpid(),
                host=socket.gethostname(),
                status="running",
                articles=0,
                incidents=0,
                failures=0,
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])


def finish_run(engine: Engine, run_id: int, *, articles: int, incidents: int, failures: int, status: str = "finished") -> None:
    with write_transaction(engine) as connection:
        connection.execute(
            runs.update()
            .where(runs.c.id == run_id)
            .values(finished_at=utc_now(), articles=articles, incidents=incidents, failures=failures, status=status)
        )


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    return True


def find_interrupted_runs(engine: Engine) -> list[RunRecord]:
    """Runs left ``running`` by a process of this host that no longer exists, now marked
    ``interrupted``; returns every interrupted run (newest first)."""
    host = socket.gethostname()
    with engine.connect() as connection:
        running = connection.execute(select(runs).where(runs.c.status == "running")).all()
    dead = [row.id for row in running if row.host == host and row.pid is not None and not _process_alive(row.pid)]
    unmarked: list[RunRecord] = []
    if dead:
        try:
            with write_transaction(engine) as connection:
                connection.execute(
                    runs.update().where(runs.c.id.in_(dead), runs.c.status == "running").values(status="interrupted")
                )
        except StoreError:  # a read-only store still reports them; the next writer marks them
            unmarked = [replace(_record(row), status="interrupted") for row in running if row.id in dead]
    with engine.connect() as connection:
        rows = connection.execute(select(runs).where(runs.c.status == "interrupted").order_by(runs.c.id.desc())).all()
    return sorted([_record(row) for row in rows] + unmarked, key=lambda run: -run.id)


def list_runs(engine: Engine, *, limit: int = 20) -> list[RunRecord]:
    """The latest runs, newest first (interrupted ones marked first)."""
    find_interrupted_runs(engine)
    with engine.connect() as connection:
        rows = connection.execute(select(runs).order_by(runs.c.id.desc()).limit(limit)).all()
    return [_record(row) for row in rows]
