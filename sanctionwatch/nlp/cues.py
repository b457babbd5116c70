"""Loading ``vocabularies/incident_types.toml`` into compiled, typed cue sets."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from importlib import resources

from sanctionwatch.nlp.text.folding import fold_case, folded_pattern, search_folded


@dataclass(frozen=True, slots=True)
class ProvisionRule:
    ids: tuple[str, ...]
    when: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    after: date | None = None
    # "into" or "out_of": which way the goods go relative to North Korea. Where the parse tells
    # the way (North Korea receives, or supplies), it decides instead of ``when``.
    direction: str | None = None

    def applies(self, evidence_text: str, incident_date: date | None, direction: str | None = None) -> bool:
        if self.direction is not None and direction is not None:
            if self.direction != direction:
                return False
        elif self.when is not None and not self.when.search(evidence_text):
            return False
        if self.unless is not None and self.unless.search(evidence_text):
            return False
        return not (self.after is not None and incident_date is not None and incident_date < self.after)


@dataclass(frozen=True, slots=True)
class CueMatch:
    """A cue of a type in a sentence (offsets into the text matched) and the word that makes it an
    event of that type (the ``requires`` match, or the cue itself): "coal" supported by "exported"."""

    start: int
    end: int
    text: str
    support_start: int
    support_end: int
    strong: bool = False
    # The supporting word comes from a shared set (``linked_requires``): it counts only where the
    # parse links it to the cue ("carrying coal", "shipments of fuel"), not merely nearby.
    needs_link: bool = False


@dataclass(frozen=True, slots=True)
class IncidentTypeCues:
    name: str
    label: str
    context: bool
    commodity: str | None
    cues: tuple[re.Pattern[str], ...]
    requires: tuple[re.Pattern[str], ...]
    excludes: tuple[re.Pattern[str], ...]
    provisions: tuple[ProvisionRule, ...]
    # What is traded, most specific first ("refined petroleum products" before "oil").
    commodity_terms: tuple[re.Pattern[str], ...] = ()
    # Cues that carry their own proof ("ripped off a cross-chain bridge … cryptocurrency") and
    # need no ``requires`` word.
    strong_cues: tuple[re.Pattern[str], ...] = ()
    # A ``requires`` word must stand within this many characters of the cue: "sending millions of
    # refugees ... civil war" is not an arms transfer because "war" and "sending" are far apart.
    window_characters: int = 80
    # Words of shared sets (``[sets]`` of the vocabulary: moving goods, for every kind of goods)
    # that support a cue only where the parse links them to it.
    linked_requires: tuple[re.Pattern[str], ...] = ()
    # Every cue and strong cue in one pattern: most sentences match no cue of most types, and
    # one search tells so before the excludes and the requires are read.
    any_cue: re.Pattern[str] | None = None
    # ``any_cue`` with its letters in lower case and no IGNORECASE, for text passed through
    # ``fold_case``: the same matches at less than half the cost. None where the cues cannot be
    # folded (see ``folding.folded_pattern``), and then ``any_cue`` is searched.
    folded_cue: re.Pattern[str] | None = None

    def has_cue(self, sentence: str, folded: str | None = None) -> bool:
        """Whether any cue or strong cue of the type occurs (a cheap test before ``match``).
        ``folded``: ``fold_case(sentence)``, where the caller tests one sentence for many types."""
        if self.any_cue is None:
            return True
        return search_folded(self.any_cue, self.folded_cue, sentence, fold_case(sentence) if folded is None else folded)

    def match(self, sentence: str, *, cue_seen: bool = False) -> re.Match[str] | None:
        """The first cue match that has a ``requires`` word near it, else None (``cue_seen``: the
        caller has just found ``has_cue`` true)."""
        if not (cue_seen or self.has_cue(sentence)) or any(p.search(sentence) for p in self.excludes):
            return None
        for pattern in self.strong_cues:
            strong = pattern.search(sentence)
            if strong:
                return strong
        for pattern in self.cues:
            for cue in pattern.finditer(sentence):
                if not self.requires or self._required_near(sentence, cue):
                    return cue
        return None

    def linked_match(self, sentence: str, *, cue_seen: bool = False) -> re.Match[str] | None:
        """The first cue with a shared-set word anywhere in the sentence (the parse decides later)."""
        if not self.linked_requires or not (cue_seen or self.has_cue(sentence)) or any(p.search(sentence) for p in self.excludes):
            return None
        if not any(p.search(sentence) for p in self.linked_requires):
            return None
        for pattern in self.cues:
            cue = pattern.search(sentence)
            if cue:
                return cue
        return None

    def triggers(self, sentence: str) -> list[CueMatch]:
        """Every cue match with the ``requires`` word that supports it (the nearest), in text order;
        empty when an ``excludes`` pattern matches. A strong cue supports itself."""
        if not self.has_cue(sentence) or any(p.search(sentence) for p in self.excludes):
            return []
        found: list[CueMatch] = []
        for pattern in self.strong_cues:
            found.extend(CueMatch(m.start(), m.end(), m.group(), m.start(), m.end(), strong=True) for m in pattern.finditer(sentence))
        for pattern in self.cues:
            for cue in pattern.finditer(sentence):
                if not self.requires:
                    found.append(CueMatch(cue.start(), cue.end(), cue.group(), cue.start(), cue.end()))
                    continue
                support = self._nearest_required(sentence, cue)
                if support is not None:
                    # A word of moving goods counts only where the parse links it to the cue,
                    # whether the type's own list or the shared set names it ("the artillery
                    # war, with both sides facing constrained supplies" moves nothing).
                    moving = any(p.fullmatch(support.group()) for p in self.linked_requires)
                    found.append(CueMatch(cue.start(), cue.end(), cue.group(), support.start(), support.end(), needs_link=moving))
                for linked in (m for p in self.linked_requires for m in p.finditer(sentence)):
                    if support is None or (linked.start(), linked.end()) != (support.start(), support.end()):
                        found.append(CueMatch(cue.start(), cue.end(), cue.group(), linked.start(), linked.end(), needs_link=True))
        unique = {(m.start, m.end, m.support_start): m for m in sorted(found, key=lambda m: (m.start, -m.end))}
        return sorted(unique.values(), key=lambda m: (m.start, m.needs_link))

    def _nearest_required(self, sentence: str, cue: re.Match[str]) -> re.Match[str] | None:
        low = max(0, cue.start() - self.window_characters)
        high = cue.end() + self.window_characters
        near = [
            required
            for pattern in self.requires
            for required in pattern.finditer(sentence)
            if required.start() < high and required.end() > low and not (required.start() >= cue.start() and required.end() <= cue.end())
        ]
        return min(near, key=lambda r: abs((r.start() + r.end()) - (cue.start() + cue.end())), default=None)

    def commodity_in(self, sentences: list[str]) -> str | None:
        """The most specific commodity term found, as the article words it (lead sentence first);
        the type's default where none is found."""
        for pattern in self.commodity_terms:
            for sentence in sentences:
                found = pattern.search(sentence)
                if found:
                    return found.group()
        return self.commodity

    def _required_near(self, sentence: str, cue: re.Match[str]) -> bool:
        low = max(0, cue.start() - self.window_characters)
        high = cue.end() + self.window_characters
        return any(
            required.start() < high and required.end() > low and not (required.start() >= cue.start() and required.end() <= cue.end())
            for pattern in self.requires
            for required in pattern.finditer(sentence)
        )


def _union(patterns: list[str]) -> re.Pattern[str] | None:
    """One pattern matching wherever any of ``patterns`` does. When every one starts at a word
    boundary, the boundary is tested once per position rather than once per alternative (a
    quarter less time for the cue tests, which read every sentence)."""
    if not patterns:
        return None
    if all(p.startswith(r"\b") for p in patterns):
        return re.compile(r"\b(?:" + "|".join(f"(?:{p[2:]})" for p in patterns) + ")", re.IGNORECASE)
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def _compile(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


@cache
def word_set(name: str) -> re.Pattern[str]:
    """One shared word set of the vocabulary (``[sets]``) as a single pattern."""
    raw = tomllib.loads((resources.files("sanctionwatch") / "vocabularies" / "incident_types.toml").read_text("utf-8"))
    pattern = _union(list(raw.get("sets", {}).get(name, [])))
    if pattern is None:
        raise KeyError(f"no word set {name!r} in incident_types.toml")
    return pattern


@lru_cache(maxsize=1)
def load_incident_types() -> dict[str, IncidentTypeCues]:
    raw = tomllib.loads((resources.files("sanctionwatch") / "vocabularies" / "incident_types.toml").read_text("utf-8"))
    sets = {name: _compile(patterns) for name, patterns in raw.get("sets", {}).items()}
    types: dict[str, IncidentTypeCues] = {}
    for name, spec in raw["types"].items():
        rules = tuple(
            ProvisionRule(
                ids=tuple(rule.get("ids", ())),
                when=re.compile(rule["when"], re.IGNORECASE) if rule.get("when") else None,
                unless=re.compile(rule["unless"], re.IGNORECASE) if rule.get("unless") else None,
                after=date.fromisoformat(rule["after"]) if rule.get("after") else None,
                direction=rule.get("direction"),
            )
            for rule in spec.get("provisions", ())
        )
        types[name] = IncidentTypeCues(
            name=name,
            label=spec["label"],
            context=bool(spec.get("context", False)),
            commodity=spec.get("commodity"),
            cues=_compile(spec.get("cues", [])),
            requires=_compile(spec.get("requires", [])),
            excludes=_compile(spec.get("excludes", [])),
            provisions=rules,
            window_characters=int(spec.get("window_characters", 80)),
            commodity_terms=_compile(spec.get("commodity_terms", [])),
            strong_cues=_compile(spec.get("strong_cues", [])),
            linked_requires=tuple(pattern for set_name in spec.get("linked_requires", []) for pattern in sets[set_name]),
            any_cue=(any_cue := _union([*spec.get("cues", []), *spec.get("strong_cues", [])])),
            folded_cue=folded_pattern(any_cue),
        )
    return types
