"""JSON API, version 1: thin wrappers over ``sanctionwatch.service``.

Every filter is validated by ``service.incidents.make_query`` (out-of-range values → 400 with the
parameter named); errors are turned into statuses by the one table in ``api.app``.
"""

from __future__ import annotations

from typing import Any, TypedDict

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from sanctionwatch.api.auth import identity
from sanctionwatch.api.schemas import ArticleRecord, ErrorBody, Health, IncidentPage, ReviewRequest
from sanctionwatch.errors import InvalidQuery
from sanctionwatch.model import Article
from sanctionwatch.service import dashboard, exports
from sanctionwatch.service import incidents as incident_service
from sanctionwatch.store.incidents import IncidentQuery, iter_incidents

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
    min_sources: str | None
    certainty: str | None
    attribution: str | None
    source: str | None
    undated: str | None
    sort: str | None


def incident_filters(
    type: str | None = Query(None, description="Incident type, e.g. labor_export"),
    country: str | None = Query(None, description="ISO 3166 alpha-2 code of an actor or place"),
    since: str | None = Query(None, description="Incidents not ended before this date (YYYY-MM-DD)"),
    until: str | None = Query(None, description="Incidents not started after this date (YYYY-MM-DD)"),
    q: str | None = Query(None, description="Text in summary, evidence, actor or place names"),
    status: str | None = Query(
        None, description="Review status (unreviewed, confirmed, rejected, edited, any); default hides rejected"
    ),
    min_sources: str | None = Query(None, description="At least this many independent sources in the incident's cluster"),
    certainty: str | None = Query(None, description="asserted, reported, speculative, or none (not stated)"),
    attribution: str | None = Query(None, description="Attribution, e.g. un_report, or none (not stated)"),
    source: str | None = Query(None, description="The article's source outlet, exactly as listed in the facets"),
    undated: str | None = Query(
        None, description="include: keep undated incidents beside a date filter's matches; only: undated ones alone"
    ),
    sort: str | None = Query(None, description="newest (default), oldest, confidence or type"),
) -> IncidentFilters:
    return {
        "type": type, "country": country, "since": since, "until": until, "q": q, "status": status,
        "certainty": certainty, "attribution": attribution, "source": source, "undated": undated, "sort": sort,
        "min_sources": min_sources,
    }  # fmt: skip


def engine_of(request: Request):  # type: ignore[no-untyped-def]
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
            }
            for incident in incidents
        ],
    }


def article_incidents(engine, article_id: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Every incident of one article, rejected ones included (the article view shows them all)."""
    query = incident_service.make_query(article_id=article_id, status="any", limit=incident_service.MAX_LIMIT)
    items, _ = incident_service.search_incidents(engine, query)
    return items


@router.get("/health", response_model=Health)
def get_health(request: Request) -> dict[str, Any]:
    return dashboard.health(engine_of(request))


@router.get("/incidents", response_model=IncidentPage, responses=ERROR_RESPONSES)
def list_incidents(
    request: Request,
    filters: IncidentFilters = Depends(incident_filters),
    limit: int = Query(50, description="Page size, 1 to 500"),
    offset: int = Query(0, description="Items to skip, 0 or more"),
) -> dict[str, Any]:
    query = incident_service.make_query(**filters, limit=limit, offset=offset)
    items, total = incident_service.search_incidents(engine_of(request), query)
    return {"items": items, "total": total, "limit": query.limit, "offset": query.offset}


@router.get("/incidents/{incident_id}", responses=ERROR_RESPONSES)
def read_incident(request: Request, incident_id: str) -> dict[str, Any]:
    return incident_service.get_incident(engine_of(request), incident_id)


@router.post(
    "/incidents/{incident_id}/review",
    responses={**ERROR_RESPONSES, 415: {"model": ErrorBody, "description": "Body is not application/json"}},
)
def review(request: Request, incident_id: str, body: ReviewRequest) -> Any:
    # Only a JSON body is accepted: a cross-site HTML form cannot send application/json without
    # a CORS preflight, which this API never grants, so the endpoint needs no CSRF token.
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return JSONResponse({"error": "the review body must be application/json"}, status_code=415)
    who = identity(request)
    who.require("review")  # team mode: a viewer, or a token without the review scope, is a 403
    return incident_service.review_incident(
        engine_of(request), incident_id, decision=body.decision, edits=body.edits, note=body.note, reviewer=who.username
    )


@router.get("/articles/{article_id}", response_model=ArticleRecord, responses=ERROR_RESPONSES)
def read_article(request: Request, article_id: str) -> dict[str, Any]:
    engine = engine_of(request)
    article = incident_service.get_article(engine, article_id)
    return article_record(article, article_incidents(engine, article_id))


@router.get(
    "/export",
    responses={**ERROR_RESPONSES, 200: {"description": "A JSON Lines, CSV or GeoJSON file, streamed"}},
    response_class=StreamingResponse,
)
def export(
    request: Request,
    filters: IncidentFilters = Depends(incident_filters),
    format: str = Query("jsonl", description="jsonl, csv, geojson or ftm (FollowTheMoney entities as JSON Lines)"),
    bom: bool = Query(False, description="CSV: start with a UTF-8 byte order mark so Excel reads the text right"),
) -> StreamingResponse:
    if format not in exports.EXPORT_FORMATS:
        # Checked before streaming starts, so the client gets a 400 rather than a cut-off body.
        raise InvalidQuery(
            f"unknown export format {format!r}; one of {', '.join(exports.EXPORT_FORMATS)}", parameter="format"
        )
    query: IncidentQuery = incident_service.make_query(**filters)
    chunks = exports.export_incidents(iter_incidents(engine_of(request), query), format, bom=bom)
    # The file name is built here from a validated format only: nothing the client sends can
    # reach it, so there is no path traversal or header injection through it.
    filename = f"sanctionwatch-incidents.{'ftm.jsonl' if format == 'ftm' else format}"
    return StreamingResponse(
        chunks,
        media_type=exports.MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
