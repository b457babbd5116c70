"""Who is asking, for every request: the local user, or in team mode a session or an API token.

Single-user mode (the default ``serve``, on 127.0.0.1) has one implicit identity with every
permission. Team mode (``serve --team``) resolves, in order:

1. ``Authorization: Bearer swt_…``: an API token (its scopes, capped by its owner's role);
2. the ``sanctionwatch_session`` cookie: a signed-in account (its role's scopes).

Without either, a dashboard page redirects to ``/login`` and an API call is a 401. A few paths
stay open: sign-in itself, static files, the health check, the sea outlines, and saved-search
feeds (feed readers cannot sign in; a feed's URL holds a random key instead).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from sanctionwatch.errors import NotAuthenticated
from sanctionwatch.service.users import ANONYMOUS, LOCAL, Identity, session_identity, token_identity

SESSION_COOKIE = "sanctionwatch_session"
PUBLIC_PREFIXES = ("/static/", "/feeds/")
PUBLIC_PATHS = frozenset({"/login", "/favicon.ico", "/api/v1/health", "/map/seas.json"})


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def identity(request: Request) -> Identity:
    """The identity the middleware resolved; fails closed in team mode if there is none."""
    found = getattr(request.state, "identity", None)
    if found is not None:
        return found
    if getattr(request.app.state, "team", False):
        raise NotAuthenticated("sign in first")
    return LOCAL


def resolve_identity(request: Request) -> Identity | None:
    """Team mode: the token's or session's identity, None when there is neither.

    Raises NotAuthenticated for a token that is present but not valid: a client that sends
    one should hear that it is wrong, not be treated as anonymous.
    """
    engine = request.app.state.engine
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, credentials = header.partition(" ")
        if scheme.lower() != "bearer" or not credentials.strip():
            raise NotAuthenticated("the Authorization header must be 'Bearer <token>'")
        return token_identity(engine, credentials.strip())
    return session_identity(engine, request.cookies.get(SESSION_COOKIE))


class IdentityMiddleware:
    """Puts ``request.state.identity`` on every HTTP request; in team mode turns away anonymous ones."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if not getattr(request.app.state, "team", False):
            scope.setdefault("state", {})["identity"] = LOCAL
            await self.app(scope, receive, send)
            return
        path = request.url.path
        try:
            who = resolve_identity(request)
        except NotAuthenticated as error:
            await JSONResponse({"error": str(error)}, status_code=401, headers={"WWW-Authenticate": "Bearer"})(scope, receive, send)
            return
        if who is None and not is_public(path):
            response: Response
            if path.startswith("/api/"):
                response = JSONResponse(
                    {"error": "sign in first: send 'Authorization: Bearer <token>' (sanctionwatch users token)"},
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
            else:
                target = path + (f"?{request.url.query}" if request.url.query else "")
                response = RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["identity"] = who or ANONYMOUS
        await self.app(scope, receive, send)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (never ``//evil`` or a URL)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
