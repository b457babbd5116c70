"""Geocoding place names, with context, into Locations."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from sanctionwatch.model import Location
from sanctionwatch.resolve.gazetteer import Place
from sanctionwatch.resolve.geocode import country_code, geocode, geocode_many, to_location

TOLERANCE_KILOMETRES = 25.0
SHARED = Path(__file__).resolve().parents[3] / "shared"


def distance_kilometres(latitude_a: float, longitude_a: float, latitude_b: float, longitude_b: float) -> float:
    radians = math.pi / 180
    latitude_term = math.sin((latitude_b - latitude_a) * radians / 2) ** 2
    longitude_term = math.sin((longitude_b - longitude_a) * radians / 2) ** 2
    half_chord = latitude_term + math.cos(latitude_a * radians) * math.cos(latitude_b * radians) * longitude_term
    return 12742 * math.asin(math.sqrt(half_chord))


def assert_near(location: Location | None, country: str, admin1: str | None, latitude: float, longitude: float) -> None:
    assert location is not None
    assert (location.country, location.admin1) == (country, admin1)
    assert location.lat is not None and location.lon is not None
    assert distance_kilometres(latitude, longitude, location.lat, location.lon) < TOLERANCE_KILOMETRES


# The seed article's gold places, with the context the article gives (Jilin and North Korea are named there).
SEED_POINTS = [
    ("Namyang", "KP", "North Hamgyong", 42.95, 129.85),
    ("Onsong County", "KP", "North Hamgyong", 42.96, 129.99),
    ("Tumen", "CN", "Jilin", 42.97, 129.84),
    ("Musan County", "KP", "North Hamgyong", 42.23, 129.23),
    ("Nanping", "CN", "Jilin", 42.25, 129.23),
]


@pytest.mark.parametrize(("name", "country", "admin1", "latitude", "longitude"), SEED_POINTS)
def test_seed_places_come_out_within_25_km(
    name: str, country: str, admin1: str, latitude: float, longitude: float
) -> None:
    location = geocode(name, context_countries=("KP",), context_admin1=("Jilin",))
    assert_near(location, country, admin1, latitude, longitude)


@pytest.mark.parametrize(
    ("name", "country", "admin1"),
    [
        ("North Hamgyong Province", "KP", "North Hamgyong"),
        ("Hamgyŏng-pukto", "KP", "North Hamgyong"),
        ("Ryanggang Province", "KP", "Ryanggang"),
        ("Yanggang-do", "KP", "Ryanggang"),
        ("Jilin Province", "CN", "Jilin"),
        ("Jilin", "CN", "Jilin"),
        ("Liaoning", "CN", "Liaoning"),
        ("Primorsky Krai", "RU", "Primorsky Krai"),
        ("Arizona", "US", "Arizona"),
        ("Kaesong Industrial Complex", "KP", "North Hwanghae"),
    ],
)
def test_provinces_and_facilities_have_admin1_and_no_point(name: str, country: str, admin1: str) -> None:
    location = geocode(name)
    assert location is not None
    assert (location.country, location.admin1, location.lat, location.lon) == (country, admin1, None, None)


@pytest.mark.parametrize(
    ("name", "context_admin1", "expected_admin1"),
    [("Nanping", (), "Fujian"), ("Nanping", ("Jilin",), "Jilin"), ("Nanping", ("Jilin Province",), "Jilin")],
)
def test_context_decides_between_homonyms(name: str, context_admin1: tuple[str, ...], expected_admin1: str) -> None:
    location = geocode(name, context_admin1=context_admin1)
    assert location is not None and location.admin1 == expected_admin1


@pytest.mark.parametrize(
    ("context_countries", "expected_country"), [((), "KP"), (("KR",), "KR"), (("KP", "KR"), "KP"), (("CN",), "KP")]
)
def test_namyang_is_the_border_town_unless_the_text_is_about_south_korea(
    context_countries: tuple[str, ...], expected_country: str
) -> None:
    location = geocode("Namyang", context_countries=context_countries)
    assert location is not None and location.country == expected_country


def test_tumen_without_context_is_the_border_city_not_gansu_or_tyumen() -> None:
    assert_near(geocode("Tumen"), "CN", "Jilin", 42.97, 129.84)


def test_geocode_many_takes_context_from_the_other_names() -> None:
    locations = geocode_many(["Nanping", "Musan County", "North Korea"])
    assert_near(locations[0], "CN", "Jilin", 42.25, 129.23)
    assert locations[2] is not None and locations[2].country == "KP"


@pytest.mark.parametrize(
    ("names", "locative", "expected"),
    [
        # a small GeoNames town named without a locative preposition or its country in context is no place
        (["Qilin"], [False], [None]),
        (["Qilin"], [True], ["CN"]),
        (["Qilin", "China"], [False, True], ["CN", "CN"]),
        # large cities and curated places need no such evidence
        (["Dandong"], [False], ["CN"]),
        (["Nampo"], [False], ["KP"]),
    ],
)
def test_small_towns_need_place_evidence(names: list[str], locative: list[bool], expected: list[str | None]) -> None:
    locations = geocode_many(names, locative=locative)
    assert [location.country if location else None for location in locations] == expected


def test_geocode_many_keeps_order_and_unknowns() -> None:
    locations = geocode_many(["Qwxzville", "Tumen", ""])
    assert locations[0] is None and locations[2] is None
    assert locations[1] is not None and locations[1].admin1 == "Jilin"


@pytest.mark.parametrize(
    ("name", "country", "admin1", "latitude", "longitude"),
    [
        ("Sinuiju", "KP", "North Pyongan", 40.10, 124.40),
        ("Sinŭiju", "KP", "North Pyongan", 40.10, 124.40),
        ("Shinuiju", "KP", "North Pyongan", 40.10, 124.40),
        ("Nampo", "KP", "South Pyongan", 38.73, 125.40),
        ("Namp'o", "KP", "South Pyongan", 38.73, 125.40),
        ("Namp’o", "KP", "South Pyongan", 38.73, 125.40),
        ("Nampho", "KP", "South Pyongan", 38.73, 125.40),
        ("Chinnampo", "KP", "South Pyongan", 38.73, 125.40),
        ("Port of Nampo", "KP", "South Pyongan", 38.73, 125.40),
        ("Rajin", "KP", "Rason", 42.25, 130.28),
        ("Khasan", "RU", "Primorsky Krai", 42.43, 130.64),
        ("Hoeryeong", "KP", "North Hamgyong", 42.44, 129.75),  # not listed: fuzzy match
        ("Yantai", "CN", "Shandong", 37.46, 121.45),
        ("Moscow", "RU", "Moscow", 55.76, 37.62),
        ("Berlin", "DE", "Berlin", 52.52, 13.40),
        ("Luanda", "AO", "Luanda", -8.84, 13.23),
        ("Kampala", "UG", "Central", 0.35, 32.58),
        ("Manila", "PH", "Metro Manila", 14.60, 120.98),
        ("Hong Kong", "HK", None, 22.30, 114.17),
        ("Peking", "CN", "Beijing", 39.91, 116.40),  # an area alias whose bare name means the capital
        ("Rangoon", "MM", "Yangon", 16.81, 96.16),
    ],
)
def test_romanisation_variants_and_cities(
    name: str, country: str, admin1: str | None, latitude: float, longitude: float
) -> None:
    assert_near(geocode(name), country, admin1, latitude, longitude)


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Korea Bay", None),
        ("West Sea", None),
        ("Yellow Sea", None),
        ("the Yellow Sea", None),
        ("East China Sea", None),
        ("Sea of Japan", None),
        ("East Sea", None),
        ("Taiwan Strait", None),
        ("high seas", None),
        ("international waters", None),
        ("international waters between China and the Korean peninsula", None),
        ("waters off Nampo", "KP"),
        ("waters off Chongjin", "KP"),
        ("Middle East", None),
        ("Chinese ports", "CN"),
        ("Bangladesh Bank", "BD"),
    ],
)
def test_seas_regions_and_phrases_have_no_point(name: str, country: str | None) -> None:
    location = geocode(name)
    assert location is not None
    assert (location.country, location.lat, location.lon) == (country, None, None)


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("North Korea", "KP"), ("DPRK", "KP"), ("South Korea", "KR"), ("China", "CN"), ("Russia", "RU"),
        ("United States", "US"), ("U.S.", "US"), ("Myanmar", "MM"), ("Burma", "MM"), ("Syria", "SY"),
        ("American Samoa", "AS"), ("Sri Lanka", "LK"), ("South Sudan", "SS"), ("Taiwan", "TW"),
    ],
)
def test_countries_have_no_point(name: str, country: str) -> None:
    location = geocode(name)
    assert location is not None
    assert (location.country, location.admin1, location.lat, location.lon) == (country, None, None, None)


@pytest.mark.parametrize(
    ("context_countries", "expected"),
    [
        ((), ("GE", None)),
        (("US",), ("US", "Georgia")),
        (("United States",), ("US", "Georgia")),
        (("US", "GE"), ("GE", None)),
    ],
)
def test_georgia_is_the_country_unless_the_text_is_about_the_united_states(
    context_countries: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    location = geocode("Georgia", context_countries=context_countries)
    assert location is not None
    assert (location.country, location.admin1) == expected
    assert location.lat is None


@pytest.mark.parametrize(
    "name",
    [
        "Qwxzville", "march", "split", "nice", "us", "Split", "Nice", "", "   ", "a city in China on the border",
        "x" * 500, "<img src=x onerror=alert(1)>", "<script>Nampo</script>", "0", "(0, 0)",
    ],
)
def test_unknown_lowercase_and_common_words_do_not_geocode(name: str) -> None:
    assert geocode(name) is None


def test_common_word_city_geocodes_when_its_country_is_in_context() -> None:
    location = geocode("Split", context_countries=("HR",))
    assert location is not None and location.country == "HR"


def test_role_and_name_as_written_are_kept() -> None:
    location = geocode("  Namp'o, ", role="port")
    assert location is not None
    assert (location.name, location.role) == ("Namp'o", "port")


def test_a_zero_point_never_leaves_to_location() -> None:
    null_island = Place(name="Nowhere", kind="city", country="GH", latitude=0.0, longitude=0.0)
    location = to_location("Nowhere", null_island, "site")
    assert (location.lat, location.lon) == (None, None)


@pytest.mark.parametrize(
    "name",
    ["Namyang", "Tumen", "Nampo", "Hong Kong", "Kampala", "Luanda", "Singapore", "Dandong", "Hyesan", "Vladivostok"],
)
def test_no_geocoded_point_is_null_island(name: str) -> None:
    location = geocode(name)
    assert location is not None and location.lat is not None
    assert not (location.lat == 0 and location.lon == 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("North Korean", "KP"), ("Chinese", "CN"), ("Russian", "RU"), ("South Korean", "KR"), ("American", "US"),
        ("China", "CN"), ("PRC", "CN"), ("ROK", "KR"), ("UAE", "AE"), ("U.S.", "US"), ("Burmese", "MM"),
        ("us", None), ("chinese", None), ("Pyongyang", None), ("Tumen", None), ("", None),
    ],
)
def test_country_code_from_names_acronyms_and_adjectives(text: str, expected: str | None) -> None:
    assert country_code(text) == expected


def test_repeated_lookups_give_the_same_places() -> None:
    # Speed is measured in benchmarks/geocoding.py; here only that lookups are stable.
    names = ["Tumen", "Nampo", "Jilin Province", "North Korea", "Sinuiju", "Moscow", "Yellow Sea", "Onsong County"]
    first = [geocode(name) for name in names]
    assert all(first) and [geocode(name) for name in names] == first


def test_unknown_names_are_none() -> None:
    for index in range(20):
        assert geocode(f"Qwxzvillage{index:02d}") is None  # distinct names: the fuzzy cache does not help


@pytest.mark.corpus
@pytest.mark.skipif(not (SHARED / "seed" / "gold.jsonl").exists(), reason="needs ../shared")
def test_gold_places_with_points_geocode_within_25_km() -> None:
    failures = []
    for path in (SHARED / "seed" / "gold.jsonl", SHARED / "dev" / "gold.jsonl"):
        if not path.exists():
            continue
        for line in path.read_text("utf-8").splitlines():
            for gold in json.loads(line).get("locations") or ():
                if gold.get("lat") is None or gold["name"] == "Nanping":  # Nanping needs context, tested above
                    continue
                location = geocode(gold["name"])
                if (
                    location is None
                    or location.country != gold["country"]
                    or location.lat is None
                    or distance_kilometres(gold["lat"], gold["lon"], location.lat, location.lon) > TOLERANCE_KILOMETRES
                ):
                    failures.append((gold["name"], location))
    assert failures == []


@pytest.mark.parametrize(
    ("name", "country", "near"),
    [
        ("Manila Bay", "PH", (14.6, 120.98)),  # a bay named after its city lies at the city
        ("Subic Bay", "PH", (14.8, 120.27)),
        ("Sokcho-Gangneung port", "KR", (37.98, 128.73)),  # a port named after two towns: between them
    ],
)
def test_ports_and_bays_named_after_towns(name: str, country: str, near: tuple[float, float]) -> None:
    location = geocode(name)
    assert location is not None and location.country == country and location.lat is not None and location.lon is not None
    assert distance_kilometres(near[0], near[1], location.lat, location.lon) < TOLERANCE_KILOMETRES


def test_a_bay_named_after_a_small_faraway_town_gets_no_point() -> None:
    assert geocode("Hudson Bay") is None


@pytest.mark.parametrize(("text", "name"), [("the U.S.", "United States"), ("America", "United States"), ("the Russian Federation", "Russia")])
def test_a_whole_country_takes_its_own_name(text: str, name: str) -> None:
    location = geocode(text)
    assert location is not None and location.name == name and location.lat is None
