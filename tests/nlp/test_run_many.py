"""Pipeline.run_many: stage by stage over a batch, with the same results as one article at a
time, a failing article ending only itself, and a failed prefetch leaving each to parse alone."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from sanctionwatch.errors import StageError
from sanctionwatch.model import Article
from sanctionwatch.nlp.document import Document
from sanctionwatch.nlp.pipeline import DEFAULT_STAGES, Pipeline, default_pipeline
from sanctionwatch.nlp.stage import REGISTRY, stage
from sanctionwatch.nlp.stages import entities

TEXTS = [
    "North Korea sent about 2,000 workers to seafood plants in Dandong in May, a source said.",
    "The weather in the capital was mild and the markets closed higher on Tuesday.",
    "A tanker transferred refined petroleum to a North Korean vessel off Nampo in March, the panel said. "
    "The ship then sailed to Ningbo.",
    "Hackers linked to North Korea stole $41 million in cryptocurrency from an exchange in June, the FBI said.",
]


def _articles() -> list[Article]:
    return [Article(id=f"a{n}", text=text, published=date(2024, 6, 20)) for n, text in enumerate(TEXTS)]


def test_a_batch_gives_what_each_article_gives_alone() -> None:
    pipeline = default_pipeline()
    alone = [[i.to_dict() for i in pipeline.extract(a)] for a in _articles()]
    together = [[i.to_dict() for i in result] for result in pipeline.extract_many(_articles())]  # type: ignore[union-attr]
    assert together == alone
    assert sum(1 for found in alone if found) >= 2  # the batch holds incidents to compare


@stage("test_fails_on_a2", requires={"article"}, provides={"test_marker"})
def _fails_on_a2(document: Document) -> Document:
    if document.article.id == "a2":
        raise ValueError("invented failure")
    return document


def test_a_failing_article_ends_only_itself() -> None:
    names = ("relevance", "sentences", "test_fails_on_a2", *DEFAULT_STAGES[2:])
    raising = Pipeline(names).run_many(_articles())
    assert isinstance(raising[2], StageError) and "invented failure" in str(raising[2])
    assert all(isinstance(d, Document) for n, d in enumerate(raising) if n != 2)
    assert raising[0].incidents  # type: ignore[union-attr]
    skipping = Pipeline(names, on_error="skip").run_many(_articles())
    failed = skipping[2]
    assert isinstance(failed, Document) and failed.diagnostics and not failed.incidents
    with pytest.raises(StageError, match="invented failure"):
        Pipeline(names).run(_articles()[2])


def test_a_failed_prefetch_leaves_each_document_to_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = [[i.to_dict() for i in r] for r in default_pipeline().extract_many(_articles())]  # type: ignore[union-attr]

    def broken(documents: list[Document]) -> None:
        raise RuntimeError("invented prefetch failure")

    info = REGISTRY["entities"]
    monkeypatch.setitem(REGISTRY, "entities", dataclasses.replace(info, prefetch=broken))
    got = [[i.to_dict() for i in r] for r in Pipeline(DEFAULT_STAGES).extract_many(_articles())]  # type: ignore[union-attr]
    assert got == expected


def test_prefetched_parses_are_used_and_consumed() -> None:
    pipeline = default_pipeline()
    documents = pipeline.run_many(_articles())
    assert all(isinstance(d, Document) and entities.PREFETCHED not in d.memo for d in documents)
    assert any(isinstance(d, Document) and d.parses for d in documents)
