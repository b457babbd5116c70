"""Numbered, recorded migrations on real SQLite files: new, legacy, foreign, newer, concurrent."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, inspect, text

from sanctionwatch.errors import StoreError
from sanctionwatch.store import create_database_engine
from sanctionwatch.store import migrations as migrations_module
from sanctionwatch.store.migrations import STEPS, Step, applied_steps
from sanctionwatch.store.schema import metadata

RELEASE_0_1_0 = Path(__file__).parent / "data" / "release-0.1.0.sql"


def _release_database(path: Path) -> Path:
    """A database exactly as sanctionwatch 0.1.0 left it (schema and rows from its dump)."""
    connection = sqlite3.connect(path)
    connection.executescript(RELEASE_0_1_0.read_text(encoding="utf-8"))
    connection.close()
    return path


def test_a_new_database_records_every_step(tmp_path):
    engine = create_database_engine(tmp_path / "new.db")
    assert [(number, name) for number, name, _ in applied_steps(engine)] == [(s.number, s.name) for s in STEPS]


def test_step_numbers_follow_each_other():
    assert [s.number for s in STEPS] == list(range(1, len(STEPS) + 1))
    assert len({s.name for s in STEPS}) == len(STEPS)


def _shape(connection, table_name, *, with_types: bool = False):  # type: ignore[no-untyped-def]
    """A table as the database has it; column types only where the backend keeps them (not SQLite)."""
    inspector = inspect(connection)
    columns = {
        c["name"]: (bool(c["nullable"]), str(c["type"])) if with_types else bool(c["nullable"])
        for c in inspector.get_columns(table_name)
    }
    primary = tuple(inspector.get_pk_constraint(table_name)["constrained_columns"])
    indexes = {(tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(table_name)}
    uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints(table_name)}
    return columns, primary, indexes, uniques


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.parametrize("origin", ["new", "release-0.1.0"])
def test_migrated_schema_matches_declared_schema(tmp_path, origin):
    path = tmp_path / "db.sqlite"
    if origin != "new":
        _release_database(path)
    migrated = create_database_engine(path)
    declared = create_database_engine_from_metadata(tmp_path / "declared.sqlite")
    with migrated.connect() as left, declared.connect() as right:
        assert set(inspect(left).get_table_names()) - {"migrations"} == set(inspect(right).get_table_names())
        for table_name in metadata.tables:
            assert _shape(left, table_name) == _shape(right, table_name), table_name
        # Expression indexes are not reflected: compare their names and SQL as SQLite keeps them.
        index_sql = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
        assert left.exec_driver_sql(index_sql).all() == right.exec_driver_sql(index_sql).all()


def create_database_engine_from_metadata(path: Path):  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    return engine


def test_a_release_0_1_0_database_upgrades_in_place_with_its_reviews(tmp_path):
    path = _release_database(tmp_path / "old.db")
    before = sqlite3.connect(path).execute("SELECT incident_id, status, note FROM reviews ORDER BY 1").fetchall()
    assert len(before) == 3
    engine = create_database_engine(path)
    numbers = [number for number, _, _ in applied_steps(engine)]
    assert numbers == [s.number for s in STEPS]  # step 1 adopted, the rest applied
    with engine.connect() as connection:
        after = connection.execute(text("SELECT incident_id, status, note FROM reviews ORDER BY 1")).all()
        version = connection.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar()
    assert [tuple(row) for row in after] == before
    assert version == str(len(STEPS))  # what 0.1.0 reads to refuse a newer database
    from sanctionwatch.store.incidents import get_incident

    assert {get_incident(engine, incident_id)["review_status"] for incident_id, _, _ in before} == {
        "confirmed",
        "rejected",
        "edited",
    }


def test_opening_again_changes_nothing(tmp_path):
    path = tmp_path / "db.sqlite"
    first = applied_steps(create_database_engine(path))
    assert applied_steps(create_database_engine(path)) == first


def test_a_foreign_sqlite_file_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    connection.execute("INSERT INTO customers VALUES (1, 'Ada')")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a sanctionwatch database"):
        create_database_engine(path)
    assert path.read_bytes() == before
    assert not Path(str(path) + "-wal").exists()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("my notes, not a database\n" * 100, encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not an SQLite database"):
        create_database_engine(path)
    assert path.read_bytes() == before


def test_a_database_from_a_newer_release_is_refused(tmp_path):
    path = tmp_path / "db.sqlite"
    create_database_engine(path).dispose()
    connection = sqlite3.connect(path)
    connection.execute("INSERT INTO migrations VALUES (?, 'from the future', '2099-01-01T00:00:00+00:00')", (len(STEPS) + 1,))
    connection.commit()
    connection.close()
    with pytest.raises(StoreError, match="newer sanctionwatch"):
        create_database_engine(path)


def test_a_missing_file_is_not_created_when_create_is_false(tmp_path):
    path = tmp_path / "typo.db"
    with pytest.raises(StoreError, match="no database at"):
        create_database_engine(path, create=False)
    assert not path.exists()


def test_a_failing_step_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "db.sqlite"
    create_database_engine(path).dispose()

    def half_done(connection):  # type: ignore[no-untyped-def]
        Table("half_done", MetaData(), Column("id", Integer, primary_key=True)).create(connection)
        raise RuntimeError("the step broke after creating a table")

    monkeypatch.setattr(migrations_module, "STEPS", [*STEPS, Step(len(STEPS) + 1, "broken step", half_done)])
    with pytest.raises(RuntimeError):
        create_database_engine(path)
    tables = {row[0] for row in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "half_done" not in tables
    monkeypatch.setattr(migrations_module, "STEPS", STEPS)
    assert len(applied_steps(create_database_engine(path))) == len(STEPS)


def _open_at_once(path: str, barrier, results) -> None:  # type: ignore[no-untyped-def]
    barrier.wait()
    try:
        create_database_engine(path).dispose()
        results.put("ok")
    except Exception as exc:  # reported to the test, which asserts on it
        results.put(f"{exc.__class__.__name__}: {exc}")


def test_processes_creating_one_new_database_at_once_all_succeed(database_url):
    path = database_url  # a new SQLite file, then a new PostgreSQL database
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(4), context.Queue()
    processes = [context.Process(target=_open_at_once, args=(path, barrier, results)) for _ in range(4)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert outcomes == ["ok"] * 4
    assert [n for n, _, _ in applied_steps(create_database_engine(path))] == [s.number for s in STEPS]


def test_a_new_file_another_process_is_writing_still_switches_to_wal(tmp_path):
    # While another connection holds the write lock of a new file in rollback-journal mode,
    # SQLite refuses the switch to WAL at once ("locked", no busy wait: waiting could deadlock);
    # creating the database tries again until the other is done, instead of failing.
    import threading

    from sanctionwatch.store.engine import create_database_engine as create

    path = tmp_path / "new.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    releaser = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    releaser.start()
    try:
        create(path).dispose()
    finally:
        releaser.join()
        holder.close()
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("SELECT count(*) FROM migrations").fetchone()[0] == len(STEPS)
    connection.close()
