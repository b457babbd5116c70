"""Fixtures for the dashboard tests: the API tests' sample store behind a TestClient.

The sample lives in ``tests/api/sample_store.py``; it is loaded by path because the test
folders are separate top-level packages (no ``tests/__init__.py``).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient

from sanctionwatch.api.app import create_app
from sanctionwatch.settings import Settings

SAMPLE_STORE_PATH = Path(__file__).resolve().parent.parent / "api" / "sample_store.py"


def load_sample_store() -> ModuleType:
    name = "sanctionwatch_test_sample_store"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, SAMPLE_STORE_PATH)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def sample() -> ModuleType:
    """The sample module: its incidents, articles and XSS payload constants."""
    return load_sample_store()


@pytest.fixture()
def client(tmp_path: Path, sample: ModuleType) -> Iterator[TestClient]:
    path, engine = sample.build_sample_store(tmp_path)
    engine.dispose()
    with TestClient(create_app(Settings(database=path)), base_url="http://127.0.0.1") as test_client:
        yield test_client
