"""The UN Security Council Consolidated List: reading its XML into list entries.

The list is XML published by the UN (``<CONSOLIDATED_LIST dateGenerated=…>`` with
``<INDIVIDUALS>`` and ``<ENTITIES>``; schema https://www.un.org/sc/resources/sc-sanctions.xsd).
Only the DPRK regime (``UN_LIST_TYPE`` ``DPRK``, references ``KPi.nnn`` / ``KPe.nnn``) is kept
by default: the monitor screens North Korea reporting, and the other regimes' names would only
add false candidates.

The file is untrusted input (a user downloads it): it is parsed with defusedxml, so entity
declarations and external DTDs are refused, and anything that is not this list's shape raises
one ``InputError`` line. A 2018-10-29 snapshot ships with the package (``bundled_list``); it is
test and offline-fallback data, never presented as current.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from rigour.ids import IMO
from rigour.territories import lookup_territory

from sanctionwatch.errors import InputError

LIST_ID = "un_sc_consolidated"
LIST_TITLE = "UN Security Council Consolidated List"
DEFAULT_REGIMES: tuple[str, ...] = ("DPRK",)
BUNDLED_FILE = "un_consolidated_2018-10-29.xml.gz"
MAX_LIST_BYTES = 64 * 1024 * 1024  # the live list is about 2 MB; anything far larger is not it
KINDS = ("person", "organization", "vessel")

# "IMO Number: 5342883", "Company Number IMO 5434358", "(IMO) Number: 1790183": IMO numbers in
# the free-text comments.
IMO_IN_TEXT = re.compile(r"\bIMO\)?(?:\s+(?:Number|No\.?))?[:#\s]*(\d{7})\b", re.IGNORECASE)
# "BANK (DCB)": an acronym in brackets at the end of a listed name is an alias of it.
TRAILING_ACRONYM = re.compile(r"^(?P<name>.*?)\s*\((?P<acronym>[A-Z][A-Z0-9&.-]{1,9})\)\s*$", re.DOTALL)
# Vessels named in an entity's comments ("Registered owner of DPRK tanker CHON MA SAN", "the
# vessel Chong Chon Gang"): upper-case runs in a comment that speaks of ships, and Title Case
# words right after "vessel".
SHIP_WORDS = re.compile(r"\b(?:vessels?|tankers?|ships?|bulkers?|freighters?)\b", re.IGNORECASE)
UPPER_RUN = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*(?:\s+[A-Z0-9][A-Z0-9]*(?:-[A-Z0-9]+)*)*(?![\w-])")
TITLE_AFTER_VESSEL = re.compile(r"\bvessel\s+(?:the\s+)?(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+)")
COMPANY_WORDS = frozenset({"SHIPPING", "CORPORATION", "COMPANY", "CO", "LTD", "BANK", "TRADING", "JV", "CORP"})
NOT_VESSEL_WORDS = frozenset({"A", "DPRK", "UN", "UNSC", "IMO", "STS", "US", "PRC", "KOMID", "ETA"})


@dataclass(frozen=True, slots=True)
class Alias:
    name: str
    quality: str = "good"  # "good", "low" (the UN's own grading) or "acronym" (from brackets)


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One listed person or organisation, as the UN publishes it (names verbatim, trimmed)."""

    reference: str  # "KPe.001"
    kind: str  # "person" or "organization"
    name: str
    aliases: tuple[Alias, ...] = ()
    listed_on: date | None = None
    regime: str = "DPRK"
    nationalities: tuple[str, ...] = ()  # ISO 3166 alpha-2, upper case
    countries: tuple[str, ...] = ()  # of its addresses
    imo_numbers: tuple[str, ...] = ()  # company or ship IMO numbers, 7 digits
    vessel_names: tuple[str, ...] = ()  # ships its comments name (owned, managed, operated)
    designations: tuple[str, ...] = ()
    comments: str = ""
    data_id: str | None = None

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *(alias.name for alias in self.aliases))


@dataclass(frozen=True, slots=True)
class SanctionsList:
    list_id: str
    title: str
    generated: date | None
    entries: tuple[ListEntry, ...]

    def by_reference(self) -> dict[str, ListEntry]:
        return {entry.reference: entry for entry in self.entries}


def _text(element: Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


# The UN writes official country names; the bundled country vocabulary knows the usual ones.
UN_COUNTRY_NAMES = {
    "democratic people's republic of korea": "KP",
    "republic of korea": "KR",
    "syrian arab republic": "SY",
    "russian federation": "RU",
    "iran (islamic republic of)": "IR",
    "viet nam": "VN",
    "china, hong kong special administrative region": "HK",
    "hong kong": "HK",
    "hong kong special administrative region": "HK",
    "libyan arab jamahiriya": "LY",
    "libya (in custody)": "LY",
    "branch office 11: iran": "IR",
    "united kingdom of great britain and northern ireland": "GB",
    "united republic of tanzania": "TZ",
    "sultanate of oman": "OM",
    "union of the comoros": "KM",
}


@lru_cache(maxsize=1)
def _countries_vocabulary() -> list[dict[str, Any]]:
    data = json.loads((resources.files("sanctionwatch") / "vocabularies" / "countries.json").read_text("utf-8"))
    return list(data["countries"])


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in _countries_vocabulary():
        for name in (country["name"], *country.get("aliases", ())):
            names[name.casefold()] = country["code"]
    return {**names, **UN_COUNTRY_NAMES}


@lru_cache(maxsize=1)
def _country_words() -> dict[str, frozenset[str]]:
    words: dict[str, set[str]] = {}
    for country in _countries_vocabulary():
        for name in (country["name"], *country.get("aliases", ()), *country.get("acronyms", ()), *country.get("adjectives", ())):
            words.setdefault(country["code"], set()).add(name.casefold())
    for name, code in UN_COUNTRY_NAMES.items():
        words.setdefault(code, set()).add(name)
    return {code: frozenset(names) for code, names in words.items()}


def is_country_name(name: str, code: str | None) -> bool:
    """``name`` is a name of the country ``code`` itself ("North Korea", "DPRK"), not of a body in it."""
    key = " ".join(name.replace("’", "'").split()).casefold().removeprefix("the ").removesuffix("'s")
    return bool(code) and key in _country_words().get(code or "", frozenset())


@lru_cache(maxsize=1024)
def _country_code(name: str) -> str | None:
    key = " ".join(name.replace("’", "'").split()).casefold()
    if not key:
        return None
    if key in _country_names():
        return _country_names()[key]
    # Rare official names: rigour knows them all, but loading its table costs seconds.
    territory = lookup_territory(name)
    return territory.code.upper() if territory is not None and len(territory.code) == 2 else None


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _imo_numbers(comments: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.group(1) for m in IMO_IN_TEXT.finditer(comments) if IMO.is_valid(m.group(1))))


def _vessel_names(comments: str, own_names: tuple[str, ...]) -> tuple[str, ...]:
    if not SHIP_WORDS.search(comments):
        return ()
    own = {name.casefold() for name in own_names}
    found = [m.group("name") for m in TITLE_AFTER_VESSEL.finditer(comments)]
    for match in UPPER_RUN.finditer(comments):
        words = [w for w in match.group(0).split() if w not in NOT_VESSEL_WORDS]
        name = " ".join(words)
        # A single short token is an acronym (DPRK, STS), not a ship; company words mean a firm.
        if not name or name.isdigit() or (len(words) == 1 and len(name) < 4) or COMPANY_WORDS & set(words):
            continue
        found.append(name)
    return tuple(dict.fromkeys(n for n in found if n.casefold() not in own))


def _names(record: Element, tag: str) -> tuple[str, list[Alias]]:
    parts = [_text(record.find(f)) for f in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    name = " ".join(p for p in parts if p)
    aliases: list[Alias] = []
    match = TRAILING_ACRONYM.match(name)
    if match:
        name = match.group("name").strip()
        aliases.append(Alias(match.group("acronym"), "acronym"))
    for alias in record.findall(tag):
        alias_name = _text(alias.find("ALIAS_NAME")).strip(" \"'“”")
        if alias_name and alias_name.casefold() != name.casefold():
            quality = (_text(alias.find("QUALITY")) or "good").casefold()
            aliases.append(Alias(alias_name, quality))
    unique = list({alias.name.casefold(): alias for alias in aliases}.values())
    return name, unique


def _entry(record: Element, kind: str) -> ListEntry | None:
    reference = _text(record.find("REFERENCE_NUMBER"))
    alias_tag = "INDIVIDUAL_ALIAS" if kind == "person" else "ENTITY_ALIAS"
    name, aliases = _names(record, alias_tag)
    if not reference or not name:
        return None
    comments = _text(record.find("COMMENTS1"))
    address_tag = "INDIVIDUAL_ADDRESS" if kind == "person" else "ENTITY_ADDRESS"
    countries = [_country_code(_text(a.find("COUNTRY"))) for a in record.findall(address_tag)]
    nationalities = [_country_code(_text(v)) for v in record.findall("NATIONALITY/VALUE")]
    return ListEntry(
        reference=reference,
        kind=kind,
        name=name,
        aliases=tuple(aliases),
        listed_on=_date(_text(record.find("LISTED_ON"))),
        regime=_text(record.find("UN_LIST_TYPE")),
        nationalities=tuple(dict.fromkeys(c for c in nationalities if c)),
        countries=tuple(dict.fromkeys(c for c in countries if c)),
        imo_numbers=_imo_numbers(comments),
        vessel_names=_vessel_names(comments, (name, *(a.name for a in aliases))) if kind == "organization" else (),
        designations=tuple(_text(v) for v in record.findall("DESIGNATION/VALUE") if _text(v)),
        comments=comments,
        data_id=_text(record.find("DATAID")) or None,
    )


def parse_consolidated_list(
    data: bytes, *, source: str = "list", regimes: tuple[str, ...] | None = DEFAULT_REGIMES
) -> SanctionsList:
    """Entries of a UN consolidated list file (XML bytes, gzip allowed); ``regimes=None`` keeps all.

    Raises ``InputError`` (one line, naming ``source``) for anything that is not such a list.
    """
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputError(f"not a readable gzip file ({exc})", path=source) from exc
    if len(data) > MAX_LIST_BYTES:
        raise InputError(f"larger than {MAX_LIST_BYTES // (1024 * 1024)} MB; not a UN consolidated list", path=source)
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise InputError(f"refused unsafe XML ({exc.__class__.__name__}: DTDs and entities are not allowed)", path=source) from exc
    except Exception as exc:  # ParseError and expat errors: malformed bytes from a download
        raise InputError(f"not well-formed XML: {exc}", path=source) from exc
    if root.tag != "CONSOLIDATED_LIST" or root.find("INDIVIDUALS") is None or root.find("ENTITIES") is None:
        raise InputError(
            f"not a UN consolidated list (root element <{root.tag}>, expected <CONSOLIDATED_LIST> "
            "with <INDIVIDUALS> and <ENTITIES>)",
            path=source,
        )
    entries: list[ListEntry] = []
    for container, tag, kind in (("INDIVIDUALS", "INDIVIDUAL", "person"), ("ENTITIES", "ENTITY", "organization")):
        for record in root.find(container).findall(tag):  # type: ignore[union-attr]
            if regimes is not None and _text(record.find("UN_LIST_TYPE")) not in regimes:
                continue
            entry = _entry(record, kind)
            if entry is not None:
                entries.append(entry)
    if not entries:
        raise InputError(f"the list holds no entry of the regimes {', '.join(regimes or ())}", path=source)
    entries.sort(key=lambda e: e.reference)
    return SanctionsList(LIST_ID, LIST_TITLE, _date(root.get("dateGenerated", "")), tuple(entries))


def bundled_list_bytes() -> bytes:
    return (resources.files("sanctionwatch") / "vocabularies" / "sanctions" / BUNDLED_FILE).read_bytes()


def bundled_list() -> SanctionsList:
    """The snapshot shipped with the package (UN list of 2018-10-29, DPRK regime)."""
    return parse_consolidated_list(bundled_list_bytes(), source=BUNDLED_FILE)
