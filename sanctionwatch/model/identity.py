"""Incident identity: which incident of a new extraction is which stored one.

Analysts' decisions (reviews, edits, cluster choices) hang on an incident's id, so that id must
outlive everything that re-extracts an article: its text edited or re-fetched, the same input
ingested again, ``reextract``, a newer extractor. Character offsets do not survive any of those
(one line prepended renumbers every span), so identity rests on what the incident says:

- its **type** (the machine's, or the one an analyst corrected it to),
- its **evidence** sentences, compared as normalised text (whitespace and case folded) with a
  fuzzy ratio, so a fixed typo, a re-flowed paragraph or one more evidence sentence still match,
- its **arguments**: actor and place names, vessel names and IMO numbers, the quantity and the
  commodity, compared as sets.

``match_incidents`` pairs new with stored incidents one to one, best pair first. A new incident
without a partner gets ``natural_incident_id`` (article, type, normalised first sentence: no
offsets); a stored one without a partner has vanished and keeps its row and its review.

Everything here works on incidents in the exchange format (``Incident.to_dict()``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

# Evidence this similar (0..1) is the same passage whatever the arguments say.
SAME_EVIDENCE = 0.9
# Below SAME_EVIDENCE, evidence at least this similar matches when the arguments agree too.
RELATED_EVIDENCE = 0.6
AGREEING_ARGUMENTS = 0.5
# token_set_ratio scores a sentence inside a longer one as 100: trusted only for real sentences.
MIN_WORDS_FOR_CONTAINMENT = 6


def normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def natural_incident_id(article_id: str, incident_type: str, evidence: Sequence[str], *, salt: int = 0) -> str:
    """An id from what the incident says, not where: article, type and first evidence sentence.

    ``salt`` > 0 separates two different incidents that share type and first sentence.
    """
    anchor = normalise(evidence[0]) if evidence else ""
    basis = f"{article_id}|{incident_type}|{anchor}" + (f"|{salt}" if salt else "")
    return "i-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def _sentence_similarity(left: str, right: str) -> float:
    score = fuzz.ratio(left, right)
    if min(len(left.split()), len(right.split())) >= MIN_WORDS_FOR_CONTAINMENT:
        score = max(score, fuzz.token_set_ratio(left, right))
    return score / 100.0


def evidence_similarity(old: Iterable[str], new: Iterable[str]) -> float:
    """The best similarity between any old and any new evidence sentence (0..1)."""
    old_sentences = [normalise(s) for s in old if s and s.strip()]
    new_sentences = [normalise(s) for s in new if s and s.strip()]
    if not old_sentences or not new_sentences:
        return 0.0
    return max(_sentence_similarity(a, b) for a in old_sentences for b in new_sentences)


def argument_tokens(incident: Mapping[str, Any]) -> set[str]:
    """The incident's arguments as comparable tokens ("actor:north korea", "qty:2000-2000 workers")."""
    tokens: set[str] = set()
    for actor in incident.get("actors") or ():
        if actor.get("name"):
            tokens.add("actor:" + normalise(str(actor["name"])))
    for location in incident.get("locations") or ():
        if location.get("name"):
            tokens.add("place:" + normalise(str(location["name"])))
    for vessel in incident.get("vessels") or ():
        if vessel.get("imo"):
            tokens.add("imo:" + str(vessel["imo"]))
        if vessel.get("name"):
            tokens.add("vessel:" + normalise(str(vessel["name"])))
    quantity = incident.get("quantity") or {}
    if quantity:
        tokens.add(f"qty:{quantity.get('min')}-{quantity.get('max')} {normalise(str(quantity.get('unit') or ''))}")
    if incident.get("commodity"):
        tokens.add("commodity:" + normalise(str(incident["commodity"])))
    return tokens


def argument_similarity(old: Mapping[str, Any], new: Mapping[str, Any]) -> float:
    left, right = argument_tokens(old), argument_tokens(new)
    if not left and not right:
        return 1.0
    return len(left & right) / len(left | right)


@dataclass(frozen=True, slots=True)
class StoredIncident:
    """What matching needs of a stored incident."""

    id: str
    data: Mapping[str, Any]  # the machine's output, exchange format
    edited_type: str | None = None  # the type an analyst set, when one did


def match_score(stored: StoredIncident, new: Mapping[str, Any]) -> float | None:
    """How well a new incident matches a stored one (higher is better), None when it does not."""
    if new.get("type") not in {stored.data.get("type"), stored.edited_type}:
        return None
    evidence = evidence_similarity(stored.data.get("evidence") or (), new.get("evidence") or ())
    arguments = argument_similarity(stored.data, new)
    if evidence >= SAME_EVIDENCE or (evidence >= RELATED_EVIDENCE and arguments >= AGREEING_ARGUMENTS):
        return 0.7 * evidence + 0.3 * arguments
    return None


def match_incidents(stored: Sequence[StoredIncident], new: Sequence[Mapping[str, Any]]) -> dict[int, str]:
    """New incident index → stored id, one to one, the best-scoring pairs first."""
    candidates: list[tuple[float, int, int]] = []
    for new_index, incident in enumerate(new):
        for stored_index, old in enumerate(stored):
            score = match_score(old, incident)
            if score is not None:
                candidates.append((score, new_index, stored_index))
    # Ties go to input order, so the same inputs always give the same pairs.
    candidates.sort(key=lambda item: (-item[0], item[1], item[2]))
    matched: dict[int, str] = {}
    taken: set[int] = set()
    for _score, new_index, stored_index in candidates:
        if new_index in matched or stored_index in taken:
            continue
        matched[new_index] = stored[stored_index].id
        taken.add(stored_index)
    return matched


def assign_incident_ids(
    article_id: str, stored: Sequence[StoredIncident], new: Sequence[Mapping[str, Any]], *, taken_ids: Iterable[str] = ()
) -> list[str]:
    """An id for each new incident: its stored partner's, else a fresh natural id unused so far."""
    matched = match_incidents(stored, new)
    used = set(taken_ids) | {s.id for s in stored} | set(matched.values())
    ids: list[str] = []
    for index, incident in enumerate(new):
        if index in matched:
            ids.append(matched[index])
            continue
        salt = 0
        candidate = natural_incident_id(article_id, str(incident.get("type")), incident.get("evidence") or ())
        while candidate in used:
            salt += 1
            candidate = natural_incident_id(article_id, str(incident.get("type")), incident.get("evidence") or (), salt=salt)
        used.add(candidate)
        ids.append(candidate)
    return ids
