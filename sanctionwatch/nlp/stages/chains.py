"""The chains stage: sentences that speak of the same ship as a typed sentence, or follow its
goods on their way, are read too."""

from __future__ import annotations

import re

from sanctionwatch.nlp.cues import load_incident_types
from sanctionwatch.nlp.document import Document
from sanctionwatch.nlp.document.chains import cargo_chain, chain_of
from sanctionwatch.nlp.stage import stage

# A chain sentence this far before or after a typed one may give it a date or a place.
SUPPORT_BEFORE_SENTENCES = 2
SUPPORT_AFTER_SENTENCES = 8
# A statement with a day near an official act is read too: the act may take its date
# ("OFAC said on Tuesday", incidents.assemble).
_DATED_STATEMENT = re.compile(
    r"\b(?:said|says|announced|stated|told|added|confirmed)\b.{0,120}\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday)\b"
    r"|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday)\b.{0,60}\b(?:said|says|announced|stated)\b",
    re.IGNORECASE,
)
STATEMENT_REACH_SENTENCES = 8


@stage("chains", requires={"sentences", "candidates"}, provides={"chains"}, relevant_only=True)
def chains_stage(document: Document) -> Document:
    """Find the ship chains and the goods' chains; mark the chain sentences near typed sentences
    to be read for arguments."""
    types = load_incident_types()
    for candidate in document.candidates:
        cues = types.get(candidate.type)
        if cues is not None and not cues.context:
            document.support_sentences.update(cargo_chain(document, candidate.sentence, cues.commodity_terms))
        if cues is not None and cues.context:
            low, high = max(0, candidate.sentence - STATEMENT_REACH_SENTENCES), candidate.sentence + STATEMENT_REACH_SENTENCES
            document.support_sentences.update(
                s.index for s in document.sentences[low : high + 1] if s.index != candidate.sentence and _DATED_STATEMENT.search(s.text)
            )
        chain = chain_of(document, candidate.sentence)
        if chain is None:
            continue
        low, high = candidate.sentence - SUPPORT_BEFORE_SENTENCES, candidate.sentence + SUPPORT_AFTER_SENTENCES
        document.support_sentences.update(i for i in chain.sentences if low <= i <= high and i != candidate.sentence)
    return document
