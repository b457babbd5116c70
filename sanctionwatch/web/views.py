"""The server-rendered dashboard: incident list with map and timeline, evidence view, article view.

Pages call the same service functions as the JSON API and link to their JSON twin. Templates
autoescape everything; scraped text is never marked safe (see ``web.highlight``). URLs in pages
are relative paths, never built from the ``Host`` header, so a spoofed host cannot leak into links.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from sanctionwatch.errors import InvalidQuery
from sanctionwatch.model.incident import ATTRIBUTIONS, CERTAINTIES, INCIDENT_TYPES, REVIEW_STATUSES
from sanctionwatch.service import dashboard
from sanctionwatch.service import incidents as incident_service
from sanctionwatch.web import csrf
from sanctionwatch.web.highlight import highlight_segments

TEMPLATE_DIRECTORY = Path(__file__).resolve().parent / "templates"
FILTER_NAMES = ("type", "country", "since", "until", "q", "status")
TIMELINE_WIDTH = 720
TIMELINE_HEIGHT = 120
CERTAINTY_LABELS = {
    "asserted": "asserted as fact by the source",
    "reported": "reported: an attributed claim, not established fact",
    "speculative": "speculative: analysis or conjecture",
}


def safe_href(url: str | None) -> str | None:
    """The URL when it is http(s), else None: a scraped ``javascript:`` link must never be clickable."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def _environment() -> jinja2.Environment:
    # Autoescape for every template, whatever its extension; undefined values fail loudly in tests.
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIRECTORY), autoescape=True, undefined=jinja2.StrictUndefined
    )
    environment.filters["safe_href"] = safe_href
    environment.globals["CERTAINTY_LABELS"] = CERTAINTY_LABELS
    return environment


templates = Jinja2Templates(env=_environment())
router = APIRouter(include_in_schema=False)


def _engine(request: Request):  # type: ignore[no-untyped-def]
    return request.app.state.engine


def _int_parameter(value: str | None, name: str, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        return int(str(value))
    except ValueError as exc:
        raise InvalidQuery(f"{name} must be a whole number, got {value!r}", parameter=name) from exc


def _filters(request: Request) -> dict[str, str]:
    return {name: request.query_params.get(name, "").strip() for name in FILTER_NAMES}


def _query_string(values: dict[str, Any]) -> str:
    return urlencode({key: value for key, value in values.items() if value not in (None, "")})


def timeline_bars(timeline: tuple[tuple[str, int], ...]) -> list[dict[str, Any]]:
    """SVG geometry (attributes, not styles: the CSP forbids inline styles) for a bar per month."""
    if not timeline:
        return []
    highest = max(count for _, count in timeline) or 1
    width = TIMELINE_WIDTH / len(timeline)
    bars = []
    for index, (month, count) in enumerate(timeline):
        height = round(count / highest * (TIMELINE_HEIGHT - 20), 1)
        bars.append(
            {
                "month": month,
                "count": count,
                "x": round(index * width, 2),
                "width": round(max(width - 1, 0.5), 2),
                "y": round(TIMELINE_HEIGHT - 16 - height, 1),
                "height": height,
            }
        )
    return bars


def _csrf_token(request: Request) -> tuple[str, str | None]:
    """(token for the form, nonce to set as a cookie when the browser has none yet)."""
    nonce = request.cookies.get(csrf.COOKIE_NAME)
    new_nonce = None
    if not nonce:
        nonce = new_nonce = csrf.new_nonce()
    return csrf.token_for(request.app.state.csrf_secret, nonce), new_nonce


def _set_csrf_cookie(response: Response, nonce: str | None) -> None:
    if nonce:
        response.set_cookie(csrf.COOKIE_NAME, nonce, httponly=True, samesite="strict", path="/")


def render_error_page(request: Request, status: int, message: str) -> Response:
    """An HTML error page; the message is escaped like any other text (Miniflux CVE-2023-27592)."""
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )


@router.get("/", response_class=HTMLResponse)
def incident_list(request: Request) -> Response:
    filters = _filters(request)
    limit = _int_parameter(request.query_params.get("limit"), "limit", 50)
    offset = _int_parameter(request.query_params.get("offset"), "offset", 0)
    engine = _engine(request)
    query = incident_service.make_query(
        type=filters["type"], country=filters["country"], since=filters["since"], until=filters["until"],
        q=filters["q"], status=filters["status"], limit=limit, offset=offset,
    )  # fmt: skip
    items, total = incident_service.search_incidents(engine, query)
    summary = dashboard.summarize_incidents(engine, query)
    base = {**filters, "limit": limit if limit != 50 else ""}
    context = {
        "filters": filters,
        "items": items,
        "total": total,
        "offset": offset,
        "limit": limit,
        "summary": summary,
        "bars": timeline_bars(summary.timeline),
        "timeline_width": TIMELINE_WIDTH,
        "timeline_height": TIMELINE_HEIGHT,
        "points": [point.to_dict() for point in summary.points],
        "incident_types": INCIDENT_TYPES,
        "review_statuses": (*REVIEW_STATUSES, "any"),
        "filter_query": _query_string(filters),
        "previous_query": _query_string({**base, "offset": max(offset - limit, 0)}) if offset > 0 else None,
        "next_query": _query_string({**base, "offset": offset + limit}) if offset + limit < total else None,
        "type_query": {name: _query_string({**filters, "type": name}) for name, _ in summary.counts_by_type},
        "country_query": {code: _query_string({**filters, "country": code}) for code, _ in summary.counts_by_country},
    }
    return templates.TemplateResponse(request, "index.html", context)


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(request: Request, incident_id: str) -> Response:
    engine = _engine(request)
    incident = incident_service.get_incident(engine, incident_id)
    article = incident_service.get_article(engine, incident["article"]["id"])
    token, new_nonce = _csrf_token(request)
    context = {
        "incident": incident,
        "article": article,
        "segments": highlight_segments(article.text, incident.get("evidence") or []),
        "points": [point.to_dict() for point in dashboard.map_points(incident)],
        "csrf_token": token,
        "csrf_field": csrf.FIELD_NAME,
        "incident_types": INCIDENT_TYPES,
        "certainties": CERTAINTIES,
        "attributions": ATTRIBUTIONS,
    }
    response = templates.TemplateResponse(request, "incident.html", context)
    _set_csrf_cookie(response, new_nonce)
    return response


@router.post("/incidents/{incident_id}/review")
def review_form(
    request: Request,
    incident_id: str,
    decision: str = Form(...),
    csrf_token: str = Form(""),
    summary: str | None = Form(None),
    type: str | None = Form(None),
    certainty: str | None = Form(None),
    note: str | None = Form(None),
) -> Response:
    """Apply the review form; edits hold only the fields the analyst changed. 303 back to the page."""
    if not csrf.is_valid(request.app.state.csrf_secret, request.cookies.get(csrf.COOKIE_NAME), csrf_token):
        message = "The form expired or did not come from this dashboard; reload and retry."
        return render_error_page(request, 403, message)
    engine = _engine(request)
    current = incident_service.get_incident(engine, incident_id)
    edits: dict[str, Any] = {}
    if summary is not None:
        # A browser sends textarea newlines as CRLF; store the analyst's text with LF.
        summary = summary.replace("\r\n", "\n")
        if summary != (current.get("summary") or ""):
            edits["summary"] = summary
    if type and type != current.get("type"):
        edits["type"] = type
    if certainty and certainty != current.get("certainty"):
        edits["certainty"] = certainty
    incident_service.review_incident(
        engine, incident_id, decision=decision, edits=edits or None, note=(note or "").strip() or None
    )
    return RedirectResponse(f"/incidents/{quote(incident_id, safe='')}", status_code=303)


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> Response:
    engine = _engine(request)
    article = incident_service.get_article(engine, article_id)
    items = incident_service.article_incidents(engine, article.id)
    evidence = [sentence for item in items for sentence in item.get("evidence") or []]
    context = {"article": article, "items": items, "segments": highlight_segments(article.text, evidence)}
    return templates.TemplateResponse(request, "article.html", context)
