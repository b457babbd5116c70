"""`--engine`, `--workers`, `--scheduler` on the batch commands, run as a user runs them."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sanctionwatch.service.samples import sample_paths

psutil = pytest.importorskip("psutil")


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sanctionwatch", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def _batch(directory: Path, copies: int) -> Path:
    seed = json.loads(Path(sample_paths()[0]).read_text(encoding="utf-8"))
    path = directory / "batch.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for n in range(copies):
            handle.write(json.dumps({**seed, "id": f"copy-{n}", "text": seed["text"] + f"\n\nCopy {n}."}) + "\n")
    return path


def test_extract_survives_a_killed_worker_and_writes_every_line(tmp_path):
    """Issue 10, item 7: once a BrokenProcessPool traceback and 0 lines written."""
    batch = _batch(tmp_path, 8)
    expected = _cli("extract", str(batch), cwd=tmp_path)
    assert expected.returncode == 0, expected.stderr
    command = [sys.executable, "-m", "sanctionwatch", "extract", "--workers", "2", str(batch)]
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    parent = psutil.Process(process.pid)
    deadline = time.monotonic() + 120
    workers: list = []
    while time.monotonic() < deadline and not workers:  # the pool's workers: the fork server's children
        time.sleep(0.2)
        workers = [p for child in parent.children() for p in child.children()]
    assert workers, "no worker process appeared"
    time.sleep(1.0)  # let them start on their batches
    workers[0].send_signal(signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr and "sent again: its worker died" in stderr
    assert sorted(stdout.splitlines()) == sorted(expected.stdout.splitlines())  # every incident, once


def test_extract_reports_a_refused_record_and_goes_on(tmp_path):
    # Refused on input now (an implausible date); tests/engines covers a stage that rejects.
    batch = tmp_path / "mixed.jsonl"
    records = [
        {"id": "good", "text": "North Korea sent 300 workers to a factory in Russia in May 2024.", "published": "2024-06-01"},
        {"id": "far-future", "text": "North Korea sent 300 workers to Russia next year.", "published": "9999-12-31"},
        {"id": "also-good", "text": "North Korean hackers stole $100 million in cryptocurrency from a Japanese exchange in 2023.", "published": "2024-01-10"},
    ]
    batch.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    for workers in ("1", "2"):
        result = _cli("extract", "--workers", workers, str(batch), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert {json.loads(line)["article_id"] for line in result.stdout.splitlines()} == {"good", "also-good"}
        assert "warning: skipped" in result.stderr and "mixed.jsonl:2" in result.stderr and "Traceback" not in result.stderr


def test_ingest_and_reextract_store_the_same_on_every_engine(tmp_path):
    batch = _batch(tmp_path, 2)
    exports = {}
    for options in ([], ["--engine", "process", "--workers", "2"], ["--engine", "dask", "--workers", "2"]):
        db = str(tmp_path / f"store-{len(exports)}.db")
        ingested = _cli("--db", db, "ingest", *options, str(batch), cwd=tmp_path)
        assert ingested.returncode == 0 and "2 new" in ingested.stdout, ingested.stderr
        again = _cli("--db", db, "reextract", *options, cwd=tmp_path)
        assert again.returncode == 0 and "2 articles re-extracted" in again.stdout, again.stderr
        exports[tuple(options)] = sorted(_cli("--db", db, "export", cwd=tmp_path).stdout.splitlines())
    first, *others = exports.values()
    assert first and all(other == first for other in others)


def test_an_unreachable_scheduler_is_one_line(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = _cli("extract", "--scheduler", f"tcp://127.0.0.1:{port}", sample_paths()[0], cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port}"), lines


def test_dask_without_its_extra_is_one_line(tmp_path):
    code = (
        "import sys; sys.modules['distributed'] = None; "
        f"sys.argv = ['sanctionwatch', 'extract', '--engine', 'dask', {sample_paths()[0]!r}]; "
        "from sanctionwatch.cli.main import main; main()"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: --engine dask needs dask and distributed, which are not installed: pip install 'sanctionwatch[dask]'"
    ]


def test_scheduler_without_dask_engine_is_a_usage_error(tmp_path):
    result = _cli("extract", "--engine", "process", "--scheduler", "tcp://127.0.0.1:1", sample_paths()[0], cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.strip() == "error: --scheduler is for --engine dask"
