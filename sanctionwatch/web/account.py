"""Team mode's pages: sign in, sign out, and one's own account with its API tokens.

Every form carries the CSRF token of ``web.csrf`` (sign-in too: a forged sign-in would put a
victim into the attacker's account). The session cookie is HttpOnly, SameSite=Lax (a link from a feed reader
or an e-mail opens the page signed in; every form still needs its CSRF token) and, by
default, Secure; its value is random and only its hash is stored (``service.users``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from sanctionwatch.api.auth import SESSION_COOKIE, safe_next
from sanctionwatch.errors import InvalidQuery, NotAuthenticated, TooManyAttempts
from sanctionwatch.service import users as user_service
from sanctionwatch.web.views import check_csrf, current_identity, render

router = APIRouter(include_in_schema=False)


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    if not request.app.state.team:
        return RedirectResponse("/", status_code=303)
    return render(request, "login.html", {"next": safe_next(next), "error": None, "username": ""})


@router.post("/login")
def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    next: str = Form("/"),
    csrf_token: str = Form(""),
) -> Response:
    if not request.app.state.team:
        return RedirectResponse("/", status_code=303)
    check_csrf(request, csrf_token)
    settings = request.app.state.settings
    try:
        cookie = user_service.sign_in(
            request.app.state.engine, request.app.state.login_limiter, username[:64], password[:1024],
            _client_address(request), hours=settings.session_hours,
        )  # fmt: skip
    except (NotAuthenticated, TooManyAttempts) as error:
        status = 429 if isinstance(error, TooManyAttempts) else 401
        response = render(request, "login.html", {"next": safe_next(next), "error": str(error), "username": username[:64]}, status)
        if isinstance(error, TooManyAttempts):
            response.headers["Retry-After"] = str(error.retry_after_seconds)
        return response
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, cookie, max_age=settings.session_hours * 3600, httponly=True, samesite="lax",
        secure=settings.secure_cookies, path="/",
    )  # fmt: skip
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: str = Form("")) -> Response:
    check_csrf(request, csrf_token)
    user_service.end_session(request.app.state.engine, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login" if request.app.state.team else "/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _account_context(request: Request, new_token: str | None = None, error: str | None = None) -> dict[str, object]:
    who = current_identity(request)
    tokens = user_service.list_tokens(request.app.state.engine, who.username) if who.username else []
    return {
        "tokens": tokens,
        "new_token": new_token,
        "error": error,
        "scopes": [scope for scope in user_service.SCOPES if who.can(scope)],
    }


@router.get("/account")
def account_page(request: Request) -> Response:
    if not request.app.state.team:
        return RedirectResponse("/", status_code=303)
    return render(request, "account.html", _account_context(request))


@router.post("/account/tokens")
def create_token(
    request: Request, name: str = Form(""), scopes: Annotated[list[str] | None, Form()] = None, csrf_token: str = Form("")
) -> Response:
    check_csrf(request, csrf_token)
    who = current_identity(request)
    if not who.username:
        return RedirectResponse("/", status_code=303)
    try:
        token, _ = user_service.issue_token(request.app.state.engine, who.username, name, ",".join(scopes or []) or None)
    except InvalidQuery as error:
        return render(request, "account.html", _account_context(request, error=str(error)), 400)
    # Shown once, on this response only: it is not stored and cannot be shown again.
    response = render(request, "account.html", _account_context(request, new_token=token))
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(request: Request, token_id: int, csrf_token: str = Form("")) -> Response:
    check_csrf(request, csrf_token)
    who = current_identity(request)
    if who.username:
        user_service.revoke_token(request.app.state.engine, who.username, token_id)
    return RedirectResponse("/account", status_code=303)
