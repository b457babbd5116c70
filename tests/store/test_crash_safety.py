"""kill -9 in the middle of an ingest: nothing half-written, nothing lost, the rerun completes.

Run on both backends (``database_url``): SQLite's WAL and PostgreSQL's transactions each must
leave whole articles only.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from sanctionwatch.service.samples import sample_paths
from sanctionwatch.store import database_url as to_url

COPIES = 40


def _scalar(url: str, sql: str) -> Any:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar_one()
    finally:
        engine.dispose()


def test_kill_during_ingest_leaves_whole_articles(tmp_path, database_url):
    seed = json.loads(Path(sample_paths()[0]).read_text(encoding="utf-8"))
    batch = tmp_path / "batch.jsonl"
    with batch.open("w", encoding="utf-8") as handle:
        for number in range(COPIES):
            handle.write(json.dumps({**seed, "id": f"copy-{number}", "text": seed["text"] + f"\n\nCopy {number}."}) + "\n")
    url = to_url(database_url)
    command = [sys.executable, "-m", "sanctionwatch", "--db", database_url, "ingest", str(batch)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until some, not all, articles are in
        time.sleep(0.2)
        try:
            if _scalar(url, "SELECT count(*) FROM articles") >= 3:
                break
        except SQLAlchemyError:  # not created yet
            continue
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    if url.startswith("sqlite"):
        assert _scalar(url, "PRAGMA integrity_check") == "ok"
    stored = _scalar(url, "SELECT count(*) FROM articles")
    orphans = _scalar(
        url, "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM incidents i WHERE i.article_id = a.id)"
    )
    assert 0 < stored <= COPIES and orphans == 0  # every stored article came with its incidents

    runs = subprocess.run(
        [sys.executable, "-m", "sanctionwatch", "--db", database_url, "runs"], capture_output=True, text=True, timeout=120
    )
    assert runs.returncode == 0 and "interrupted" in runs.stdout.splitlines()[0]  # the killed run is reported
    assert "did not finish" in runs.stderr

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{stored} unchanged" in rerun.stdout
    assert "never finished: its process was killed" in rerun.stderr
    assert _scalar(url, "SELECT count(*) FROM articles") == COPIES
    assert _scalar(url, "SELECT count(DISTINCT article_id) FROM incidents") == COPIES

