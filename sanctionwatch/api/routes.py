"""JSON API, version 1: thin wrappers over ``sanctionwatch.service``.

Every filter is validated by ``service.incidents.make_query`` (out-of-range values → 400 with the
parameter named); the OpenAPI document declares the same ranges and choices. Errors are turned
into statuses by the one table in ``api.app``, request validation included: every bad parameter
is ``400 {"error", "parameter"}``.
"""

from __future__ import annotations

from typing import Any, TypedDict

import anyio
import anyio.to_thread
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from sanctionwatch.api.auth import identity
from sanctionwatch.api.schemas import ArticleRecord, ErrorBody, Health, IncidentPage, ReviewRequest
from sanctionwatch.errors import InvalidQuery
from sanctionwatch.model import Article
from sanctionwatch.model.incident import ATTRIBUTIONS, CERTAINTIES, INCIDENT_TYPES
from sanctionwatch.service import exports, health
from sanctionwatch.service import incidents as incident_service

router = APIRouter(prefix="/api/v1", tags=["api"])

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A filter or parameter is out of range"},
    404: {"model": ErrorBody, "description": "No such incident or article"},
    503: {"model": ErrorBody, "description": "The store is unavailable"},
}


class IncidentFilters(TypedDict):
    """The list filters as the client sent them, before ``make_query`` checks them."""

    type: str | None
    country: str | None
    since: str | None
    until: str | None
    q: str | None
    status: str | None
    orphaned: bool | None
    min_sources: str | None
    place: str | None
    sanctioned: str | None
    certainty: str | None
    attribution: str | None
    source: str | None
    undated: str | None
    sort: str | None


def _choices(values: tuple[str, ...]) -> dict[str, Any]:
    # Declared in the schema; checked by the service, which names the parameter in its 400.
    return {"enum": list(values)}


def incident_filters(
    type: str | None = Query(None, description="Incident type", json_schema_extra=_choices(INCIDENT_TYPES)),
    country: str | None = Query(
        None, description="ISO 3166 alpha-2 code of an actor or place", json_schema_extra={"pattern": "^[A-Za-z]{2}$"}
    ),
    since: str | None = Query(
        None, description="Incidents not ended before this date", json_schema_extra={"format": "date"}
    ),
    until: str | None = Query(
        None, description="Incidents not started after this date", json_schema_extra={"format": "date"}
    ),
    q: str | None = Query(
        None,
        description="Text in summary, evidence, actor or place names",
        json_schema_extra={"maxLength": incident_service.MAX_QUERY_CHARACTERS},
    ),
    status: str | None = Query(
        None,
        description="Review status; left out, rejected incidents are hidden",
        json_schema_extra=_choices(incident_service.STATUS_CHOICES),
    ),
    orphaned: bool | None = Query(
        None, description="true: only incidents no longer found in their article but kept for their review"
    ),
    min_sources: str | None = Query(
        None,
        description="At least this many independent sources in the incident's cluster",
        json_schema_extra={"pattern": "^[0-9]+$"},
    ),
    certainty: str | None = Query(
        None, description="Certainty; none: not stated", json_schema_extra=_choices((*CERTAINTIES, "none"))
    ),
    attribution: str | None = Query(
        None, description="Attribution; none: not stated", json_schema_extra=_choices((*ATTRIBUTIONS, "none"))
    ),
    source: str | None = Query(
        None,
        description="The article's source outlet, exactly as listed in the facets",
        json_schema_extra={"maxLength": incident_service.MAX_QUERY_CHARACTERS},
    ),
    undated: str | None = Query(
        None,
        description="include: keep undated incidents beside a date filter's matches; only: undated ones alone",
        json_schema_extra=_choices(incident_service.UNDATED_CHOICES),
    ),
    sort: str | None = Query(
        None,
        description="newest (default), oldest, confidence, type, added (latest stored) or sources (most independent sources)",
        json_schema_extra=_choices(incident_service.SORT_CHOICES),
    ),
    place: str | None = Query(None, description="Text in the name of one of the incident's places"),
    sanctioned: str | None = Query(
        None, description="yes: an actor or vessel is linked to a sanctions-list entry; no: none is",
        json_schema_extra=_choices(incident_service.SANCTIONED_CHOICES),
    ),
) -> IncidentFilters:
    return {
        "type": type, "country": country, "since": since, "until": until, "q": q, "status": status, "orphaned": orphaned,
        "certainty": certainty, "attribution": attribution, "source": source, "undated": undated, "sort": sort,
        "min_sources": min_sources, "place": place, "sanctioned": sanctioned,
    }  # fmt: skip


def engine_of(request: Request) -> Any:
    return request.app.state.engine


def article_record(article: Article, incidents: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": article.id,
        "url": article.url,
        "source": article.source,
        "title": article.title,
        "published": article.published,
        "language": article.language,
        "author": article.author,
        "fetched_at": article.fetched_at,
        "content_hash": article.content_hash,
        "text": article.text,
        "incidents": [
            {
                "id": incident["id"],
                "type": incident["type"],
                "summary": incident.get("summary") or "",
                "review_status": incident["review_status"],
                "orphaned": bool(incident.get("orphaned")),
            }
            for incident in incidents
        ],
    }


@router.get("/health", response_model=Health, responses={503: ERROR_RESPONSES[503]})
async def get_health(request: Request) -> dict[str, Any]:
    # On the event loop from a store reading at most FRESH_SECONDS old (taken in the background),
    # so a probe queues neither behind the pages' threads nor for the GIL of a dozen SQL calls;
    # the fault check is live. Without a usable reading (the first probe, one after an error, a
    # store silent for STALE_SECONDS) the probe reads the store itself, on threads of its own,
    # never on the event loop, which a slow store (a lock wait) would stall.
    engine = engine_of(request)
    readings = _readings(request)
    reading = readings.cached()
    if reading is None:
        reading = await anyio.to_thread.run_sync(readings.read, limiter=HEALTH_THREADS)
    return health.answer(engine, reading)


def _readings(request: Request) -> health.StoreReadings:
    state = request.app.state
    readings = getattr(state, "health_readings", None)
    if readings is None or readings.engine is not state.engine:
        readings = state.health_readings = health.StoreReadings(state.engine)
    return readings


# Two threads: a probe waits for a thread only when two probes are already stuck on the store.
HEALTH_THREADS = anyio.CapacityLimiter(2)


@router.get("/incidents", response_model=IncidentPage, responses=ERROR_RESPONSES)
def list_incidents(
    request: Request,
    filters: IncidentFilters = Depends(incident_filters),
    limit: int = Query(50, ge=1, le=incident_service.MAX_LIMIT, description="Page size"),
    offset: int = Query(0, ge=0, le=incident_service.MAX_OFFSET, description="Items to skip (small skips; page with cursor)"),
    cursor: str | None = Query(
        None,
        description="next_cursor of the previous page: the next page in the same order, at the cost of the first",
        json_schema_extra={"maxLength": incident_service.MAX_CURSOR_CHARACTERS},
    ),
) -> dict[str, Any]:
    query = incident_service.make_query(**filters, limit=limit, offset=offset, cursor=cursor)
    engine = engine_of(request)
    page = incident_service.list_incidents(engine, query)
    return {
        "items": page.items,
        "total": incident_service.count_incidents(engine, query),
        "limit": query.limit,
        "offset": query.offset,
        "next_cursor": incident_service.encode_cursor(page.next_after, query.sort),
    }


@router.get("/incidents/{incident_id}", responses=ERROR_RESPONSES)
def read_incident(request: Request, incident_id: str) -> dict[str, Any]:
    return incident_service.get_incident(engine_of(request), incident_id)


@router.post(
    "/incidents/{incident_id}/review",
    responses={**ERROR_RESPONSES, 415: {"model": ErrorBody, "description": "Body is not application/json"}},
)
def review(request: Request, incident_id: str, body: ReviewRequest) -> Any:
    # Only a JSON body is accepted: a cross-site HTML form cannot send application/json without
    # a CORS preflight, which this API never grants; the Origin check in api.app refuses the rest.
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return JSONResponse({"error": "the review body must be application/json"}, status_code=415)
    who = identity(request)
    who.require("review")  # team mode: a viewer, or a token without the review scope, is a 403
    return incident_service.review_incident(
        engine_of(request), incident_id, decision=body.decision, edits=body.edits, note=body.note, reviewer=who.username
    )


# ``:path`` so an article id with a "/" (a record id from a file) is one parameter, not a 404.
@router.get("/articles/{article_id:path}", response_model=ArticleRecord, responses=ERROR_RESPONSES)
def read_article(request: Request, article_id: str) -> dict[str, Any]:
    engine = engine_of(request)
    article = incident_service.get_article(engine, article_id)
    return article_record(article, incident_service.article_incidents(engine, article.id))


@router.get(
    "/export",
    responses={**ERROR_RESPONSES, 200: {"description": "A JSON Lines, CSV or GeoJSON file, streamed"}},
    response_class=StreamingResponse,
)
def export(
    request: Request,
    filters: IncidentFilters = Depends(incident_filters),
    format: str = Query(
        "jsonl",
        description="jsonl, csv, geojson or ftm (FollowTheMoney entities as JSON Lines)",
        json_schema_extra=_choices(exports.EXPORT_FORMATS),
    ),
    bom: bool = Query(False, description="CSV: start with a UTF-8 byte order mark so Excel reads the text right"),
) -> StreamingResponse:
    if format not in exports.EXPORT_FORMATS:
        # Checked before streaming starts, so the client gets a 400 rather than a cut-off body.
        raise InvalidQuery(
            f"unknown export format {format[:40]!r}; one of {', '.join(exports.EXPORT_FORMATS)}", parameter="format"
        )
    query = incident_service.make_query(**filters)
    chunks = exports.export_matching(engine_of(request), query, format, bom=bom)
    # The file name is built here from a validated format only: nothing the client sends can
    # reach it, so there is no path traversal or header injection through it.
    filename = f"sanctionwatch-incidents.{'ftm.jsonl' if format == 'ftm' else format}"
    return StreamingResponse(
        chunks,
        media_type=exports.MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
