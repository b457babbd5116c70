"""Exports of stored incidents: JSON Lines, CSV (formula-safe) and GeoJSON (RFC 7946).

Each exporter is a generator of text chunks, so 100k incidents stream in bounded memory.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from sanctionwatch.errors import InvalidQuery

EXPORT_FORMATS = ("jsonl", "csv", "geojson")
MEDIA_TYPES = {
    "jsonl": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
}
CSV_COLUMNS = (
    "id",
    "article_id",
    "type",
    "summary",
    "countries",
    "places",
    "start",
    "end",
    "precision",
    "quantity_min",
    "quantity_max",
    "quantity_unit",
    "commodity",
    "attribution",
    "certainty",
    "provisions",
    "confidence",
    "review_status",
    "evidence",
    "source",
    "url",
)
# A cell starting with one of these is a formula to Excel, LibreOffice and Sheets (OWASP CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def export_record(incident: dict[str, Any]) -> dict[str, Any]:
    """The incident format plus ``id`` (and the review status), without internal fields."""
    keys = (
        "id", "article_id", "type", "summary", "actors", "quantity", "commodity", "vessels", "locations",
        "time", "attribution", "certainty", "provisions", "evidence", "confidence", "review_status",
    )  # fmt: skip
    return {key: incident.get(key) for key in keys}


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


def _csv_row(incident: dict[str, Any]) -> list[str]:
    time = incident.get("time") or {}
    quantity = incident.get("quantity") or {}
    article = incident.get("article") or {}
    countries = sorted(
        {a.get("country") for a in incident.get("actors") or [] if a.get("country")}
        | {loc.get("country") for loc in incident.get("locations") or [] if loc.get("country")}
    )
    values = {
        "id": incident.get("id"),
        "article_id": incident.get("article_id"),
        "type": incident.get("type"),
        "summary": incident.get("summary"),
        "countries": ";".join(countries),
        "places": ";".join(loc.get("name") or "" for loc in incident.get("locations") or []),
        "start": time.get("start"),
        "end": time.get("end"),
        "precision": time.get("precision"),
        "quantity_min": quantity.get("min"),
        "quantity_max": quantity.get("max"),
        "quantity_unit": quantity.get("unit"),
        "commodity": incident.get("commodity"),
        "attribution": incident.get("attribution"),
        "certainty": incident.get("certainty"),
        "provisions": ";".join(incident.get("provisions") or []),
        "confidence": incident.get("confidence"),
        "review_status": incident.get("review_status"),
        "evidence": " | ".join(incident.get("evidence") or []),
        "source": article.get("source"),
        "url": article.get("url"),
    }
    # Numbers are written as they are; only text cells can carry a formula.
    return [
        str(values[c]) if isinstance(values[c], int | float) and not isinstance(values[c], bool) else safe_cell(values[c])
        for c in CSV_COLUMNS
    ]


def export_jsonl(incidents: Iterable[dict[str, Any]]) -> Iterator[str]:
    for incident in incidents:
        yield json.dumps(export_record(incident), ensure_ascii=False) + "\n"


def export_csv(incidents: Iterable[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # a BOM so Excel reads UTF-8
    writer.writerow(CSV_COLUMNS)
    for incident in incidents:
        writer.writerow(_csv_row(incident))
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _point(incident: dict[str, Any]) -> dict[str, Any] | None:
    for location in incident.get("locations") or []:
        lat, lon = location.get("lat"), location.get("lon")
        if lat is None or lon is None or (lat == 0 and lon == 0):
            continue
        return {"type": "Point", "coordinates": [lon, lat]}  # RFC 7946: [longitude, latitude]
    return None


def export_geojson(incidents: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One Feature per incident; geometry null when no place has a point (never [0, 0])."""
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for incident in incidents:
        record = export_record(incident)
        time = record.get("time") or {}
        properties = {
            **{k: v for k, v in record.items() if k not in ("locations",)},
            "places": record.get("locations"),
            "time_precision": time.get("precision"),
        }
        feature = {"type": "Feature", "id": record["id"], "geometry": _point(incident), "properties": properties}
        yield ("" if first else ",") + "\n" + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def export_incidents(incidents: Iterable[dict[str, Any]], export_format: str) -> Iterator[str]:
    if export_format == "jsonl":
        return export_jsonl(incidents)
    if export_format == "csv":
        return export_csv(incidents)
    if export_format == "geojson":
        return export_geojson(incidents)
    raise InvalidQuery(f"unknown export format {export_format!r}; one of {', '.join(EXPORT_FORMATS)}", parameter="format")
