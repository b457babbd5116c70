"""Runs: which extractor version processed which batch, and how it went."""

from __future__ import annotations

from sqlalchemy import Engine

from sanctionwatch.store.clock import utc_now
from sanctionwatch.store.schema import runs


def start_run(engine: Engine, *, kind: str, extractor_version: str) -> int:
    with engine.begin() as connection:
        statement = runs.insert().values(kind=kind, extractor_version=extractor_version, started_at=utc_now())
        return int(connection.execute(statement.returning(runs.c.id)).scalar_one())


def finish_run(engine: Engine, run_id: int, *, articles: int, incidents: int, failures: int) -> None:
    with engine.begin() as connection:
        connection.execute(
            runs.update()
            .where(runs.c.id == run_id)
            .values(finished_at=utc_now(), articles=articles, incidents=incidents, failures=failures)
        )
