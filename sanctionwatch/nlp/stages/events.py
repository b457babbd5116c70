"""Event typing: which sentences report which kind of incident.

For every sentence, each type's cue set (vocabularies/incident_types.toml) is tried. A sanctions
activity also needs a link to North Korea (the sentence or the two before it name it, or the
whole article is about it) and must not be denied, negated or hypothetical. Denials become
diplomatic context instead.
"""

from __future__ import annotations

import re

from sanctionwatch.nlp.cues import IncidentTypeCues, load_incident_types
from sanctionwatch.nlp.document import Candidate, Document, Sentence
from sanctionwatch.nlp.lexicon import DENIAL, DPRK_ANCHOR, HYPOTHETICAL, NEGATION, THE_NORTH
from sanctionwatch.nlp.stage import stage

# An article that names North Korea this often is about it throughout.
DPRK_FOCUSED_ANCHORS = 5
# How far back (in sentences of the same paragraph or the one before) a North Korea mention carries.
ANCHOR_WINDOW_SENTENCES = 2
NEGATION_WINDOW_CHARACTERS = 40
_SANCTIONS_WORD = re.compile(r"\bsanction\w*|\bU\.?N\.?\b|Security Council|embargo|illicit|violat\w+", re.IGNORECASE)
_QUESTION_OR_HEADLINE = re.compile(r"\?\s*$")
# Prose ends with punctuation; a headline or subheading does not. Markdown bold after the stop
# ("… losses.**") is still prose; a bold caption ("Stolen amounts linked to hacks**") is not.
_PROSE_END = re.compile(r"[.!\"”’')\]][*_]*\s*$")
# Link targets and tags are not prose: "(https://…/north-korea-new-missile-submarine)" must not
# type a sentence. Each is replaced by one space, so that the words around a link stay as near
# each other as they read ("[attributed to North Korean hackers](…), which resulted in … losses").
_MARKUP = re.compile(r"(?<=\])\([^()\s]{1,2000}\)|https?://\S+|<[^<>]{0,300}>")
# An article that frames its hacking as spying: there a cyber sentence needs a word of theft.
_ESPIONAGE = re.compile(
    r"\b(?:espionage|spying|spy campaign|cyber-?spies|intelligence[- ]gathering"
    r"|(?:targeted|compromised|breached|attacked) (?:\w+ ){0,5}defen[cs]e (?:sector|compan\w+|firms?|industry|contractors?))\b",
    re.IGNORECASE,
)
_THEFT = re.compile(
    r"\b(?:stole|stolen|steal\w*|theft|thefts|heists?|ransom\w*|loot\w*|pinch\w*|ripped off|extort\w*|launder\w*)\b|\$\s?\d",
    re.IGNORECASE,
)


# Soft hyphens and zero-width characters split words for layout only ("dis\u00adpatched").
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def readable(text: str) -> str:
    """The sentence as read for cues: link targets, bare URLs and HTML tags blanked out, invisible
    hyphens dropped. Only cue matching reads it; evidence is always the article's own text."""
    return _INVISIBLE.sub("", _MARKUP.sub(" ", text))


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
    text = readable(sentence.text)
    if len(text.strip()) < 25 or not _is_prose(text):
        return []
    hypothetical = bool(HYPOTHETICAL.search(text))
    denied = bool(DENIAL.search(text))
    found: list[Candidate] = []
    for cues in types.values():
        match = cues.match(text)
        if match is None:
            continue
        if cues.context:
            if not (linked or sanctions_context):
                continue
            if cues.name == "context_enforcement" and _NORTH_KOREA_ACTS.match(text):
                continue  # "The North … kicked out all South Korean workers and froze the assets": retaliation, not enforcement
            found.append(Candidate(type=cues.name, sentence=sentence.index, cue=match.group(), score=0.6))
            continue
        if not linked or hypothetical or denied or is_negated(text, match):
            continue
        if cues.name == "cyber_theft" and espionage_article and not _THEFT.search(text):
            continue  # a spying operation; past crypto targeting mentioned in passing is not a theft
        found.append(Candidate(type=cues.name, sentence=sentence.index, cue=match.group(), score=0.7))
    return _without_activities_named_by_enforcement(text, found)


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
    act = text.find(enforcement[0].cue)
    kept = []
    for candidate in found:
        cue = text.find(candidate.cue)
        if (
            candidate.type != "context_enforcement"
            and 0 <= act < cue
            and _QUALIFIES_THE_SEIZED.search(text, act, min(len(text), cue + len(candidate.cue) + 30))
        ):
            continue
        kept.append(candidate)
    return kept


# A sentence that carries on the one before through a reference back to it ("These are often
# transferred between ships on the high seas", "As a result of this scheme, they collected over
# $17 million"): its dates, figures and places belong to the same incident.
_CONTINUATION = re.compile(
    r"^[\W_]*(?:These|This|Those|Such|They|Both|At the time|As a result|In (?:total|all)"
    r"|The (?:same|trade|shipments?|transfers?|deliveries|scheme|money|funds|cargo(?:es)?|vessels?|ships?|tankers?|workers|sales?|heist|theft|attack|hack))\b"
    r"(?![’']s)"  # "The ship's registered manager …" tells about the owner, not the event
)

# ... or names it again early on ("Though the pandemic curbed this trade, it is reported to have grown").
_BACK_REFERENCE = re.compile(
    r"\b(?:this|these|those|such) (?:trade|shipments?|transfers?|exports?|imports?|deliveries|schemes?|activit(?:y|ies)"
    r"|smuggling|practices?|ships?|vessels?|tankers?|workers|labou?rers|money|funds|cargo(?:es)?|sales?|deals?|heists?|thefts?|attacks?|hacks?)\b",
    re.IGNORECASE,
)
_BACK_REFERENCE_REACH = 60


def _is_prose(text: str) -> bool:
    return not _QUESTION_OR_HEADLINE.search(text) and bool(_PROSE_END.search(text))


def _kept_beside(document: Document, index: int, other: int) -> bool:
    """Whether sentence ``other`` is prose in the paragraph of sentence ``index`` or the one next to it."""
    if not 0 <= other < len(document.sentences):
        return False
    if abs(document.sentences[other].paragraph - document.sentences[index].paragraph) > 1:
        return False
    return _is_prose(readable(document.sentences[other].text))


def continuation_after(document: Document, index: int) -> int | None:
    """The index of the sentence after ``index`` when it carries ``index`` on (in its paragraph or
    the next), else None."""
    following = index + 1
    if not _kept_beside(document, index, following):
        return None
    text = readable(document.sentences[following].text)
    if not (_CONTINUATION.match(text) or _BACK_REFERENCE.search(text[:_BACK_REFERENCE_REACH])):
        return None
    return following


# A sentence that opens by pointing back ("Many of them had gone there … to earn money for the
# state"): the sentence before names who and where.
_POINTS_BACK = re.compile(r"^[\W_]*(?:(?:Many|Most|Some|All|Few|Several|Many more|Hundreds|Thousands) of (?:them|these|those)|They|These|Those)\b")


def antecedent_before(document: Document, index: int) -> int | None:
    """The index of the sentence before ``index`` when ``index`` opens by pointing back to it, else None."""
    if index == 0 or not _POINTS_BACK.match(document.sentences[index].text) or not _kept_beside(document, index, index - 1):
        return None
    return index - 1


@stage("events", requires={"sentences", "relevance"}, provides={"candidates"}, relevant_only=True)
def events_stage(document: Document) -> Document:
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
