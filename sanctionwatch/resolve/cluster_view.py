"""A cluster's merged view: what its reports agree on, and their conflicts side by side (pure)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

# Two reports' windows this close are one date told twice ("since the end of April" in reports a
# day apart), not a conflict; the evaluation's own tolerance.
TIME_TOLERANCE_DAYS = 15

# Fields with one value per report: agreement goes to ``merged``, disagreement to ``conflicts``.
SCALAR_FIELDS = ("time", "quantity", "commodity", "attribution", "certainty")
# Fields that list things: the union of what the reports name (each report adds what it saw).
LIST_FIELDS = {"locations": "name", "actors": "name", "vessels": "name", "provisions": None}


def _scalar(incident: dict[str, Any], field: str) -> Any:
    value = incident.get(field)
    if field == "time":
        value = value or {}
        if not (value.get("start") or value.get("end")):
            return None
        return {"start": value.get("start"), "end": value.get("end"), "precision": value.get("precision")}
    if field == "quantity" and value:
        return {"min": value.get("min"), "max": value.get("max"), "unit": value.get("unit"), "item": value.get("item")}
    return value


def _days(a: str | None, b: str | None) -> int:
    if not a or not b:
        return 0 if a == b else 10**6
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def _same_time(one: dict[str, Any], other: dict[str, Any]) -> bool:
    return _days(one.get("start"), other.get("start")) <= TIME_TOLERANCE_DAYS and _days(one.get("end"), other.get("end")) <= TIME_TOLERANCE_DAYS


def merge_incidents(incidents: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(merged, conflicts) over effective incident records (each with ``id`` and ``article``)."""
    merged: dict[str, Any] = {}
    conflicts: list[dict[str, Any]] = []
    ordered = sorted(incidents, key=lambda i: (i.get("article", {}).get("published") or "", i["id"]))
    for field in SCALAR_FIELDS:
        by_value: dict[str, dict[str, Any]] = {}
        for incident in ordered:
            value = _scalar(incident, field)
            if value is None:
                continue
            key = json.dumps(value, sort_keys=True)
            if field == "time":
                key = next((k for k, e in by_value.items() if _same_time(e["value"], value)), key)
            entry = by_value.setdefault(key, {"value": value, "incident_ids": [], "article_ids": [], "outlets": []})
            entry["incident_ids"].append(incident["id"])
            entry["article_ids"].append(incident.get("article", {}).get("id") or incident.get("article_id"))
            outlet = incident.get("article", {}).get("source")
            if outlet and outlet not in entry["outlets"]:
                entry["outlets"].append(outlet)
        if len(by_value) == 1:
            merged[field] = next(iter(by_value.values()))["value"]
        elif by_value:
            merged[field] = None
            conflicts.append({"field": field, "values": list(by_value.values())})
        else:
            merged[field] = None
    for field, name_key in LIST_FIELDS.items():
        seen: dict[str, Any] = {}
        for incident in ordered:
            for item in incident.get(field) or ():
                key = (item.get(name_key) or "").casefold() if name_key and isinstance(item, dict) else json.dumps(item)
                seen.setdefault(key, item)
        merged[field] = list(seen.values())
    return merged, conflicts
