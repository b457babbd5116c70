"""FollowTheMoney export: events, parties, ships and UN sanctions that FtM tools read back."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from followthemoney import model

from sanctionwatch.api.app import create_app
from sanctionwatch.model import Article
from sanctionwatch.service.ftm import export_ftm
from sanctionwatch.service.incidents import make_query
from sanctionwatch.service.ingestion import ingest_articles
from sanctionwatch.settings import Settings
from sanctionwatch.store import create_database_engine
from sanctionwatch.store.incidents import iter_incidents

ARTICLES = [
    Article(
        id="a-komid", published=date(2018, 7, 7),
        text=("North Korea has been selling weapons to Sudan in violation of UN sanctions. The Korea Mining Development "
              "Trading Corporation, known as KOMID, sold rocket launchers to the government of Sudan, a UN panel said."),
    ),
    Article(
        id="a-koti", published=date(2017, 12, 31),
        text=("South Korea has seized a second ship suspected of providing oil to North Korea in violation of U.N. sanctions. "
              "The Panama-flagged tanker KOTI transferred refined petroleum to a North Korean vessel in a ship-to-ship "
              "transfer at sea, customs officials said."),
    ),
]  # fmt: skip


def _store(tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    ingest_articles(create_database_engine(path), ARTICLES)
    return path


def test_export_reads_back_as_ftm_entities(tmp_path: Path) -> None:
    engine = create_database_engine(_store(tmp_path))
    lines = list(export_ftm(iter_incidents(engine, make_query())))
    entities = [model.get_proxy(json.loads(line)) for line in lines]  # FtM's own reader: fails on a bad schema or property
    schemata = {e.schema.name for e in entities}
    assert {"Event", "Sanction"} <= schemata and schemata & {"Organization", "Company"} and "Vessel" in schemata
    assert len({e.id for e in entities}) == len(entities)  # each entity once
    sanctions = [e for e in entities if e.schema.name == "Sanction"]
    assert {"KPe.001", "KPe.067"} <= {s.first("unscId") for s in sanctions}
    by_id = {e.id: e for e in entities}
    komid = next(by_id[s.first("entity")] for s in sanctions if s.first("unscId") == "KPe.001")
    assert komid.schema.name in ("Organization", "Company") and "sanction" in komid.get("topics")
    events = [e for e in entities if e.schema.name == "Event"]
    assert any(komid.id in e.get("involved") for e in events)
    assert all(e.get("description") for e in events)  # the evidence sentences


def test_ftm_from_the_cli_and_the_api(tmp_path: Path) -> None:
    path = _store(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "sanctionwatch", "--db", str(path), "export", "--format", "ftm"], capture_output=True, text=True, check=True
    )
    cli_lines = run.stdout.splitlines()
    with TestClient(create_app(Settings(database=path)), base_url="http://127.0.0.1") as client:
        response = client.get("/api/v1/export", params={"format": "ftm"})
    assert response.status_code == 200 and "ftm.jsonl" in response.headers["content-disposition"]
    assert response.text.splitlines() == cli_lines and cli_lines
