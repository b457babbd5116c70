"""Event mentions from the typed sentences and their parse.

For each trigger of a candidate (a cue of the type and the word that makes it an event), the word
that names the act is found in the parse; its modality, its parties and the clause it governs are
read there. A candidate stays a candidate of its type only if one of its triggers tells an act:
for a sanctions activity, asserted (possibly hedged) and not another state's own dealings; for a
context event (an enforcement act, a diplomatic act), anything but a plan, a possibility, a
recommendation, a negation or a question ("proposed that the Council blacklist 10 ships").
"""

from __future__ import annotations

import re

from sanctionwatch.nlp.document import Candidate, Document, Parse
from sanctionwatch.nlp.lexicon import DPRK_ANCHOR, THE_NORTH
from sanctionwatch.nlp.mentions import EventMention
from sanctionwatch.nlp.mentions.modality import Modality, read_modality
from sanctionwatch.nlp.mentions.parties import Party, dprk_involvement, read_parties
from sanctionwatch.nlp.mentions.syntax import Token, clause_verb, head_token, is_verb, span_of, subtree_span, tokens_at

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
    cue_words = frozenset(
        word.i for word in (head_token(tokens_at(parse, t.start, t.end)) for t in candidate.triggers or []) if word is not None
    )
    for trigger in candidate.triggers or []:
        # The act is named by the supporting word ("exported" for "coal") or by the cue itself
        # ("ship-to-ship transfers"); where both are nouns either may carry it, so the one told
        # most plainly counts ("malware … to targets in the cryptocurrency sector").
        support_word = head_token(tokens_at(parse, trigger.support_start, trigger.support_end))
        cue_word = head_token(tokens_at(parse, trigger.start, trigger.end))
        if trigger.needs_link and not (support_word is not None and cue_word is not None and linked(cue_word, support_word)):
            continue  # a shared-set word that merely stands near the cue
        if support_word is not None and cue_word is not None and _describes(support_word, cue_word, cue_words):
            continue  # "the solid-fuel missile": a word that describes the goods names no act
        # A verb that supports the cue names the act ("carrying coal": carrying); so does any word
        # of a shared set. Otherwise either word may ("malware … to targets in the crypto sector").
        if support_word is not None and (trigger.needs_link or is_verb(support_word)):
            words = [support_word]
        else:
            words = [support_word, cue_word]
        readings = [(word, read_modality(word, sentence_text=text)) for word in dict.fromkeys(w for w in words if w is not None)]
        if not readings:
            continue
        event, reading = min(readings, key=lambda pair: (_MODALITY_ORDER.index(pair[1].modality), not is_verb(pair[0])))
        if event.lemma_.lower() in CONVEYANCE_VERBS and not _conveyed(event):
            continue  # "a rocket capable of carrying a device", "carrying a huge standing army"
        if candidate.type == "context_enforcement" and (_a_standing_measure(event) or (cue_word is not None and _a_standing_measure(cue_word))):
            continue  # "two companies on the U.N. sanctions blacklist": a state of affairs, not an act
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
                involvement=dprk_involvement(parties, text[clause_start:clause_end], candidate.type),
                clause_link=verb.dep_,
            )
        )
    return found


# Verbs that move goods only when a conveyance or a courier does it: ships, trucks and people
# carry cargo; a state "carrying a standing army" or a rocket carrying a warhead moves nothing.
CONVEYANCE_VERBS = frozenset({"carry"})
CONVEYANCES = frozenset(
    """ship vessel tanker freighter carrier bulker barge boat trawler ferry truck lorry train wagon plane
    aircraft jet flight container courier smuggler crew sailor driver trader broker diplomat""".split()
)


# Nouns of measures that, after "on" or "under", say what something is subject to.
STANDING_MEASURES = frozenset("blacklist list sanction sanctions embargo designation ban".split())


def _a_standing_measure(word: Token) -> bool:
    """"on the sanctions blacklist", "under U.N. sanctions": a measure in force, not an act."""
    noun = word.head if word.dep_ == "compound" else word  # "the sanctions blacklist"
    return not is_verb(noun) and noun.lemma_.lower() in STANDING_MEASURES and noun.dep_ == "pobj" and noun.head.lower_ in ("on", "under")


def _conveyed(verb: Token) -> bool:
    """Whether the subject of a conveyance verb is a conveyance or a courier (or left unsaid)."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj",)]
    if not subjects and verb.dep_ == "acl":
        subjects = [verb.head]  # "ships carrying fuel"
    if not subjects and verb.dep_ in ("advcl", "xcomp", "conj"):
        # "…, carrying a huge standing army": the subject of the clause it hangs from.
        subjects = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects and verb.dep_ == "pcomp":
        # "stopped for carrying ammunition": the thing stopped.
        above = verb.head.head
        subjects = [c for c in above.children if c.dep_ in ("nsubj", "nsubjpass")]
    return not subjects or any(s.lemma_.lower() in CONVEYANCES or s.lower_ in ("it", "they", "she") for s in subjects)


# How many arcs may part goods from the word that moves them ("exported 3 million tons of coal").
LINK_ARCS = 4
# (Not "nsubj": goods are moved, they do not move things; "clothing companies … sending workers"
# is no trade in clothing.)
_LINK_DEPENDENCIES = frozenset({"dobj", "pobj", "prep", "compound", "nsubjpass", "conj", "appos", "amod", "nmod", "acl", "relcl", "attr", "dative", "agent", "pcomp", "npadvmod", "oprd", "poss", "nummod", "quantmod", "advcl", "xcomp"})


def _describes(word: Token, goods: Token, cue_words: frozenset[int] = frozenset()) -> bool:
    """Whether the supporting word is part of a hyphenated modifier of the goods' own noun or of
    another cue word of the sentence ("the solid-fuel missile", "weapons …, including solid-fuel
    missiles", "a sea-supplied outpost"): a description of goods, not an act. ("an oil-smuggling
    ring": the goods modify the act word, which stays an act.)"""
    return (
        word.i != goods.i
        and word.dep_ in ("compound", "amod", "nmod")
        and any(child.tag_ == "HYPH" for child in word.children)
        and (word.head.i == goods.i or word.head.i in cue_words)
    )


def linked(goods: Token, mover: Token) -> bool:
    """Whether the parse links a cue word to a supporting word: one governs the other within
    LINK_ARCS arcs of argument and modifier links ("carrying coal", "coal exports", "shipments of
    fuel", "the cars were brought in"), or both hang off the same verb as its arguments."""
    for lower, upper in ((goods, mover), (mover, goods)):
        current = lower
        for _ in range(LINK_ARCS):
            if current.head.i == current.i or current.dep_ not in _LINK_DEPENDENCIES:
                break
            current = current.head
            if current.i == upper.i:
                return True
    return goods.head.i == mover.head.i and goods.dep_ in ("dobj", "nsubjpass") and mover.dep_ in ("dobj", "nsubj", "prep")


_ABROAD = re.compile(
    r"\b(?:abroad|overseas|foreign|remote|freelance|IT workers?|laptop farms?|identities|exported|export"
    r"|around the world|worldwide|outside the country)\b",
    re.IGNORECASE,
)


def works_abroad(document: Document, sentence_index: int) -> bool:
    """Labour export is work abroad: the sentence or the one before names another state or says
    abroad ("many are employed as labourers … in impoverished parts of the country" is not)."""
    for index in (sentence_index, sentence_index - 1):
        if index < 0:
            continue
        if _ABROAD.search(document.sentences[index].text):
            return True
        if any(e.country and e.country != "KP" for e in document.entities_in(index)):
            return True
    return False


def tells_an_event(candidate: Candidate, mentions: list[EventMention]) -> bool:
    """Whether one of the candidate's mentions tells an event of its type (see the module docstring)."""
    if not mentions:
        # No mention: the parse rejected every trigger (a link it does not show, a conveyance
        # verb without a conveyance, a standing measure), so the candidate goes.
        return False
    if candidate.type.startswith("context_"):
        return any(m.modality in CONTEXT_MODALITIES for m in mentions)
    return any(m.asserted and m.involvement != "other" for m in mentions)


def tells_an_event_in(document: Document, candidate: Candidate, mentions: list[EventMention]) -> bool:
    """``tells_an_event``, and for labour export, work abroad (``works_abroad``). A sentence
    without a parse keeps its candidates (the cues stand)."""
    if candidate.sentence not in document.parses:
        return True
    if not tells_an_event(candidate, mentions):
        return False
    if candidate.type == "arms_military" and all(_armed_at_home(m) for m in mentions if m.asserted):
        return False
    if candidate.type == "arms_military" and not _north_korea_in_reach(document, candidate, mentions):
        return False
    if candidate.type == "context_enforcement" and _background_designation(document, candidate, mentions):
        return False
    if candidate.type == "context_diplomatic" and _cause_of_an_enforcement_act(document, candidate, mentions):
        return False
    return candidate.type != "labor_export" or works_abroad(document, candidate.sentence)


# A state's own armed and security forces: arms sent to them stay inside the country.
HOME_FORCES = frozenset("police army military troops soldiers guards forces units militia garrison garrisons border".split())


def _armed_at_home(mention: EventMention) -> bool:
    """"The government is sending ammunition to the police", "supplied rifles to its border guards":
    weapons whose only recipient is the state's own forces, no other state named, move inside the
    country and breach no embargo ("sent shells to Russian troops" names Russia and stays); so do
    its own forces sent to a place at home."""
    if any(set(p.countries) - {"KP"} for p in mention.parties):
        return False
    recipients = [p for p in mention.parties if p.role == "recipient"]
    themes = [p for p in mention.parties if p.role == "theme"]
    if recipients and all(_home_force(p) for p in recipients):
        return True
    # "sent the special forces to the border area": its own troops moved within the country.
    return bool(themes) and bool(recipients) and all(_home_force(p) for p in themes)


def _home_force(party: Party) -> bool:
    words = party.text.lower().split()
    return bool(words) and words[-1] in HOME_FORCES


# How many sentences back a mention of North Korea keeps an act with no named party in reach.
REACH_SENTENCES = 2


def _north_korea_in_reach(document: Document, candidate: Candidate, mentions: list[EventMention]) -> bool:
    """An arms deal whose parties name no state is North Korea's only where North Korea is named
    in its sentence or just before: a story that opens on North Korea often turns to the arms
    trade of others ("As for China, over half its arms exports … went to Pakistan"). (Measured:
    for every activity type this rule cost more recall than it saved precision, on both halves;
    for arms alone it gained on dev_b and left dev as it was.)"""
    if any(m.asserted and m.involvement in ("party", "clause") for m in mentions):
        return True
    low = max(0, candidate.sentence - REACH_SENTENCES)
    return any(DPRK_ANCHOR.search(document.sentences[i].text) or THE_NORTH.search(document.sentences[i].text) for i in range(low, candidate.sentence + 1))


def _cause_of_an_enforcement_act(document: Document, candidate: Candidate, mentions: list[EventMention]) -> bool:
    """"The panel was dissolved on Apr. 30 after Russia vetoed a plan to extend its mandate": a
    diplomatic act told only as the cause or the time of the sentence's enforcement act, in a
    clause under it, is part of that act's story, not an incident of its own."""
    acts = [m for m in document.mentions_in(candidate.sentence, "context_enforcement") if m.asserted]
    return bool(acts) and all(
        m.clause_link == "advcl" and any(a.clause_start <= m.event_start < a.clause_end for a in acts) for m in mentions
    )


_DESIGNATION = re.compile(r"^(?:designat\w*|sanction\w*|blacklist\w*|list(?:ed|ing)|nam(?:ed|ing)|target\w*)$", re.IGNORECASE)
# A designation dated this long before publication is background (ANNOTATION_NOTES).
BACKGROUND_DESIGNATION_DAYS = 90


def _background_designation(document: Document, candidate: Candidate, mentions: list[EventMention]) -> bool:
    """"While the Angara was sanctioned by the US government in May 2022, …": an earlier designation
    named as background is no enforcement act of the story (seizures and forfeitures are)."""
    acts = [m for m in mentions if m.modality in CONTEXT_MODALITIES]
    if not acts or not all(_DESIGNATION.match(m.event_text) for m in acts):
        return False
    published = document.article.published
    ends = [m.range.end for m in document.time_mentions.get(candidate.sentence, []) if not m.is_reporting_date and m.range.end]
    return published is not None and bool(ends) and all((published - end).days > BACKGROUND_DESIGNATION_DAYS for end in ends)

