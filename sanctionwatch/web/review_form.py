"""The incident page's review form: every field as the analyst typed it, back into edits.

List fields are one item a line with ``|`` between parts, so they can be edited in a textarea:

- actors: ``name | country | role`` ("Korea Ryonbong | KP | perpetrator")
- places: ``name | country | role | lat, lon`` (the point optional)
- vessels: ``name | IMO | MMSI | flag``

Only fields that differ from the incident as shown become edits, so confirming an incident
stores no edit at all. Values that do not parse raise InvalidQuery naming the field; the service
checks the rest (roles, codes, ranges) exactly as for the JSON API.
"""

from __future__ import annotations

from typing import Any

from sanctionwatch.errors import InvalidQuery

LIST_SEPARATOR = "|"


def actor_lines(actors: list[dict[str, Any]]) -> str:
    return "\n".join(" | ".join([a.get("name") or "", a.get("country") or "", a.get("role") or ""]) for a in actors)


def place_lines(locations: list[dict[str, Any]]) -> str:
    lines = []
    for place in locations:
        point = f"{place['lat']}, {place['lon']}" if place.get("lat") is not None and place.get("lon") is not None else ""
        lines.append(" | ".join([place.get("name") or "", place.get("country") or "", place.get("role") or "", point]).rstrip(" |"))
    return "\n".join(lines)


def vessel_lines(vessels: list[dict[str, Any]]) -> str:
    return "\n".join(
        " | ".join([v.get("name") or "", v.get("imo") or "", v.get("mmsi") or "", v.get("flag") or ""]).rstrip(" |") for v in vessels
    )


def _parts(line: str, count: int) -> list[str]:
    parts = [part.strip() for part in line.split(LIST_SEPARATOR)]
    return (parts + [""] * count)[:count]


def _lines(text: str) -> list[str]:
    return [line for line in (raw.strip() for raw in text.replace("\r\n", "\n").split("\n")) if line]


def _number(text: str, field: str) -> float | None:
    text = text.strip().replace(",", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise InvalidQuery(f"{field} must be a number, got {text[:30]!r}", parameter=field) from exc


def parse_actors(text: str, current: list[dict[str, Any]]) -> list[dict[str, Any]]:
    known = {(a.get("name") or "").casefold(): a for a in current}
    actors = []
    for line in _lines(text):
        name, country, role = _parts(line, 3)
        kept = {k: v for k, v in known.get(name.casefold(), {}).items() if k in ("kind", "sanctions_links", "possible_matches", "origin")}
        actors.append({**kept, "name": name, "country": country or None, "role": role or "perpetrator"})
    return actors


def parse_places(text: str, current: list[dict[str, Any]]) -> list[dict[str, Any]]:
    known = {(place.get("name") or "").casefold(): place for place in current}
    places = []
    for line in _lines(text):
        name, country, role, point = _parts(line, 4)
        lat = lon = None
        if point:
            pieces = [piece for piece in point.replace(";", ",").split(",") if piece.strip()]
            if len(pieces) != 2:
                raise InvalidQuery(f"a place's point is 'latitude, longitude', got {point[:40]!r}", parameter="locations")
            lat, lon = _number(pieces[0], "locations"), _number(pieces[1], "locations")
        admin1 = known.get(name.casefold(), {}).get("admin1")
        places.append({"name": name, "country": country or None, "admin1": admin1, "role": role or "site", "lat": lat, "lon": lon})
    return places


def parse_vessels(text: str, current: list[dict[str, Any]]) -> list[dict[str, Any]]:
    known = {(v.get("name") or "").casefold(): v for v in current}
    vessels = []
    for line in _lines(text):
        name, imo, mmsi, flag = _parts(line, 4)
        kept = {k: v for k, v in known.get(name.casefold(), {}).items() if k in ("sanctions_links", "possible_matches", "origin")}
        vessels.append({**kept, "name": name or None, "imo": imo or None, "mmsi": mmsi or None, "flag": flag or None})
    return vessels


def _same_list(new: list[dict[str, Any]], old: list[dict[str, Any]], keys: tuple[str, ...]) -> bool:
    return [tuple(item.get(k) for k in keys) for item in new] == [tuple(item.get(k) for k in keys) for item in old]


def form_edits(form: dict[str, str], current: dict[str, Any]) -> dict[str, Any]:
    """The edits a submitted review form makes to ``current`` (fields absent from the form are kept)."""
    edits: dict[str, Any] = {}
    if "summary" in form:
        summary = form["summary"].replace("\r\n", "\n")  # a browser sends textarea newlines as CRLF
        if summary != (current.get("summary") or ""):
            edits["summary"] = summary
    for name in ("type", "certainty", "attribution"):
        if form.get(name) and form[name] != current.get(name):
            edits[name] = form[name]
    if "commodity" in form and (form["commodity"].strip() or None) != current.get("commodity"):
        edits["commodity"] = form["commodity"].strip() or None
    if "provisions" in form:
        provisions = [p.strip() for p in form["provisions"].split(",") if p.strip()]
        if provisions != list(current.get("provisions") or []):
            edits["provisions"] = provisions
    if "time_start" in form:
        old = current.get("time") or {}
        time = {
            "start": form.get("time_start") or None, "end": form.get("time_end") or None,
            "precision": form.get("time_precision") or None, "text": old.get("text"),
        }  # fmt: skip
        if any(time[k] != old.get(k) for k in ("start", "end", "precision")):
            edits["time"] = time
    if "quantity_unit" in form:
        old_quantity = current.get("quantity") or None
        low, high = _number(form.get("quantity_min", ""), "quantity"), _number(form.get("quantity_max", ""), "quantity")
        unit, item = form.get("quantity_unit", "").strip(), form.get("quantity_item", "").strip() or None
        quantity = None if low is None and high is None and not unit else {"min": low, "max": high, "unit": unit, "item": item}
        before = {k: (old_quantity or {}).get(k) for k in ("min", "max", "unit", "item")} if old_quantity else None
        if quantity != before:
            edits["quantity"] = quantity
    if "actors" in form:
        actors = parse_actors(form["actors"], current.get("actors") or [])
        if not _same_list(actors, current.get("actors") or [], ("name", "country", "role")):
            edits["actors"] = actors
    if "locations" in form:
        places = parse_places(form["locations"], current.get("locations") or [])
        if not _same_list(places, current.get("locations") or [], ("name", "country", "role", "lat", "lon")):
            edits["locations"] = places
    if "vessels" in form:
        vessels = parse_vessels(form["vessels"], current.get("vessels") or [])
        if not _same_list(vessels, current.get("vessels") or [], ("name", "imo", "mmsi", "flag")):
            edits["vessels"] = vessels
    return edits
