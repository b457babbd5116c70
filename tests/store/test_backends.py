"""`--db` selects the backend: SQLite files and PostgreSQL URLs give the same stored results."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

from sanctionwatch.service.samples import sample_paths
from sanctionwatch.store import database_url


def _cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "sanctionwatch", *args], capture_output=True, text=True, timeout=300)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def _sample_batch(directory: Path) -> Path:
    seed = json.loads(Path(sample_paths()[0]).read_text(encoding="utf-8"))
    batch = directory / "batch.jsonl"
    records = [
        seed,
        {**seed, "id": "edited", "text": "Updated: " + seed["text"]},
        {"id": "short", "text": "North Korea sent 300 workers to a sawmill in Russia in May 2024.", "published": "2024-06-01"},
        {"id": "unicode", "text": "朝鲜 North Korea’s tanker — “Chon Ma San” — took 1,000 tonnes of oil in 2019.", "published": "2019-03-01"},
    ]
    batch.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return batch


def _stored(db: str) -> list[dict[str, object]]:
    lines = _cli("--db", db, "export", "--format", "jsonl").stdout.splitlines()
    return sorted((json.loads(line) for line in lines), key=lambda record: str(record["id"]))


def test_postgresql_and_sqlite_store_the_same_incidents(tmp_path, postgres_url):
    batch = _sample_batch(tmp_path)
    sqlite_db = str(tmp_path / "same.db")
    for db in (sqlite_db, postgres_url):
        first = _cli("--db", db, "ingest", str(batch))
        assert "4 new" in first.stdout, first.stdout
        again = _cli("--db", db, "ingest", str(batch))
        assert "4 unchanged" in again.stdout, again.stdout
    on_sqlite, on_postgres = _stored(sqlite_db), _stored(postgres_url)
    assert on_sqlite, "the sample yields incidents"
    assert on_postgres == on_sqlite


def test_plain_postgresql_url_means_psycopg_3():
    assert database_url("postgresql://u@127.0.0.1:5432/db") == "postgresql+psycopg://u@127.0.0.1:5432/db"
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_missing_driver_is_one_clear_line(tmp_path):
    # A real run of the CLI in which ``import psycopg`` fails, as on an install without the extra.
    code = (
        "import sys; sys.modules['psycopg'] = None; sys.argv = ['sanctionwatch', '--db', "
        "'postgresql://user@127.0.0.1:9/db', 'export']; from sanctionwatch.cli.main import main; main()"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: cannot open postgresql database: PostgreSQL needs its driver psycopg, which is not installed: pip install 'sanctionwatch[postgres]'"
    ]


def test_unreachable_server_is_an_error_not_a_traceback():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = _cli("--db", f"postgresql://sanctionwatch@127.0.0.1:{port}/none", "export", check=False)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    assert "refused the connection" in lines[0] and f"127.0.0.1:{port}" in lines[0]
