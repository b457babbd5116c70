"""The migrations on a real PostgreSQL server: a new database, a 0.1.0 database upgraded in place.

``test_migrations.py`` holds the same checks on SQLite files (its concurrency test runs on both
backends), and the ones only SQLite has (foreign and non-SQLite files). The 0.1.0 database here is built as 0.1.0 built one: its schema
(step 1, frozen) and the rows of the release's dump.
"""

from __future__ import annotations

import json
import sqlite3

from sqlalchemy import JSON, Boolean, MetaData, create_engine, inspect, text

from sanctionwatch.store import create_database_engine, database_url
from sanctionwatch.store.incidents import get_incident
from sanctionwatch.store.migrations import STEPS, applied_steps
from sanctionwatch.store.schema import metadata

from .test_migrations import RELEASE_0_1_0, _shape

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
                assert _shape(left, table_name, with_types=True) == _shape(right, table_name, with_types=True), url
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
