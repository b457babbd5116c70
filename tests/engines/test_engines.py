"""The engines give identical results on the same input."""

from __future__ import annotations

from dataclasses import replace

from sanctionwatch.engines import run_engine
from sanctionwatch.service.samples import sample_articles


def test_pool_and_local_engines_agree():
    seed = next(iter(sample_articles()))
    articles = [replace(seed, id=f"copy-{n}") for n in range(3)]
    local = [(a.id, [i.to_dict() for i in found]) for a, found in run_engine(articles, workers=1)]
    pooled = [(a.id, [i.to_dict() for i in found]) for a, found in run_engine(articles, workers=2)]
    assert local == pooled
    assert [article_id for article_id, _ in local] == ["copy-0", "copy-1", "copy-2"]
    assert all(found for _, found in local)
