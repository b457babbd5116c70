"""The web application factory: JSON API, dashboard pages and static files in one ASGI app.

``create_app(settings)`` opens the store once (kept in ``app.state.engine``), mounts the routes,
adds security headers to every response and maps domain errors to HTTP statuses in one table
(``ERROR_STATUSES``). API paths get JSON errors; dashboard pages get an escaped HTML error page.
A traceback never reaches the client.
"""

from __future__ import annotations

import gc
import logging
import secrets
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sanctionwatch import __version__
from sanctionwatch.api.auth import IdentityMiddleware
from sanctionwatch.api.clusters import router as clusters_api_router
from sanctionwatch.api.guard import RequestGuard, allowed_host_names
from sanctionwatch.api.routes import router as api_router
from sanctionwatch.api.workspace import router as workspace_api_router
from sanctionwatch.errors import (
    InputError,
    InvalidQuery,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    SanctionWatchError,
    StoreError,
    TooManyAttempts,
)
from sanctionwatch.nlp.pipeline import EXTRACTOR_VERSION
from sanctionwatch.service.health import prepare
from sanctionwatch.service.users import LoginLimiter
from sanctionwatch.settings import Settings, load_settings
from sanctionwatch.store.engine import create_database_engine
from sanctionwatch.web.account import router as account_router
from sanctionwatch.web.api_docs import router as api_docs_router
from sanctionwatch.web.searches import router as searches_router
from sanctionwatch.web.views import render_error_page
from sanctionwatch.web.views import router as web_router

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
STATIC_DIRECTORY = Path(__file__).resolve().parent.parent / "web" / "static"

# The one place domain errors become HTTP statuses (most specific class first).
ERROR_STATUSES: tuple[tuple[type[SanctionWatchError], int], ...] = (
    (NotFound, 404),
    (InvalidQuery, 400),
    (InputError, 422),
    (StoreError, 503),
    (NotAuthenticated, 401),
    (PermissionDenied, 403),
    (TooManyAttempts, 429),
)

# Scraped text is shown on every page, so scripts only ever come from our own static files and
# nothing may be framed or loaded from a third party (research anchors §3.3, Miniflux CVEs).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


class SecurityHeadersMiddleware:
    """Adds ``SECURITY_HEADERS`` to every HTTP response, streamed ones included.

    A plain ASGI middleware rather than ``BaseHTTPMiddleware`` so streamed exports pass through
    chunk by chunk instead of being buffered.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in SECURITY_HEADERS if name not in present]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


def status_for(error: Exception) -> int:
    for error_class, status in ERROR_STATUSES:
        if isinstance(error, error_class):
            return status
    return 500


def _error_body(error: Exception, status: int) -> dict[str, object]:
    if status == 500:
        # The message of an unexpected error may carry paths or SQL; the log keeps it.
        return {"error": "internal server error"}
    body: dict[str, object] = {"error": str(error)}
    parameter = getattr(error, "parameter", None)
    if parameter is not None:
        body["parameter"] = parameter
    return body


async def handle_error(request: Request, error: Exception) -> Response:
    status = status_for(error)
    if status == 500:
        logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    body = _error_body(error, status)
    headers = {"Retry-After": str(error.retry_after_seconds)} if isinstance(error, TooManyAttempts) else None
    if request.url.path.startswith(API_PREFIX):
        return JSONResponse(body, status_code=status, headers=headers)
    response = render_error_page(request, status, str(body["error"]))
    if headers:
        response.headers.update(headers)
    return response


def _validation_message(error: dict[str, Any]) -> tuple[str, str]:
    """(message, parameter) of FastAPI's first complaint, in the project's words."""
    location = [str(part) for part in error.get("loc", ()) if part not in ("query", "body", "path", "header")]
    parameter = location[0] if location else "body"
    kind = error.get("type", "")
    if kind == "json_invalid":
        return "the body is not valid JSON", "body"
    if kind == "missing":
        return f"{parameter} is required", parameter
    if kind == "extra_forbidden":
        return f"unknown field {parameter!r}", parameter
    return f"{'.'.join(location) or parameter}: {error.get('msg', 'is not valid')}", parameter


async def handle_validation_error(request: Request, error: Exception) -> Response:
    """FastAPI's request validation (``limit=abc``, a malformed body) as the project's 400."""
    errors = error.errors() if isinstance(error, RequestValidationError) else []
    message, parameter = _validation_message(errors[0]) if errors else ("the request is not valid", "body")
    if request.url.path.startswith(API_PREFIX):
        return JSONResponse({"error": message, "parameter": parameter}, status_code=400)
    return render_error_page(request, 400, message)


def _openapi_without_422(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The schema, with FastAPI's 422 replaced by the 400 every bad parameter really gets."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                responses = operation.get("responses", {})
                if responses.pop("422", None) is not None:
                    responses.setdefault(
                        "400",
                        {
                            "description": "A parameter or the body is not valid",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
                        },
                    )
        components = schema.get("components", {}).get("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        app.openapi_schema = schema
        return schema

    return openapi


async def handle_http_exception(request: Request, error: Exception) -> Response:
    """Routing errors (unknown path, wrong method): JSON under /api/, an HTML page elsewhere."""
    if not isinstance(error, StarletteHTTPException):  # registered for these only; Starlette types it wide
        return await handle_error(request, error)
    if request.url.path.startswith(API_PREFIX):
        return JSONResponse({"error": str(error.detail)}, status_code=error.status_code, headers=error.headers)
    return render_error_page(request, error.status_code, str(error.detail))


# Pages run in a thread pool; AnyIO's default of 40 threads, all wanting the GIL on two cores,
# makes every request slower than a shorter queue does (benchmarks/serve.py: health p99 and the
# p99 of 20 clients both fall with fewer threads). Requests beyond this wait for a thread.
WORKER_THREADS = 8


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
    # What start-up made (modules, routes, templates) lives as long as the server: out of the
    # cyclic collector's sight, so the collections that a page of 1,000 decoded incidents sets
    # off stop rescanning it (benchmarks/serve.py: the CSV export of 100,000 incidents spent
    # about 2 of its 9 seconds of reading in those collections).
    gc.freeze()
    # A damaged page is found by reading every page once, and the default dashboard is counted:
    # in the background, so start-up is not delayed; health reports what the check finds. Only a
    # server that starts does this work (an app made and dropped, as tests and tools do, starts
    # no thread that would reopen its file behind them).
    threading.Thread(target=prepare, args=(_app.state.engine,), name="prepare-store", daemon=True).start()
    yield


def create_app(settings: Settings, *, bound_host: str | None = None, create_database: bool = False) -> FastAPI:
    """A new application over ``settings.database``; raises StoreError if the store cannot open.

    ``bound_host`` is the address ``serve`` listens on: requests must name it (or a loopback
    name, or one of ``settings.allowed_hosts``) in their ``Host`` header (``api/guard.py``).
    A database file that does not exist is refused unless ``create_database``.
    """
    # FastAPI's interactive /docs pages load scripts from a CDN, which the CSP (rightly) forbids;
    # /docs is our own offline page (web.views), the OpenAPI document is at /openapi.json.
    app = FastAPI(
        title="sanctionwatch",
        version=__version__,
        description=f"Incidents of sanctions evasion; extractor {EXTRACTOR_VERSION}.",
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.openapi = _openapi_without_422(app)  # type: ignore[method-assign]
    app.state.settings = settings
    app.state.engine = create_database_engine(settings.database, create=create_database)
    # Per-process secret for CSRF tokens of the dashboard's forms; a restart invalidates open forms.
    app.state.csrf_secret = secrets.token_bytes(32)
    # Team mode: accounts, sessions and tokens (api/auth.py); sign-in failures limited per process.
    app.state.team = settings.team
    app.state.login_limiter = LoginLimiter()
    app.add_exception_handler(SanctionWatchError, handle_error)
    app.add_exception_handler(Exception, handle_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_exception)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.include_router(api_router)
    app.include_router(clusters_api_router)
    app.include_router(workspace_api_router)
    app.include_router(web_router)
    app.include_router(account_router)
    app.include_router(searches_router)
    app.include_router(api_docs_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIRECTORY), name="static")
    app.add_middleware(IdentityMiddleware)
    # Inside the security headers (so a 421 carries them too), outside identity: a rebound
    # request is refused before anything reads its credentials.
    app.add_middleware(RequestGuard, allowed_hosts=allowed_host_names(bound_host, settings.allowed_hosts.split(",")))
    app.add_middleware(SecurityHeadersMiddleware)  # added last: outermost, so even a 401 carries the headers
    return app


def create_app_from_environment() -> FastAPI:
    """For ``uvicorn --factory``: settings from defaults and ``SANCTIONWATCH_*`` variables."""
    return create_app(load_settings())
