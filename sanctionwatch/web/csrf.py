"""CSRF tokens for the dashboard's POST forms (signed double submit).

The browser holds a random nonce in a SameSite=Strict, HttpOnly cookie; each form carries
HMAC(app secret, nonce) in a hidden field. A cross-site page can neither read the cookie nor
compute the HMAC without the per-process secret, so it cannot forge a valid pair.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

COOKIE_NAME = "sanctionwatch_csrf"
FIELD_NAME = "csrf_token"


def new_nonce() -> str:
    return secrets.token_urlsafe(32)


def token_for(secret: bytes, nonce: str) -> str:
    return hmac.new(secret, nonce.encode("utf-8"), hashlib.sha256).hexdigest()


def is_valid(secret: bytes, nonce: str | None, token: str | None) -> bool:
    """True when ``token`` was issued by this app for ``nonce`` (constant-time comparison)."""
    if not nonce or not token:
        return False
    return hmac.compare_digest(token_for(secret, nonce), token)
