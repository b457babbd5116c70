"""Fixtures: a fresh sample store per test and a TestClient over the whole app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sanctionwatch.api.app import create_app
from sanctionwatch.settings import Settings

from .sample_store import build_sample_store


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    path, engine = build_sample_store(tmp_path)
    engine.dispose()
    with TestClient(create_app(Settings(database=path)), base_url="http://127.0.0.1") as test_client:
        yield test_client
