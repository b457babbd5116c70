"""The analyst's line of a stored incident (``model.summary.summarize`` over its current fields)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sanctionwatch.model import Incident, Quantity, TimeRange
from sanctionwatch.model.summary import CURRENCIES, describe_window, format_amount, summarize
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


def time_range(time: dict[str, Any] | None) -> TimeRange:
    """The stored ``time`` object as a ``TimeRange``; unreadable dates count as absent."""
    time = time or {}

    def day(value: Any) -> date | None:
        try:
            return date.fromisoformat(str(value)[:10]) if value else None
        except ValueError:
            return None

    return TimeRange(start=day(time.get("start")), end=day(time.get("end")), precision=time.get("precision"), text=time.get("text"))


def window_text(time: dict[str, Any] | None) -> str:
    """"late April–May 2024", "2014–2016"; "" when undated."""
    return describe_window(time_range(time))


def quantity_text(quantity: dict[str, Any] | None) -> str:
    """"at least US$6.4 million", "1,000–2,000 workers"; "" when there is none."""
    if not quantity or (quantity.get("min") is None and quantity.get("max") is None):
        return ""
    value = Quantity(min=quantity.get("min"), max=quantity.get("max"), unit=str(quantity.get("unit") or ""), item=quantity.get("item"))
    if value.unit in CURRENCIES:
        return format_amount(value, money=value.unit)
    noun = value.item or value.unit
    return f"{format_amount(value)} {noun}".strip()
