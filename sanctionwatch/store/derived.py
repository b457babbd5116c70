"""What the store derives from an effective incident (machine data with an analyst's edits applied).

Filters, counts and facets read these columns and rows, never the JSON, so they must be written
again whenever the machine data or the edits change: by ``replace_incidents`` and by
``set_review``, in the same transaction. Migration steps that backfill call the same functions.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import Connection

from sanctionwatch.store.schema import incident_countries, incident_places, incidents

REVIEW_STATUSES_THAT_KEEP_A_VANISHED_INCIDENT = ("confirmed", "edited", "rejected")


def effective_data(data: Mapping[str, Any], edits: Mapping[str, Any] | None) -> dict[str, Any]:
    merged = dict(data)
    if edits:
        merged.update(edits)
    return merged


def countries_of(incident: Mapping[str, Any]) -> list[str]:
    found = {a.get("country") for a in incident.get("actors") or [] if isinstance(a, Mapping)}
    found |= {loc.get("country") for loc in incident.get("locations") or [] if isinstance(loc, Mapping)}
    return sorted(c for c in found if isinstance(c, str) and c)


def search_text_of(incident: Mapping[str, Any]) -> str:
    parts = [str(incident.get("summary") or ""), str(incident.get("commodity") or "")]
    parts += [str(s) for s in incident.get("evidence") or []]
    parts += [str(a.get("name") or "") for a in incident.get("actors") or [] if isinstance(a, Mapping)]
    parts += [str(loc.get("name") or "") for loc in incident.get("locations") or [] if isinstance(loc, Mapping)]
    return " ".join(parts).casefold()


def sanctions_link_count(incident: Mapping[str, Any]) -> int:
    """Links to a sanctions-list entry held by the incident's actors and vessels."""
    return sum(
        len(party.get("sanctions_links") or [])
        for key in ("actors", "vessels")
        for party in incident.get(key) or []
        if isinstance(party, Mapping)
    )


def is_listed(*, current: bool, review_status: str) -> bool:
    """Lists show current incidents and vanished ones an analyst decided on (orphaned reviews)."""
    return bool(current) or review_status in REVIEW_STATUSES_THAT_KEEP_A_VANISHED_INCIDENT


def derived_columns(incident: Mapping[str, Any]) -> dict[str, Any]:
    """Column values of ``incidents`` that follow from the effective incident."""
    countries = countries_of(incident)
    raw_time = incident.get("time")
    time: Mapping[str, Any] = raw_time if isinstance(raw_time, Mapping) else {}
    start, end = _iso_day(time.get("start")), _iso_day(time.get("end"))
    return {
        "type": str(incident.get("type")),
        "countries": "," + ",".join(countries) + "," if countries else "",
        "start_date": start,
        "end_date": end,
        "sort_date": start or end or "",
        "time_precision": _short_text(time.get("precision"), 8),
        "certainty": _short_text(incident.get("certainty"), 32),
        "attribution": _short_text(incident.get("attribution"), 32),
        "search_text": search_text_of(incident),
        "sanctions_links": sanctions_link_count(incident),
    }


def _iso_day(value: Any) -> str | None:
    return value[:10] if isinstance(value, str) and len(value) >= 10 else None


def _short_text(value: Any, length: int) -> str | None:
    return value[:length] if isinstance(value, str) and value else None


def write_derived(
    connection: Connection, incident_id: str, incident: Mapping[str, Any], *, only: Collection[str] | None = None
) -> None:
    """Rewrite the derived columns and the country and place rows of one incident; ``only``
    limits the columns (a migration step that runs before a later step adds one)."""
    values = derived_columns(incident)
    if only is not None:
        values = {name: value for name, value in values.items() if name in only}
    connection.execute(incidents.update().where(incidents.c.id == incident_id).values(**values))
    connection.execute(incident_countries.delete().where(incident_countries.c.incident_id == incident_id))
    connection.execute(incident_places.delete().where(incident_places.c.incident_id == incident_id))
    countries = [c for c in countries_of(incident) if len(c) == 2]
    if countries:
        connection.execute(incident_countries.insert(), [{"incident_id": incident_id, "country": c} for c in countries])
    places = [
        {
            "incident_id": incident_id,
            "position": position,
            "name": str(location.get("name") or ""),
            "country": location.get("country") if isinstance(location.get("country"), str) else None,
            "role": location.get("role") if isinstance(location.get("role"), str) else None,
            "lat": location.get("lat"),
            "lon": location.get("lon"),
        }
        for position, location in enumerate(incident.get("locations") or [])
        if isinstance(location, Mapping)
    ]
    if places:
        connection.execute(incident_places.insert(), places)
