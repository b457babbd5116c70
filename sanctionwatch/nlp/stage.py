"""Stages: named callables ``Document -> Document`` that declare what they require and provide.

Built-in stages register through the same ``@stage`` decorator that any extension would use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sanctionwatch.nlp.document import Document

StageFunction = Callable[[Document], Document]
# Work a stage can do for many documents at once before it runs on each (``Pipeline.run_many``):
# it may only add to what the documents carry for that stage (``memo``), never change the rest,
# so a prefetch that fails halfway leaves each document to do the work itself.
PrefetchFunction = Callable[[list[Document]], None]


@dataclass(frozen=True, slots=True)
class StageInfo:
    name: str
    requires: frozenset[str]
    provides: frozenset[str]
    description: str
    function: StageFunction
    # Stages that only make sense for sanctions-relevant documents are skipped for the rest.
    relevant_only: bool = False
    prefetch: PrefetchFunction | None = None


REGISTRY: dict[str, StageInfo] = {}


def stage(
    name: str,
    *,
    requires: set[str] | frozenset[str] = frozenset(),
    provides: set[str],
    relevant_only: bool = False,
    prefetch: PrefetchFunction | None = None,
) -> Callable[[StageFunction], StageFunction]:
    def register(function: StageFunction) -> StageFunction:
        description = (function.__doc__ or "").strip().splitlines()[0] if function.__doc__ else ""
        REGISTRY[name] = StageInfo(
            name=name,
            requires=frozenset(requires),
            provides=frozenset(provides),
            description=description,
            function=function,
            relevant_only=relevant_only,
            prefetch=prefetch,
        )
        return function

    return register
