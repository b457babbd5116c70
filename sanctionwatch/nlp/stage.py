"""Stages: named callables ``Document -> Document`` that declare what they require and provide.

Built-in stages register through the same ``@stage`` decorator that any extension would use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sanctionwatch.nlp.document import Document

StageFunction = Callable[[Document], Document]


@dataclass(frozen=True, slots=True)
class StageInfo:
    name: str
    requires: frozenset[str]
    provides: frozenset[str]
    description: str
    function: StageFunction
    # Stages that only make sense for sanctions-relevant documents are skipped for the rest.
    relevant_only: bool = False


REGISTRY: dict[str, StageInfo] = {}


def stage(
    name: str, *, requires: set[str] | frozenset[str] = frozenset(), provides: set[str], relevant_only: bool = False
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
        )
        return function

    return register
