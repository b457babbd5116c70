"""Chains: the sentences that speak of the same ship.

A ship introduced by name ("a North Korean freighter, the Jin Teng", "the tanker Lighthouse
Winmore") is spoken of again by its name, by a definite description ("the freighter", "the
ship", "the vessel") or by a sentence-opening pronoun ("It had been stopped in 2010 …"). Each
such sentence belongs to the ship's chain until another ship is introduced (a description then
means the newer one) or the chain goes quiet for ``CHAIN_GAP_SENTENCES`` sentences.

An incident about a ship takes its date and its places from the chain when its own sentences give
none ("The freighter arrived Thursday in Subic Bay …"); the chain's sentences are read (times,
places) like the typed ones for that reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sanctionwatch.nlp.arguments.vessels import find_vessels
from sanctionwatch.nlp.document import Document

# A description that points back to the ship last introduced.
_DESCRIPTION = re.compile(
    r"\b(?:the|this|that|her|its)\s+(?:(?:[\w-]+\s+){0,2})?"
    r"(?:ship|vessel|freighter|tanker|carrier|bulker|bulk\s+carrier|cargo\s+ship|boat|trawler|barge)\b(?![’']s\s+(?:owner|operator|manager))",
    re.IGNORECASE,
)
_OPENING_PRONOUN = re.compile(r"^[\W_]*(?:It|She)\b")
# A chain that goes this many sentences without a reference has ended.
CHAIN_GAP_SENTENCES = 6


@dataclass(slots=True)
class Chain:
    """One ship: its name (or IMO) and the sentences that speak of it, in order."""

    key: str
    name: str
    sentences: list[int] = field(default_factory=list)


def vessel_chains(document: Document) -> list[Chain]:
    """The ship chains of a document, read once per document."""
    cached = document.memo.get("vessel_chains")
    if isinstance(cached, list):
        return cached
    chains: dict[str, Chain] = {}
    current: Chain | None = None
    last_seen = -1
    for sentence in document.sentences:
        named = [v for v in find_vessels(sentence.text) if v.vessel.name or v.vessel.imo]
        if named:
            for mention in named:
                key = (mention.vessel.imo or mention.vessel.name or "").casefold()
                chain = chains.setdefault(key, Chain(key=key, name=mention.vessel.name or mention.vessel.imo or key))
                if sentence.index not in chain.sentences:
                    chain.sentences.append(sentence.index)
                current = chain
            last_seen = sentence.index
            continue
        if current is None or sentence.index - last_seen > CHAIN_GAP_SENTENCES:
            current = None
            continue
        names_it = current.name.casefold() in sentence.text.casefold()
        if names_it or _DESCRIPTION.search(sentence.text) or _OPENING_PRONOUN.match(sentence.text):
            current.sentences.append(sentence.index)
            last_seen = sentence.index
    found = list(chains.values())
    document.memo["vessel_chains"] = found
    return found


def chain_of(document: Document, index: int) -> Chain | None:
    """The ship chain sentence ``index`` belongs to, if any."""
    return next((chain for chain in vessel_chains(document) if index in chain.sentences), None)


# Goods a story follows from place to place ("we investigated a shipment of two bulletproof
# Mercedes … the cars arrive in China. We track them to the port of Dalian."): what moves is
# spoken of again by a definite description of a shipment, of its path, or of the goods the typed
# sentence names, or, in the very next sentence, by a pronoun.
_SHIPMENT_HEADS = (
    "shipments?", "cargo(?:es)?", "consignments?", "containers?", "goods", "deliveries", "items", "crates",
    "vehicles", "cars", "trail", "route", "journey", "voyage",
)
_REFERENCE_OPENING = r"\b(?:the|these|those|this|that|such|its|their)\s+(?:[\w-]+,?\s+){0,2}"
# Goods are moved, so a pronoun for them is an object ("We track them"); "they" is more often the
# people or the ships.
_PRONOUN_REFERENCE = re.compile(r"\bthem\b", re.IGNORECASE)
# A chain that goes this many sentences without a reference has ended.
CARGO_GAP_SENTENCES = 2
# How far on a chain may run from the typed sentence, in sentences.
CARGO_REACH_SENTENCES = 12


def _reference_pattern(heads: set[str]) -> re.Pattern[str]:
    alternatives = sorted(heads, key=len, reverse=True)
    return re.compile(_REFERENCE_OPENING + r"(?:" + "|".join(alternatives) + r")\b(?![’']s)", re.IGNORECASE)


# A shipment the sentence introduces ("a shipment of two bulletproof Mercedes", "hundreds of
# containers"), not one it points back to ("after the cars disappeared": another story's goods).
_SHIPMENT_WORD = re.compile(
    r"(?<!\bthe )(?<!\bthese )(?<!\bthose )(?<!\bthis )(?<!\bthat )(?<!\bits )(?<!\btheir )\b(?:" + "|".join(_SHIPMENT_HEADS[:-4]) + r")\b",
    re.IGNORECASE,
)


def _goods_heads(document: Document, index: int, commodity_terms: tuple[re.Pattern[str], ...]) -> set[str]:
    """The last word of each commodity the typed sentence (or the one before) names ("Mercedes"),
    and the words of shipments and their paths where the typed sentence itself speaks of one ("a shipment of two
    bulletproof Mercedes": later "the cars", "the trail")."""
    heads: set[str] = set()
    for other in (index - 1, index):
        if other < 0:
            continue
        if other == index and _SHIPMENT_WORD.search(document.sentences[other].text):
            heads.update(_SHIPMENT_HEADS)
        for pattern in commodity_terms:
            for match in pattern.finditer(document.sentences[other].text):
                words = re.findall(r"[\w-]+", match.group(0))
                if words:
                    heads.add(re.escape(words[-1]))
    return heads


def cargo_chain(document: Document, index: int, commodity_terms: tuple[re.Pattern[str], ...]) -> list[int]:
    """The sentences after typed sentence ``index`` that follow its goods on their way: each
    refers back to them and tells of movement (``[sets] transfer`` or ``movement``). The chain
    runs on through references without movement ("The cars are on two of the containers") and
    ends after ``CARGO_GAP_SENTENCES`` sentences without one, at a paragraph gap, or
    ``CARGO_REACH_SENTENCES`` on."""
    key = f"cargo_chain:{index}:{id(commodity_terms)}"
    cached = document.memo.get(key)
    if isinstance(cached, list):
        return cached
    from sanctionwatch.nlp.cues import word_set

    moving = (word_set("transfer"), word_set("movement"))
    heads = _goods_heads(document, index, commodity_terms)
    if not heads:
        document.memo[key] = []
        return []
    reference = _reference_pattern(heads)
    found: list[int] = []
    last = index
    for other in range(index + 1, min(len(document.sentences), index + CARGO_REACH_SENTENCES + 1)):
        if other - last > CARGO_GAP_SENTENCES:
            break
        sentence = document.sentences[other]
        if sentence.paragraph - document.sentences[last].paragraph > 1:
            break
        refers = bool(reference.search(sentence.text)) or (other == last + 1 and bool(_PRONOUN_REFERENCE.search(sentence.text)))
        if not refers:
            continue
        last = other
        if any(pattern.search(sentence.text) for pattern in moving):
            found.append(other)
    document.memo[key] = found
    return found
