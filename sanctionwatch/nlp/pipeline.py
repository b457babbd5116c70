"""Building and running the extraction pipeline: a list of stage names, checked when built."""

from __future__ import annotations

import logging
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
        document = Document(article=article)
        for info in self.stages:
            if info.relevant_only and not document.relevant:
                continue
            try:
                document = info.function(document)
            except Exception as exc:  # the pipeline's error policy: the one broad catch
                error = StageError(f"{exc.__class__.__name__}: {exc}", stage=info.name, article_id=article.id)
                if self.on_error == "raise":
                    raise error from exc
                log.warning("stage failed", extra={"stage": info.name, "article_id": article.id})
                document.diagnostics.append(str(error))
                return document
            document.provided |= info.provides
        return document

    def extract(self, article: Article) -> list[Incident]:
        return self.run(article).incidents


@lru_cache(maxsize=4)
def default_pipeline(on_error: str = "raise") -> Pipeline:
    return Pipeline(DEFAULT_STAGES, on_error=on_error)
