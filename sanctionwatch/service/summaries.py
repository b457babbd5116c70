"""The analyst's line of a stored incident (``model.summary.summarize`` over its current fields)."""

from __future__ import annotations

from typing import Any

from sanctionwatch.model import Incident
from sanctionwatch.model.summary import summarize
from sanctionwatch.resolve.countries import country_names


def country_name(code: str | None) -> str | None:
    return country_names().name(code)


def incident_line(incident: dict[str, Any]) -> str:
    """The sentence shown for an incident: the analyst's own summary when one was written, else
    ``summarize`` of the current (edited) fields, so an edited type or place reads at once."""
    if "summary" in (incident.get("edited_fields") or ()) and incident.get("summary"):
        return str(incident["summary"])
    try:
        record = Incident.from_dict({**incident, "article_id": incident.get("article_id") or "", "type": incident.get("type") or ""})
    except (KeyError, TypeError, ValueError):
        # A record an older extractor or a bad edit left malformed: show what it stored.
        return str(incident.get("summary") or incident.get("type") or "incident")
    return summarize(record, country_names())
