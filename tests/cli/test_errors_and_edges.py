"""Errors and edges a new user hit (issue 11): one `error:` line and a non-zero exit, never a
traceback or a misleading banner; read commands never conjure an empty database."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctionwatch import __version__
from sanctionwatch.nlp.pipeline import EXTRACTOR_VERSION
from sanctionwatch.service.samples import sample_paths
from sanctionwatch.service.wording import plural

SAMPLE = sample_paths()[0]


def run(*args: str, cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sanctionwatch", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={"PATH": "/usr/bin:/bin", "SANCTIONWATCH_CACHE_DIR": os.environ["SANCTIONWATCH_CACHE_DIR"], "HOME": str(cwd)},
    )


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_version_names_the_package_and_the_extractor_once(tmp_path: Path) -> None:
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0
    (line,) = result.stdout.splitlines()
    assert line.count(__version__) == 1 and f"extractor {EXTRACTOR_VERSION}" in line


@pytest.mark.parametrize("port", ["99999", "0", "-1", "http"])
def test_serve_on_an_impossible_port_is_one_error_line(tmp_path: Path, port: str) -> None:
    run("--db", "t.db", "demo", "--no-serve", cwd=tmp_path)
    line = one_error_line(run("--db", "t.db", "serve", "--port", port, cwd=tmp_path))
    assert "--port" in line


def test_serve_on_a_busy_port_is_one_error_line_and_no_banner(tmp_path: Path) -> None:
    run("--db", "t.db", "demo", "--no-serve", cwd=tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = run("--db", "t.db", "serve", "--port", str(port), cwd=tmp_path)
    assert "already in use" in one_error_line(result)
    assert "dashboard on" not in result.stdout


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    run("--db", "t.db", "demo", "--no-serve", cwd=tmp_path)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sanctionwatch", "--db", "t.db", "serve", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield f"http://127.0.0.1:{port}/", process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_serve_prints_its_url_once_it_answers_and_the_reference_link_works(served) -> None:  # type: ignore[no-untyped-def]
    url, process = served
    assert process.stdout is not None
    banner = process.stdout.readline()  # blocks until the banner: nothing is printed before it listens
    assert banner.startswith(f"sanctionwatch: dashboard on {url}")
    with urllib.request.urlopen(url + "api/v1/health", timeout=10) as response:  # answers at once
        assert json.load(response)["status"] == "ok"
    with urllib.request.urlopen(url + "docs", timeout=10) as response:  # the banner's reference link
        page = response.read().decode("utf-8")
    assert "/api/v1/incidents" in page and "one of: newest" in page


@pytest.mark.parametrize(
    "command",
    [["export"], ["serve"], ["reextract"], ["runs"], ["feeds", "list"], ["searches", "list"], ["clusters", "stats"]],
)
def test_a_read_command_on_a_missing_database_says_so_and_creates_nothing(tmp_path: Path, command: list[str]) -> None:
    line = one_error_line(run("--db", "typo.db", *command, cwd=tmp_path))
    assert "no database at" in line and "typo.db" in line
    assert not (tmp_path / "typo.db").exists()


def test_a_postgresql_url_that_cannot_be_used_is_one_error_line(tmp_path: Path) -> None:
    # No driver installed, or (with one) no server on port 1: one line either way.
    line = one_error_line(run("--db", "postgresql://nobody@127.0.0.1:1/none", "export", cwd=tmp_path))
    assert "postgresql" in line.lower() or "database server" in line


def test_a_file_that_is_not_a_sanctionwatch_database_is_refused_untouched(tmp_path: Path) -> None:
    other = tmp_path / "mail.db"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE messages (id INTEGER PRIMARY KEY, body TEXT)")
    connection.commit()
    connection.close()
    before = other.read_bytes()
    for command in (["ingest", SAMPLE], ["serve"], ["export"]):
        assert "not a sanctionwatch database" in one_error_line(run("--db", str(other), *command, cwd=tmp_path))
    assert other.read_bytes() == before


@pytest.fixture
def read_only_database(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    """A store that cannot be written: a read-only tmpfs as root (chmod does not stop root), else a
    read-only file and folder. ``@pytest.mark.forget_steps(N, ...)``: the store is made to look as
    if an older release made it (those migration steps unrecorded)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    mounted = False
    if os.geteuid() == 0 and shutil.which("mount"):
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder)]).returncode == 0
    assert run("--db", str(folder / "store.db"), "demo", "--no-serve", cwd=tmp_path).returncode == 0
    marker = request.node.get_closest_marker("forget_steps")
    if marker is not None:
        connection = sqlite3.connect(folder / "store.db")
        connection.executemany("DELETE FROM migrations WHERE number = ?", [(n,) for n in marker.args])
        connection.commit()
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
    if mounted:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    else:
        if os.geteuid() == 0:
            pytest.skip("root without mount: cannot make a read-only file")
        for path in folder.iterdir():
            path.chmod(0o444)
        folder.chmod(0o555)
    try:
        yield folder / "store.db"
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)])
        else:
            folder.chmod(0o755)


def test_a_read_only_database_serves_reads_and_refuses_writes_in_one_line(tmp_path: Path, read_only_database: Path) -> None:
    database = str(read_only_database)
    exported = run("--db", database, "export", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert len(exported.stdout.splitlines()) >= 3
    copy = tmp_path / "again.jsonl"
    copy.write_text(json.dumps({**json.loads(Path(SAMPLE).read_text(encoding="utf-8")), "id": "new", "text": "Other text about North Korea coal. " * 5}) + "\n", encoding="utf-8")
    assert "read-only" in one_error_line(run("--db", database, "ingest", str(copy), cwd=tmp_path))

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sanctionwatch", "--db", database, "serve", "--port", str(port)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None and "dashboard on" in process.stdout.readline()
        base = f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(base + "/api/v1/incidents", timeout=10) as response:
            incident_id = json.load(response)["items"][0]["id"]
        request = urllib.request.Request(
            f"{base}/api/v1/incidents/{incident_id}/review",
            data=json.dumps({"decision": "confirmed"}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 503
        body = json.loads(refused.value.read())
        assert "read-only" in body["error"] and "\n" not in body["error"]
        with urllib.request.urlopen(base + "/", timeout=10) as page:  # still serving
            assert page.status == 200
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)


def test_plurals_read_right() -> None:
    assert (plural(1, "error"), plural(2, "error"), plural(0, "incident"), plural(1, "incident")) == (
        "1 error",
        "2 errors",
        "0 incidents",
        "1 incident",
    )


def test_one_unreadable_record_is_1_error_not_1_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("not json\n", encoding="utf-8")
    result = run("extract", str(path), cwd=tmp_path)
    assert "(1 error)" in result.stderr and result.returncode != 0


def test_ingest_names_a_skipped_record_and_stores_the_rest(tmp_path: Path) -> None:
    good = json.loads(Path(SAMPLE).read_text(encoding="utf-8"))
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        json.dumps(good) + "\n" + '{"id": "poison", "text": "North Korea \\ud800 coal", "published": "2024-06-01"}\n',
        encoding="utf-8",
    )
    result = run("--db", "t.db", "ingest", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 new" in result.stdout and "lone surrogate" in result.stderr and "Traceback" not in result.stderr


def test_a_killed_serve_leaves_nothing_running(served) -> None:  # type: ignore[no-untyped-def]
    url, process = served
    assert process.stdout is not None and process.stdout.readline()
    process.send_signal(signal.SIGINT)
    process.wait(timeout=20)
    time.sleep(0.2)
    with pytest.raises(OSError):
        urllib.request.urlopen(url + "api/v1/health", timeout=2)


@pytest.mark.forget_steps(9)
def test_a_read_only_store_of_an_older_release_is_read_when_only_an_index_is_missing(tmp_path: Path, read_only_database: Path) -> None:
    exported = run("--db", str(read_only_database), "export", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert len(exported.stdout.splitlines()) >= 3


@pytest.mark.forget_steps(6, 7, 8, 9)
def test_a_read_only_store_that_needs_upgrading_says_so_in_one_line(tmp_path: Path, read_only_database: Path) -> None:
    for command in (["export"], ["serve"]):
        line = one_error_line(run("--db", str(read_only_database), *command, cwd=tmp_path))
        assert "needs upgrading (step 6" in line and "read-only" in line


def test_random_bytes_named_html_are_refused_and_the_good_page_is_stored(tmp_path: Path) -> None:
    import random

    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "good.html").write_text(
        "<html><head><title>Coal at Nampho</title></head><body><article><p>North Korea shipped coal from "
        "Nampho to Ningbo in March 2024, in violation of UN sanctions, officials said.</p></article></body></html>",
        encoding="utf-8",
    )
    (pages / "noise.html").write_bytes(random.Random(7).randbytes(3000))
    result = run("--db", "t.db", "ingest", "--published", "2024-04-01", str(pages), cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert "noise.html" in result.stderr and "binary data" in result.stderr
    assert "1 new" in result.stdout, result.stdout
    with sqlite3.connect(tmp_path / "t.db") as connection:
        stored = [row[0] for row in connection.execute("SELECT id FROM articles")]
    assert stored == ["good"]
