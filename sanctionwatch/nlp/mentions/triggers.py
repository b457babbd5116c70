"""Triggers: which sentences may report which kind of incident, and where the cue words stand.

For every sentence, each type's cue set (vocabularies/incident_types.toml) is tried. A sanctions
activity also needs a link to North Korea (the sentence or the two before it name it, or the
whole article is about it) and must not be denied, negated or hypothetical. Denials become
diplomatic context instead.
"""

from __future__ import annotations

import re

from sanctionwatch.nlp.cues import CueMatch, IncidentTypeCues, load_incident_types
from sanctionwatch.nlp.document import Candidate, Document, Sentence
from sanctionwatch.nlp.document.passages import antecedent_before, continuation_after, is_prose
from sanctionwatch.nlp.lexicon import DENIAL, DPRK_ANCHOR, HYPOTHETICAL, NEGATION, THE_NORTH
from sanctionwatch.nlp.stage import stage
from sanctionwatch.nlp.text.folding import fold_case
from sanctionwatch.nlp.text.reading import Reading, reading_of

# An article that names North Korea this often is about it throughout.
DPRK_FOCUSED_ANCHORS = 2
# How far back (in sentences of the same paragraph or the one before) a North Korea mention carries.
ANCHOR_WINDOW_SENTENCES = 2
NEGATION_WINDOW_CHARACTERS = 40
_SANCTIONS_WORD = re.compile(r"\bsanction\w*|\bU\.?N\.?\b|Security Council|embargo|illicit|violat\w+", re.IGNORECASE)
_ESPIONAGE = re.compile(
    r"\b(?:espionage|spying|spy campaign|cyber-?spies|intelligence[- ]gathering"
    r"|(?:targeted|compromised|breached|attacked) (?:\w+ ){0,5}defen[cs]e (?:sector|compan\w+|firms?|industry|contractors?))\b",
    re.IGNORECASE,
)
_THEFT = re.compile(
    r"\b(?:stole|stolen|steal\w*|theft|thefts|heists?|ransom\w*|loot\w*|pinch\w*|ripped off|extort\w*|launder\w*)\b|\$\s?\d",
    re.IGNORECASE,
)


def _anchored(sentence: str, article_has_dprk: bool) -> bool:
    return bool(DPRK_ANCHOR.search(sentence)) or (article_has_dprk and bool(THE_NORTH.search(sentence)))


def is_negated(sentence: str, match: re.Match[str]) -> bool:
    """A negation word shortly before the cue ("no new workers have crossed")."""
    window = sentence[max(0, match.start() - NEGATION_WINDOW_CHARACTERS) : match.start()]
    if NEGATION.search(window):
        return True
    # "workers are not being sent": a negated verb right after the cue noun.
    after = sentence[match.end() : match.end() + NEGATION_WINDOW_CHARACTERS]
    return bool(re.match(r"\s+(?:\w+\s+){0,2}(?:are|were|is|was|have|has|had|did|do|does)\s+(?:not|never)\b", after))


def classify_sentence(
    sentence: Sentence,
    types: dict[str, IncidentTypeCues],
    *,
    linked: bool,
    sanctions_context: bool,
    espionage_article: bool = False,
) -> list[Candidate]:
    """Candidates for one sentence; ``linked``: North Korea is in reach of this sentence."""
    reading = reading_of(sentence.text)
    text = reading.text
    if len(text.strip()) < 25 or not is_prose(text):
        return []
    hypothetical = bool(HYPOTHETICAL.search(text))
    denied = bool(DENIAL.search(text))
    found: list[Candidate] = []
    # What no cue could change is checked before any cue is searched for: most sentences of
    # most articles qualify for no type, and the cue patterns are the costly part.
    activities_possible = linked and not hypothetical and not denied
    folded = fold_case(text)
    for cues in types.values():
        possible = (linked or sanctions_context) if cues.context else activities_possible
        if not possible or not cues.has_cue(text, folded):
            continue
        match = cues.match(text, cue_seen=True) or cues.linked_match(text, cue_seen=True)
        if match is None:
            continue
        if cues.context:
            if cues.name == "context_enforcement" and _NORTH_KOREA_ACTS.match(text):
                continue  # "The North … kicked out all South Korean workers and froze the assets": retaliation, not enforcement
            found.append(_candidate(cues, sentence, reading, match, score=0.6))
            continue
        if is_negated(text, match):
            continue
        if cues.name == "cyber_theft" and espionage_article and not _THEFT.search(text):
            continue  # a spying operation; past crypto targeting mentioned in passing is not a theft
        found.append(_candidate(cues, sentence, reading, match, score=0.7))
    return _without_activities_named_by_enforcement(sentence.text, found)


def _candidate(cues: IncidentTypeCues, sentence: Sentence, reading: Reading, match: re.Match[str], *, score: float) -> Candidate:
    """A candidate with its cue and every trigger of its type, in offsets of the sentence's own text."""
    start, end = reading.span(match.start(), match.end())
    triggers = []
    for trigger in cues.triggers(reading.text):
        cue_start, cue_end = reading.span(trigger.start, trigger.end)
        support_start, support_end = reading.span(trigger.support_start, trigger.support_end)
        triggers.append(
            CueMatch(cue_start, cue_end, sentence.text[cue_start:cue_end], support_start, support_end, trigger.strong, trigger.needs_link)
        )
    return Candidate(
        type=cues.name,
        sentence=sentence.index,
        cue=sentence.text[start:end],
        score=score,
        start=start,
        end=end,
        triggers=triggers,
    )


# A sentence whose subject is North Korea itself.
_NORTH_KOREA_ACTS = re.compile(r"^[\W_]*(?:The North(?!\s+Korea)|North Korea(?!n)|Pyongyang|Kim Jong[- ]?Un)\b(?![’'])")
# "investigators recovered $30m of cryptocurrency stolen in that hack", "froze $1.4m associated
# with a North Korean hack": the theft is only named to say what was seized; it is no new incident.
_QUALIFIES_THE_SEIZED = re.compile(
    r"\b(?:associated with|linked to|tied to|connected to|(?:stolen|taken|seized|lost) (?:in|from) (?:that|the same|this|those))\b",
    re.IGNORECASE,
)


def _without_activities_named_by_enforcement(text: str, found: list[Candidate]) -> list[Candidate]:
    enforcement = [c for c in found if c.type == "context_enforcement"]
    if not enforcement:
        return found
    act = enforcement[0].start
    kept = []
    for candidate in found:
        cue = candidate.start
        if (
            candidate.type != "context_enforcement"
            and 0 <= act < cue
            and _QUALIFIES_THE_SEIZED.search(text, act, min(len(text), cue + len(candidate.cue) + 30))
        ):
            continue
        kept.append(candidate)
    return kept


@stage("triggers", requires={"sentences", "relevance"}, provides={"candidates"}, relevant_only=True)
def triggers_stage(document: Document) -> Document:
    """Type each sentence; keep candidates linked to North Korea."""
    types = load_incident_types()
    anchor_counts = [len(DPRK_ANCHOR.findall(s.text)) for s in document.sentences]
    article_has_dprk = sum(anchor_counts) > 0
    focused = sum(anchor_counts) >= DPRK_FOCUSED_ANCHORS
    espionage_article = bool(_ESPIONAGE.search(document.text))
    for sentence in document.sentences:
        window = range(max(0, sentence.index - ANCHOR_WINDOW_SENTENCES), sentence.index)
        linked = (
            _anchored(sentence.text, article_has_dprk)
            or any(anchor_counts[i] for i in window)
            or focused
        )
        sanctions_context = bool(_SANCTIONS_WORD.search(sentence.text))
        found = classify_sentence(
            sentence, types, linked=linked, sanctions_context=sanctions_context, espionage_article=espionage_article
        )
        following = continuation_after(document, sentence.index) if found else None
        preceding = antecedent_before(document, sentence.index) if found else None
        for candidate in found:
            candidate.extra_sentences.extend(i for i in (preceding, following) if i is not None)
        document.candidates.extend(found)
    return document
