"""Name keys for sanctions matching: transliteration, legal forms, Korean romanisation variants.

Two keys per name, both plain strings so they index in a dict:

- the *literal* key: the name as written, only case, diacritics (``rigour.text.ascii_text``),
  apostrophes, hyphens and punctuation folded (``Min Pyŏng-ch’ŏl`` → ``min pyongchol``), with
  company legal forms normalised and dropped (``fingerprints``: ``Co., Ltd.``, ``Corporation``);
- the *variant* key: the literal key with every word put through Korean romanisation folding,
  so McCune–Reischauer, Revised Romanization and popular spellings of one Korean name meet
  (``Ri Su Yong`` / ``Lee Su-yong``, ``Pak Pong Nam`` / ``Park Bong-nam``,
  ``Chongchongang`` / ``Cheongcheon-gang``), and word boundaries inside a given name stop
  mattering (``Song Chol`` / ``Song-chol`` / ``Songchol``).

The folding merges letters that the romanisation systems use for one Hangul sound (g/k, d/t,
b/p, j/ch, eo/o, eu/u, oo/u) and surnames by a table (Ri/Lee/Yi/Rhee, Pak/Park/Bak,
Choe/Choi, Rim/Lim/Im, Ryu/Yu/Yoo, Ro/Roh/No). It is deliberately lossy; that is why a variant
key alone never makes a link for a person (see ``sanctions_match``).
"""

from __future__ import annotations

import re
from functools import lru_cache

import fingerprints
from rigour.text import ascii_text

# Legal forms as ``fingerprints`` abbreviates them; dropped from company keys so that
# "Korea Ansan Shipping Company" and "KOREA ANSAN SHIPPING CO LTD" share a key.
LEGAL_FORMS = frozenset(
    {"co", "corp", "ltd", "inc", "llc", "plc", "pte", "jv", "gmbh", "sa", "ag", "bv", "company", "limited", "corporation"}
)
APOSTROPHES = re.compile(r"[’'`ʼʻ‘´]")
WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# One canonical form per Korean surname spelled several ways (DPRK usage keeps the initial r).
SURNAMES: dict[str, str] = {}
for canonical, spellings in {
    "ri": ("ri", "rhee", "lee", "yi", "i", "li", "rhie", "rhi", "ree", "rie"),
    "pak": ("pak", "park", "bak", "pahk", "bahk"),
    "choe": ("choe", "choi", "chwe", "choy", "choue"),
    "rim": ("rim", "lim", "im", "yim"),
    "ryu": ("ryu", "yu", "yoo", "ryoo", "you"),
    "ro": ("ro", "roh", "no", "noh"),
    "ryom": ("ryom", "yom", "yeom"),
    "kim": ("kim", "gim"),
    "jong": ("jong", "chong", "jeong", "chung", "jung"),
    "jon": ("jon", "chon", "jeon"),
    "o": ("o", "oh"),
    "u": ("u", "woo", "wu"),
    "sin": ("sin", "shin"),
    "so": ("so", "seo", "suh"),
    "kang": ("kang", "gang"),
    "ko": ("ko", "go", "koh"),
    "paek": ("paek", "baek", "paik", "baik"),
    "yun": ("yun", "yoon"),
    "son": ("son", "sohn"),
    "chang": ("chang", "jang"),
    "cho": ("cho", "jo"),
    "chu": ("chu", "ju", "joo", "choo"),
    "hyon": ("hyon", "hyun", "hyeon"),
}.items():
    for spelling in spellings:
        SURNAMES[spelling] = canonical
# Surnames with one usual spelling (folding covers the rest: Moon/Mun, Bae/Pae, Hyun/Hyon).
for surname in (
    "han hwang hyon yang song an ahn min mun moon nam pae bae ku koo hong kwon om eom tak chin jin "
    "ham sim shim cha pyon yon ra na kye tong che chae wang ma ok won wi"
).split():
    SURNAMES.setdefault(surname, surname)

# Applied in order to one lower-case ASCII word: vowels first (eo, eu, oo), then consonants.
FOLDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"eo", "o"),
        (r"eu", "u"),
        (r"oo", "u"),
        (r"ai", "ae"),
        (r"wu", "u"),
        (r"sh", "s"),
        (r"ch|j", "c"),
        (r"g", "k"),
        (r"d", "t"),
        (r"b", "p"),
        (r"l", "r"),
        (r"([aeiou])h(?=n?$)", r"\1"),  # Koh, Sohn: a silent h after the vowel
        (r"([a-z])\1", r"\1"),  # kk, tt, pp, ss: tense consonants of the Revised system
    )
)


@lru_cache(maxsize=65536)
def plain_word_tuple(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(APOSTROPHES.sub("", ascii_text(text).casefold())))


def plain_words(text: str) -> list[str]:
    """Lower-case ASCII words, apostrophes removed, hyphenated words kept whole."""
    return WORD.findall(APOSTROPHES.sub("", ascii_text(text).casefold()))


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """One word's romanisation-folded form (hyphens removed first)."""
    folded = word.replace("-", "")
    for pattern, replacement in FOLDS:
        folded = pattern.sub(replacement, folded)
    return folded


@lru_cache(maxsize=65536)
def company_word(word: str) -> str | None:
    """One plain word of a company name as ``fingerprints`` normalises it; None for a legal form
    or a connective ("Group of Companies", "& Technology" carry no identity)."""
    normalised = (fingerprints.generate(word) or "").replace(" ", "")
    if not normalised or normalised in LEGAL_FORMS or normalised in ("of", "and", "the"):
        return None
    return normalised


def key_words(words: list[str], kind: str) -> list[str]:
    """The words that make a name's keys: plain words, and for companies no legal forms."""
    if kind != "organization":
        return [w.replace("-", "") for w in words]
    kept = [c for c in (company_word(w) for w in words) if c]
    return kept or [w.replace("-", "") for w in words]


def literal_key_of_words(words: list[str], kind: str) -> str:
    return " ".join(key_words(words, kind))


def variant_keys_of_words(words: list[str], kind: str) -> frozenset[str]:
    """Romanisation-folded keys of a name's plain words, without spaces; persons in both orders.

    A person name is read as surname + given name (the UN's order, and Korean order); when its
    last word is a Korean surname, the reversed order is read too.
    """
    if not words:
        return frozenset()
    if kind != "person":
        return frozenset({fold_word("".join(key_words(words, kind)))})
    keys: set[str] = set()
    orders = [words]
    if len(words) > 1 and _surname(words[-1]):
        orders.append([words[-1], *words[:-1]])
    for order in orders:
        surname = _surname(order[0]) or order[0]
        # The given name is folded whole: "Myong Gi", "Myong-gi" and "Myonggi" are one name.
        keys.add(fold_word(surname) + fold_word("".join(order[1:])))
    return frozenset(keys)


def has_legal_form(name: str) -> bool:
    return any(company_word(word) is None and word not in ("of", "and", "the") for word in plain_words(name))


@lru_cache(maxsize=65536)
def literal_key(name: str, kind: str = "organization") -> str:
    """The name as written, folded only for case, marks, punctuation and (companies) legal forms."""
    return literal_key_of_words(plain_words(name), kind)


def _surname(word: str) -> str | None:
    return SURNAMES.get(word.replace("-", ""))


@lru_cache(maxsize=65536)
def variant_keys(name: str, kind: str = "organization") -> frozenset[str]:
    """Romanisation-folded keys of a name (see ``variant_keys_of_words``)."""
    return variant_keys_of_words(plain_words(name), kind)


def is_korean_surname(word: str) -> bool:
    return _surname(plain_words(word)[0]) is not None if plain_words(word) else False
