"""Loading a newer UN list into a store, re-linking its incidents; bad files; the CLI."""

from __future__ import annotations

import gzip
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from sanctionwatch.errors import InputError
from sanctionwatch.model import Article
from sanctionwatch.service.incidents import make_query, search_incidents
from sanctionwatch.service.ingestion import ingest_articles
from sanctionwatch.service.sanctions import active_index, load_list_file
from sanctionwatch.store import create_database_engine

NEWER_LIST = b"""<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-11-30T10:00:00.000-05:00">
<INDIVIDUALS/>
<ENTITIES>
 <ENTITY><FIRST_NAME>KOREA SOBAEKSU TRADING COMPANY</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE>
  <REFERENCE_NUMBER>KPe.099</REFERENCE_NUMBER><LISTED_ON>2026-11-01</LISTED_ON>
  <ENTITY_ADDRESS><COUNTRY>Democratic People's Republic of Korea</COUNTRY></ENTITY_ADDRESS>
 </ENTITY>
</ENTITIES>
</CONSOLIDATED_LIST>
"""
ARTICLE = Article(
    id="a-sobaeksu",
    published=date(2025, 7, 25),
    text=(
        "The U.S. Treasury sanctioned a North Korean firm behind IT worker schemes. The Korea Sobaeksu Trading "
        "Company sent North Korean IT workers abroad to earn revenue for the regime, the Treasury said. "
        "KOMID was not named."
    ),
)


def _linked_references(engine) -> set[str]:  # type: ignore[no-untyped-def]
    items, _ = search_incidents(engine, make_query(status="any", limit=500))
    return {link["reference"] for i in items for a in i["actors"] for link in a["sanctions_links"]}


def test_a_newer_list_is_stored_and_stored_incidents_are_relinked(tmp_path: Path) -> None:
    engine = create_database_engine(tmp_path / "store.db")
    ingest_articles(engine, [ARTICLE])
    assert "KPe.099" not in _linked_references(engine)
    listing = tmp_path / "consolidated.xml.gz"
    listing.write_bytes(gzip.compress(NEWER_LIST))
    report = load_list_file(engine, listing)
    assert (report.entries, report.generated) == (1, "2026-11-30")
    assert report.incidents_checked >= 1 and report.incidents_changed >= 1
    assert "KPe.099" in _linked_references(engine)
    assert [e.reference for e in active_index(engine).list.entries] == ["KPe.099"]
    # an article stored after the load is linked against the loaded list too
    ingest_articles(engine, [Article(id="a-2", published=date(2025, 7, 26), text=ARTICLE.text + " Officials repeated it.")])
    assert "KPe.099" in _linked_references(engine)


def test_a_bad_file_changes_nothing(tmp_path: Path) -> None:
    engine = create_database_engine(tmp_path / "store.db")
    bad = tmp_path / "list.xml"
    bad.write_text("<html>Service unavailable</html>")
    with pytest.raises(InputError, match="not a UN consolidated list"):
        load_list_file(engine, bad)
    with pytest.raises(InputError, match="cannot read"):
        load_list_file(engine, tmp_path / "missing.xml")
    assert active_index(engine).list.generated == date(2018, 10, 29)  # still the bundled snapshot


def test_lists_load_command_prints_one_error_line_for_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "list.xml"
    bad.write_bytes(b'<!DOCTYPE x [<!ENTITY a "b">]><CONSOLIDATED_LIST/>')
    run = subprocess.run(
        [sys.executable, "-m", "sanctionwatch", "--db", str(tmp_path / "cli.db"), "lists", "load", str(bad)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 1
    assert run.stderr.strip().startswith("error: ") and len(run.stderr.strip().splitlines()) == 1
    assert "refused unsafe XML" in run.stderr
    shown = subprocess.run(
        [sys.executable, "-m", "sanctionwatch", "--db", str(tmp_path / "cli.db"), "lists", "show"], capture_output=True, text=True, check=True
    )
    assert "bundled snapshot" in shown.stdout


def test_loading_the_list_already_in_use_changes_no_incident(tmp_path: Path) -> None:
    from sanctionwatch.resolve.sanctions_list import bundled_list_bytes

    engine = create_database_engine(tmp_path / "store.db")
    ingest_articles(engine, [ARTICLE])
    listing = tmp_path / "same.xml.gz"
    listing.write_bytes(bundled_list_bytes())
    report = load_list_file(engine, listing)
    assert report.incidents_checked >= 1 and report.incidents_changed == 0
