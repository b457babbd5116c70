"""Every batch command shows a progress bar where stderr is a terminal, and --no-progress hides
it; where stderr is not a terminal (a log file, CI) no bar is drawn."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from sanctionwatch.service.samples import sample_paths

SAMPLE = str(sample_paths()[0])


def run_on_terminal(*args: str, cwd: Path) -> tuple[int, str, str]:
    """Exit status, stdout and what reached the terminal that stderr is attached to."""
    leader, follower = os.openpty()
    # A new pseudo-terminal is 0 columns wide, where tqdm draws nothing: give it a real width.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    environment = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(cwd),
        "SANCTIONWATCH_CACHE_DIR": os.environ["SANCTIONWATCH_CACHE_DIR"],
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "sanctionwatch", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=follower, env=environment
    )
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        seen += chunk
    stdout = process.stdout.read().decode() if process.stdout else ""
    status = process.wait(timeout=120)
    os.close(leader)
    return status, stdout, seen.decode(errors="replace")


@pytest.mark.parametrize("command", [["ingest", SAMPLE], ["reextract"], ["extract", SAMPLE]])
def test_a_bar_on_a_terminal_and_none_with_no_progress(tmp_path: Path, command: list[str]) -> None:
    database = str(tmp_path / "store.db")
    if command[0] == "reextract":
        assert run_on_terminal("--db", database, "ingest", "--no-progress", SAMPLE, cwd=tmp_path)[0] == 0
    status, _, terminal = run_on_terminal("--db", database, *command, cwd=tmp_path)
    assert status == 0, terminal
    assert f"{command[0]}: " in terminal and "articles" in terminal  # "ingest: 100%|…| 1/1 articles"
    status, stdout, terminal = run_on_terminal("--db", database, *command[:1], "--no-progress", *command[1:], cwd=tmp_path)
    assert status == 0, terminal
    assert f"{command[0]}: " not in terminal and "articles/s" not in terminal
    assert stdout.strip()  # the summary, or the incidents, still printed


def test_no_bar_where_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sanctionwatch", "--db", str(tmp_path / "store.db"), "ingest", SAMPLE],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SANCTIONWATCH_CACHE_DIR": os.environ["SANCTIONWATCH_CACHE_DIR"]},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "ingest: " not in result.stderr and "1 new" in result.stdout
