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


@dataclass(frozen=True, slots=True)
class Parse:
    """A sentence parsed by spaCy: ``doc`` was made from ``reading.text``; ``reading.span`` maps its
    character offsets back to the sentence's own text."""

    doc: Any
    reading: Any


@dataclass(slots=True)
class EntityMention:
    """A named thing in the text: label is PLACE, COUNTRY, ORG, PERSON, NORP or VESSEL.

    ``start``/``end`` are offsets into the article text; ``text`` is the name as read (without
    markup), which is what the geocoder looks up."""

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
    # Where the cue stands in the sentence's own text, and every trigger of the type in it
    # (``nlp.cues.CueMatch``: a cue and the word that makes it an event of the type).
    start: int = 0
    end: int = 0
    triggers: list[Any] = field(default_factory=list)


@dataclass(slots=True)
class Document:
    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    relevance_score: float = 0.0
    relevant: bool = False
    entities: list[EntityMention] = field(default_factory=list)
    time_mentions: dict[int, list[Any]] = field(default_factory=dict)
    quantity_mentions: dict[int, list[Any]] = field(default_factory=dict)
    vessel_mentions: dict[int, list[Any]] = field(default_factory=dict)
    # spaCy parses of the sentences the entities stage read (candidate sentences and a few beside them).
    parses: dict[int, Parse] = field(default_factory=dict)
    # Event mentions (``nlp.mentions.EventMention``) read from the parses, one per trigger.
    event_mentions: list[Any] = field(default_factory=list)
    # What the document model reads once per document (sourcing, chains), by name.
    memo: dict[str, Any] = field(default_factory=dict)
    # Sentences read for arguments though untyped: those of a ship's chain near a typed sentence.
    support_sentences: set[int] = field(default_factory=set)
    candidates: list[Candidate] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    diagnostics: list[str] = field(default_factory=list)
    provided: set[str] = field(default_factory=set)

    @property
    def text(self) -> str:
        return self.article.text

    # Per-sentence indexes of ``mentions`` and ``candidates``, rebuilt when either list changes
    # (assembly asks for one sentence's mentions tens of thousands of times on a long article).
    _indexes: dict[str, tuple[int, int, dict[int, list[Any]]]] = field(default_factory=dict, repr=False)

    def _by_sentence(self, name: str, items: list[Any]) -> dict[int, list[Any]]:
        cached = self._indexes.get(name)
        if cached is None or cached[0] != id(items) or cached[1] != len(items):
            index: dict[int, list[Any]] = {}
            for item in items:
                index.setdefault(item.sentence, []).append(item)
            cached = (id(items), len(items), index)
            self._indexes[name] = cached
        return cached[2]

    def reindex(self) -> None:
        """Forget the per-sentence indexes (after reordering a list in place)."""
        self._indexes.clear()

    def entities_in(self, sentence_index: int) -> list[EntityMention]:
        return list(self._by_sentence("entities", self.entities).get(sentence_index, ()))

    def candidates_in(self, sentence_index: int) -> list[Candidate]:
        return list(self._by_sentence("candidates", self.candidates).get(sentence_index, ()))

    def mentions_in(self, sentence_index: int, incident_type: str | None = None) -> list[Any]:
        """The event mentions of a sentence, in order; only those of ``incident_type`` if given."""
        mentions = self._by_sentence("event_mentions", self.event_mentions).get(sentence_index, ())
        return [m for m in mentions if incident_type is None or m.type == incident_type]

    def cue_positions(self, sentence_index: int) -> list[tuple[Candidate, int]]:
        """Each candidate of a sentence with where its cue starts in the sentence's own text."""
        return [(candidate, candidate.start) for candidate in self.candidates_in(sentence_index)]

    def candidate_sentences(self) -> list[int]:
        """The typed sentences, the sentences kept beside them and the sentences that support them
        (a ship's chain): the only ones arguments are taken from."""
        wanted: set[int] = set(self.support_sentences)
        for candidate in self.candidates:
            wanted.add(candidate.sentence)
            wanted.update(candidate.extra_sentences)
        return sorted(wanted)
