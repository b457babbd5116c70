"""The bundled sample: the Daily NK report of 16 May 2024 (shipped as sample data)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources

from sanctionwatch.model import Article
from sanctionwatch.service.inputs import read_articles


def sample_paths() -> list[str]:
    folder = resources.files("sanctionwatch") / "sample"
    return sorted(str(p) for p in folder.iterdir() if str(p).endswith(".json"))


def sample_articles() -> Iterator[Article]:
    for path in sample_paths():
        yield from read_articles(path)
