"""The one mutable working object that pipeline stages fill in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sanctionwatch.model import Article, Incident


@dataclass(slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int


@dataclass(slots=True)
class Mention:
    """A named thing in the text: label is PLACE, COUNTRY, ORG, PERSON, NORP or VESSEL."""

    start: int
    end: int
    text: str
    label: str
    sentence: int
    country: str | None = None
    location: Any = None  # a model Location for places, set by the mentions stage


@dataclass(slots=True)
class Candidate:
    """A typed event found in one sentence, before arguments are attached."""

    type: str
    sentence: int
    cue: str
    score: float
    negated: bool = False
    extra_sentences: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Document:
    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    relevance_score: float = 0.0
    relevant: bool = False
    mentions: list[Mention] = field(default_factory=list)
    time_mentions: dict[int, list[Any]] = field(default_factory=dict)
    quantity_mentions: dict[int, list[Any]] = field(default_factory=dict)
    vessel_mentions: dict[int, list[Any]] = field(default_factory=dict)
    candidates: list[Candidate] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    diagnostics: list[str] = field(default_factory=list)
    provided: set[str] = field(default_factory=set)

    @property
    def text(self) -> str:
        return self.article.text

    def mentions_in(self, sentence_index: int) -> list[Mention]:
        return [m for m in self.mentions if m.sentence == sentence_index]
