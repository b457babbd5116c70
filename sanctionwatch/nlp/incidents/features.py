"""Features of typed sentences and of pairs of them, for the learned scorers (``scoring.py``).

Every feature is read from what the rules and the parse already found: the event mentions
(modality, hedge, North Korea's part), the arguments of the sentence (partner states, vessels,
victims, sums, times) and where the sentence stands in the article. No word of a sentence is a
feature by itself, so what the scorers learn are the shapes of incidents, not the phrasing of
the articles they were fitted on.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from sanctionwatch.model import TimeRange
from sanctionwatch.nlp.document import Candidate, Document
from sanctionwatch.nlp.incidents.arguments import incident_time
from sanctionwatch.nlp.lexicon import DPRK_ANCHOR, REPORTED, SPECULATIVE
from sanctionwatch.nlp.mentions import EventMention
from sanctionwatch.nlp.mentions.modality import Hedge, Modality

# Families of types: the scorers share what they learn within a family, not across all types.
TYPE_FAMILIES = {
    "cyber_theft": "cyber",
    "financial_banking": "finance",
    "labor_export": "labour",
    "arms_military": "arms",
    "wmd_dual_use_procurement": "arms",
    "context_enforcement": "enforcement",
    "context_diplomatic": "diplomatic",
}
# Everything else is trade in goods (coal, oil, seafood, textiles, luxury goods, machinery, transfers).
TRADE_FAMILY = "trade"

# A sentence that opens by pointing back to what was just told.
ANAPHORIC_OPENING = re.compile(
    r"^[\W_]*(?:The|This|These|That|Those|It|They|Its|Their|Such|Both|Both of|Each|He|She)\b(?!\s+(?:first|second|new|latest)\b)"
)
_QUOTE_OPENING = re.compile(r"^[\W_]*[\"“‘']")
_EXAMPLE = re.compile(r"\b(?:such as|for example|for instance|including|e\.g\.|like)\b", re.IGNORECASE)
_GENERIC = re.compile(r"\b(?:often|typically|routinely|frequently|commonly|tend(?:s|ed)? to|countries|regimes|states)\b", re.IGNORECASE)
_LIST_MARK = re.compile(r"^\s*(?:\d+\.|[-*•])\s")


def family(incident_type: str) -> str:
    return TYPE_FAMILIES.get(incident_type, TRADE_FAMILY)


def mentions_for(document: Document, candidate: Candidate) -> list[EventMention]:
    return document.mentions_in(candidate.sentence, candidate.type)


def best_mention(document: Document, candidate: Candidate) -> EventMention | None:
    """The mention that tells the candidate's event most plainly (asserted, with North Korea a party)."""
    mentions = mentions_for(document, candidate)
    if not mentions:
        return None
    order = {"party": 0, "clause": 1, "none": 2, "other": 3}
    return min(mentions, key=lambda m: (not m.asserted, order.get(m.involvement, 4)))


@dataclass(frozen=True, slots=True)
class SentenceFacts:
    """What the pair features compare: a typed sentence's arguments and time."""

    index: int
    paragraph: int
    partners: frozenset[str]
    vessels: frozenset[str]
    victims: frozenset[str]
    amounts: frozenset[float]
    time: TimeRange | None
    reporting_verb: str
    anaphoric: bool
    event_word: str


def sentence_time(document: Document, candidate: Candidate) -> TimeRange | None:
    found = incident_time(document, [candidate.sentence], context=candidate.type.startswith("context_"), incident_type=candidate.type)
    return found if (found.start or found.end) else None


def candidate_features(document: Document, candidate: Candidate, facts: SentenceFacts, *, same_type_count: int) -> dict[str, float]:
    """Features of one typed sentence: does it tell an incident of its type?"""
    sentence = document.sentences[candidate.sentence]
    text = sentence.text
    mention = best_mention(document, candidate)
    features: dict[str, float] = {f"family={family(candidate.type)}": 1.0}
    if mention is not None:
        features[f"modality={mention.modality.value}"] = 1.0
        features[f"hedge={mention.hedge.value}"] = 1.0
        features[f"involvement={mention.involvement}"] = 1.0
        features["reporting_verb"] = float(bool(mention.reporting_verb))
        features["agent_named"] = float(any(p.role == "agent" for p in mention.parties))
    else:
        features["no_parse"] = 1.0
    total = max(1, len(document.sentences))
    features["position"] = candidate.sentence / total
    features["lede"] = float(candidate.sentence < 3)
    features["log_length"] = math.log(1 + len(text)) / 6
    features["quote_opening"] = float(bool(_QUOTE_OPENING.match(text)))
    features["list_item"] = float(bool(_LIST_MARK.match(text)))
    features["example"] = float(bool(_EXAMPLE.search(text)))
    features["generic"] = float(bool(_GENERIC.search(text)))
    features["speculative_word"] = float(bool(SPECULATIVE.search(text)))
    features["reported_word"] = float(bool(REPORTED.search(text)))
    features["dprk_named"] = float(bool(DPRK_ANCHOR.search(text)))
    features["log_article_anchors"] = math.log(1 + len(DPRK_ANCHOR.findall(document.text))) / 4
    features["log_same_type"] = math.log(1 + same_type_count) / 3
    features["strong_cue"] = float(any(getattr(t, "strong", False) for t in candidate.triggers))
    features["log_triggers"] = math.log(1 + len(candidate.triggers)) / 2
    features["has_partner"] = float(bool(facts.partners))
    features["has_vessel"] = float(bool(facts.vessels))
    features["has_amount"] = float(bool(facts.amounts) or bool(document.quantity_mentions.get(candidate.sentence)))
    features["closed_time"] = float(bool(facts.time and facts.time.start and facts.time.end))
    features["open_time"] = float(bool(facts.time and not (facts.time.start and facts.time.end)))
    features["mapped_place"] = float(any(m.location is not None and m.location.lat is not None for m in document.entities_in(candidate.sentence)))
    features["continuation"] = float(bool(candidate.extra_sentences))
    features["anaphoric"] = float(facts.anaphoric)
    return features


def pair_features(document: Document, earlier: SentenceFacts, later: SentenceFacts) -> dict[str, float]:
    """Features of two typed sentences of one type: do they tell the same incident?"""
    distance = later.index - earlier.index
    features: dict[str, float] = {
        "log_distance": math.log(1 + distance) / 3,
        "adjacent": float(distance == 1),
        "same_paragraph": float(earlier.paragraph == later.paragraph),
        "next_paragraph": float(later.paragraph - earlier.paragraph == 1),
        "later_anaphoric": float(later.anaphoric),
    }
    for name in ("partners", "vessels", "victims"):
        first, second = getattr(earlier, name), getattr(later, name)
        features[f"{name}_shared"] = float(bool(first & second))
        features[f"{name}_conflict"] = float(bool(first and second and not first & second))
        features[f"{name}_one_missing"] = float(bool(first) != bool(second))
    shared_amount = any(abs(a - b) <= 0.1 * max(a, b) for a in earlier.amounts for b in later.amounts)
    features["amount_shared"] = float(shared_amount)
    features["amount_conflict"] = float(bool(earlier.amounts and later.amounts and not shared_amount))
    features.update(_time_relation(earlier.time, later.time))
    features["both_reported_by_different_verbs"] = float(
        bool(earlier.reporting_verb and later.reporting_verb and earlier.reporting_verb.lower() != later.reporting_verb.lower())
    )
    features["same_event_word"] = float(earlier.event_word.lower()[:5] == later.event_word.lower()[:5] and bool(earlier.event_word))
    specific = [bool(f.partners or f.vessels or f.victims or f.amounts) for f in (earlier, later)]
    features["neither_specific"] = float(not any(specific))
    features["both_specific"] = float(all(specific))
    return features


def _time_relation(first: TimeRange | None, second: TimeRange | None) -> dict[str, float]:
    from sanctionwatch.nlp.incidents.grouping import far_apart

    closed = [bool(t and t.start and t.end) for t in (first, second)]
    relation = {"time_both_closed_overlap": 0.0, "time_both_closed_apart": 0.0, "time_one_missing": 0.0, "time_none": 0.0, "time_open": 0.0}
    if first is None and second is None:
        relation["time_none"] = 1.0
    elif first is None or second is None:
        relation["time_one_missing"] = 1.0
    elif all(closed):
        assert first.start and first.end and second.start and second.end
        overlap = first.start <= second.end and second.start <= first.end
        relation["time_both_closed_overlap" if overlap and not far_apart(first, second) else "time_both_closed_apart"] = 1.0
    else:
        relation["time_open"] = 1.0
    return relation


def modality_is_asserted(mention: EventMention | None) -> bool:
    return mention is not None and mention.modality is Modality.ASSERTED and mention.hedge is not Hedge.SPECULATIVE


def incident_features(
    document: Document,
    candidates: list[Candidate],
    facts: list[SentenceFacts],
    *,
    certainty: str,
    attribution: str,
    has_quantity: bool,
    has_place: bool,
    has_time: bool,
    ambiguous_type: bool,
    same_type_incidents: int,
) -> dict[str, float]:
    """Features of a built incident (its sentences, arguments and sourcing): is it right?"""
    lead = candidates[0]
    features = candidate_features(document, lead, facts[0], same_type_count=same_type_incidents)
    mentions = [m for c in candidates for m in mentions_for(document, c)]
    features["log_sentences"] = math.log(len(candidates)) / 2
    features[f"certainty={certainty}"] = 1.0
    features["outlet_voice"] = float(attribution in ("journalist_observation", "ngo_research") and not any(m.reporting_verb for m in mentions))
    features["has_quantity"] = float(has_quantity)
    features["has_place"] = float(has_place)
    features["has_time"] = float(has_time)
    features["ambiguous_type"] = float(ambiguous_type)
    features["any_party"] = float(any(m.involvement == "party" for m in mentions))
    features["any_dprk_named"] = float(any(DPRK_ANCHOR.search(document.sentences[c.sentence].text) for c in candidates))
    return features
