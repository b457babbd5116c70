"""Quantities: counted nouns and money in a sentence ("1,000-2,000 workers", "over $17 million").

Conventions (shared/dev/ANNOTATION_NOTES.md): "as much as 600 tons" is max 600, "at least three
occasions" min 3, "hundreds of" 200-999, "tens of millions" 10,000,000-99,999,999, "almost 300" max 300;
money is in its currency code as a plain number. A number counts only with a unit: a counted noun
or a currency. Years, dates, ages, percentages, resolution numbers, phone numbers, clock times and
temperatures carry no counted noun or are excluded by their context, so they are not quantities.

Every regex is bounded (no nested unbounded repetition) so long inputs are scanned in linear time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sanctionwatch.model import Quantity
from sanctionwatch.nlp.arguments.spans import longest_without_overlap


@dataclass(frozen=True)
class QuantityMention:
    """A quantity with the character offsets of its words (modifier, number, noun) in the searched text."""

    start: int
    end: int
    text: str
    quantity: Quantity


UNIT_NOUNS: dict[str, str] = {
    **dict.fromkeys(
        "workers worker laborers labourers labourer laborer people persons nationals citizens soldiers troops "
        "employees engineers staff defectors students hackers diplomats crew sailors seamen fishermen women men "
        "children officials individuals agents operatives refugees prisoners residents technicians doctors "
        "nurses specialists scientists experts trainees cadres guards officers personnel civilians".split(),
        "persons",
    ),
    **dict.fromkeys("tons tonnes ton tonne".split(), "tons"),
    **dict.fromkeys("barrels barrel bbl".split(), "barrels"),
    **dict.fromkeys("ships ship vessels vessel tankers tanker boats boat freighters trawlers".split(), "vessels"),
    **dict.fromkeys("containers container".split(), "containers"),
    **dict.fromkeys("shipments shipment consignments cargoes deliveries".split(), "shipments"),
    **dict.fromkeys("times occasions occasion transfers".split(), "occasions"),
    **dict.fromkeys("trips trip voyages voyage journeys".split(), "trips"),
    **dict.fromkeys(
        "organizations organisations companies firms entities victims banks exchanges businesses institutions".split(),
        "organizations",
    ),
    **dict.fromkeys("projects project".split(), "projects"),
    **dict.fromkeys("rounds round shells projectiles grenades".split(), "rounds"),
    **dict.fromkeys("vehicles vehicle cars car limousines limousine sedans trucks lorries buses".split(), "vehicles"),
    **dict.fromkeys("permits permit visas".split(), "permits"),
}
CURRENCY_WORDS = {"dollars": "USD", "dollar": "USD", "won": "KRW", "yuan": "CNY", "renminbi": "CNY",
                  "euros": "EUR", "rubles": "RUB", "roubles": "RUB", "yen": "JPY"}
CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "usd": "USD", "hk$": "HKD", "€": "EUR", "£": "GBP", "₩": "KRW"}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000, "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000}
WORD_VALUES = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen".split()
    )
} | {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
     "a": 1, "an": 1, "a dozen": 12, "dozen": 12}
# Vague amounts as (min, max): "hundreds" follows the gold convention 200-999, the others the same pattern.
VAGUE_RANGES = {
    "dozens": (24, 99), "scores": (40, 99), "hundreds": (200, 999), "thousands": (2_000, 9_999),
    "millions": (2_000_000, 9_999_999), "billions": (2_000_000_000, 9_999_999_999),
    "tens of thousands": (10_000, 99_999), "tens of millions": (10_000_000, 99_999_999),
    "tens of billions": (10_000_000_000, 99_999_999_999), "hundreds of thousands": (200_000, 999_999),
    "hundreds of millions": (200_000_000, 999_999_999), "several dozen": (24, 99), "several hundred": (200, 999),
    "several thousand": (2_000, 9_999), "several million": (2_000_000, 9_999_999), "a few dozen": (24, 99),
    "a few hundred": (200, 999), "a few thousand": (2_000, 9_999), "several": (3, 9), "a few": (2, 5),
    "a handful of": (3, 9), "a couple of": (2, 2),
}
KOREAN_MULTIPLIERS = {"조": 10**12, "억": 10**8, "천만": 10**7, "백만": 10**6, "만": 10**4, "천": 10**3, "백": 10**2}
KOREAN_COUNTERS = {"명": "persons", "달러": "USD", "원": "KRW", "톤": "tons", "척": "vessels", "배럴": "barrels",
                   "회": "occasions", "차례": "occasions", "건": "occasions", "개": "items"}

_WORD_NUMBER = (
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|one|two|three|four|five|six|seven"
    r"|eight|nine|ten|an?(?=\s+(?:hundred|thousand|million|billion|dozen)\b)"
)
_NUMBER = rf"(?:(?<![\w.,:/-])(?:\d{{1,3}}(?:,\d{{3}}){{1,5}}|\d{{1,12}})(?:\.\d{{1,6}})?(?![\d])|\b(?i:{_WORD_NUMBER})\b)"
# The second number of a range may follow a hyphen ("1,000-2,000"); the first may not (phone numbers).
_NUMBER_AFTER_JOINER = _NUMBER.replace(r"(?<![\w.,:/-])", r"(?<![\w.,:/])")
_SCALE = r"(?:\s?(?i:hundred|thousand|million|billion|trillion)\b|(?:bn|mn|m|b|k)\b)"
_CURRENCY = r"(?P<currency>(?i:US\$|HK\$|USD\s?)|\$|€|£|₩)"
_AMOUNT = re.compile(
    rf"(?:{_CURRENCY}\s?)?(?P<value>{_NUMBER})(?P<scale>{_SCALE})?"
    rf"(?:(?P<joiner>\s?[-–]\s?|\s+to\s+|\s+or\s+|\s+and\s+)(?:\$\s?)?(?P<value2>{_NUMBER_AFTER_JOINER})(?P<scale2>{_SCALE})?)?"
)
_VAGUE = re.compile(
    r"\b(?P<vague>(?i:(?:tens|hundreds)\s+of\s+(?:thousands|millions|billions)|(?:several|a\s+few)\s+(?:dozen|hundred|thousand|million)"
    r"|dozens|scores|hundreds|thousands|millions|billions|several|a\s+few|a\s+handful\s+of|a\s+couple\s+of))\b"
)
_KOREAN = re.compile(
    r"(?<![\d.,])(?P<number>(?:\d{1,4}(?:[.,]\d{1,3})?\s?(?:조|억|천만|백만|만|천|백)\s?){0,4}(?:\d{1,3}(?:,\d{3}){1,3}|\d{1,7})?)"
    r"\s?(?P<approx>여|가량|이상|넘게)?\s?(?P<counter>명|달러|원|톤|척|배럴|회|차례|건|개)"
)
_ALTERNATIVE = re.compile(r"\s+or\s+(?:even\s+|perhaps\s+|possibly\s+|maybe\s+)?")
_MAXIMUM_BEFORE = re.compile(r"(?i:as\s+(?:much|many)\s+as|up\s+to|almost|nearly|just\s+under|under|less\s+than|fewer\s+than|no\s+more\s+than|at\s+most|close\s+to)\s+$")
_MINIMUM_BEFORE = re.compile(r"(?i:at\s+least|more\s+than|over|in\s+excess\s+of|upwards\s+of|no\s+fewer\s+than|no\s+less\s+than|above|exceeding)\s+$")
_APPROXIMATE_BEFORE = re.compile(r"(?i:about|around|approximately|roughly|some|an\s+estimated|estimated|between)\s+$")
_EXCLUDED_BEFORE = re.compile(
    r"(?i:resolutions?|unscr|no\.|number|#|imo|mmsi|page|article|paragraph|op|section|chapter|flight|route|highway|"
    r"level|grade|type|model|version|phase|room|tel\.?|phone|fax|aged?|[+]|January|February|March|April|May|June|July|"
    r"August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)\s*$"
)
_EXCLUDED_AFTER = re.compile(
    r"\s?%|\s?(?i:per\s?cent|percent)\b|:\d|\s?°|-year-old|\s+years?\s+old|[-–]\d|[-–][a-z]|(?:st|nd|rd|th)\b|\s?(?i:am|pm|dwt|gt|grt|deadweight)\b"
)
_YEAR_CONTEXT = re.compile(r"(?i:in|since|by|of|until|till|from|during|before|after|early|late|mid-?|the)\s+$")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z’'-]{0,40}|\S")
_STOPWORDS = frozenset(
    "the a an of to in on at by for from with and or but was were is are be been has have had that which who this "
    "these those it its their his her as than more less per each every".split()
)
_NON_COUNT_NOUNS = frozenset(
    "years months days weeks hours minutes seconds decades percent kilometres kilometers km miles metres meters feet "
    "degrees pages points resolutions articles paragraphs sanctions".split()
)


def find_quantities(text: str) -> list[QuantityMention]:
    """Counted amounts and money in ``text``, in text order, overlapping matches resolved to the longest."""
    mentions = [m for m in (_from_amount(text, match) for match in _AMOUNT.finditer(text)) if m]
    mentions += [m for m in (_from_vague(text, match) for match in _VAGUE.finditer(text)) if m]
    mentions += [m for m in (_from_korean(match) for match in _KOREAN.finditer(text)) if m]
    mentions = _join_alternatives(text, mentions)
    return longest_without_overlap(mentions)


def best_quantity(mentions: Sequence[QuantityMention]) -> Quantity | None:
    """The incident's headline quantity: counted persons, money and goods before generic items, then the largest."""
    if not mentions:
        return None
    generic_units = {"items", "occasions", "trips"}

    def rank(mention: QuantityMention) -> tuple[int, float]:
        quantity = mention.quantity
        size = quantity.max if quantity.max is not None else quantity.min or 0
        return (0 if quantity.unit in generic_units else 1, size)

    return max(mentions, key=rank).quantity


# --- matchers --------------------------------------------------------------------------------


def _from_amount(text: str, match: re.Match[str]) -> QuantityMention | None:
    start, end = match.start(), match.end()
    before = text[max(0, start - 30) : start]
    if _EXCLUDED_BEFORE.search(before) or _EXCLUDED_AFTER.match(text, end):
        return None
    currency = (match.group("currency") or "").strip().lower()
    short_scales = {"k", "m", "mn", "bn", "b"}
    scale2 = (match.group("scale2") or "").strip().lower()
    scale = (match.group("scale") or "").strip().lower() or scale2
    if not currency and (scale in short_scales or scale2 in short_scales):
        return None  # "600m" without a currency is metres, not millions
    value = _number(match.group("value"), scale)
    if scale2 and not match.group("scale") and value is not None and value > (_number(match.group("value2"), scale2) or 0):
        value = _number(match.group("value"), "")  # "500 to 2 million": the scale belongs to the second only
    joiner = " ".join((match.group("joiner") or "").split())
    second = _number(match.group("value2"), scale2) if match.group("value2") else None
    if joiner == "and" and not re.search(r"(?i:between)\s+$", before):
        second, end = None, match.end("scale") if match.group("scale") else match.end("value")
    if value is None or (match.group("value2") and second is None and joiner != "and"):
        return None
    if second is not None and second < value:
        second, end = None, match.end("scale") if match.group("scale") else match.end("value")
    if not currency and not scale and re.fullmatch(r"(?:19|20)\d\d", match.group("value")) and _YEAR_CONTEXT.search(before):
        return None
    open_ended = re.match(r"\s+or\s+(?P<word>more|so)\b", text[end : end + 12])
    if open_ended:
        end += open_ended.end()
    unit, item, end = _unit_after(text, end, currency)
    if unit is None:
        return None
    low: float | None = value
    high: float | None = second if second is not None else value
    if open_ended and open_ended.group("word") == "more":
        high = None
    return _with_modifiers(text, start, end, low, high, unit, item)


def _from_vague(text: str, match: re.Match[str]) -> QuantityMention | None:
    phrase = " ".join(match.group("vague").lower().split())
    low, high = VAGUE_RANGES[phrase]
    unit, item, end = _unit_after(text, match.end(), "")
    if unit is None:
        return None
    return QuantityMention(match.start(), end, text[match.start() : end], Quantity(low, high, unit, item, text[match.start() : end]))


def _from_korean(match: re.Match[str]) -> QuantityMention | None:
    number = match.group("number").replace(" ", "")
    if not re.search(r"\d", number):
        return None
    total = 0.0
    for piece, multiplier in re.findall(r"([\d.,]+)(조|억|천만|백만|만|천|백)?", number):
        total += float(piece.replace(",", "")) * KOREAN_MULTIPLIERS.get(multiplier, 1)
    approx = match.group("approx")
    total = int(total) if total.is_integer() else total
    low, high = (total, None) if approx in ("여", "이상", "넘게") else (total, total)
    unit = KOREAN_COUNTERS[match.group("counter")]
    return QuantityMention(match.start(), match.end(), match.group(0), Quantity(low, high, unit, None, match.group(0)))


def _join_alternatives(text: str, mentions: list[QuantityMention]) -> list[QuantityMention]:
    """"one or two thousand workers", "Dozens or even hundreds of workers": one range over both."""
    ordered = sorted(mentions, key=lambda m: m.start)
    by_start = {m.start: m for m in ordered}
    joined: list[QuantityMention] = []
    # A bare first number ("one", "Dozens") has no unit of its own, so it is matched here directly.
    for match in re.finditer(rf"(?P<first>{_NUMBER}|\b(?i:dozens|scores|hundreds|thousands|several))(?=\s+or\s)", text):
        separator = _ALTERNATIVE.match(text, match.end())
        if not separator:
            continue
        second = by_start.get(separator.end())
        if second is None:
            continue
        first_word = match.group("first").lower()
        low: float | None
        if first_word in VAGUE_RANGES:
            low = VAGUE_RANGES[first_word][0]
        else:
            low = _number(match.group("first"), "")
            if low is None:
                continue
            scale_word = re.match(r"\S+\s+(hundred|thousand|million|billion)\b", second.text.lower())
            if scale_word and low < (second.quantity.min or 0) / SCALES[scale_word.group(1)]:
                low *= SCALES[scale_word.group(1)]  # "one or two thousand": the scale belongs to both
        quantity = second.quantity
        high = quantity.max
        span = text[match.start() : second.end]
        joined.append(QuantityMention(match.start(), second.end, span, Quantity(low, high, quantity.unit, quantity.item, span)))
    return ordered + joined


def _unit_after(text: str, position: int, currency: str) -> tuple[str | None, str | None, int]:
    """The unit and counted noun after an amount, and where the noun ends; (None, None, position) if none."""
    window = text[position : position + 80]
    tokens = list(_TOKEN.finditer(window))
    if currency:
        code = CURRENCY_SYMBOLS.get(currency.replace(" ", ""), "USD")
        item_match = re.match(r"\s+(?:of|in|worth\s+of)\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)", window)
        item = item_match.group(1) if item_match else None
        if item:
            words = item.split()
            while words and words[0] in _STOPWORDS:
                words.pop(0)
            cut = next((i for i, word in enumerate(words) if word in _STOPWORDS), len(words))
            item = " ".join(words[:cut]) or None
        return code, item, position
    for index, token in enumerate(tokens[:6]):
        word = token.group(0)
        lower = word.lower()
        if (index == 0 and lower == "of") or (index == 1 and lower in ("the", "these", "those", "its", "their")
                                              and tokens[0].group(0).lower() == "of"):
            continue  # "hundreds of workers", "Four of the vessels"
        if lower in CURRENCY_WORDS:
            return CURRENCY_WORDS[lower], None, position + token.end()
        if lower in UNIT_NOUNS and not (lower == "won" and index):
            return UNIT_NOUNS[lower], lower, position + token.end()
        if index and lower in ("and", "or") and len(tokens) > index + 1 and tokens[index + 1].group(0)[0].isalpha():
            continue  # "four healthcare and non-profit organizations"
        if not word[0].isalpha() or (lower in _STOPWORDS and not word.isupper()):  # "IT workers" is not "it"
            break
        first_noun = index == 0 or (index <= 2 and tokens[0].group(0).lower() == "of")
        if first_noun and word.islower() and lower.endswith("s") and len(lower) > 3 and lower not in _NON_COUNT_NOUNS:
            # An unknown plural right after the number ("49 laptops") is still a count.
            return "items", lower, position + token.end()
    return None, None, position


def _with_modifiers(
    text: str, start: int, end: int, low: float | None, high: float | None, unit: str, item: str | None
) -> QuantityMention:
    before = text[max(0, start - 25) : start]
    if maximum := _MAXIMUM_BEFORE.search(before):
        start -= len(maximum.group(0))
        low, high = (None, high) if low == high else (low, high)
    elif minimum := _MINIMUM_BEFORE.search(before):
        start -= len(minimum.group(0))
        low, high = (low, None) if low == high else (low, high)
    elif approximate := _APPROXIMATE_BEFORE.search(before):
        start -= len(approximate.group(0))
    span = text[start:end]
    return QuantityMention(start, end, span, Quantity(low, high, unit, item, span))


def _number(word: str, scale: str) -> float | None:
    cleaned = word.replace(",", "").lower()
    try:
        value = float(cleaned)
    except ValueError:
        parts = cleaned.split("-")
        if not all(part in WORD_VALUES for part in parts):
            return None
        value = float(sum(WORD_VALUES[part] for part in parts))
    value *= SCALES.get(scale.strip().lower(), 1) if scale else 1
    return int(value) if value.is_integer() else value
