"""Geocoding: a place name as written, with the places named around it, to a :class:`Location`.

:func:`resolve_place` is the decision cascade, one numbered step each; the first step that finds
something wins. Context (countries and first-level areas named nearby) decides between homonyms:
"Nanping" near "Jilin" or "North Korea" is the border town in Helong, not the city in Fujian.
Only named cities, towns, crossings and ports get a point; countries, provinces, seas and
facilities get ``lat``/``lon`` None, as the annotation rules say.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sanctionwatch.model import Location
from sanctionwatch.resolve.gazetteer import (
    Gazetteer,
    NameMatch,
    Place,
    fold,
    load_gazetteer,
    lookup_key,
    name_key,
    split_suffix,
)

MAX_NAME_LENGTH = 120
COORDINATE_DECIMALS = 4
# Region prior: with no context, a border town in the DPRK beats a homonym elsewhere, but only by
# a few orders of magnitude of population (a village called Paris in Russia must not beat Paris).
REGION_BONUS = {"KP": 3.0, "CN": 1.5, "RU": 1.5}
CONTEXT_ADMIN1_BONUS = 100.0
CONTEXT_COUNTRY_BONUS = 50.0
PRIMARY_NAME_BONUS = 1.5
# "Chinese ports", "Russian waters", "Bangladesh Bank": a country-level place with no point (the
# annotation rules give institutions their country and no coordinates).
COUNTRY_AREA_NOUNS = frozenset(
    ["port", "ports", "waters", "territorial waters", "border", "border area", "border region", "coast",
     "coastline", "territory", "side", "soil", "mainland", "border city", "border town", "border towns",
     "bank", "central bank", "embassy", "consulate"]
)
# City names that are also everyday English words; a sentence-initial "Split" or "Mobile" is no evidence
# of a place, so these resolve only when their country is already in context.
COMMON_WORD_KEYS = frozenset(
    ["split", "nice", "reading", "mobile", "bath", "march", "hope", "orange", "male", "man", "of", "batman",
     "deal", "wells", "sale", "bury", "bristol", "victoria", "independence", "liberty", "union", "surprise",
     "normal", "paradise", "university", "college", "commerce", "enterprise", "concord", "eagle", "price",
     "young", "best", "mission", "buy", "ha", "hu", "bo", "ji", "an", "ede", "bar", "kota", "tema", "mo"]
)
# A GeoNames town this small, with no country or province of its own in context, is taken only when the
# text names it as a place ("in Qilin"); a bare capitalised word ("Qilin ransomware") is no evidence.
SMALL_TOWN_POPULATION = 100_000
_WATERS_OFF = re.compile(r"^(?:the\s+)?(?:waters?|seas?|coast)\s+(?:off|near|around|of)\s+(?:the\s+)?(.+)$", re.I)
_SURROUNDING_NOISE = " \t\r\n\"'“”‘’.,;:()[]"


@dataclass(frozen=True, slots=True)
class GeocodingContext:
    """What the surrounding text says: ISO country codes and (country, admin1 English name) pairs."""

    countries: frozenset[str] = frozenset()
    admin1: frozenset[tuple[str, str]] = frozenset()

    def allows(self, place: Place) -> bool:
        """True when the place needs no context or one of its required names is in context."""
        if not place.needs_context:
            return True
        admin1_names = {name for _country, name in self.admin1}
        return any(item in self.countries or item in admin1_names for item in place.needs_context)


def geocode(
    name: str,
    *,
    context_countries: Sequence[str] = (),
    context_admin1: Sequence[str] = (),
    role: str = "site",
) -> Location | None:
    """The place ``name`` most likely means, or None when it is unknown, too vague or not capitalised.

    ``context_countries`` take ISO codes or names ("CN", "China"); ``context_admin1`` take area names
    ("Jilin", "North Hamgyong Province"). The returned ``Location.name`` is ``name`` as written (trimmed).
    Never returns a (0, 0) point or coordinates out of range.
    """
    gazetteer = load_gazetteer()
    context = make_context(gazetteer, context_countries, context_admin1)
    text = clean_name(name)
    if text is None:
        return None
    place = resolve_place(gazetteer, text, context)
    return None if place is None else to_location(text, place, role)


def geocode_many(
    names: Sequence[str],
    *,
    context_countries: Sequence[str] = (),
    context_admin1: Sequence[str] = (),
    role: str = "site",
    locative: Sequence[bool] | None = None,
) -> list[Location | None]:
    """Geocode the places named in one text, each in the context of the others, in input order.

    A first pass collects the countries and areas that the names fix without doubt (countries,
    provinces, curated places); the second pass geocodes every name with that context added.
    ``locative`` says, per name, whether the text introduced it as a place (a locative preposition);
    a small non-curated town with no context match resolves only then. Omitted: all True.
    """
    gazetteer = load_gazetteer()
    base = make_context(gazetteer, context_countries, context_admin1)
    countries, admin1 = set(base.countries), set(base.admin1)
    for name in names:
        text = clean_name(name)
        place = resolve_place(gazetteer, text, base, unambiguous_only=True) if text else None
        if place is not None and place.country:
            countries.add(place.country)
            if place.admin1:
                admin1.add((place.country, place.admin1))
    context = GeocodingContext(frozenset(countries), frozenset(admin1))
    results: list[Location | None] = []
    flags = list(locative) if locative is not None else [True] * len(names)
    for name, is_locative in zip(names, flags, strict=True):
        text = clean_name(name)
        place = resolve_place(gazetteer, text, context, locative=is_locative) if text else None
        results.append(None if place is None or not text else to_location(text, place, role))
    return results


def country_code(name_or_adjective: str) -> str | None:
    """ISO alpha-2 code of a country name, alias, acronym or adjective ("Chinese" -> "CN"), else None.

    Acronyms match case-sensitively ("US", "U.S.", "DPRK"); other forms must be capitalised.
    """
    text = clean_name(name_or_adjective)
    if text is None:
        return None
    gazetteer = load_gazetteer()
    acronym = gazetteer.country_by_acronym_text(text)
    if acronym is not None:
        return acronym.country
    if not is_capitalised(text):
        return None
    key = name_key(text)
    country = gazetteer.country(key) or gazetteer.country(split_suffix(text)[0])
    if country is not None:
        return country.country
    return gazetteer.country_code_for_adjective(key)


def is_facility(name: str) -> bool:
    """Whether ``name`` is a curated facility ("Kaesong Industrial Complex"): a site without a point."""
    return any(place.kind == "facility" for place in load_gazetteer().curated(name_key(name)))


def country_location(code: str, role: str = "site") -> Location | None:
    """The whole country with this ISO code, as a place without a point ("Vietnamese bank" -> Vietnam)."""
    country = load_gazetteer().country_by_code.get(code)
    if country is None:
        return None
    return Location(name=country.name, country=country.country, role=role, geonameid=country.geonameid)


def resolve_place(
    gazetteer: Gazetteer, text: str, context: GeocodingContext, *, unambiguous_only: bool = False, locative: bool = True
) -> Place | None:
    """The decision cascade. ``unambiguous_only`` stops before homonym choice (used to gather context)."""
    key = lookup_key(text)
    if not key:
        return None
    # 1. Acronyms, case-sensitive: "US", "U.S.", "DPRK", "UAE".
    acronym = gazetteer.country_by_acronym_text(text)
    if acronym is not None:
        return acronym
    # 2. Lower-case text is a common word, unless a curated entry says otherwise ("high seas").
    if not is_capitalised(text):
        return _curated_lowercase(gazetteer, text) or _waters_off(gazetteer, text, context)
    # 3. The curated layer wins over everything else.
    curated = _best_curated(gazetteer.curated(key), context)
    if curated is not None:
        if context.countries and curated.country not in context.countries | {None}:
            # ...unless the text is about another country that has a place of exactly this name.
            namesake = _best_city([match for match in gazetteer.cities(key) if match.primary], context)
            if namesake is not None and namesake.country in context.countries:
                return namesake
        return curated
    # 4. Countries; "Georgia" with only US context is the state; "Hong Kong" is the city.
    country = gazetteer.country(key)
    if country is not None:
        return _country_or_namesake(gazetteer, key, country, context)
    stem, suffix_kind = split_suffix(text)
    # 5. A generic word says what kind of place: "Jilin Province" is the area, "Jilin City" the city.
    if suffix_kind == "area":
        area = _best_area(gazetteer.areas(key) or gazetteer.areas(stem), context)
        if area is not None:
            return area
    if suffix_kind in ("county", "city"):
        curated = _best_curated(gazetteer.curated(stem), context)
        if curated is not None:
            return curated
    # 6. First-level areas by their bare name, unless the name means its capital city ("Moscow").
    if suffix_kind is None:
        area = _best_area(gazetteer.areas(key), context)
        if area is not None and not area.bare_name_is_city:
            return area
        if area is not None:
            city_matches = gazetteer.cities(key) + gazetteer.cities(name_key(area.name))  # "Peking" -> Beijing
            city = _best_city(city_matches, context, within_admin1=(area.country, area.admin1))
            return city or area
    if unambiguous_only:
        return None
    # 7. GeoNames cities: context first, then the DPRK region, then population. A bay or a port
    # named after a town lies at the town ("Subic Bay" at Subic), when the town is in context or
    # is no hamlet ("Hudson Bay" is not at Hudson, New York).
    city = _best_city(gazetteer.cities(key) or (gazetteer.cities(stem) if suffix_kind else []), context)
    if city is not None and suffix_kind == "city" and not gazetteer.cities(key) and not _town_may_name_a_port(city, context):
        city = None
    if city is None and suffix_kind == "city":
        # 7b. A port named after two towns ("Pyeongtaek-Dangjin port"): between them where both are
        # known and near each other, else at the one that is known.
        twin = _twin_town_port(gazetteer, text, context)
        if twin is not None:
            return twin
    if city is not None and (key not in COMMON_WORD_KEYS or city.country in context.countries):
        if locative or city.population >= SMALL_TOWN_POPULATION or _context_score(city, context) > 0:
            return city
        return None
    # 8. Phrases: "waters off Nampo", "Chinese ports", "Yellow Sea off Dalian".
    phrase = _waters_off(gazetteer, text, context) or _country_area(gazetteer, text) or _curated_prefix(
        gazetteer, text, context
    )
    if phrase is not None:
        return phrase
    # 9. Unlisted romanisations near the DPRK ("Hoeryeong"), by fuzzy match with a high cutoff.
    if not locative:
        fuzzy = _best_city(gazetteer.fuzzy_cities(stem if suffix_kind else key), context)
        if fuzzy is not None and fuzzy.population < SMALL_TOWN_POPULATION and _context_score(fuzzy, context) <= 0:
            return None
        return fuzzy
    return _best_city(gazetteer.fuzzy_cities(stem if suffix_kind else key), context)


# A town this populous may name a bay or a port with no context (the town is a port city).
PORT_TOWN_POPULATION = 50_000
# Two towns that name one port lie at most this far apart.
TWIN_PORT_KILOMETRES = 60.0
_TWIN_NAME = re.compile(r"^\s*(?:the\s+)?(?P<first>[A-Z][\w'’]+)\s*[-–]\s*(?P<second>[A-Z][\w'’]+)\b")


def _town_may_name_a_port(city: Place, context: GeocodingContext) -> bool:
    return city.population >= PORT_TOWN_POPULATION or city.country in context.countries or city.country in REGION_BONUS


def _twin_town_port(gazetteer: Gazetteer, text: str, context: GeocodingContext) -> Place | None:
    twin = _TWIN_NAME.match(text)
    if twin is None:
        return None
    towns = [_best_city(gazetteer.cities(name_key(twin.group(part))), context) for part in ("first", "second")]
    known = [t for t in towns if t is not None]
    if not known:
        return None
    if len(known) == 2 and known[0].country == known[1].country:
        first, second = known
        if (
            first.latitude is not None and first.longitude is not None and second.latitude is not None and second.longitude is not None
            and _kilometres(first.latitude, first.longitude, second.latitude, second.longitude) <= TWIN_PORT_KILOMETRES
        ):
            middle = ((first.latitude + second.latitude) / 2, (first.longitude + second.longitude) / 2)
            return replace(first, name=text.strip(), latitude=middle[0], longitude=middle[1], geonameid=None)
    town = known[0]
    return replace(town, name=text.strip(), geonameid=None) if _town_may_name_a_port(town, context) else None


def _kilometres(first_lat: float, first_lon: float, second_lat: float, second_lon: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    a = (
        math.sin(math.radians(second_lat - first_lat) / 2) ** 2
        + math.cos(math.radians(first_lat)) * math.cos(math.radians(second_lat)) * math.sin(math.radians(second_lon - first_lon) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def make_context(
    gazetteer: Gazetteer, countries: Iterable[str], admin1: Iterable[str]
) -> GeocodingContext:
    """Normalise caller context: country names or codes, area names in any listed spelling."""
    codes: set[str] = set()
    for item in countries:
        if len(item) == 2 and item.isupper():
            codes.add(item)
        elif (code := country_code(item)) is not None:
            codes.add(code)
    areas: set[tuple[str, str]] = set()
    for item in admin1:
        stem, _kind = split_suffix(item)
        for place in gazetteer.areas(name_key(item)) or gazetteer.areas(stem):
            if place.country and place.admin1:
                areas.add((place.country, place.admin1))
    return GeocodingContext(frozenset(codes), frozenset(areas))


def to_location(text: str, place: Place, role: str) -> Location:
    """A :class:`Location` named as written (a facility by its one proper name: "Kaesong industrial
    project" and "Kaesong complex" are both the Kaesong Industrial Complex); coordinates kept only
    when valid and not (0, 0)."""
    latitude, longitude = place.latitude, place.longitude
    if latitude is None or longitude is None or not _valid_point(latitude, longitude):
        latitude = longitude = None
    else:
        latitude, longitude = round(latitude, COORDINATE_DECIMALS), round(longitude, COORDINATE_DECIMALS)
    return Location(
        name=place.name if place.kind in ("facility", "country") else text,
        country=place.country,
        admin1=place.admin1,
        role=role,
        lat=latitude,
        lon=longitude,
        geonameid=place.geonameid,
    )


def clean_name(name: str) -> str | None:
    """The name without surrounding quotes, punctuation and whitespace; None when empty or too long."""
    if not isinstance(name, str):
        return None
    text = " ".join(name.split()).strip(_SURROUNDING_NOISE)
    if not text or len(text) > MAX_NAME_LENGTH:
        return None
    return text


def is_capitalised(text: str) -> bool:
    """True when the first letter of the name, after an optional "the", is upper case."""
    words = text.split()
    if len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    first_letter = next((character for character in " ".join(words) if character.isalpha()), "")
    return first_letter.isupper()


# -- choosing among candidates -----------------------------------------------------------------


def _best_curated(places: list[Place], context: GeocodingContext) -> Place | None:
    allowed = [place for place in places if context.allows(place)]
    if not allowed:
        return None
    return max(allowed, key=lambda place: (_context_score(place, context), REGION_BONUS.get(place.country or "", 0)))


def _best_area(places: list[Place], context: GeocodingContext) -> Place | None:
    if not places:
        return None
    return max(places, key=lambda place: (_context_score(place, context), REGION_BONUS.get(place.country or "", 0)))


def _best_city(
    matches: list[NameMatch], context: GeocodingContext, *, within_admin1: tuple[str | None, str | None] | None = None
) -> Place | None:
    candidates = [match for match in matches if match.place.has_point]
    if within_admin1 is not None:
        candidates = [match for match in candidates if (match.place.country, match.place.admin1) == within_admin1]
    if not candidates:
        return None
    return max(candidates, key=lambda match: (_city_score(match, context), -(match.place.geonameid or 0))).place


def _city_score(match: NameMatch, context: GeocodingContext) -> float:
    place = match.place
    score = _context_score(place, context)
    score += PRIMARY_NAME_BONUS if match.primary else 0.0
    score += REGION_BONUS.get(place.country or "", 0.0)
    return score + math.log10(place.population + 1)


def _context_score(place: Place, context: GeocodingContext) -> float:
    score = 0.0
    if place.country and place.admin1 and (place.country, place.admin1) in context.admin1:
        score += CONTEXT_ADMIN1_BONUS
    if place.country in context.countries:
        score += CONTEXT_COUNTRY_BONUS
    return score


def _country_or_namesake(gazetteer: Gazetteer, key: str, country: Place, context: GeocodingContext) -> Place:
    if country.bare_name_is_city:
        city = _best_city(gazetteer.cities(key), GeocodingContext(frozenset([country.country or ""])))
        if city is not None and city.country == country.country:
            return city
    if country.country not in context.countries:
        namesakes = [area for area in gazetteer.areas(key) if area.country in context.countries]
        if namesakes:
            return namesakes[0]
    return country


# -- phrases -------------------------------------------------------------------------------------


def _curated_lowercase(gazetteer: Gazetteer, text: str) -> Place | None:
    for candidate in (name_key(text), *_leading_keys(text)):
        places = [place for place in gazetteer.curated(candidate) if place.match_lowercase]
        if places:
            return places[0]
    return None


def _curated_prefix(gazetteer: Gazetteer, text: str, context: GeocodingContext) -> Place | None:
    """"Yellow Sea off Dalian", "international waters between China and ...": a sea named first."""
    for candidate in _leading_keys(text):
        places = [place for place in gazetteer.curated(candidate) if place.kind in ("sea", "region")]
        if places:
            return _best_curated(places, context)
    return None


def _leading_keys(text: str) -> list[str]:
    """Keys of the first 2 to 4 words, longest first ("international waters between ..." -> "internationalwaters")."""
    words = fold(text).split()
    if words[:1] == ["the"]:
        words = words[1:]
    return ["".join(words[:count]) for count in range(min(4, len(words) - 1), 1, -1)]


def _waters_off(gazetteer: Gazetteer, text: str, context: GeocodingContext) -> Place | None:
    """"waters off Nampo" -> a sea area with Nampo's country and area, and no point."""
    found = _WATERS_OFF.match(text)
    if found is None:
        return None
    anchor_text = found.group(1)
    if not is_capitalised(anchor_text):
        return None
    anchor = resolve_place(gazetteer, anchor_text, context)
    if anchor is None or anchor.country is None:
        return None
    return Place(name=text, kind="sea", country=anchor.country, admin1=anchor.admin1, source="phrase")


def _country_area(gazetteer: Gazetteer, text: str) -> Place | None:
    """"Chinese ports", "North Korean waters" -> the country, with no point."""
    words = fold(text).split()
    for split_at in range(len(words) - 1, 0, -1):
        noun = " ".join(words[split_at:])
        if noun not in COUNTRY_AREA_NOUNS:
            continue
        head = "".join(words[:split_at])
        code = gazetteer.country_code_for_adjective(head)
        country = gazetteer.country_by_code.get(code or "") or gazetteer.country(head)
        if country is not None:
            return Place(name=text, kind="country_area", country=country.country, source="phrase")
    return None


def _valid_point(latitude: float, longitude: float) -> bool:
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return False
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return False
    return not (latitude == 0 and longitude == 0)
