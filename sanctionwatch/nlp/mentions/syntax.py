"""Reading a clause from spaCy's dependency parse: the tokens of a span, the verb a word is an
argument of, the verbs that govern that one, and the arguments hanging off a verb or a noun.

Everything here takes and returns spaCy tokens; offsets in and out are offsets of the sentence's
own text (``Parse.reading`` maps them), so callers never see the reading.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sanctionwatch.nlp.document import Parse

Token = Any  # spacy.tokens.Token; spaCy is imported lazily, so the type stays loose here

VERB_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD"})
# Dependencies by which a clause hangs under the verb that governs it.
CLAUSE_LINKS = frozenset({"xcomp", "ccomp", "advcl", "pcomp", "acl", "relcl", "conj", "prep", "pobj", "dobj", "agent", "csubj", "csubjpass", "oprd", "attr", "acomp", "advmod", "npadvmod", "dative", "appos"})
# Dependencies by which a noun is an argument of the verb above it.
ARGUMENT_LINKS = frozenset({"dobj", "nsubj", "nsubjpass", "pobj", "prep", "compound", "conj", "appos", "attr", "oprd", "dative", "npadvmod", "amod", "nmod", "poss", "agent", "pcomp", "acomp", "advmod"})


def is_verb(token: Token) -> bool:
    return token.tag_ in VERB_TAGS or token.pos_ in ("VERB", "AUX")


def tokens_at(parse: Parse, start: int, end: int) -> list[Token]:
    """The tokens that overlap ``start``..``end`` of the sentence's own text."""
    reading_start = parse.reading.position(start)
    reading_end = max(reading_start + 1, parse.reading.position(end))
    return [t for t in parse.doc if t.idx < reading_end and t.idx + len(t.text) > reading_start]


def span_of(parse: Parse, tokens: list[Token]) -> tuple[int, int]:
    """The (start, end) of tokens in the sentence's own text."""
    first, last = min(tokens, key=lambda t: t.i), max(tokens, key=lambda t: t.i)
    return parse.reading.span(first.idx, last.idx + len(last.text))


def head_token(tokens: list[Token]) -> Token | None:
    """The token of a span whose head lies outside it (the syntactic head of the phrase)."""
    inside = {t.i for t in tokens}
    for token in tokens:
        if token.head.i not in inside or token.head.i == token.i:
            return token
    return tokens[0] if tokens else None


def clause_verb(token: Token) -> Token:
    """The verb a word is an argument of ("banned" for "exports" in "banned its exports of coal");
    the word itself when it is a verb; the root when no verb is above it."""
    current = token
    steps = 0
    while not is_verb(current) and current.head.i != current.i and current.dep_ in ARGUMENT_LINKS and steps < 12:
        current = current.head
        steps += 1
    return current


def governors(verb: Token) -> Iterator[Token]:
    """The words above a clause, nearest first, up to the root ("planned" and "said" above "send"
    in "officials said it planned to send workers")."""
    current = verb
    steps = 0
    while current.head.i != current.i and steps < 12:
        current = current.head
        steps += 1
        yield current


def path_up(token: Token, limit: int = 16) -> Iterator[Token]:
    """The token and every head above it, to the root."""
    current = token
    yield current
    for _ in range(limit):
        if current.head.i == current.i:
            return
        current = current.head
        yield current


def children(token: Token, *dependencies: str) -> list[Token]:
    return [child for child in token.children if child.dep_ in dependencies]


def preposition_objects(token: Token, *words: str) -> list[Token]:
    """Objects of the prepositions ``words`` hanging off a token ("to Russia", "from Nampo")."""
    found: list[Token] = []
    for child in token.children:
        if child.dep_ in ("prep", "dative", "agent") and child.lower_ in words:
            found.extend(grandchild for grandchild in child.children if grandchild.dep_ in ("pobj", "pcomp"))
        elif child.dep_ == "dative" and not words:
            found.append(child)
    return found


def subtree_span(parse: Parse, token: Token) -> tuple[int, int]:
    """(start, end) in the sentence's own text of everything the token governs."""
    tokens = list(token.subtree)
    return span_of(parse, tokens)


def dominates(upper: Token, lower: Token) -> bool:
    """Whether ``lower`` lies in the subtree of ``upper``."""
    return any(t.i == upper.i for t in path_up(lower))
