"""The bundled gazetteer: place names normalised into lookup keys, loaded once.

Four layers, all under ``sanctionwatch/vocabularies/``:

- ``places_curated.json``: border crossings, ports, seas, facilities; it wins over GeoNames;
- ``countries.json``: countries with aliases, case-sensitive acronyms (``US``, ``DPRK``) and adjectives;
- ``admin1.json``: first-level areas by GeoNames admin1 code, with English names and aliases;
- ``gazetteer.tsv.gz``: a GeoNames cities500 subset (CC-BY 4.0) built by ``scripts/build_gazetteer.py``.

Lookups take a *key* made by :func:`name_key`: accents, apostrophes, case, spaces and hyphens removed,
so "Namp'o", "Nampo" and "NAMPO" meet, as do "Sinŭiju" and "Sinuiju".
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

# The DPRK's neighbourhood: fuzzy matching for unlisted romanisations is tried only here (all of the DPRK,
# the Chinese and Russian areas along its border). Kept small so that a miss costs well under a millisecond.
FUZZY_AREAS = frozenset(
    [("CN", "Jilin"), ("CN", "Liaoning"), ("CN", "Heilongjiang"), ("RU", "Primorsky Krai"), ("RU", "Khabarovsk Krai")]
)
FUZZY_SCORE_CUTOFF = 90.0
# Below this length a one-letter difference is a different place (Yanji / Yangji), not a variant.
FUZZY_MIN_KEY_LENGTH = 6
FUZZY_CACHE_SIZE = 10_000

AREA_SUFFIXES = {
    ("province",), ("sheng",), ("do",), ("oblast",), ("krai",), ("kray",), ("region",), ("state",),
    ("prefecture",), ("territory",), ("governorate",), ("autonomous", "region"), ("special", "city"),
}
COUNTY_SUFFIXES = {("county",), ("gun",), ("xian",), ("district",)}
CITY_SUFFIXES = {
    ("city",), ("si",), ("shi",), ("up",), ("eup",), ("town",), ("zhen",), ("village",), ("ri",), ("ni",),
    ("dong",), ("port",), ("harbour",), ("harbor",), ("bay",), ("freeport",), ("port", "area"), ("terminal",),
}
CITY_PREFIXES = {("port", "of"), ("city", "of"), ("town", "of")}
SUFFIX_KINDS = (("area", AREA_SUFFIXES), ("county", COUNTY_SUFFIXES), ("city", CITY_SUFFIXES))
_SUFFIX_KIND_BY_WORDS = {suffix: kind for kind, suffixes in SUFFIX_KINDS for suffix in suffixes}

_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc\u02bb\u02be\u02bf`'\u00b4]")
_NON_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: "Hamgyŏng-pukto" -> "hamgyong pukto"."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", text))
        text = "".join(character for character in decomposed if not unicodedata.combining(character))
    else:
        text = text.replace("'", "").replace("`", "")
    return _NON_ALPHANUMERIC.sub(" ", text.lower()).strip()


def name_key(text: str) -> str:
    """The lookup key of a name: :func:`fold` without the spaces ("Namp'o" -> "nampo")."""
    return fold(text).replace(" ", "")


def lookup_key(text: str) -> str:
    """:func:`name_key` without a leading "the" ("the Yellow Sea" -> "yellowsea")."""
    tokens = fold(text).split()
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    return "".join(tokens)


def split_suffix(text: str) -> tuple[str, str | None]:
    """(key of the name without a generic word, which kind of word it was) or (key, None).

    "Onsong County" -> ("onsong", "county"); "Jilin Province" -> ("jilin", "area"); "Port of Nampo" ->
    ("nampo", "city"). A leading "the" always goes. The stem must keep at least three letters.
    """
    return _split_tokens(fold(text).split())


def _split_tokens(tokens: list[str]) -> tuple[str, str | None]:
    if tokens[:1] == ["the"]:
        tokens = tokens[1:]
    if len(tokens) > 1:
        if tuple(tokens[:2]) in CITY_PREFIXES:
            stem = "".join(tokens[2:])
            if len(stem) >= 3:
                return stem, "city"
        for length in (2, 1):
            kind = _SUFFIX_KIND_BY_WORDS.get(tuple(tokens[-length:]))
            if kind is not None:
                stem = "".join(tokens[:-length])
                if len(stem) >= 3:
                    return stem, kind
    return "".join(tokens), None


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. ``admin1`` is the English name of the first-level area, where known."""

    name: str
    kind: str
    country: str | None = None
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    population: int = 0
    geonameid: int | None = None
    source: str = "geonames"
    needs_context: tuple[str, ...] = ()
    match_lowercase: bool = False
    bare_name_is_city: bool = False

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A place found under a key; ``primary`` when the key is the place's own name, not an alias."""

    place: Place
    primary: bool


class Gazetteer:
    """All four layers indexed by key. Build it with :func:`load_gazetteer` (cached)."""

    def __init__(
        self,
        *,
        curated: list[dict[str, Any]],
        countries: list[dict[str, Any]],
        areas: list[dict[str, Any]],
        city_rows: list[list[str]],
    ) -> None:
        self.admin1_names: dict[tuple[str, str], str] = {
            (area["country"], area["code"]): area["name"] for area in areas
        }
        self.curated_by_key: dict[str, list[Place]] = defaultdict(list)
        self.areas_by_key: dict[str, list[Place]] = defaultdict(list)
        self.countries_by_key: dict[str, Place] = {}
        self.country_by_acronym: dict[str, Place] = {}
        self.country_code_by_adjective: dict[str, str] = {}
        self.country_by_code: dict[str, Place] = {}
        # Cities are indexed as row numbers and become Place objects when first looked up: a run
        # looks up a few hundred of the 34,000, and building them all was a third of the load.
        self._city_rows = city_rows
        self._city_index: dict[str, list[int]] = {}  # key -> [row number * 2 + 1 if the row's own name]
        self._city_places: dict[int, Place] = {}
        self._city_matches: dict[str, list[NameMatch]] = {}
        self._fuzzy_key_list: list[str] | None = None
        self._fuzzy_best_key: dict[str, str | None] = {}
        self._index_curated(curated)
        self._index_countries(countries)
        self._index_areas(areas)
        self._index_cities(city_rows)

    # -- lookups ---------------------------------------------------------------------------------

    def curated(self, key: str) -> list[Place]:
        return self.curated_by_key.get(key, [])

    def areas(self, key: str) -> list[Place]:
        return self.areas_by_key.get(key, [])

    def country(self, key: str) -> Place | None:
        return self.countries_by_key.get(key)

    def country_by_acronym_text(self, text: str) -> Place | None:
        """Case-sensitive: "US" and "U.S." are the United States, "us" is not."""
        return self.country_by_acronym.get(text.replace(".", "").replace(" ", ""))

    def country_code_for_adjective(self, key: str) -> str | None:
        return self.country_code_by_adjective.get(key)

    def cities(self, key: str) -> list[NameMatch]:
        found = self._city_matches.get(key)
        if found is None:
            entries = self._city_index.get(key)
            if not entries:
                return []
            found = [NameMatch(self._city_place(entry >> 1), primary=bool(entry & 1)) for entry in entries]
            self._city_matches[key] = found
        return found

    @property
    def cities_by_key(self) -> dict[str, list[NameMatch]]:
        """Every city key with its matches (builds every city: for tests and diagnostics)."""
        return {key: self.cities(key) for key in self._city_index}

    def admin1_name(self, country: str, code: str) -> str | None:
        return self.admin1_names.get((country, code))

    def fuzzy_cities(self, key: str) -> list[NameMatch]:
        """Cities of the DPRK and its border areas under the closest key scoring >= the cutoff (``fuzz.ratio``)."""
        if len(key) < FUZZY_MIN_KEY_LENGTH:
            return []
        if key not in self._fuzzy_best_key:
            from rapidfuzz import fuzz, process

            best = process.extractOne(key, self._fuzzy_keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_SCORE_CUTOFF)
            if len(self._fuzzy_best_key) >= FUZZY_CACHE_SIZE:
                self._fuzzy_best_key.clear()  # names repeat within a batch; a reset keeps memory bounded
            self._fuzzy_best_key[key] = best[0] if best else None
        best_key = self._fuzzy_best_key[key]
        if best_key is None:
            return []
        return [
            NameMatch(match.place, primary=False) for match in self.cities(best_key) if _in_fuzzy_region(match.place)
        ]

    # -- building ------------------------------------------------------------------------------

    def _fuzzy_keys(self) -> list[str]:
        if self._fuzzy_key_list is None:
            self._fuzzy_key_list = sorted(
                key
                for key, entries in self._city_index.items()
                if any(self._row_in_fuzzy_region(entry >> 1) for entry in entries)
            )
        return self._fuzzy_key_list

    def _index_curated(self, entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            place = Place(
                name=entry["name"],
                kind=entry["kind"],
                country=entry.get("country"),
                admin1=entry.get("admin1"),
                latitude=entry.get("lat"),
                longitude=entry.get("lon"),
                geonameid=entry.get("geonameid"),
                source="curated",
                needs_context=tuple(entry.get("needs_context") or ()),
                match_lowercase=bool(entry.get("match_lowercase")),
            )
            for key in _keys_of([place.name, *entry.get("aliases", [])]):
                self.curated_by_key[key].append(place)

    def _index_countries(self, entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            place = Place(
                name=entry["name"],
                kind="country",
                country=entry["code"],
                geonameid=entry.get("geonameid"),
                source="country",
                bare_name_is_city=bool(entry.get("city_state")),
            )
            self.country_by_code[entry["code"]] = place
            for key in _keys_of([place.name, *entry.get("aliases", [])]):
                self.countries_by_key.setdefault(key, place)
            for acronym in entry.get("acronyms", []):
                self.country_by_acronym[acronym.replace(".", "")] = place
            for adjective in entry.get("adjectives", []):
                self.country_code_by_adjective.setdefault(name_key(adjective), entry["code"])

    def _index_areas(self, entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            if entry.get("name_only"):
                continue
            place = Place(
                name=entry["name"],
                kind="admin1",
                country=entry["country"],
                admin1=entry["name"],
                source="admin1",
                bare_name_is_city=bool(entry.get("bare_name_is_city")),
            )
            for key in _keys_of([place.name, *entry.get("aliases", [])]):
                self.areas_by_key[key].append(place)

    def _index_cities(self, rows: list[list[str]]) -> None:
        index = self._city_index
        for number, row in enumerate(rows):
            name, aliases = row[1], row[7]
            primary_keys = _keys_of([name])
            for key in primary_keys:
                index.setdefault(key, []).append(number * 2 + 1)
            for key in _keys_of(aliases.split("|") if aliases else []) - primary_keys:
                index.setdefault(key, []).append(number * 2)

    def _city_place(self, number: int) -> Place:
        place = self._city_places.get(number)
        if place is None:
            geonameid, name, country, admin1_code, latitude, longitude, population, _ = self._city_rows[number]
            place = Place(
                name=name,
                kind="city",
                country=country,
                admin1=self.admin1_names.get((country, admin1_code)),
                latitude=float(latitude),
                longitude=float(longitude),
                population=int(population),
                geonameid=int(geonameid),
            )
            self._city_places[number] = place
        return place

    def _row_in_fuzzy_region(self, number: int) -> bool:
        """``_in_fuzzy_region`` of a city row, without building its place."""
        country, admin1_code = self._city_rows[number][2:4]
        return _in_fuzzy_area(country, self.admin1_names.get((country, admin1_code)))


def _in_fuzzy_region(place: Place) -> bool:
    return _in_fuzzy_area(place.country, place.admin1)


def _in_fuzzy_area(country: str | None, admin1: str | None) -> bool:
    return country == "KP" or (country, admin1) in FUZZY_AREAS


def _keys_of(names: list[str]) -> set[str]:
    """Every key a list of names is found under: each full name, and its stem without a generic word."""
    keys: set[str] = set()
    for name in names:
        tokens = fold(name).split()
        if not tokens:
            continue
        keys.add("".join(tokens))
        stem, kind = _split_tokens(tokens)
        if stem and (kind is not None or tokens[0] == "the"):
            keys.add(stem)  # "The Hague" is also found as "Hague", "Jilin Province" as "Jilin"
    return keys


GAZETTEER_FILES = ("places_curated.json", "countries.json", "admin1.json", "gazetteer.tsv.gz")


def _vocabulary_bytes(filename: str) -> bytes:
    return resources.files("sanctionwatch.vocabularies").joinpath(filename).read_bytes()


def _city_rows(raw: bytes) -> list[list[str]]:
    rows = []
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    for line in lines:
        if not line or line.startswith(("#", "geonameid\t")):
            continue
        fields = line.split("\t")
        if len(fields) == 8:
            rows.append(fields)
    return rows


def build_gazetteer(files: dict[str, bytes]) -> Gazetteer:
    """A gazetteer indexed from the four files' bytes (named as in ``GAZETTEER_FILES``)."""
    return Gazetteer(
        curated=json.loads(files["places_curated.json"])["places"],
        countries=json.loads(files["countries.json"])["countries"],
        areas=json.loads(files["admin1.json"])["areas"],
        city_rows=_city_rows(files["gazetteer.tsv.gz"]),
    )


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The bundled gazetteer, read and indexed on first use, then shared (read-only). The index is
    kept in the user's cache (``sanctionwatch.cache``), keyed by the files and this module's source,
    and loaded from there by later processes."""
    from sanctionwatch.cache import cached, module_source

    files = {filename: _vocabulary_bytes(filename) for filename in GAZETTEER_FILES}
    parts = [*files.values(), module_source(sys.modules[__name__])]
    return cached("gazetteer", parts, lambda: build_gazetteer(files), Gazetteer)
