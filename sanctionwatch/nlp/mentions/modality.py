"""Modality of an event mention, read from the parse of its clause.

A cue word names an activity; whether the sentence says the activity happened is a matter of
syntax. "North Korea exported coal" asserts it; "banned its exports of coal" gives the content of
a measure; "could export coal" a possibility; "will dispatch workers next year" a plan; "did not
send" a negation; "usually ships coal through Nampo" a habit; "should publicise arms deals" a
recommendation. The modality is read from the event word, the verb it is an argument of, and the
words governing that verb up to the first reporting verb ("officials said …" frames the claim,
it does not change what is claimed). A relative clause ("firms that buy coal") is a separate
assertion: nothing above it is inherited.

Hedges are kept apart from modality: "may have sold" and "is believed to have sent" still tell an
event (``hedge`` is ``speculative`` or ``reported``), while "may sell" is only a possibility.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sanctionwatch.nlp.mentions.syntax import Token, children, is_verb


class Modality(StrEnum):
    ASSERTED = "asserted"
    NEGATED = "negated"
    HYPOTHETICAL = "hypothetical"  # could, would, if, a possible deal
    FUTURE = "future"  # will, plans to, next year
    RECOMMENDED = "recommended"  # should, urged to, called for
    MEASURE = "measure"  # the content of a ban, a cap, a sanction ("banned exports of coal")
    HABITUAL = "habitual"  # usually, typically
    DENIED = "denied"  # denied that it sold
    QUESTION = "question"


class Hedge(StrEnum):
    NONE = "none"
    REPORTED = "reported"  # believed, suspected, alleged, accused of
    SPECULATIVE = "speculative"  # may have, appears, likely, linked to


@dataclass(frozen=True, slots=True)
class ModalityReading:
    modality: Modality
    hedge: Hedge
    # The word that decided it ("banned", "could", "usually"), for explanations and features.
    marker: str = ""
    # The reporting verb framing the clause ("said", "told"), when there is one.
    reporting_verb: Token | None = None


# Verbs and nouns whose object or complement is the content of a measure, not an event.
MEASURE_LEMMAS = frozenset(
    """ban prohibit bar outlaw forbid restrict limit cap curb prevent stop block halt cut reduce freeze
    suspend embargo sanction prohibition restriction ceiling quota moratorium crackdown tighten choke
    squeeze starve punish penalize penalise impose""".split()
)
# Acts of enforcement whose ground ("for …") is conduct that took place. The small model
# lemmatises some forms oddly ("fined" as "fin"), so the word forms are listed too.
ENFORCEMENT_LEMMAS = frozenset(
    "fine sanction designate blacklist indict charge convict sentence arrest seize punish penalize penalise expel detain prosecute".split()
)
ENFORCEMENT_FORMS = frozenset("fined fines sanctioned designated blacklisted indicted charged convicted sentenced arrested seized".split())
# Prepositions that give the ground of a measure ("sanctioned for", "fined over").
GROUND_WORDS = frozenset({"for", "over", "after", "because"})
# Words that break a measure: what the measure covers did happen.
BREAKING_VERBS = frozenset("violate breach defy evade circumvent skirt flout bust break dodge".split())
BREAKING_NOUNS = frozenset("violation violations breach breaches defiance evasion circumvention".split())
# Predicates saying that something is prohibited ("are outlawed", "is illegal").
MEASURE_PREDICATES = MEASURE_LEMMAS | frozenset("illegal prohibited banned forbidden outlawed unlawful".split())
# Governing words that make the event a plan, a wish or a possibility.
PLAN_LEMMAS = frozenset(
    """plan propose proposal consider discuss seek want intend aim hope expect prepare negotiate offer
    pledge vow promise threaten intention desire wish prospect possibility potential option push effort
    bid quest ambition""".split()
)
# Words of capacity and design: "capable of carrying a warhead", "designed to carry missiles".
CAPACITY_LEMMAS = frozenset("capable able designed built enough capacity capability ability".split())
RECOMMEND_LEMMAS = frozenset("urge call ask demand recommend request suggest press advise encourage".split())
DENY_LEMMAS = frozenset("deny dismiss reject refute rebut".split())
HABIT_WORDS = frozenset("usually often typically routinely generally normally traditionally commonly customarily".split())
# Nouns that present what they govern as fact: "the fact that Angola expelled diplomats … might seem".
FACTIVE_NOUNS = frozenset("fact news revelation discovery disclosure confirmation".split())
# Reporting verbs: they frame a claim; modality above them is the reporter's, not the event's.
REPORTING_LEMMAS = frozenset(
    """say tell report announce state add note claim allege accuse suspect believe find reveal show
    indicate confirm write warn estimate disclose testify explain argue insist according assert
    document detail describe uncover identify conclude""".split()
)
REPORTED_LEMMAS = frozenset("believe suspect allege accuse claim think estimate assume charge".split())
SPECULATIVE_WORDS = frozenset("appear seem likely possibly probably perhaps apparently potentially presumably".split())
FUTURE_WORDS = frozenset({"will", "shall", "'ll", "wo"})
# Words that make a noun phrase no particular thing ("any deal", "a possible transfer").
NONSPECIFIC_WORDS = frozenset("any possible potential future prospective eventual hypothetical".split())
# Links by which a phrase is the subject of the verb above it.
SUBJECT_LINKS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})
# Links through which a governing word's modality reaches the clause below it.
INHERITING_LINKS = frozenset({"xcomp", "ccomp", "advcl", "pcomp", "prep", "pobj", "dobj", "acl", "conj", "nsubjpass", "nsubj", "compound", "attr", "oprd", "acomp", "amod", "appos"})


def read_modality(event: Token, *, sentence_text: str = "") -> ModalityReading:
    """The modality and hedge of the event told by ``event`` (the word that names the act)."""
    hedge = Hedge.NONE
    if sentence_text.rstrip().endswith("?"):
        return ModalityReading(Modality.QUESTION, hedge, "?")
    previous = event
    grounded = False  # the path came up through "for …", the ground of a measure
    presupposed = False  # the path came up through the subject of a verb
    for position, word in enumerate(_chain(event)):
        if position > 0:
            if previous.dep_ == "relcl" or previous.dep_ not in INHERITING_LINKS:
                break  # "firms that buy coal": a relative clause asserts on its own
            lemma = word.lemma_.lower()
            if lemma in FACTIVE_NOUNS:
                break
            if lemma in DENY_LEMMAS:
                return ModalityReading(Modality.DENIED, hedge, word.text, word)
            if lemma in REPORTING_LEMMAS:
                if lemma in REPORTED_LEMMAS:
                    hedge = _stronger(hedge, Hedge.REPORTED)
                negated = _own_modality(word, reporting=True)
                if negated is not None and lemma in ("find", "show", "confirm", "indicate"):
                    return ModalityReading(Modality.NEGATED, hedge, word.text, word)  # "found no evidence that"
                return ModalityReading(Modality.ASSERTED, hedge, "", word)
            if previous.dep_ in ("prep", "advcl", "mark") and previous.lower_ in GROUND_WORDS:
                grounded = True
            if grounded and (lemma in MEASURE_LEMMAS or lemma in ENFORCEMENT_LEMMAS or word.lower_ in ENFORCEMENT_FORMS):
                # "sanctioned two firms for helping North Korea procure oil": the ground of an
                # enforcement act is conduct that took place, as the enforcer tells it.
                return ModalityReading(Modality.ASSERTED, _stronger(hedge, Hedge.REPORTED), word.text)
            if lemma in MEASURE_LEMMAS and not _violated(word):
                return ModalityReading(Modality.MEASURE, hedge, word.text)
            if lemma == "be" and previous.dep_ in ("nsubj", "nsubjpass"):
                # "Joint ventures are outlawed", "coal exports are illegal": a predicate of the measure.
                predicate = next((c for c in word.children if c.dep_ in ("acomp", "attr") and c.lemma_.lower() in MEASURE_PREDICATES), None)
                if predicate is not None:
                    return ModalityReading(Modality.MEASURE, hedge, predicate.text)
            if lemma in PLAN_LEMMAS:
                future = lemma in ("plan", "intend", "prepare", "pledge", "vow", "promise")
                return ModalityReading(Modality.FUTURE if future else Modality.HYPOTHETICAL, hedge, word.text)
            if lemma in RECOMMEND_LEMMAS:
                return ModalityReading(Modality.RECOMMENDED, hedge, word.text)
            if lemma in CAPACITY_LEMMAS or word.lower_ in CAPACITY_LEMMAS:
                return ModalityReading(Modality.HYPOTHETICAL, hedge, word.text)
            if lemma in SPECULATIVE_WORDS and not presupposed:
                hedge = _stronger(hedge, Hedge.SPECULATIVE)
        if position > 0 and previous.dep_ in SUBJECT_LINKS and is_verb(word) and word.lemma_.lower() != "be":
            # "North Korea's recent weapons sale to Russia may have made its old income less
            # important": an act named in the subject of a verb is taken as given; the verb's
            # hedge bears on what is said of it, not on the act (its modals and negations still
            # make the whole a possibility: "any deal … would come", "can be found").
            presupposed = True
            if any(c.lower_ in NONSPECIFIC_WORDS for c in previous.children if c.dep_ in ("det", "amod")):
                return ModalityReading(Modality.HYPOTHETICAL, hedge, "any")
        found = _own_modality(word)
        if found is not None:
            modality, marker, word_hedge = found
            if not presupposed:
                hedge = _stronger(hedge, word_hedge)
            if modality is not None:
                return ModalityReading(modality, hedge, marker)
        if any(child.lower_ in ("if", "unless", "whether") and child.dep_ == "mark" for child in word.children):
            return ModalityReading(Modality.HYPOTHETICAL, hedge, "if")
        previous = word
    return ModalityReading(Modality.ASSERTED, hedge)


def _chain(event: Token) -> list[Token]:
    """The event word and every word above it, to the root."""
    chain = [event]
    current = event
    for _ in range(20):
        if current.head.i == current.i:
            break
        current = current.head
        chain.append(current)
    return chain


def _own_modality(word: Token, *, reporting: bool = False) -> tuple[Modality | None, str, Hedge] | None:
    """What the word's own modifiers say: negation, a modal, a habit, a hedge adverb."""
    hedge = Hedge.NONE
    modals = [c for c in children(word, "aux", "auxpass") if c.tag_ == "MD" or c.lower_ in FUTURE_WORDS]
    perfect_or_progressive = any(c.lemma_ in ("have", "be") and c.tag_ != "MD" for c in children(word, "aux", "auxpass"))
    negated = any(c.dep_ == "neg" for c in word.children) or any(
        c.dep_ == "det" and c.lower_ in ("no",) for c in word.children
    )
    for adverb in children(word, "advmod"):
        lower = adverb.lower_
        if lower in SPECULATIVE_WORDS:
            hedge = Hedge.SPECULATIVE
        if lower == "never":
            negated = True
    if reporting:
        return (Modality.NEGATED, "not", hedge) if negated else None
    for modal in modals:
        lower = modal.lower_
        if lower in ("can", "ca") and negated:
            return Modality.MEASURE, "cannot", hedge  # "EU countries cannot export arms": a prohibition
        if negated:
            return Modality.NEGATED, "not", hedge
        if lower in FUTURE_WORDS:
            return Modality.FUTURE, lower, hedge
        if lower in ("would", "'d"):
            return Modality.HYPOTHETICAL, lower, hedge
        if lower in ("should", "must", "ought"):
            return Modality.RECOMMENDED, lower, hedge
        if lower in ("can",):
            return Modality.HYPOTHETICAL, lower, hedge  # "the ship can carry 5,100 tonnes": a capacity
        if lower in ("may", "might", "could"):
            # "may have sold", "could be shipping": a hedged event; "may sell": a possibility.
            if perfect_or_progressive:
                return None, lower, Hedge.SPECULATIVE
            return Modality.HYPOTHETICAL, lower, hedge
    if negated:
        return Modality.NEGATED, "not", hedge
    if not perfect_or_progressive and any(a.lower_ in HABIT_WORDS for a in children(word, "advmod")):
        # "its ships usually dock in foreign ports": a habit told in the simple tense; "have
        # generally been entering China" tells an ongoing activity.
        return Modality.HABITUAL, next(a.text for a in children(word, "advmod") if a.lower_ in HABIT_WORDS), hedge
    if hedge is not Hedge.NONE:
        return None, "", hedge
    return None


def _violated(measure: Token) -> bool:
    """"in violation of a ban on luxury goods", "defying the cap", "despite the ban": the measure is
    broken, so what it covers did happen. Only a word that governs the measure itself counts ("despite
    the fact that the resolution prohibits the trade" breaks nothing)."""
    head = measure.head
    if head.i == measure.i:
        return False
    if measure.dep_ == "dobj" and head.lemma_.lower() in BREAKING_VERBS:
        return True
    if measure.dep_ == "pobj" and head.lower_ == "despite":
        return True
    return bool(measure.dep_ == "pobj" and head.lower_ in ("of", "on") and head.head.lemma_.lower() in BREAKING_NOUNS)


def _heads(token: Token, limit: int) -> Iterable[Token]:
    current = token
    for _ in range(limit):
        if current.head.i == current.i:
            return
        current = current.head
        yield current


_HEDGE_RANK = {Hedge.NONE: 0, Hedge.REPORTED: 1, Hedge.SPECULATIVE: 2}


def _stronger(first: Hedge, second: Hedge) -> Hedge:
    return first if _HEDGE_RANK[first] >= _HEDGE_RANK[second] else second


def is_event_verb(token: Token) -> bool:
    return is_verb(token)
