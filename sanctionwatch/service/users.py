"""Team mode: accounts with roles, API tokens with scopes, sign-in with sessions, rate limits.

Roles grant scopes: a viewer reads, an analyst also reviews and saves searches, an admin also
manages accounts. An API token carries a subset of its owner's scopes and is checked against
the owner's current role too, so demoting someone demotes their tokens at once.

Secrets are stored only as hashes: passwords with scrypt (salted, memory-hard: a stolen
database does not give them away cheaply), session cookies and API tokens with SHA-256 (they
are 256-bit random values, so a fast hash is enough). A token is shown once, when it is made.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from sanctionwatch.errors import InvalidQuery, NotAuthenticated, PermissionDenied, TooManyAttempts
from sanctionwatch.store import users as user_store
from sanctionwatch.store.users import Token, User

ROLES = ("viewer", "analyst", "admin")
SCOPES = ("read", "review", "admin")
ROLE_SCOPES: dict[str, frozenset[str]] = {
    "viewer": frozenset({"read"}),
    "analyst": frozenset({"read", "review"}),
    "admin": frozenset({"read", "review", "admin"}),
}
TOKEN_PREFIX = "swt_"
MIN_PASSWORD_CHARACTERS = 10
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
# scrypt cost: 2^14 × 8 × 1 takes ~50 ms and 16 MiB, the interactive setting of RFC 7914.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SESSION_HOURS = 12
# Sign-in: at most this many failures per account and per address in the window, then a wait.
MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 15 * 60


@dataclass(frozen=True, slots=True)
class Identity:
    """Who is asking: an account (team mode) or the single local user (``username`` None)."""

    username: str | None
    role: str
    scopes: frozenset[str]

    @property
    def display_name(self) -> str:
        return self.username or "local analyst"

    def can(self, scope: str) -> bool:
        return scope in self.scopes

    def require(self, scope: str) -> None:
        if scope not in self.scopes:
            who = f"{self.username} ({self.role})" if self.username else "this client"
            raise PermissionDenied(f"{who} may not do this: it needs the {scope!r} permission", scope=scope)


LOCAL = Identity(username=None, role="admin", scopes=ROLE_SCOPES["admin"])
# Team mode, not signed in, on one of the few open paths (sign-in, static files, feeds).
ANONYMOUS = Identity(username=None, role="anonymous", scopes=frozenset())


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    encode = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt).decode()}${encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


# A hash to check against when the account does not exist, so both answers take as long.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _check_username(username: str) -> str:
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise InvalidQuery(
            "a username is 1 to 64 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit",
            parameter="username",
        )
    return username


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARACTERS:
        raise InvalidQuery(f"a password needs at least {MIN_PASSWORD_CHARACTERS} characters", parameter="password")


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidQuery(f"unknown role {role[:40]!r}; one of {', '.join(ROLES)}", parameter="role")
    return role


def add_user(engine: Engine, username: str, password: str, role: str) -> User:
    username, role = _check_username(username), _check_role(role)
    _check_password(password)
    return user_store.add_user(engine, username=username, password_hash=hash_password(password), role=role)


def set_password(engine: Engine, username: str, password: str) -> None:
    _check_password(password)
    user_store.set_password_hash(engine, _check_username(username), hash_password(password))


def list_users(engine: Engine) -> list[User]:
    return user_store.list_users(engine)


def remove_user(engine: Engine, username: str) -> None:
    user_store.remove_user(engine, _check_username(username))


def identity_of(user: User, scopes: frozenset[str] | None = None) -> Identity:
    allowed = ROLE_SCOPES.get(user.role, frozenset())
    return Identity(username=user.username, role=user.role, scopes=allowed if scopes is None else allowed & scopes)


def authenticate(engine: Engine, username: str, password: str) -> User | None:
    """The account when the password is right, else None (in about the same time either way)."""
    found = user_store.password_hash_of(engine, username.strip().lower())
    if found is None:
        verify_password(password, _DUMMY_HASH)
        return None
    user, stored = found
    return user if verify_password(password, stored) else None


def start_session(engine: Engine, user: User, hours: int = SESSION_HOURS) -> str:
    """A new session; returns the cookie value (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    expires = (datetime.now(UTC) + timedelta(hours=hours)).isoformat(timespec="seconds")
    user_store.add_session(engine, token_hash=secret_hash(token), user_id=user.id, expires_at=expires)
    return token


def session_identity(engine: Engine, cookie: str | None) -> Identity | None:
    if not cookie or len(cookie) > 200:
        return None
    user = user_store.user_for_session(engine, secret_hash(cookie))
    return identity_of(user) if user else None


def end_session(engine: Engine, cookie: str | None) -> None:
    if cookie and len(cookie) <= 200:
        user_store.remove_session(engine, secret_hash(cookie))


def parse_scopes(text: str | None, role: str) -> tuple[str, ...]:
    """"read,review" → ("read", "review"); default: every scope of the role; never more than it."""
    allowed = ROLE_SCOPES[role]
    if not text:
        return tuple(scope for scope in SCOPES if scope in allowed)
    wanted = [scope.strip() for scope in re.split(r"[,\s]+", text) if scope.strip()]
    for scope in wanted:
        if scope not in SCOPES:
            raise InvalidQuery(f"unknown scope {scope[:40]!r}; one of {', '.join(SCOPES)}", parameter="scopes")
        if scope not in allowed:
            raise InvalidQuery(f"a {role} cannot hold the {scope!r} scope", parameter="scopes")
    return tuple(scope for scope in SCOPES if scope in wanted)


def issue_token(engine: Engine, username: str, name: str, scopes: str | None = None) -> tuple[str, Token]:
    """A new API token for ``username``; returns (the token, shown only now, and its record)."""
    user = user_store.get_user(engine, _check_username(username))
    name = " ".join(name.split())[:120] or "token"
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = user_store.add_token(
        engine, user_id=user.id, name=name, token_hash=secret_hash(token), scopes=parse_scopes(scopes, user.role)
    )
    return token, record


def list_tokens(engine: Engine, username: str) -> list[Token]:
    return user_store.list_tokens(engine, user_store.get_user(engine, _check_username(username)).id)


def revoke_token(engine: Engine, username: str, token_id: int) -> None:
    user_store.remove_token(engine, user_id=user_store.get_user(engine, _check_username(username)).id, token_id=token_id)


def token_identity(engine: Engine, token: str) -> Identity:
    """The identity of an ``Authorization: Bearer`` token; raises NotAuthenticated if it is unknown."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise NotAuthenticated("the API token is not valid")
    found = user_store.user_for_token(engine, secret_hash(token))
    if found is None:
        raise NotAuthenticated("the API token is not valid (revoked, or never issued)")
    user, record = found
    return identity_of(user, frozenset(record.scopes))


class LoginLimiter:
    """Failed sign-ins per key (account, address) in a sliding window, in this process's memory.

    In memory on purpose: the limit guards one server against password guessing; a restart
    clearing it is acceptable, a database write per failed attempt is not needed.
    """

    def __init__(self, max_failures: int = MAX_FAILURES, window_seconds: float = FAILURE_WINDOW_SECONDS) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self.window_seconds:
            failures.popleft()
        return failures

    def check(self, *keys: str) -> None:
        """Raises TooManyAttempts when any key has used up its failures."""
        now = time.monotonic()
        with self._lock:
            for key in keys:
                failures = self._recent(key, now)
                if len(failures) >= self.max_failures:
                    wait = int(failures[0] + self.window_seconds - now) + 1
                    raise TooManyAttempts(
                        f"too many failed sign-ins; try again in {max(wait // 60, 1)} minute(s)", retry_after_seconds=wait
                    )

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


def sign_in(
    engine: Engine, limiter: LoginLimiter, username: str, password: str, address: str, *, hours: int = SESSION_HOURS
) -> str:
    """Check the password under the rate limit; returns a session cookie value."""
    keys = (f"user:{username.strip().lower()[:64]}", f"address:{address}")
    limiter.check(*keys)
    user = authenticate(engine, username, password)
    if user is None:
        limiter.failed(*keys)
        raise NotAuthenticated("wrong username or password")
    limiter.succeeded(keys[0])
    return start_session(engine, user, hours)
