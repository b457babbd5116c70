"""Exports of stored incidents: JSON Lines, CSV (formula-safe) and GeoJSON (RFC 7946).

Each exporter is a generator of text chunks fed by a generator of incidents (fetched in
batches), so 100,000 incidents stream in bounded memory. The fronts pass the same filters as
the list, so an export holds exactly what the analyst was looking at.

``export_matching`` is the fronts' entry: CSV there is written straight from plain rows
(``store.queries.iter_export_rows``: the stored JSON, the edits, the article and cluster
columns), not from the full incident records the other formats take; ``export_csv`` on records
stays the reference it must equal byte for byte (tests/service/test_export_rows.py).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Engine

from sanctionwatch.errors import InvalidQuery
from sanctionwatch.store.incidents import json_object
from sanctionwatch.store.queries import IncidentQuery, iter_export_rows, iter_incidents

EXPORT_FORMATS = ("jsonl", "csv", "geojson", "ftm")
MEDIA_TYPES = {
    "jsonl": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "ftm": "application/x-ndjson",  # FollowTheMoney entities (service/ftm.py)
}
CSV_COLUMNS = (
    "id",
    "article_id",
    "type",
    "summary",
    "countries",
    "places",
    "latitude",
    "longitude",
    "points",
    "start",
    "end",
    "precision",
    "quantity_min",
    "quantity_max",
    "quantity_unit",
    "quantity_item",
    "commodity",
    "actors",
    "vessels",
    "vessel_imos",
    "sanctions_list_links",
    "attribution",
    "certainty",
    "provisions",
    "confidence",
    "review_status",
    "cluster",
    "sources",
    "evidence",
    "source",
    "published",
    "url",
    "stored_at",
)
# A cell starting with one of these is a formula to Excel, LibreOffice and Sheets (OWASP CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
_FORMULA_FIRST = frozenset(_FORMULA_PREFIXES)  # each prefix is one character
assert all(len(prefix) == 1 for prefix in _FORMULA_PREFIXES)
BOM = "\ufeff"
CHUNK_CHARACTERS = 64_000


def export_record(incident: dict[str, Any]) -> dict[str, Any]:
    """The incident format plus ``id``, review status and cluster, without internal fields."""
    keys = (
        "id", "article_id", "type", "summary", "actors", "quantity", "commodity", "vessels", "locations",
        "time", "attribution", "certainty", "provisions", "evidence", "confidence", "review_status",
    )  # fmt: skip
    record = {key: incident.get(key) for key in keys}
    for optional in ("cluster_id", "cluster", "source_count"):
        if incident.get(optional) is not None:
            record[optional] = incident[optional]
    return record


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


def _points(incident: dict[str, Any]) -> list[tuple[float, float]]:
    """(lat, lon) of every place with a real point (never a missing one, never (0, 0))."""
    points = []
    for location in incident.get("locations") or []:
        lat, lon = location.get("lat"), location.get("lon")
        if isinstance(lat, int | float) and isinstance(lon, int | float) and not (lat == 0 and lon == 0):
            points.append((float(lat), float(lon)))
    return points


def _cluster(incident: dict[str, Any]) -> tuple[Any, Any]:
    """(cluster id, independent sources) once the clusters work provides them; (None, None) before."""
    raw = incident.get("cluster")
    cluster: dict[str, Any] = raw if isinstance(raw, dict) else {}
    cluster_id = incident.get("cluster_id") or cluster.get("id")
    sources = incident.get("source_count", cluster.get("independent_sources", cluster.get("sources")))
    return cluster_id, sources


def _links(incident: dict[str, Any]) -> list[str]:
    """"reference name" of every sanctions-list link of the incident's actors and vessels."""
    references = []
    for party in [*(incident.get("actors") or []), *(incident.get("vessels") or [])]:
        for link in party.get("sanctions_links") or []:
            if isinstance(link, dict) and link.get("reference"):
                references.append(f"{link.get('reference')} {link.get('name') or ''}".strip())
    return references


def _csv_values(incident: dict[str, Any]) -> dict[str, Any]:
    time = incident.get("time") or {}
    quantity = incident.get("quantity") or {}
    article = incident.get("article") or {}
    countries = sorted(
        {a.get("country") for a in incident.get("actors") or [] if a.get("country")}
        | {loc.get("country") for loc in incident.get("locations") or [] if loc.get("country")}
    )
    points = _points(incident)
    vessels = incident.get("vessels") or []
    cluster_id, sources = _cluster(incident)
    actors = [
        f"{a.get('name') or ''} ({a.get('country') or '?'}, {a.get('role') or 'perpetrator'})" for a in incident.get("actors") or []
    ]
    return {
        "id": incident.get("id"),
        "article_id": incident.get("article_id"),
        "type": incident.get("type"),
        "summary": incident.get("summary"),
        "countries": ";".join(countries),
        "places": ";".join(loc.get("name") or "" for loc in incident.get("locations") or []),
        "latitude": points[0][0] if points else None,
        "longitude": points[0][1] if points else None,
        "points": ";".join(f"{lat} {lon}" for lat, lon in points),
        "start": time.get("start"),
        "end": time.get("end"),
        "precision": time.get("precision"),
        "quantity_min": quantity.get("min"),
        "quantity_max": quantity.get("max"),
        "quantity_unit": quantity.get("unit"),
        "quantity_item": quantity.get("item"),
        "commodity": incident.get("commodity"),
        "actors": ";".join(actors),
        "vessels": ";".join(v.get("name") or "unnamed" for v in vessels),
        "vessel_imos": ";".join(str(v.get("imo")) for v in vessels if v.get("imo")),
        "sanctions_list_links": ";".join(_links(incident)),
        "attribution": incident.get("attribution"),
        "certainty": incident.get("certainty"),
        "provisions": ";".join(incident.get("provisions") or []),
        "confidence": incident.get("confidence"),
        "review_status": incident.get("review_status"),
        "cluster": cluster_id,
        "sources": sources,
        "evidence": " | ".join(incident.get("evidence") or []),
        "source": article.get("source"),
        "published": article.get("published"),
        "url": article.get("url"),
        "stored_at": incident.get("stored_at"),
    }


def _csv_row(incident: dict[str, Any]) -> list[str]:
    values = _csv_values(incident)
    # Numbers are written as they are; only text cells can carry a formula.
    return [
        str(values[c]) if isinstance(values[c], int | float) and not isinstance(values[c], bool) else safe_cell(values[c])
        for c in CSV_COLUMNS
    ]


def export_jsonl(incidents: Iterable[dict[str, Any]]) -> Iterator[str]:
    for incident in incidents:
        yield json.dumps(export_record(incident), ensure_ascii=False) + "\n"


def export_csv(incidents: Iterable[dict[str, Any]], *, bom: bool = False) -> Iterator[str]:
    """CSV, one row per incident; ``bom`` starts it with a byte order mark so Excel reads UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if bom:
        buffer.write(BOM)
    writer.writerow(CSV_COLUMNS)
    for incident in incidents:
        writer.writerow(_csv_row(incident))
        if buffer.tell() > CHUNK_CHARACTERS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _geometry(incident: dict[str, Any]) -> dict[str, Any] | None:
    """RFC 7946: [longitude, latitude]; a MultiPoint for several places; null without a point."""
    points = [[lon, lat] for lat, lon in _points(incident)]
    if not points:
        return None
    if len(points) == 1:
        return {"type": "Point", "coordinates": points[0]}
    return {"type": "MultiPoint", "coordinates": points}


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
            "source": (incident.get("article") or {}).get("source"),
            "published": (incident.get("article") or {}).get("published"),
            "url": (incident.get("article") or {}).get("url"),
        }
        feature = {"type": "Feature", "id": record["id"], "geometry": _geometry(incident), "properties": properties}
        yield ("" if first else ",") + "\n" + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def export_incidents(incidents: Iterable[dict[str, Any]], export_format: str, *, bom: bool = False) -> Iterator[str]:
    if export_format == "jsonl":
        return export_jsonl(incidents)
    if export_format == "csv":
        return export_csv(incidents, bom=bom)
    if export_format == "geojson":
        return export_geojson(incidents)
    if export_format == "ftm":
        from sanctionwatch.service.ftm import export_ftm

        return export_ftm(incidents)
    raise InvalidQuery(f"unknown export format {export_format!r}; one of {', '.join(EXPORT_FORMATS)}", parameter="format")


# CSV from plain rows --------------------------------------------------------------------------


def _row_cells(row: Any) -> list[Any]:
    """The 33 cells of ``_csv_row`` for one export row (``EXPORT_ROW_COLUMNS``), computed from
    the stored JSON with the edits on top, without building the incident record first.

    Cells are what ``_csv_row`` writes: text guarded against formulas, numbers as they are;
    None is left to the csv module, which writes it as the empty cell ``safe_cell`` makes.
    """
    incident_id, article_id, data, review_status, edits, source, url, published, stored_at, cluster_id, sources = row[:11]
    record = json_object(data)
    if edits is not None and (changes := json_object(edits)):
        record.update(changes)
    get = record.get
    time = get("time") or {}
    quantity = get("quantity") or {}
    actors = get("actors") or []
    locations = get("locations") or []
    vessels = get("vessels") or []
    countries = sorted(
        {a.get("country") for a in actors if a.get("country")} | {loc.get("country") for loc in locations if loc.get("country")}
    )
    points = _points(record)
    values = (
        incident_id,
        article_id,
        get("type"),
        get("summary"),
        ";".join(countries),
        ";".join(loc.get("name") or "" for loc in locations),
        points[0][0] if points else None,
        points[0][1] if points else None,
        ";".join(f"{lat} {lon}" for lat, lon in points),
        time.get("start"),
        time.get("end"),
        time.get("precision"),
        quantity.get("min"),
        quantity.get("max"),
        quantity.get("unit"),
        quantity.get("item"),
        get("commodity"),
        ";".join(
            f"{a.get('name') or ''} ({a.get('country') or '?'}, {a.get('role') or 'perpetrator'})" for a in actors
        ),
        ";".join(v.get("name") or "unnamed" for v in vessels),
        ";".join(str(v.get("imo")) for v in vessels if v.get("imo")),
        ";".join(_links(record)) if actors or vessels else "",
        get("attribution"),
        get("certainty"),
        ";".join(get("provisions") or []),
        get("confidence"),
        review_status or "unreviewed",
        cluster_id or None,
        # An incident record's cluster carries its independent sources; a stored "source_count" wins.
        get("source_count", sources if cluster_id else None),
        " | ".join(get("evidence") or []),
        source,
        published,
        url,
        stored_at,
    )
    return [
        (("'" + value if value[:1] in _FORMULA_FIRST else value) if type(value) is str else
         value if value is None or type(value) is int or type(value) is float else safe_cell(value))
        for value in values
    ]  # fmt: skip


def export_csv_rows(batches: Iterable[Iterable[Any]], *, bom: bool = False) -> Iterator[str]:
    """``export_csv`` of the same incidents, from batches of export rows; the same bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if bom:
        buffer.write(BOM)
    writer.writerow(CSV_COLUMNS)
    writerow = writer.writerow
    for batch in batches:
        for row in batch:
            writerow(_row_cells(row))
            if buffer.tell() > CHUNK_CHARACTERS:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()


def export_matching(engine: Engine, query: IncidentQuery, export_format: str, *, bom: bool = False) -> Iterator[str]:
    """Every incident matching ``query`` (its filters and order) in ``export_format``."""
    if export_format == "csv":
        return export_csv_rows(iter_export_rows(engine, query), bom=bom)
    return export_incidents(iter_incidents(engine, query), export_format, bom=bom)
