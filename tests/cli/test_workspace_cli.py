"""``searches`` and ``users`` commands, run as a user runs them, and ``serve --team``'s guard."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sanctionwatch", "--db", str(cwd / "w.db"), *args],
        cwd=cwd, capture_output=True, text=True, input=stdin, timeout=120, env={"PATH": "/usr/bin:/bin", "SANCTIONWATCH_CACHE_DIR": os.environ["SANCTIONWATCH_CACHE_DIR"], "HOME": str(cwd)},
    )  # fmt: skip


@pytest.mark.parametrize("command", [["searches"], ["searches", "add"], ["users"], ["users", "add"], ["users", "token"]])
def test_help(tmp_path: Path, command: list[str]) -> None:
    result = run(*command, "--help", cwd=tmp_path)
    assert result.returncode == 0 and "Usage" in result.stdout


def test_searches_add_list_remove(tmp_path: Path) -> None:
    added = run("searches", "add", "Sea transfers", "http://127.0.0.1:8000/?type=maritime_transfer&offset=50", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert "type=maritime_transfer" in added.stdout and "/feeds/" in added.stdout
    listed = run("searches", "list", cwd=tmp_path)
    assert "Sea transfers" in listed.stdout and "[type=maritime_transfer]" in listed.stdout
    again = run("searches", "add", "Sea transfers", "type=labor_export", cwd=tmp_path)
    assert again.returncode == 1 and again.stderr.startswith("error: ") and len(again.stderr.strip().splitlines()) == 1
    bad = run("searches", "add", "Bad", "type=nonsense", cwd=tmp_path)
    assert bad.returncode == 1 and "unknown incident type" in bad.stderr
    assert run("searches", "remove", "Sea transfers", cwd=tmp_path).returncode == 0
    missing = run("searches", "remove", "Sea transfers", cwd=tmp_path)
    assert missing.returncode == 1 and missing.stderr.startswith("error: no saved search")


def test_users_and_tokens(tmp_path: Path) -> None:
    added = run("users", "add", "ann", "--role", "analyst", "--password-stdin", cwd=tmp_path, stdin="correct horse battery\n")
    assert added.returncode == 0, added.stderr
    short = run("users", "add", "bob", "--password-stdin", cwd=tmp_path, stdin="short\n")
    assert short.returncode == 1 and "at least 10 characters" in short.stderr
    token = run("users", "token", "ann", "--name", "ci", "--scopes", "read", cwd=tmp_path)
    assert token.returncode == 0 and token.stdout.strip().startswith("swt_")
    assert "shown only now" in token.stderr  # the token alone on stdout, for scripts
    listed = run("users", "list", cwd=tmp_path)
    assert "ann" in listed.stdout and "analyst" in listed.stdout and "ci [read]" in listed.stdout
    assert token.stdout.strip() not in listed.stdout
    too_much = run("users", "token", "ann", "--scopes", "admin", cwd=tmp_path)
    assert too_much.returncode == 1 and "cannot hold" in too_much.stderr
    assert run("users", "remove", "ann", cwd=tmp_path).returncode == 0
    assert "no accounts yet" in run("users", "list", cwd=tmp_path).stdout


def test_serve_team_needs_an_admin_first(tmp_path: Path) -> None:
    run("users", "add", "ann", "--role", "analyst", "--password-stdin", cwd=tmp_path, stdin="correct horse battery\n")
    result = run("serve", "--team", "--port", "1", cwd=tmp_path)
    assert result.returncode == 1 and "needs an admin account" in result.stderr and "Traceback" not in result.stderr
