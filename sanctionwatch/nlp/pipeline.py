"""Building and running the extraction pipeline: a list of stage names, checked when built."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from functools import lru_cache

from sanctionwatch.errors import ContractError, StageError
from sanctionwatch.model import Article, Incident
from sanctionwatch.nlp.document import Document
from sanctionwatch.nlp.stage import REGISTRY, StageInfo

log = logging.getLogger(__name__)

EXTRACTOR_VERSION = "0.2.0"

DEFAULT_STAGES: tuple[str, ...] = (
    "relevance",
    "sentences",
    "triggers",
    "chains",
    "times",
    "quantities",
    "entities",
    "mentions",
    "assemble",
    "sanctions_links",
)


def _load_builtin_stages() -> None:
    # Importing the modules registers their stages.
    from sanctionwatch.nlp.mentions import triggers  # noqa: F401
    from sanctionwatch.nlp.stages import (  # noqa: F401
        assemble,
        chains,
        entities,
        mentions,
        numbers,
        relevance,
        sanctions_links,
        sentences,
    )


class Pipeline:
    """Runs stages in order. Errors: ``on_error="raise"`` re-raises as StageError; ``"skip"``
    records a diagnostic and returns the document as far as it got (the one broad catch)."""

    def __init__(self, stage_names: Sequence[str] = DEFAULT_STAGES, *, on_error: str = "raise") -> None:
        _load_builtin_stages()
        if on_error not in ("raise", "skip"):
            raise ContractError(f"on_error must be 'raise' or 'skip', got {on_error!r}")
        self.on_error = on_error
        self.stages: list[StageInfo] = []
        provided: set[str] = {"article"}
        for name in stage_names:
            info = REGISTRY.get(name)
            if info is None:
                raise ContractError(f"unknown stage {name!r}; known: {', '.join(sorted(REGISTRY))}", stage=name)
            missing = info.requires - provided
            if missing:
                raise ContractError(
                    f"stage {name!r} requires {', '.join(sorted(missing))}, which no earlier stage provides",
                    stage=name,
                )
            provided |= info.provides
            self.stages.append(info)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def run(self, article: Article) -> Document:
        result = self.run_many([article])[0]
        if isinstance(result, StageError):
            raise result from result.__cause__
        return result

    def extract(self, article: Article) -> list[Incident]:
        return self.run(article).incidents

    def run_many(self, articles: Sequence[Article], *, timings: dict[str, float] | None = None) -> list[Document | StageError]:
        """Each article's document, stage by stage over all of them, so that a stage with a
        ``prefetch`` (the parser) does its work for the whole batch at once. The result is the
        same as running each article alone. A failing stage ends only its own article: with
        ``on_error="raise"`` its place holds the ``StageError`` (``run`` raises it), with
        ``"skip"`` the document as far as it got, with a diagnostic. ``timings`` adds up the
        seconds of each stage (benchmarks)."""
        documents: list[Document | StageError] = [Document(article=article) for article in articles]
        stopped: set[int] = set()  # where a stage failed: no later stage runs
        for info in self.stages:
            started = time.perf_counter()
            running = [
                (i, d)
                for i, d in enumerate(documents)
                if isinstance(d, Document) and i not in stopped and (d.relevant or not info.relevant_only)
            ]
            if info.prefetch is not None and len(running) > 1:
                try:
                    info.prefetch([d for _, d in running])
                except Exception:  # each document then does the work itself, and reports its own error
                    log.warning("prefetch failed", extra={"stage": info.name})
            for i, document in running:
                result, ok = self._apply(info, document)
                if not ok:
                    stopped.add(i)
                documents[i] = result
            if timings is not None:
                timings[info.name] = timings.get(info.name, 0.0) + time.perf_counter() - started
        return documents

    def extract_many(self, articles: Sequence[Article]) -> list[list[Incident] | StageError]:
        return [d.incidents if isinstance(d, Document) else d for d in self.run_many(articles)]

    def _apply(self, info: StageInfo, document: Document) -> tuple[Document | StageError, bool]:
        """The document after the stage and whether the stage succeeded."""
        try:
            document = info.function(document)
        except Exception as exc:  # the pipeline's error policy: the one broad catch
            error = StageError(f"{exc.__class__.__name__}: {exc}", stage=info.name, article_id=document.article.id)
            error.__cause__ = exc
            if self.on_error == "raise":
                return error, False
            log.warning("stage failed", extra={"stage": info.name, "article_id": document.article.id})
            document.diagnostics.append(str(error))
            return document, False
        document.provided |= info.provides
        return document, True


@lru_cache(maxsize=4)
def default_pipeline(on_error: str = "raise") -> Pipeline:
    return Pipeline(DEFAULT_STAGES, on_error=on_error)
