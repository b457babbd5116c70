"""The migrations on a real PostgreSQL server: new, a 0.1.0 database upgraded in place, concurrent.

``test_migrations.py`` holds the same checks on SQLite files, and the ones only SQLite has
(foreign and non-SQLite files). The 0.1.0 database here is built as 0.1.0 built one: its schema
(step 1, frozen) and the rows of the release's dump.
"""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from pathlib import Path

from sqlalchemy import JSON, Boolean, MetaData, create_engine, inspect, text

from sanctionwatch.store import create_database_engine, database_url
from sanctionwatch.store.incidents import get_incident
from sanctionwatch.store.migrations import STEPS, applied_steps
from sanctionwatch.store.schema import metadata

RELEASE_0_1_0 = Path(__file__).parent / "data" / "release-0.1.0.sql"
TABLES_IN_ORDER = ("articles", "runs", "incidents", "reviews", "feeds", "feed_entries")


def _release_database(url: str) -> None:
    """0.1.0's database on PostgreSQL: tables, meta.schema_version = 1, the dump's rows."""
    dump = sqlite3.connect(":memory:")
    dump.executescript(RELEASE_0_1_0.read_text(encoding="utf-8"))
    engine = create_engine(database_url(url))
    with engine.begin() as connection:
        STEPS[0].apply(connection)  # 0.1.0's create_all, frozen in step 1
        tables = MetaData()
        tables.reflect(connection)
        for name in TABLES_IN_ORDER:
            table = tables.tables[name]
            cursor = dump.execute(f"SELECT * FROM {name}")
            columns = [d[0] for d in cursor.description]
            rows = []
            for values in cursor.fetchall():
                row = dict(zip(columns, values, strict=True))
                for column in table.columns:
                    if isinstance(column.type, JSON) and isinstance(row.get(column.name), str):
                        row[column.name] = json.loads(row[column.name])
                    elif isinstance(column.type, Boolean) and row.get(column.name) is not None:
                        row[column.name] = bool(row[column.name])
                rows.append(row)
            if rows:
                connection.execute(table.insert(), rows)
    engine.dispose()


def _shape(connection, table_name):  # type: ignore[no-untyped-def]
    inspector = inspect(connection)
    columns = {c["name"]: (bool(c["nullable"]), str(c["type"])) for c in inspector.get_columns(table_name)}
    primary = tuple(inspector.get_pk_constraint(table_name)["constrained_columns"])
    indexes = {(tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(table_name)}
    uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints(table_name)}
    return columns, primary, indexes, uniques


def test_a_new_database_records_every_step(postgres_url):
    engine = create_database_engine(postgres_url)
    assert [(number, name) for number, name, _ in applied_steps(engine)] == [(s.number, s.name) for s in STEPS]
    assert applied_steps(create_database_engine(postgres_url)) == applied_steps(engine)  # opening again: no change


def test_migrated_schemas_match_the_declared_schema(new_postgres_database):
    new_url, old_url, declared_url = new_postgres_database(), new_postgres_database(), new_postgres_database()
    _release_database(old_url)
    declared = create_engine(database_url(declared_url))
    metadata.create_all(declared)
    for url in (new_url, old_url):
        migrated = create_database_engine(url)
        with migrated.connect() as left, declared.connect() as right:
            assert set(inspect(left).get_table_names()) - {"migrations"} == set(inspect(right).get_table_names())
            for table_name in metadata.tables:
                assert _shape(left, table_name) == _shape(right, table_name), (url, table_name)
        migrated.dispose()
    declared.dispose()


def test_a_release_0_1_0_database_upgrades_in_place_with_its_reviews(postgres_url):
    _release_database(postgres_url)
    raw = create_engine(database_url(postgres_url))
    with raw.connect() as connection:
        before = [tuple(r) for r in connection.execute(text("SELECT incident_id, status, note FROM reviews ORDER BY 1"))]
    raw.dispose()
    assert len(before) == 3
    engine = create_database_engine(postgres_url)
    assert [number for number, _, _ in applied_steps(engine)] == [s.number for s in STEPS]
    with engine.connect() as connection:
        after = [tuple(r) for r in connection.execute(text("SELECT incident_id, status, note FROM reviews ORDER BY 1"))]
        version = connection.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar()
    assert after == before and version == str(len(STEPS))
    statuses = {get_incident(engine, incident_id)["review_status"] for incident_id, _, _ in before}
    assert statuses == {"confirmed", "rejected", "edited"}


def _open_at_once(url: str, barrier, results) -> None:  # type: ignore[no-untyped-def]
    barrier.wait()
    try:
        create_database_engine(url).dispose()
        results.put("ok")
    except Exception as exc:  # reported to the test, which asserts on it
        results.put(f"{exc.__class__.__name__}: {exc}")


def test_processes_creating_one_new_database_at_once_all_succeed(postgres_url):
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(4), context.Queue()
    processes = [context.Process(target=_open_at_once, args=(postgres_url, barrier, results)) for _ in range(4)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert outcomes == ["ok"] * 4
    assert [n for n, _, _ in applied_steps(create_database_engine(postgres_url))] == [s.number for s in STEPS]
