"""Event mentions from the typed sentences and their parse.

For each trigger of a candidate (a cue of the type and the word that makes it an event), the word
that names the act is found in the parse; its modality, its parties and the clause it governs are
read there. A candidate stays a candidate of its type only if one of its triggers tells an act:
for a sanctions activity, asserted (possibly hedged) and not another state's own dealings; for a
context event (an enforcement act, a diplomatic act), anything but a plan, a possibility, a
recommendation, a negation or a question ("proposed that the Council blacklist 10 ships").
"""

from __future__ import annotations

from sanctionwatch.nlp.document import Candidate, Document, Parse
from sanctionwatch.nlp.mentions import EventMention
from sanctionwatch.nlp.mentions.modality import Modality, read_modality
from sanctionwatch.nlp.mentions.parties import dprk_involvement, read_parties
from sanctionwatch.nlp.mentions.syntax import clause_verb, head_token, is_verb, span_of, subtree_span, tokens_at

# What a context event may be told as and still be an event of the article.
CONTEXT_MODALITIES = frozenset({Modality.ASSERTED, Modality.MEASURE, Modality.HABITUAL, Modality.DENIED})
# Of two readings of one trigger, the one earlier here wins.
_MODALITY_ORDER = [
    Modality.ASSERTED, Modality.HABITUAL, Modality.DENIED, Modality.MEASURE, Modality.HYPOTHETICAL, Modality.FUTURE,
    Modality.RECOMMENDED, Modality.NEGATED, Modality.QUESTION,
]


def mentions_of(document: Document, candidate: Candidate, parse: Parse) -> list[EventMention]:
    """One event mention per trigger of the candidate."""
    text = document.sentences[candidate.sentence].text
    found: list[EventMention] = []
    for trigger in candidate.triggers or []:
        # The act is named by the supporting word ("exported" for "coal") or by the cue itself
        # ("ship-to-ship transfers"); where both are nouns either may carry it, so the one told
        # most plainly counts ("malware … to targets in the cryptocurrency sector").
        words = [head_token(tokens_at(parse, trigger.support_start, trigger.support_end)), head_token(tokens_at(parse, trigger.start, trigger.end))]
        readings = [(word, read_modality(word, sentence_text=text)) for word in dict.fromkeys(w for w in words if w is not None)]
        if not readings:
            continue
        event, reading = min(readings, key=lambda pair: (_MODALITY_ORDER.index(pair[1].modality), not is_verb(pair[0])))
        verb = clause_verb(event)
        clause_start, clause_end = subtree_span(parse, verb)
        parties = read_parties(document, candidate.sentence, parse, event)
        event_start, event_end = span_of(parse, [event])
        found.append(
            EventMention(
                type=candidate.type,
                sentence=candidate.sentence,
                cue_start=trigger.start,
                cue_end=trigger.end,
                event_start=event_start,
                event_end=event_end,
                event_text=text[event_start:event_end],
                clause_start=clause_start,
                clause_end=clause_end,
                modality=reading.modality,
                hedge=reading.hedge,
                marker=reading.marker,
                reporting_verb=reading.reporting_verb.text if reading.reporting_verb is not None else "",
                parties=parties,
                involvement=dprk_involvement(parties, text[clause_start:clause_end]),
            )
        )
    return found


def tells_an_event(candidate: Candidate, mentions: list[EventMention]) -> bool:
    """Whether one of the candidate's mentions tells an event of its type (see the module docstring)."""
    if not mentions:
        return True  # no parse to read: the cue stands
    if candidate.type.startswith("context_"):
        return any(m.modality in CONTEXT_MODALITIES for m in mentions)
    return any(m.asserted and m.involvement != "other" for m in mentions)
