"""Fixtures for every test folder: the databases a store test runs against.

``database_url`` is parametrised over both backends: a test that takes it runs once on a new
SQLite file and once on a new, empty PostgreSQL database. The PostgreSQL server is
``SANCTIONWATCH_TEST_POSTGRES_URL`` when set (any database on it; each test gets its own), or
else a throwaway cluster this session starts with Debian's initdb and pg_ctl
(``scripts/postgres_cluster.py``) and stops at the end. Where neither is possible the
PostgreSQL cases skip with the reason, except when ``SANCTIONWATCH_REQUIRE_POSTGRES`` is set
(CI sets it), where they fail: CI must never pass by skipping a backend.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy.engine import make_url

# The suite's own disk cache of built indexes (sanctionwatch.cache), shared by the CLI processes
# the tests start and removed at the end: tests never write into the user's ~/.cache.
TEST_CACHE_DIRECTORY = tempfile.mkdtemp(prefix="sanctionwatch-test-cache-")
os.environ["SANCTIONWATCH_CACHE_DIR"] = TEST_CACHE_DIRECTORY


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(TEST_CACHE_DIRECTORY, ignore_errors=True)


CLUSTER_SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "postgres_cluster.py"
BACKENDS = ("sqlite", "postgresql")


def load_cluster_module() -> ModuleType:
    name = "sanctionwatch_test_postgres_cluster"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, CLUSTER_SCRIPT)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def _unavailable(reason: str) -> None:
    if os.environ.get("SANCTIONWATCH_REQUIRE_POSTGRES"):
        pytest.fail(f"PostgreSQL is required here (SANCTIONWATCH_REQUIRE_POSTGRES) but {reason}")
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """The URL of a PostgreSQL server this session may create databases on."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (pip install -e '.[postgres]')")
    configured = os.environ.get("SANCTIONWATCH_TEST_POSTGRES_URL")
    if configured:
        yield configured
        return
    cluster_module = load_cluster_module()
    # Under /tmp, not pytest's 0700 tmp tree: as root the server runs as another user.
    directory = Path(tempfile.mkdtemp(prefix="sanctionwatch-pg-"))
    try:
        cluster = cluster_module.start(directory)
    except cluster_module.ClusterUnavailable as exc:
        shutil.rmtree(directory, ignore_errors=True)
        _unavailable(str(exc))
    try:
        yield cluster.url
    finally:
        cluster_module.stop(directory)
        shutil.rmtree(directory, ignore_errors=True)


def _admin_execute(server_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(make_url(server_url).set(drivername="postgresql").render_as_string(False), autocommit=True) as connection:
        connection.execute(statement.encode())


@pytest.fixture()
def new_postgres_database(postgres_server_url: str) -> Iterator[Callable[[], str]]:
    """A factory of new, empty PostgreSQL databases (URLs), all dropped after the test."""
    created: list[str] = []

    def create() -> str:
        name = f"sanctionwatch_test_{uuid.uuid4().hex[:16]}"
        _admin_execute(postgres_server_url, f'CREATE DATABASE "{name}"')
        created.append(name)
        return make_url(postgres_server_url).set(database=name).render_as_string(hide_password=False)

    try:
        yield create
    finally:
        for name in created:
            _admin_execute(postgres_server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture()
def postgres_url(new_postgres_database: Callable[[], str]) -> str:
    """A new, empty PostgreSQL database for one test (dropped after it, connections and all)."""
    return new_postgres_database()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database: an SQLite file, then a PostgreSQL database (the test runs twice)."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return str(request.getfixturevalue("postgres_url"))
