"""Checks for the list fields an analyst may edit: actors, places (locations) and vessels.

Each returns the list normalised to the exchange format (every key present), or raises
InvalidQuery naming the field, so a partial or hostile edit can never break a page or export.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from sanctionwatch.errors import InvalidQuery
from sanctionwatch.model.incident import ACTOR_ROLES, LOCATION_ROLES

MAX_ITEMS = 30
MAX_NAME_CHARACTERS = 200
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_IMO = re.compile(r"^\d{7}$")
_MMSI = re.compile(r"^\d{9}$")


def _items(field: str, value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise InvalidQuery(f"edits.{field} must be a list", parameter=field)
    if len(value) > MAX_ITEMS:
        raise InvalidQuery(f"edits.{field} holds more than {MAX_ITEMS} items", parameter=field)
    if not all(isinstance(item, dict) for item in value):
        raise InvalidQuery(f"edits.{field} must be a list of objects", parameter=field)
    return value


def _text(field: str, item: dict[str, Any], key: str, *, required: bool = False) -> str | None:
    value = item.get(key)
    if value in (None, ""):
        if required:
            raise InvalidQuery(f"edits.{field}: every item needs a {key}", parameter=field)
        return None
    if not isinstance(value, str) or len(value) > MAX_NAME_CHARACTERS or any(ord(c) < 32 for c in value):
        raise InvalidQuery(f"edits.{field}: {key} must be one line of at most {MAX_NAME_CHARACTERS} characters", parameter=field)
    return value.strip()


def _country(field: str, item: dict[str, Any]) -> str | None:
    value = item.get("country")
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _COUNTRY.match(value.strip().upper()):
        raise InvalidQuery(f"edits.{field}: country must be an ISO 3166 alpha-2 code, got {str(value)[:20]!r}", parameter=field)
    return value.strip().upper()


def _choice(field: str, item: dict[str, Any], key: str, choices: tuple[str, ...], default: str) -> str:
    value = item.get(key) or default
    if value not in choices:
        raise InvalidQuery(f"edits.{field}: {key} must be one of {', '.join(choices)}", parameter=field)
    return str(value)


def check_actors(value: Any) -> list[dict[str, Any]]:
    actors = []
    for item in _items("actors", value):
        # Links to a sanctions list stay with an actor kept through the edit; a new one has none.
        kept: dict[str, Any] = {"kind": None, "sanctions_links": [], "possible_matches": [], "origin": None}
        kept |= {key: item[key] for key in kept if key in item}
        actors.append({
            **kept,
            "name": _text("actors", item, "name", required=True),
            "country": _country("actors", item),
            "role": _choice("actors", item, "role", ACTOR_ROLES, "perpetrator"),
        })  # fmt: skip
    return actors


def _coordinate(field: str, value: Any, low: float, high: float) -> float | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or not low <= value <= high:
        raise InvalidQuery(f"edits.{field}: coordinates must be numbers, latitude -90..90 and longitude -180..180", parameter=field)
    return float(value)


def check_locations(value: Any) -> list[dict[str, Any]]:
    locations = []
    for item in _items("locations", value):
        lat = _coordinate("locations", item.get("lat"), -90, 90)
        lon = _coordinate("locations", item.get("lon"), -180, 180)
        if (lat is None) != (lon is None):
            raise InvalidQuery("edits.locations: give both latitude and longitude, or neither", parameter="locations")
        if lat == 0 and lon == 0:
            raise InvalidQuery("edits.locations: (0, 0) is not a place; leave the point out", parameter="locations")
        locations.append({
            "name": _text("locations", item, "name", required=True),
            "country": _country("locations", item),
            "admin1": _text("locations", item, "admin1"),
            "role": _choice("locations", item, "role", LOCATION_ROLES, "site"),
            "lat": lat,
            "lon": lon,
        })  # fmt: skip
    return locations


def check_vessels(value: Any) -> list[dict[str, Any]]:
    vessels = []
    for item in _items("vessels", value):
        imo = _text("vessels", item, "imo")
        mmsi = _text("vessels", item, "mmsi")
        if imo and not _IMO.match(imo.removeprefix("IMO").strip()):
            raise InvalidQuery("edits.vessels: an IMO number has 7 digits", parameter="vessels")
        if mmsi and not _MMSI.match(mmsi):
            raise InvalidQuery("edits.vessels: an MMSI has 9 digits", parameter="vessels")
        kept: dict[str, Any] = {"sanctions_links": [], "possible_matches": [], "origin": None}
        kept |= {key: item[key] for key in kept if key in item}
        vessels.append({
            **kept,
            "name": _text("vessels", item, "name"),
            "imo": imo.removeprefix("IMO").strip() if imo else None,
            "mmsi": mmsi,
            "flag": _country("vessels", {"country": item.get("flag")}),
        })  # fmt: skip
    return vessels


LIST_EDIT_CHECKS: dict[str, Callable[[Any], list[dict[str, Any]]]] = {
    "actors": check_actors,
    "locations": check_locations,
    "vessels": check_vessels,
}
