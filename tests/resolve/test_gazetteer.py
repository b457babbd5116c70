"""The bundled gazetteer: name keys, the data files' integrity, and index lookups."""

from __future__ import annotations

import gzip
import json
import math
from importlib import resources

import pytest

from sanctionwatch.resolve.gazetteer import fold, load_gazetteer, lookup_key, name_key, split_suffix

VOCABULARIES = resources.files("sanctionwatch.vocabularies")
POINT_KINDS = {"city", "county", "port", "crossing"}
NO_POINT_KINDS = {"sea", "facility", "region", "river", "prefecture"}


def read_json(filename: str) -> dict:
    return json.loads(VOCABULARIES.joinpath(filename).read_text("utf-8"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Namp'o", "nampo"),
        ("Namp’o", "nampo"),
        ("  NAMPO ", "nampo"),
        ("Sinŭiju", "sinuiju"),
        ("Hamgyŏng-pukto", "hamgyongpukto"),
        ("Ji'an", "jian"),
        ("Onsŏng-ŭp", "onsongup"),
        ("Île-de-France", "iledefrance"),
        ("", ""),
    ],
)
def test_name_key_folds_accents_apostrophes_case_and_hyphens(text: str, expected: str) -> None:
    assert name_key(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("the Yellow Sea", "yellowsea"), ("The Hague", "hague"), ("the", "the")]
)
def test_lookup_key_drops_a_leading_article(text: str, expected: str) -> None:
    assert lookup_key(text) == expected


def test_fold_keeps_word_boundaries() -> None:
    assert fold("Hamgyŏng-pukto  Province") == "hamgyong pukto province"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Onsong County", ("onsong", "county")),
        ("Musan-gun", ("musan", "county")),
        ("Jilin Province", ("jilin", "area")),
        ("Primorsky Krai", ("primorsky", "area")),
        ("Xinjiang Autonomous Region", ("xinjiang", "area")),
        ("Hyesan-si", ("hyesan", "city")),
        ("Musan-ŭp", ("musan", "city")),
        ("Port of Nampo", ("nampo", "city")),
        ("the Yellow Sea", ("yellowsea", None)),
        ("Tumen", ("tumen", None)),
        ("Do", ("do", None)),  # a bare generic word is not stripped to nothing
        ("Ri-do", ("rido", None)),  # the stem must keep three letters
    ],
)
def test_split_suffix_names_the_generic_word(text: str, expected: tuple[str, str | None]) -> None:
    assert split_suffix(text) == expected


def test_gazetteer_file_carries_the_geonames_credit_and_stays_small() -> None:
    raw = VOCABULARIES.joinpath("gazetteer.tsv.gz").read_bytes()
    assert len(raw) < 3_000_000
    first_line = gzip.decompress(raw).decode("utf-8").splitlines()[0]
    assert "GeoNames" in first_line and "CC-BY 4.0" in first_line


def test_gazetteer_loads_once() -> None:
    # Load time is measured in benchmarks/geocoding.py.
    load_gazetteer.cache_clear()
    gazetteer = load_gazetteer()
    assert load_gazetteer() is gazetteer


@pytest.mark.parametrize("country", ["KP", "CN", "RU", "KR", "MN", "JP"])
def test_region_countries_keep_towns_below_the_world_population_floor(country: str) -> None:
    gazetteer = load_gazetteer()
    small_towns = {
        match.place.geonameid
        for matches in gazetteer.cities_by_key.values()
        for match in matches
        if match.place.country == country and match.place.population < 50_000
    }
    assert len(small_towns) > 10


def test_every_gazetteer_point_is_valid_and_never_null_island() -> None:
    gazetteer = load_gazetteer()
    places = {match.place for matches in gazetteer.cities_by_key.values() for match in matches}
    assert len(places) > 30_000
    for place in places:
        assert place.latitude is not None and place.longitude is not None
        assert -90 <= place.latitude <= 90 and -180 <= place.longitude <= 180
        assert not (place.latitude == 0 and place.longitude == 0)
        assert math.isfinite(place.latitude) and math.isfinite(place.longitude)


def test_curated_places_are_consistent_with_the_other_tables() -> None:
    admin1_names = {(area["country"], area["name"]) for area in read_json("admin1.json")["areas"]}
    country_codes = {country["code"] for country in read_json("countries.json")["countries"]}
    for place in read_json("places_curated.json")["places"]:
        kind = place["kind"]
        assert kind in POINT_KINDS | NO_POINT_KINDS, place["name"]
        if kind in POINT_KINDS:
            assert place["lat"] is not None and place["lon"] is not None, place["name"]
            assert not (place["lat"] == 0 and place["lon"] == 0)
        else:
            assert place["lat"] is None and place["lon"] is None, place["name"]
        if place["country"] is not None:
            assert place["country"] in country_codes, place["name"]
        if place["admin1"] is not None:
            assert (place["country"], place["admin1"]) in admin1_names, place["name"]


def test_admin1_codes_are_unique_per_country() -> None:
    areas = read_json("admin1.json")["areas"]
    codes = [(area["country"], area["code"]) for area in areas]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize(
    "code",
    ["KP", "KR", "CN", "RU", "US", "JP", "SY", "IR", "MM", "AO", "UG", "VN", "HK", "TW", "SL", "TG", "PA", "MY",
     "SG", "ID", "PH", "BD", "LK", "SS", "UA", "MN", "KH", "LA", "TH", "AE", "DE", "GB", "FR", "BZ", "EG", "SD",
     "ER", "CU", "VE", "AS"],
)
def test_countries_table_covers_the_countries_reporting_names(code: str) -> None:
    assert load_gazetteer().country_by_code[code].country == code


@pytest.mark.parametrize(
    ("key", "geonameid"),
    [("tumen", 2034340), ("nanping", 2035643), ("nanping", 1799846), ("sinuiju", 2040893), ("musan", 2042738)],
)
def test_city_index_holds_every_homonym(key: str, geonameid: int) -> None:
    assert geonameid in {match.place.geonameid for match in load_gazetteer().cities(key)}


def test_city_index_marks_aliases_as_not_primary() -> None:
    matches = {match.place.name: match.primary for match in load_gazetteer().cities("tumen")}
    assert matches["Tumen"] is True
    assert matches["Tyumen"] is False  # Tyumen carries "Tumen" only as an alternate name


def test_city_admin1_is_named_from_the_hand_table() -> None:
    tumen = next(match.place for match in load_gazetteer().cities("tumen") if match.place.geonameid == 2034340)
    assert (tumen.country, tumen.admin1) == ("CN", "Jilin")


@pytest.mark.parametrize(
    ("text", "expected"), [("US", "US"), ("U.S.", "US"), ("DPRK", "KP"), ("us", None), ("Us", None)]
)
def test_acronyms_match_case_sensitively(text: str, expected: str | None) -> None:
    place = load_gazetteer().country_by_acronym_text(text)
    assert (place.country if place else None) == expected


@pytest.mark.parametrize(("key", "expected_name"), [("hoeryeong", "Hoeryŏng"), ("chongjinn", "Chongjin")])
def test_fuzzy_lookup_finds_unlisted_romanisations_in_the_region(key: str, expected_name: str) -> None:
    assert expected_name in {match.place.name for match in load_gazetteer().fuzzy_cities(key)}


@pytest.mark.parametrize("key", ["yanjj", "londonn", "zzzzzzzzzz"])
def test_fuzzy_lookup_refuses_short_keys_and_places_outside_the_region(key: str) -> None:
    assert load_gazetteer().fuzzy_cities(key) == []


def test_city_places_are_built_once_when_first_looked_up() -> None:
    # Cities are indexed as rows and become places on first lookup; a city found under its own
    # name and under an alias is one place, and the full map agrees with the lookups.
    load_gazetteer.cache_clear()
    gazetteer = load_gazetteer()
    (sinuiju,) = [match for match in gazetteer.cities("sinuiju") if match.place.country == "KP"]
    assert sinuiju.primary and sinuiju.place.admin1 == "North Pyongan"
    assert gazetteer.cities("sinuiju") is gazetteer.cities("sinuiju")
    alias_keys = [key for key, matches in gazetteer.cities_by_key.items() if any(m.place is sinuiju.place and not m.primary for m in matches)]
    assert alias_keys  # GeoNames lists other spellings of it
    assert all(sinuiju.place in [m.place for m in gazetteer.cities(key)] for key in alias_keys)
    assert gazetteer.cities("no such place anywhere") == []
