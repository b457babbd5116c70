"""JSON API for clusters of incidents across articles, sanctions lists and FollowTheMoney export.

Thin wrappers over ``service.clusters`` / ``service.sanctions``. Merge and split are analysts'
decisions: JSON bodies only (no CSRF exposure, as for reviews) and, in team mode, the review scope.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from sanctionwatch.api.auth import identity
from sanctionwatch.api.routes import ERROR_RESPONSES, IncidentFilters, engine_of, incident_filters
from sanctionwatch.service import clusters as cluster_service
from sanctionwatch.service import incidents as incident_service

router = APIRouter(prefix="/api/v1", tags=["clusters"])


class MergeRequest(BaseModel):
    other: str = Field(description="The id of the cluster to merge with", max_length=64)
    note: str | None = Field(None, max_length=5000)


class SplitRequest(BaseModel):
    incident_id: str = Field(description="The incident to take out of this cluster", max_length=64)
    note: str | None = Field(None, max_length=5000)


def _analyst(request: Request) -> tuple[str | None, JSONResponse | None]:
    """(the reviewer's name, None), or (None, a 415) for a body that is not JSON; in team mode an
    account without the review scope gets a 403 from ``require``."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return None, JSONResponse({"error": "the body must be application/json"}, status_code=415)
    who = identity(request)
    who.require("review")
    return who.username, None


@router.get("/clusters", responses=ERROR_RESPONSES)
def list_clusters(
    request: Request,
    filters: IncidentFilters = Depends(incident_filters),
    limit: int = Query(50, description="Page size, 1 to 500"),
    offset: int = Query(0, description="Items to skip, 0 or more"),
) -> dict[str, Any]:
    """Clusters with at least one incident matching the incident filters (``min_sources`` too)."""
    query = incident_service.make_query(**filters, limit=limit, offset=offset)
    items, total = cluster_service.list_clusters(engine_of(request), query, limit=query.limit, offset=query.offset)
    return {"items": items, "total": total, "limit": query.limit, "offset": query.offset}


@router.get("/clusters/{cluster_id}", responses=ERROR_RESPONSES)
def read_cluster(request: Request, cluster_id: str) -> dict[str, Any]:
    """``{id, type, incident_ids, article_ids, reports, independent_sources, sources, outlets,
    earliest, merged, conflicts, edges, decisions}``; ``sources[].why_one_source`` says why."""
    return cluster_service.get_cluster(engine_of(request), cluster_id)


@router.post("/clusters/{cluster_id}/merge", responses=ERROR_RESPONSES)
def merge(request: Request, cluster_id: str, body: MergeRequest) -> Any:
    reviewer, refused = _analyst(request)
    if refused is not None:
        return refused
    engine = engine_of(request)
    merged = cluster_service.merge_clusters(engine, cluster_id, body.other, note=body.note, reviewer=reviewer)
    return cluster_service.get_cluster(engine, merged)


@router.post("/clusters/{cluster_id}/split", responses=ERROR_RESPONSES)
def split(request: Request, cluster_id: str, body: SplitRequest) -> Any:
    reviewer, refused = _analyst(request)
    if refused is not None:
        return refused
    engine = engine_of(request)
    if body.incident_id not in cluster_service.get_cluster(engine, cluster_id)["incident_ids"]:
        return JSONResponse({"error": f"incident {body.incident_id!r} is not in cluster {cluster_id!r}", "parameter": "incident_id"}, status_code=400)
    alone = cluster_service.split_incident(engine, body.incident_id, note=body.note, reviewer=reviewer)
    return cluster_service.get_cluster(engine, alone)



