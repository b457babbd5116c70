"""Vessel identifiers in a sentence: IMO and MMSI numbers, ship names and flags.

An IMO number is kept only when its check digit is right; an MMSI only when its first three digits
are a maritime identification digit (201-775), which drops most mistyped or spoofed numbers. A vessel's
identity is its IMO number: a renamed ship keeps its IMO, two ships may share a name, so
``unique_vessels`` never merges two different IMO numbers and never merges two different names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sanctionwatch.model import Vessel


@dataclass(frozen=True)
class VesselMention:
    """A vessel named or numbered at ``start``..``end`` (character offsets) of the searched text."""

    start: int
    end: int
    vessel: Vessel
    text: str = ""


# Flag states seen in DPRK sanctions reporting: country names and adjectives to ISO alpha-2.
FLAG_CODES: dict[str, str] = {
    **dict.fromkeys(("panama", "panamanian"), "PA"), **dict.fromkeys(("hong kong",), "HK"),
    **dict.fromkeys(("north korea", "north korean", "dprk"), "KP"), **dict.fromkeys(("togo", "togolese"), "TG"),
    **dict.fromkeys(("sierra leone", "sierra leonean"), "SL"), **dict.fromkeys(("china", "chinese"), "CN"),
    **dict.fromkeys(("russia", "russian"), "RU"), **dict.fromkeys(("south korea", "south korean"), "KR"),
    **dict.fromkeys(("taiwan", "taiwanese"), "TW"), **dict.fromkeys(("japan", "japanese"), "JP"),
    **dict.fromkeys(("mongolia", "mongolian"), "MN"), **dict.fromkeys(("cambodia", "cambodian"), "KH"),
    **dict.fromkeys(("belize", "belizean"), "BZ"), **dict.fromkeys(("comoros",), "KM"),
    **dict.fromkeys(("tuvalu",), "TV"), **dict.fromkeys(("vietnam", "vietnamese"), "VN"),
    **dict.fromkeys(("marshall islands",), "MH"), **dict.fromkeys(("liberia", "liberian"), "LR"),
    **dict.fromkeys(("malta", "maltese"), "MT"), **dict.fromkeys(("singapore", "singaporean"), "SG"),
    **dict.fromkeys(("indonesia", "indonesian"), "ID"), **dict.fromkeys(("cameroon", "cameroonian"), "CM"),
    **dict.fromkeys(("palau",), "PW"), **dict.fromkeys(("dominica",), "DM"), **dict.fromkeys(("moldova", "moldovan"), "MD"),
    **dict.fromkeys(("bolivia", "bolivian"), "BO"), **dict.fromkeys(("fiji", "fijian"), "FJ"),
    **dict.fromkeys(("gabon", "gabonese"), "GA"), **dict.fromkeys(("tanzania", "tanzanian"), "TZ"),
    **dict.fromkeys(("vanuatu",), "VU"), **dict.fromkeys(("thailand", "thai"), "TH"),
    **dict.fromkeys(("philippines", "philippine"), "PH"), **dict.fromkeys(("malaysia", "malaysian"), "MY"),
    **dict.fromkeys(("iran", "iranian"), "IR"), **dict.fromkeys(("syria", "syrian"), "SY"),
    **dict.fromkeys(("kiribati",), "KI"), **dict.fromkeys(("st kitts and nevis", "saint kitts and nevis"), "KN"),
    **dict.fromkeys(("eswatini",), "SZ"), **dict.fromkeys(("honduras", "honduran"), "HN"),
}

_IMO = re.compile(r"(?i:\bIMO)(?:\s{0,2}(?i:number|no\.?|#))?\s{0,2}[:#]?\s{0,2}(?P<imo>\d{7})(?!\d)")
_MMSI = re.compile(r"(?i:\bMMSI)(?:\s{0,2}(?i:number|no\.?|#))?\s{0,2}[:#]?\s{0,2}(?P<mmsi>\d{9})(?!\d)")
_NAME = r"(?P<name>[A-Z][A-Za-z0-9’'.&-]{0,30}(?:\s(?:No\.\s?\d{1,4}|[A-Z0-9][A-Za-z0-9’'.&-]{0,30})){0,4})"
_FLAG = r"(?P<flag>(?:[A-Z][a-z]{1,15}\s){0,3}[A-Z][A-Za-z]{1,15})[-\s](?:flagged|registered)"
_VESSEL_NOUN = r"(?i:cargo\s+ship|cargo\s+vessel|bulk\s+carrier|oil\s+tanker|product\s+tanker|tanker|vessel|ship|freighter|trawler|boat)"
_PATTERNS = (
    # "the tanker Lighthouse Winmore", "a vessel named “Wise Honest”", "the Hong Kong-flagged ship Koti"
    re.compile(rf"\b{_VESSEL_NOUN}(?:,\s+the)?\s+(?:(?:named|called|known\s+as)\s+)?[\"“‘*]?{_NAME}"),
    # "the North Korea-flagged Sam Jong 2", "the Panama-registered Billions No. 18"
    re.compile(rf"\b{_FLAG},?\s+[\"“*\[]{{0,2}}{_NAME}"),
    # "M/V Wise Honest"
    re.compile(rf"\b(?:M/V|M/T|MV|MT)\s+{_NAME}"),
)
_LINK = re.compile(r"\[(?P<name>[^\]\n]{1,60})\]\((?P<url>[^)\s]{1,300})\)")
_FLAG_BEFORE = re.compile(rf"{_FLAG}[,\s]+(?:[\w,]+\s+){{0,4}}$")
# "the Chinese cargo vessel Hui Yi": a nationality adjective inside the ship's noun phrase.
_NATIONALITY_BEFORE = re.compile(r"\b(?i:the|a|an)\s+(?P<flag>(?:[A-Z][a-z]{1,15}\s){0,2}[A-Z][a-z]{1,15})\s+(?:[a-z-]{1,15}\s+){0,2}$")
_FLAG_AFTER = re.compile(rf"[*)\]”\"]*,\s+(?:an?|the)\s+(?:[\w,]+\s+){{0,3}}?{_FLAG}")
_NAME_BEFORE_NUMBER = re.compile(rf"(?:the\s+)?[\"“*]?{_NAME}[\"”*]?\s*[(,]?\s*$")
_NOT_NAMES = frozenset(
    "the a an in on at to from was is were and or but it this that which he she they its their un u.n. "
    "imo mmsi no north south last first".split()
)


def imo_check_digit_ok(imo: str) -> bool:
    """True for a 7-digit IMO number whose last digit is sum(digit_i * (7-i), i=0..5) mod 10."""
    digits = imo.strip()
    if not re.fullmatch(r"\d{7}", digits):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits[:6], range(7, 1, -1), strict=False))
    return total % 10 == int(digits[6])


def mmsi_plausible(mmsi: str) -> bool:
    """True for a 9-digit ship MMSI whose maritime identification digits (first three) are 201-775."""
    return bool(re.fullmatch(r"\d{9}", mmsi)) and 201 <= int(mmsi[:3]) <= 775


def flag_code(phrase: str) -> str | None:
    """ISO alpha-2 of a flag state named by country or adjective ("Panamanian" -> "PA"), else None."""
    return FLAG_CODES.get(" ".join(phrase.lower().replace("-", " ").split()))


def find_vessels(text: str) -> list[VesselMention]:
    """Vessels in ``text`` in text order; a name next to its IMO/MMSI number becomes one mention."""
    mentions: list[VesselMention] = []
    for match in _LINK.finditer(text):
        url = match.group("url")
        imo = next((m.group("imo") for m in _IMO.finditer(url) if imo_check_digit_ok(m.group("imo"))), None)
        mmsi = next((m.group("mmsi") for m in _MMSI.finditer(url) if mmsi_plausible(m.group("mmsi"))), None)
        if imo or mmsi or re.search(r"(?i)vessel|ship", url):
            name = _clean_name(match.group("name").strip("*_ "))
            if name or imo:
                mentions.append(_mention(text, match.start(), match.end(), name, imo, mmsi))
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            name = _clean_name(match.group("name"))
            if name:
                end = match.start("name") + len(name)
                mentions.append(_mention(text, match.start(), end, name, None, None, match.groupdict().get("flag")))
    for pattern, field in ((_IMO, "imo"), (_MMSI, "mmsi")):
        for match in pattern.finditer(text):
            number = match.group(field)
            if not (imo_check_digit_ok(number) if field == "imo" else mmsi_plausible(number)):
                continue
            named = _NAME_BEFORE_NUMBER.search(text[max(0, match.start() - 60) : match.start()])
            name = _clean_name(named.group("name")) if named else None
            start = match.start() - (len(named.group(0)) if named and name else 0)
            mentions.append(_mention(text, start, match.end(), name, number if field == "imo" else None,
                                     number if field == "mmsi" else None))
    return _merge_overlapping(text, mentions)


def unique_vessels(mentions: Sequence[VesselMention]) -> tuple[Vessel, ...]:
    """One Vessel per ship: mentions merge when their names agree (or one lacks a name) and their IMO,
    MMSI and flag do not conflict. A renamed ship (same IMO, new name) stays two records."""
    merged: list[Vessel] = []
    for mention in mentions:
        vessel = mention.vessel
        for index, known in enumerate(merged):
            if _compatible(known, vessel):
                merged[index] = Vessel(
                    name=known.name or vessel.name, imo=known.imo or vessel.imo,
                    mmsi=known.mmsi or vessel.mmsi, flag=known.flag or vessel.flag,
                )
                break
        else:
            merged.append(vessel)
    return tuple(merged)


def _compatible(first: Vessel, second: Vessel) -> bool:
    def agree(a: str | None, b: str | None) -> bool:
        return a is None or b is None or a == b

    names_agree = first.name is not None and second.name is not None and first.name.casefold() == second.name.casefold()
    same_number = (first.imo is not None and first.imo == second.imo) or (first.mmsi is not None and first.mmsi == second.mmsi)
    if not (names_agree or (same_number and (first.name is None or second.name is None))):
        return False
    return agree(first.imo, second.imo) and agree(first.mmsi, second.mmsi) and agree(first.flag, second.flag)


def _mention(text: str, start: int, end: int, name: str | None, imo: str | None, mmsi: str | None,
             flag_phrase: str | None = None) -> VesselMention:
    flag = flag_code(flag_phrase) if flag_phrase else None
    if flag is None:
        before = _FLAG_BEFORE.search(text[max(0, start - 80) : start + 1 if text[start : start + 1] == " " else start])
        after = _FLAG_AFTER.match(text, end)
        nationality = _NATIONALITY_BEFORE.search(text[max(0, start - 60) : start])
        for found in (before, after, nationality):
            if found and flag_code(found.group("flag")):
                flag = flag_code(found.group("flag"))
                break
    return VesselMention(start, end, Vessel(name=name, imo=imo, mmsi=mmsi, flag=flag), text[start:end])


def _clean_name(raw: str | None) -> str | None:
    """Trim sentence punctuation and possessives; None for words that are not ship names."""
    if not raw:
        return None
    name = re.sub(r"(?:['’]s)$", "", raw.strip())
    if not re.search(r"No\.$", name):
        name = name.rstrip(".’'-&")
    words = name.split()
    while words and words[-1].lower() in _NOT_NAMES:
        words.pop()
    if not words or words[0].lower() in _NOT_NAMES or flag_code(" ".join(words)):
        return None
    return " ".join(words)


def _merge_overlapping(text: str, mentions: list[VesselMention]) -> list[VesselMention]:
    """Overlapping mentions of one ship (a name pattern and its IMO) become the widest, with all fields."""
    ordered = sorted(mentions, key=lambda m: (m.start, -m.end))
    merged: list[VesselMention] = []
    for mention in ordered:
        if merged and mention.start < merged[-1].end:
            last = merged[-1]
            a, b = last.vessel, mention.vessel
            if a.name and b.name and a.name.casefold() != b.name.casefold() and not (
                a.name.casefold().startswith(b.name.casefold()) or b.name.casefold().startswith(a.name.casefold())
            ):
                merged.append(mention)
                continue
            vessel = Vessel(name=a.name or b.name, imo=a.imo or b.imo, mmsi=a.mmsi or b.mmsi, flag=a.flag or b.flag)
            start, end = min(last.start, mention.start), max(last.end, mention.end)
            merged[-1] = VesselMention(start, end, vessel, text[start:end])
        else:
            merged.append(mention)
    return merged
