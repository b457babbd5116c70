"""`sanctionwatch serve` as a user runs it, on 127.0.0.1: DNS rebinding, a damaged file, a full
disk (issue 10, items 5 and 8). Real subprocesses, real SQLite files, real HTTP."""

from __future__ import annotations

import http.client
import json
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# Every file the command writes may grow to 64 KiB at most: the WAL fills after a few writes, as
# a full disk would. SIGXFSZ is ignored, so the write fails instead of killing the process.
SMALL_DISK = (
    "import os, resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
    "resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536)); "
    "os.execv(sys.executable, [sys.executable, '-m', 'sanctionwatch', *sys.argv[1:]])"
)


def command(*args: str, small_disk: bool = False) -> list[str]:
    launcher = ["-c", SMALL_DISK] if small_disk else ["-m", "sanctionwatch"]
    return [sys.executable, *launcher, *args]


def cli(*args: str, cwd: Path, small_disk: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(*args, small_disk=small_disk), cwd=cwd, capture_output=True, text=True, timeout=300)


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("warning:")]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(database: Path, *, small_disk: bool = False) -> Iterator[int]:
    port = free_port()
    process = subprocess.Popen(
        command("--db", str(database), "serve", "--port", str(port), small_disk=small_disk),
        cwd=database.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert "dashboard on" in banner, process.stderr.read() if process.stderr else ""
        yield port
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            assert "Traceback" not in process.stderr.read()


def request(
    port: int, method: str, path: str, *, body: object = None, headers: dict[str, str] | None = None
) -> tuple[int, dict]:  # type: ignore[type-arg]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    payload = json.dumps(body).encode() if body is not None else None
    sent = {"Host": f"127.0.0.1:{port}", **({"Content-Type": "application/json"} if payload else {}), **(headers or {})}
    connection.request(method, path, body=payload, headers=sent)
    response = connection.getresponse()
    raw = response.read()
    connection.close()
    try:
        return response.status, json.loads(raw) if raw else {}
    except ValueError:
        return response.status, {"text": raw.decode("utf-8", "replace")}


@pytest.fixture
def store(tmp_path: Path) -> Path:
    database = tmp_path / "store.db"
    assert cli("--db", str(database), "demo", "--no-serve", cwd=tmp_path).returncode == 0
    return database


def first_incident(port: int) -> str:
    status, body = request(port, "GET", "/api/v1/incidents")
    assert status == 200
    return str(body["items"][0]["id"])


def test_a_rebinding_page_can_neither_read_nor_write(store: Path) -> None:
    with serving(store) as port:
        incident = first_incident(port)
        for method, path in (("GET", "/api/v1/incidents"), ("GET", "/"), ("POST", f"/api/v1/incidents/{incident}/review")):
            status, _ = request(
                port, method, path, body={"decision": "rejected"} if method == "POST" else None,
                headers={"Host": "evil.example", "Origin": "http://evil.example"},
            )  # fmt: skip
            assert status == 421, (method, path)
        cross_site = {"Origin": "http://evil.example"}
        status, _ = request(port, "POST", f"/api/v1/incidents/{incident}/review", body={"decision": "rejected"}, headers=cross_site)
        assert status == 403
        status, _ = request(
            port, "POST", f"/api/v1/incidents/{incident}/review", body={"decision": "rejected"},
            headers={"Origin": "null", "Sec-Fetch-Site": "cross-site"},
        )  # fmt: skip
        assert status == 403
        assert request(port, "GET", f"/api/v1/incidents/{incident}")[1]["review_status"] == "unreviewed"
        own = {"Origin": f"http://127.0.0.1:{port}"}
        status, body = request(port, "POST", f"/api/v1/incidents/{incident}/review", body={"decision": "confirmed"}, headers=own)
        assert (status, body["review_status"]) == (200, "confirmed")
        status, body = request(port, "POST", f"/api/v1/incidents/{incident}/review", body={"decision": "rejected"}, headers={"Host": f"localhost:{port}"})
        assert status == 200  # a script without Origin (curl) on a loopback name


def _damage_incidents_table(database: Path) -> None:
    connection = sqlite3.connect(database)
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'incidents'").fetchone()[0]
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    with database.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\x55" * page_size)


def test_a_damaged_file_is_one_error_line_everywhere_and_health_says_so(store: Path, tmp_path: Path) -> None:
    _damage_incidents_table(store)
    for command in (["export"], ["reextract"]):
        assert "damaged" in one_error_line(cli("--db", str(store), *command, cwd=tmp_path))
    with serving(store) as port:
        deadline = time.monotonic() + 30
        status, body = request(port, "GET", "/api/v1/health")
        while status == 200 and time.monotonic() < deadline:  # the background check needs a moment
            time.sleep(0.2)
            status, body = request(port, "GET", "/api/v1/health")
        assert status == 503 and "damaged" in body["error"]
        status, body = request(port, "GET", "/api/v1/incidents")
        assert status == 503 and "damaged" in body["error"] and "\n" not in body["error"]
        assert "sqlalche.me" not in body["error"]


def test_a_full_disk_is_a_503_in_one_line_and_reads_go_on(store: Path) -> None:
    with serving(store, small_disk=True) as port:
        _, body = request(port, "GET", "/api/v1/incidents?status=any&limit=500")
        statuses = []
        for attempt in range(40):
            incident = body["items"][attempt % len(body["items"])]["id"]
            status, answer = request(
                port, "POST", f"/api/v1/incidents/{incident}/review", body={"decision": "edited", "note": "x" * 4000 + str(attempt)}
            )
            statuses.append(status)
            if status != 200:
                break
        assert statuses[-1] == 503, statuses
        assert "\n" not in answer["error"] and ("disk" in answer["error"]) and "sqlalche.me" not in answer["error"]
        assert request(port, "GET", "/api/v1/health")[0] == 503  # health reports the fault
        assert request(port, "GET", f"/api/v1/incidents/{incident}")[0] == 200  # reading goes on


def test_ingest_on_a_full_disk_is_one_error_line(store: Path, tmp_path: Path) -> None:
    articles = tmp_path / "many.jsonl"
    with articles.open("w", encoding="utf-8") as handle:
        for number in range(60):
            text = f"Report {number}: North Korea shipped coal to China via Nampo in May 2024, a source said. " * 20
            handle.write(json.dumps({"id": f"r{number}", "text": text, "published": "2024-06-01"}) + "\n")
    line = one_error_line(cli("--db", str(store), "ingest", str(articles), cwd=tmp_path, small_disk=True))
    assert "disk" in line
    assert sqlite3.connect(store).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
