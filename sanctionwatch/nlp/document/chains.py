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
