"""kill -9 in the middle of an ingest: nothing half-written, nothing lost, the rerun completes."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sanctionwatch.service.samples import sample_paths

COPIES = 40


def test_kill_during_ingest_leaves_whole_articles(tmp_path):
    seed = json.loads(Path(sample_paths()[0]).read_text(encoding="utf-8"))
    batch = tmp_path / "batch.jsonl"
    with batch.open("w", encoding="utf-8") as handle:
        for number in range(COPIES):
            handle.write(json.dumps({**seed, "id": f"copy-{number}", "text": seed["text"] + f"\n\nCopy {number}."}) + "\n")
    database = tmp_path / "crash.db"
    command = [sys.executable, "-m", "sanctionwatch", "--db", str(database), "ingest", str(batch)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until some, not all, articles are in
        time.sleep(0.2)
        if database.exists():
            try:
                stored = sqlite3.connect(database).execute("SELECT count(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if stored >= 3:
                break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    connection = sqlite3.connect(database)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    orphans = connection.execute(
        "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM incidents i WHERE i.article_id = a.id)"
    ).fetchone()[0]
    assert 0 < stored <= COPIES and orphans == 0  # every stored article came with its incidents
    connection.close()

    runs = subprocess.run(
        [sys.executable, "-m", "sanctionwatch", "--db", str(database), "runs"], capture_output=True, text=True, timeout=120
    )
    assert runs.returncode == 0 and "interrupted" in runs.stdout.splitlines()[0]  # the killed run is reported
    assert "did not finish" in runs.stderr

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{stored} unchanged" in rerun.stdout
    assert "never finished: its process was killed" in rerun.stderr
    connection = sqlite3.connect(database)
    assert connection.execute("SELECT count(*) FROM articles").fetchone()[0] == COPIES
    per_article = connection.execute("SELECT count(DISTINCT article_id) FROM incidents").fetchone()[0]
    assert per_article == COPIES
