"""The command line leaves what it loaded out of the cyclic collector's last pass at exit."""

from __future__ import annotations

import gc
import sys

import pytest

from sanctionwatch.cli import main as cli


@pytest.mark.parametrize("argv", [["sanctionwatch", "--version"], ["sanctionwatch", "no-such-command"]])
def test_main_freezes_the_heap_on_the_way_out_whatever_the_exit(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", argv)
    gc.unfreeze()
    try:
        with pytest.raises(SystemExit):
            cli.main()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # the test process goes on collecting as before


def test_an_ingest_leaves_everything_in_the_database_file_itself(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The process closes its connections before it exits, so SQLite folds the write-ahead log
    into the file: a copy of the file alone holds every article."""
    import shutil
    import sqlite3
    import subprocess

    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Coal at Nampo</title></head><body><article><p>"
        + "North Korea shipped coal from Nampo to Ningbo in violation of UN sanctions, officials said. " * 4
        + "</p></article></body></html>",
        encoding="utf-8",
    )
    database = tmp_path / "store.db"
    done = subprocess.run(
        [sys.executable, "-m", "sanctionwatch", "--db", str(database), "ingest", "--no-progress", "--published", "2024-05-01", str(page)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "store.db-wal").exists() or (tmp_path / "store.db-wal").stat().st_size == 0
    copy = tmp_path / "copy.db"
    shutil.copyfile(database, copy)
    with sqlite3.connect(copy) as connection:
        assert connection.execute("select count(*) from articles").fetchone()[0] == 1
