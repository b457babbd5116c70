"""JSON API of the analyst's workspace: saved searches, bulk review, the audit trail and who is asking."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from sanctionwatch.api.auth import identity
from sanctionwatch.api.schemas import ErrorBody
from sanctionwatch.service import audit as audit_service
from sanctionwatch.service import bulk
from sanctionwatch.service import incidents as incident_service
from sanctionwatch.service import searches as search_service

router = APIRouter(prefix="/api/v1", tags=["workspace"])
RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A bad name or filter"},
    401: {"model": ErrorBody, "description": "Team mode: no valid session or token"},
    403: {"model": ErrorBody, "description": "The role or token lacks the scope"},
    404: {"model": ErrorBody, "description": "No such saved search"},
}


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="A name, unique among saved searches", max_length=120)
    query: str = Field(description="The list page's query string or URL, e.g. type=maritime_transfer&country=KP", max_length=2000)


class BulkReviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: str = Field(description="confirmed, rejected or unreviewed")
    note: str = Field(description="The reason, stored with each incident's decision", max_length=5000)
    ids: list[str] | None = Field(default=None, description="These incidents; or leave out and give query", max_length=2000)
    query: str | None = Field(default=None, description="Every incident these list filters match (at most 2,000)", max_length=2000)


@router.post("/review/bulk", responses=RESPONSES)
def bulk_review(request: Request, body: BulkReviewRequest) -> dict[str, Any]:
    who = identity(request)
    who.require("review")
    engine = request.app.state.engine
    if body.ids is not None:
        chosen = body.ids
    else:
        filters = search_service.filters_of(body.query or "")
        chosen = bulk.matching_ids(engine, incident_service.make_query(**filters, limit=50, offset=0))
    count = bulk.bulk_review(engine, chosen, decision=body.decision, note=body.note, reviewer=who.username)
    return {"reviewed": count, "decision": body.decision}


@router.get("/incidents/{incident_id}/reviews", responses=RESPONSES)
def incident_reviews(request: Request, incident_id: str) -> dict[str, Any]:
    """The incident's audit trail, oldest decision first."""
    engine = request.app.state.engine
    incident_service.get_incident(engine, incident_id)  # 404 for an unknown incident
    return {"items": [event.to_dict() for event in audit_service.incident_trail(engine, incident_id)]}


@router.get(
    "/review-events",
    responses={**RESPONSES, 200: {"description": "Every review decision, streamed as JSON Lines or CSV"}},
    response_class=StreamingResponse,
)
def review_events(
    request: Request,
    format: str = Query("jsonl", description="jsonl (one decision a line) or csv (one changed field a row)"),
    since: str | None = Query(None, description="Decisions at or after this UTC time (YYYY-MM-DD or ISO)"),
    reviewer: str | None = Query(None, description="Only this account's decisions"),
) -> StreamingResponse:
    """The whole audit trail, for the record or a spreadsheet (cells guarded against formulas)."""
    chunks = audit_service.export_events(request.app.state.engine, format, since=since, reviewer=reviewer)
    return StreamingResponse(
        chunks,
        media_type=audit_service.AUDIT_MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="sanctionwatch-reviews.{format}"', "Cache-Control": "no-store"},
    )


@router.get("/me", responses=RESPONSES)
def who_am_i(request: Request) -> dict[str, Any]:
    who = identity(request)
    return {"username": who.username, "role": who.role, "scopes": sorted(who.scopes)}


@router.get("/searches", responses=RESPONSES)
def list_searches(request: Request) -> dict[str, Any]:
    return {"items": [search.to_dict() for search in search_service.list_searches(request.app.state.engine)]}


@router.post("/searches", status_code=201, responses=RESPONSES)
def save_search(request: Request, body: SearchRequest) -> Response:
    who = identity(request)
    who.require("review")
    search = search_service.save_search(request.app.state.engine, body.name, body.query, owner=who.username)
    return JSONResponse(search.to_dict(), status_code=201)


@router.delete("/searches/{search_id}", status_code=204, responses=RESPONSES)
def remove_search(request: Request, search_id: int) -> Response:
    identity(request).require("review")
    search_service.remove_search(request.app.state.engine, str(search_id))
    return Response(status_code=204)
