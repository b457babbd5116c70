"""JSON API of the analyst's workspace: saved searches and who is asking."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from sanctionwatch.api.auth import identity
from sanctionwatch.api.schemas import ErrorBody
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
