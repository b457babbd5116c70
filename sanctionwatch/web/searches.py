"""Saved searches in the dashboard: the list of them, save and remove forms, and each Atom feed."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from sanctionwatch.errors import InvalidQuery
from sanctionwatch.service import searches as search_service
from sanctionwatch.store.searches import search_by_feed_key
from sanctionwatch.web.views import check_csrf, current_identity, render

router = APIRouter(include_in_schema=False)
ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"


@router.get("/searches")
def searches_page(request: Request) -> Response:
    searches = search_service.list_searches(request.app.state.engine)
    return render(request, "searches.html", {"searches": searches, "error": None})


@router.post("/searches")
def save_search(request: Request, name: str = Form(""), query: str = Form(""), csrf_token: str = Form("")) -> Response:
    check_csrf(request, csrf_token)
    who = current_identity(request)
    who.require("review")
    engine = request.app.state.engine
    try:
        search_service.save_search(engine, name, query, owner=who.username)
    except InvalidQuery as error:
        return render(request, "searches.html", {"searches": search_service.list_searches(engine), "error": str(error)}, 400)
    return RedirectResponse("/searches", status_code=303)


@router.post("/searches/{search_id}/delete")
def delete_search(request: Request, search_id: int, csrf_token: str = Form("")) -> Response:
    check_csrf(request, csrf_token)
    current_identity(request).require("review")
    search_service.remove_search(request.app.state.engine, str(search_id))
    return RedirectResponse("/searches", status_code=303)


@router.get("/feeds/{feed_key}.atom")
def search_feed(request: Request, feed_key: str) -> Response:
    """Open without signing in (feed readers cannot): the random key in the URL is the secret."""
    engine = request.app.state.engine
    search = search_by_feed_key(engine, feed_key)
    body = search_service.atom_feed(engine, search, base_url=request.app.state.settings.public_url)
    return Response(body, media_type=ATOM_MEDIA_TYPE, headers={"Cache-Control": "no-cache", "X-Robots-Tag": "noindex"})
