"""The server-rendered dashboard: incident list with map and timeline, evidence view, article view.

Pages call the same service functions as the JSON API and link to their JSON twin; every state
of the list page (filters, sort, page, timeline granularity) is its URL. Templates autoescape
everything; scraped text is never marked safe (see ``web.highlight``). URLs in pages are relative
paths, never built from the ``Host`` header, so a spoofed host cannot leak into links.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from sanctionwatch.errors import InvalidQuery, NotAuthenticated, PermissionDenied
from sanctionwatch.model.incident import ATTRIBUTIONS, CERTAINTIES, INCIDENT_TYPES, PRECISIONS, REVIEW_STATUSES
from sanctionwatch.service import audit as audit_service
from sanctionwatch.service import bulk, dashboard, labels, map_layers
from sanctionwatch.service import clusters as cluster_service
from sanctionwatch.service import incidents as incident_service
from sanctionwatch.service import searches as search_service
from sanctionwatch.service.searches import FILTERS
from sanctionwatch.service.summaries import country_name, incident_line, quantity_text, window_text
from sanctionwatch.service.timeline import GRANULARITIES
from sanctionwatch.service.users import LOCAL, Identity
from sanctionwatch.store.queries import SORTS
from sanctionwatch.web import csrf
from sanctionwatch.web.charts import AREA_COLOURS, area_buckets, timeline_chart
from sanctionwatch.web.highlight import evidence_segments
from sanctionwatch.web.review_form import actor_lines, form_edits, place_lines, vessel_lines

TEMPLATE_DIRECTORY = Path(__file__).resolve().parent / "templates"
FILTER_NAMES = FILTERS  # the list page's filters, in the order they appear in its URL and form
PAGE_PARAMETERS = ("limit", "offset", "timeline")
DEFAULT_LIMIT = 50
SORT_LABELS = {
    "newest": "newest first", "oldest": "oldest first", "confidence": "confidence", "type": "type",
    "added": "latest added", "sources": "most sources",
}  # fmt: skip
# Evidence colours of the article page: one per incident, cycled past the last (text stays dark).
EVIDENCE_COLOURS = 10


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
    environment.filters["type_label"] = labels.type_label
    environment.filters["type_colour"] = lambda name: labels.TYPE_COLOURS.get(name, "#7a7f85")
    environment.filters["country_name"] = lambda code: country_name(code) or code
    environment.filters["window"] = window_text
    environment.filters["quantity"] = quantity_text
    environment.filters["line"] = incident_line
    environment.filters["words"] = lambda value: str(value or "").replace("_", " ")
    environment.filters["shown"] = audit_service.shown
    environment.globals["CERTAINTY_LABELS"] = labels.CERTAINTY_LABELS
    return environment


def current_identity(request: Request) -> Identity:
    """The identity the middleware resolved (api/auth.py); fails closed in team mode."""
    found = getattr(request.state, "identity", None)
    if isinstance(found, Identity):
        return found
    if getattr(request.app.state, "team", False):
        raise NotAuthenticated("sign in first")
    return LOCAL


def _page_context(request: Request) -> dict[str, Any]:
    # Every page knows who is looking (navigation, which forms to offer).
    return {"identity": current_identity(request), "team": bool(getattr(request.app.state, "team", False))}


templates = Jinja2Templates(env=_environment(), context_processors=[_page_context])
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


def query_string(values: dict[str, Any]) -> str:
    return urlencode({key: value for key, value in values.items() if value not in (None, "")})


def page_url(state: dict[str, Any], **changes: Any) -> str:
    """The list page in ``state`` with ``changes``; any change but paging starts at the first page."""
    values = {**state, **changes}
    if "offset" not in changes:
        values.pop("offset", None)
    if values.get("limit") in (DEFAULT_LIMIT, str(DEFAULT_LIMIT)):
        values.pop("limit")
    query = query_string(values)
    return "/?" + query if query else "/"


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


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> Response:
    """A page with a CSRF token for its forms (``csrf_token``, ``csrf_field``) and the cookie it needs."""
    token, new_nonce = _csrf_token(request)
    response = templates.TemplateResponse(
        request, template, {**context, "csrf_token": token, "csrf_field": csrf.FIELD_NAME}, status_code=status_code
    )
    _set_csrf_cookie(response, new_nonce)
    return response


def check_csrf(request: Request, token: str | None) -> None:
    """Refuses a form that did not come from a page of this dashboard (PermissionDenied → 403)."""
    if not csrf.is_valid(request.app.state.csrf_secret, request.cookies.get(csrf.COOKIE_NAME), token):
        raise PermissionDenied("The form expired or did not come from this dashboard; reload the page and try again.")


def render_error_page(request: Request, status: int, message: str) -> Response:
    """An HTML error page; the message is escaped like any other text (Miniflux CVE-2023-27592)."""
    return templates.TemplateResponse(request, "error.html", {"status": status, "message": message}, status_code=status)


def map_data(layers: map_layers.MapLayers, state: dict[str, Any] | None = None, *, focus: bool = False) -> dict[str, Any]:
    """What map.js draws: points, shaded areas with their links, the palette and the shading classes.

    ``state`` is the list page's, so an area's "all incidents" link keeps the other filters;
    ``focus`` zooms to the shaded areas (an incident page without a point).
    """
    data = layers.to_dict()
    for area in data["areas"]:
        change = {"country": area["code"]} if area["kind"] == "country" else {"place": area["code"]}
        area["href"] = page_url(state or {}, **change)
    buckets = area_buckets([area.count for area in layers.areas])
    data["buckets"] = [{"low": b.low, "high": b.high, "colour": b.colour, "label": b.label} for b in buckets]
    if focus or state is None:
        # One incident's own map shades its areas alike: there is no count to grade.
        data["buckets"] = [{"low": 1, "high": None, "colour": AREA_COLOURS[2], "label": ""}]
    data["types"] = {
        style.name: {"label": style.label, "colour": style.colour, "context": style.is_context} for style in labels.type_styles()
    }
    data["focus"] = focus
    return data


def _type_legend(layers: map_layers.MapLayers) -> list[labels.TypeStyle]:
    present = {point.type for point in layers.points}
    return [style for style in labels.type_styles() if style.name in present]


def _without_empty_parameters(request: Request) -> Response | None:
    """A redirect to the same page without the empty fields a submitted form sends (``?q=&type=``),
    so every state has one short URL; None when there are none."""
    items = request.query_params.multi_items()
    kept = [(key, value) for key, value in items if value.strip()]
    if len(kept) == len(items):
        return None
    return RedirectResponse(request.url.path + ("?" + urlencode(kept) if kept else ""), status_code=303)


@router.get("/", response_class=HTMLResponse)
def incident_list(request: Request) -> Response:
    redirect = _without_empty_parameters(request)
    if redirect is not None:
        return redirect
    filters = _filters(request)
    limit = _int_parameter(request.query_params.get("limit"), "limit", DEFAULT_LIMIT)
    offset = _int_parameter(request.query_params.get("offset"), "offset", 0)
    granularity = request.query_params.get("timeline", "").strip()
    if granularity and granularity not in GRANULARITIES:
        raise InvalidQuery(f"timeline must be one of {', '.join(GRANULARITIES)}", parameter="timeline")
    engine = _engine(request)
    query = incident_service.make_query(**filters, limit=limit, offset=offset)
    items, total = incident_service.search_incidents(engine, query)
    summary = dashboard.summarize_incidents(engine, query, granularity=granularity or None)
    state: dict[str, Any] = {**filters, "limit": limit, "timeline": granularity}
    chart = timeline_chart(
        summary.timeline,
        href_for=lambda since, until: page_url(state, since=since, until=until, undated=""),
        undated_href=page_url(state, since="", until="", undated="only"),
    )
    facet_links = {
        name: {value: page_url(state, **{name: _facet_value(name, value)}) for value, _ in values}
        for name, values in summary.facets.items()
    }
    active = [(name, filters[name], page_url(state, **{name: ""})) for name in FILTER_NAMES if filters[name] and name != "sort"]
    json_query = query_string({**filters, "limit": limit if limit != DEFAULT_LIMIT else "", "offset": offset or ""})
    context = {
        "filters": filters,
        "active_filters": active,
        "items": items,
        "total": total,
        "offset": offset,
        "limit": limit,
        "summary": summary,
        "chart": chart,
        "granularity": summary.timeline.granularity,
        "granularity_param": granularity,
        "granularity_links": {name: page_url(state, timeline=name) for name in GRANULARITIES},
        "map": summary.map,
        "map_data": map_data(summary.map, state),
        "area_buckets": area_buckets([area.count for area in summary.map.areas]),
        "type_legend": _type_legend(summary.map),
        "facet_links": facet_links,
        "incident_types": INCIDENT_TYPES,
        "certainties": CERTAINTIES,
        "attributions": ATTRIBUTIONS,
        "review_statuses": (*REVIEW_STATUSES, "any"),
        "sorts": [(name, SORT_LABELS[name]) for name in SORTS],
        "sort_links": {name: page_url(state, sort=name if name != "newest" else "") for name in SORTS},
        "current_sort": filters["sort"] or "newest",
        "json_query": json_query,
        "filter_query": query_string(filters),
        "summary_query": query_string({**filters, "timeline": granularity}),
        "previous_url": page_url(state, offset=max(offset - limit, 0) or "") if offset > 0 else None,
        "next_url": page_url(state, offset=offset + limit) if offset + limit < total else None,
        "clear_url": "/",
        "saved_search": search_service.search_for_query(engine, filters),
        "reviewed_notice": request.query_params.get("reviewed", "")[:40],
        "max_bulk": bulk.MAX_BULK_INCIDENTS,
    }
    return render(request, "index.html", context)


def _facet_value(name: str, value: str) -> str:
    """The filter value a facet entry links to ("not stated" certainty is ``none``)."""
    if name in ("certainty", "attribution") and value == "not stated":
        return "none"
    return value


@router.get("/summary.json")
def summary_json(request: Request) -> Response:
    """The JSON twin of the list page's facets, timeline and map counts (the items: /api/v1/incidents)."""
    filters = _filters(request)
    granularity = request.query_params.get("timeline", "").strip() or None
    if granularity and granularity not in GRANULARITIES:
        raise InvalidQuery(f"timeline must be one of {', '.join(GRANULARITIES)}", parameter="timeline")
    query = incident_service.make_query(**filters, limit=DEFAULT_LIMIT, offset=0)
    summary = dashboard.summarize_incidents(_engine(request), query, granularity=granularity)
    return JSONResponse(summary.to_dict())


@router.get("/map/seas.json")
def seas_geojson() -> Response:
    """The outlines of the seas the map shades (bundled data; cached by the browser for a day)."""
    return JSONResponse(map_layers.sea_geojson(), headers={"Cache-Control": "public, max-age=86400"})


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(request: Request, incident_id: str) -> Response:
    engine = _engine(request)
    incident = incident_service.get_incident(engine, incident_id)
    article = incident_service.get_article(engine, incident["article"]["id"])
    layers = map_layers.incident_map(incident)
    areas, undrawable = map_layers.incident_areas(incident)
    context = {
        "incident": incident,
        "line": incident_line(incident),
        "article": article,
        "segments": evidence_segments(article.text, [(f"s{n}", [text]) for n, text in enumerate(incident.get("evidence") or [], 1)]),
        "map": layers,
        "map_data": map_data(layers, focus=not layers.points),
        "area_names": [area.label for area in areas],
        "undrawable": undrawable,
        "trail": [(event, audit_service.changes(event, with_note=False)) for event in audit_service.incident_trail(engine, incident_id)],
        "actor_lines": actor_lines(incident.get("actors") or []),
        "place_lines": place_lines(incident.get("locations") or []),
        "vessel_lines": vessel_lines(incident.get("vessels") or []),
        "precisions": PRECISIONS,
        "incident_types": INCIDENT_TYPES,
        "certainties": CERTAINTIES,
        "attributions": ATTRIBUTIONS,
        "cluster": cluster_service.cluster_of_incident(engine, incident),
    }
    return render(request, "incident.html", context)


@router.post("/incidents/{incident_id}/review")
async def review_form(request: Request, incident_id: str) -> Response:
    """Apply the review form: the decision, its reason, and the fields the analyst changed
    (``web.review_form``). A rejection or an edit needs a reason. 303 back to the page."""
    form = {key: value for key, value in (await request.form()).items() if isinstance(value, str)}
    check_csrf(request, form.get(csrf.FIELD_NAME))
    who = current_identity(request)
    who.require("review")
    decision = form.get("decision", "")
    note = form.get("note", "").strip() or None
    if decision in ("rejected", "edited") and not note:
        raise InvalidQuery("give a reason for the decision (the note): it is kept in the audit trail", parameter="note")

    def apply() -> None:
        engine = _engine(request)
        edits = form_edits(form, incident_service.get_incident(engine, incident_id))
        incident_service.review_incident(engine, incident_id, decision=decision, edits=edits or None, note=note, reviewer=who.username)

    await run_in_threadpool(apply)
    return RedirectResponse(f"/incidents/{quote(incident_id, safe='')}#review", status_code=303)


@router.post("/review/bulk")
def bulk_review_form(
    request: Request,
    decision: str = Form(""),
    note: str = Form(""),
    scope: str = Form("selected"),
    query: str = Form(""),
    csrf_token: str = Form(""),
    ids: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """One decision for the ticked rows, or for every incident the list's filters match."""
    check_csrf(request, csrf_token)
    who = current_identity(request)
    who.require("review")
    engine = _engine(request)
    filters = search_service.filters_of(query)
    if scope == "all":
        chosen = bulk.matching_ids(engine, incident_service.make_query(**filters, limit=DEFAULT_LIMIT, offset=0))
    else:
        chosen = list(ids or [])
    count = bulk.bulk_review(engine, chosen, decision=decision, note=note, reviewer=who.username)
    return RedirectResponse(page_url({**filters, "reviewed": f"{count} {decision}"}), status_code=303)


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> Response:
    engine = _engine(request)
    article = incident_service.get_article(engine, article_id)
    items = incident_service.article_incidents(engine, article.id)
    # Numbered in reading order: by where each incident's first evidence sentence stands.
    def first_position(item: dict[str, Any]) -> int:
        positions = [article.text.find(text) for text in item.get("evidence") or [] if text]
        return min((p for p in positions if p >= 0), default=len(article.text))

    items.sort(key=first_position)
    legend: list[dict[str, Any]] = []
    keyed: list[tuple[str, list[str]]] = []
    for number, item in enumerate(items, 1):
        sentences = [f"e{number}-{index}" for index, _ in enumerate(item.get("evidence") or [], 1)]
        keyed += [(key, [text]) for key, text in zip(sentences, item.get("evidence") or [], strict=True)]
        legend.append({"key": f"e{number}", "number": number, "colour": (number - 1) % EVIDENCE_COLOURS, "incident": item, "sentences": sentences})
    by_sentence = {key: entry for entry in legend for key in entry["sentences"]}
    context = {
        "article": article,
        "legend": legend,
        "by_sentence": by_sentence,
        "segments": evidence_segments(article.text, keyed),
    }
    return render(request, "article.html", context)
