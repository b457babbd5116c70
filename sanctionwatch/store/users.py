"""Team mode's accounts, API tokens and sessions. Secrets are stored only as hashes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError

from sanctionwatch.errors import InvalidQuery, NotFound
from sanctionwatch.store.clock import utc_now
from sanctionwatch.store.engine import write_transaction
from sanctionwatch.store.schema import api_tokens, sessions, users


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    role: str
    created_at: str


@dataclass(frozen=True, slots=True)
class Token:
    id: int
    user_id: int
    name: str
    scopes: tuple[str, ...]
    created_at: str
    last_used_at: str | None


def _user(row: Any) -> User:
    return User(row.id, row.username, row.role, row.created_at)


def _token(row: Any) -> Token:
    return Token(row.id, row.user_id, row.name, tuple(row.scopes.split()), row.created_at, row.last_used_at)


def add_user(engine: Engine, *, username: str, password_hash: str, role: str) -> User:
    try:
        with write_transaction(engine) as connection:
            if connection.execute(select(users.c.id).where(users.c.username == username)).first():
                raise InvalidQuery(f"a user named {username!r} exists already", parameter="username")
            connection.execute(users.insert().values(username=username, password_hash=password_hash, role=role, created_at=utc_now()))
    except IntegrityError as exc:
        raise InvalidQuery(f"a user named {username!r} exists already", parameter="username") from exc
    return get_user(engine, username)


def get_user(engine: Engine, username: str) -> User:
    with engine.connect() as connection:
        row = connection.execute(select(users).where(users.c.username == username)).first()
    if row is None:
        raise NotFound("user", username)
    return _user(row)


def password_hash_of(engine: Engine, username: str) -> tuple[User, str] | None:
    with engine.connect() as connection:
        row = connection.execute(select(users).where(users.c.username == username)).first()
    return (_user(row), row.password_hash) if row is not None else None


def set_password_hash(engine: Engine, username: str, password_hash: str) -> None:
    with write_transaction(engine) as connection:
        result = connection.execute(update(users).where(users.c.username == username).values(password_hash=password_hash))
    if not result.rowcount:
        raise NotFound("user", username)


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as connection:
        return [_user(row) for row in connection.execute(select(users).order_by(users.c.username)).all()]


def count_users(engine: Engine) -> int:
    return len(list_users(engine))


def remove_user(engine: Engine, username: str) -> None:
    """The user, their tokens and sessions (cascade); their past decisions keep their name."""
    with write_transaction(engine) as connection:
        row = connection.execute(select(users.c.id).where(users.c.username == username)).first()
        if row is None:
            raise NotFound("user", username)
        connection.execute(delete(api_tokens).where(api_tokens.c.user_id == row.id))
        connection.execute(delete(sessions).where(sessions.c.user_id == row.id))
        connection.execute(delete(users).where(users.c.id == row.id))


def add_token(engine: Engine, *, user_id: int, name: str, token_hash: str, scopes: tuple[str, ...]) -> Token:
    with write_transaction(engine) as connection:
        result = connection.execute(
            api_tokens.insert().values(user_id=user_id, name=name, token_hash=token_hash, scopes=" ".join(scopes), created_at=utc_now())
        )
        (token_id,) = result.inserted_primary_key or (0,)
        row = connection.execute(select(api_tokens).where(api_tokens.c.id == token_id)).one()
    return _token(row)


def list_tokens(engine: Engine, user_id: int) -> list[Token]:
    with engine.connect() as connection:
        rows = connection.execute(select(api_tokens).where(api_tokens.c.user_id == user_id).order_by(api_tokens.c.id)).all()
    return [_token(row) for row in rows]


def remove_token(engine: Engine, *, user_id: int, token_id: int) -> None:
    with write_transaction(engine) as connection:
        result = connection.execute(delete(api_tokens).where(api_tokens.c.id == token_id, api_tokens.c.user_id == user_id))
    if not result.rowcount:
        raise NotFound("token", str(token_id))


def user_for_token(engine: Engine, token_hash: str) -> tuple[User, Token] | None:
    """The token's owner and the token (its last use recorded), or None."""
    with engine.connect() as connection:
        row = connection.execute(
            select(api_tokens, users.c.username, users.c.role, users.c.created_at.label("user_created_at"))
            .join(users, users.c.id == api_tokens.c.user_id)
            .where(api_tokens.c.token_hash == token_hash)
        ).first()
    if row is None:
        return None
    token = _token(row)
    if token.last_used_at is None or token.last_used_at[:16] != utc_now()[:16]:  # at most one write a minute
        with write_transaction(engine) as connection:
            connection.execute(update(api_tokens).where(api_tokens.c.id == token.id).values(last_used_at=utc_now()))
    return User(row.user_id, row.username, row.role, row.user_created_at), token


def add_session(engine: Engine, *, token_hash: str, user_id: int, expires_at: str) -> None:
    with write_transaction(engine) as connection:
        now = utc_now()
        connection.execute(delete(sessions).where(sessions.c.expires_at < now))  # housekeeping on every sign-in
        connection.execute(sessions.insert().values(token_hash=token_hash, user_id=user_id, created_at=now, expires_at=expires_at))


def user_for_session(engine: Engine, token_hash: str) -> User | None:
    with engine.connect() as connection:
        row = connection.execute(
            select(users).join(sessions, sessions.c.user_id == users.c.id)
            .where(sessions.c.token_hash == token_hash, sessions.c.expires_at > utc_now())
        ).first()  # fmt: skip
    return _user(row) if row is not None else None


def remove_session(engine: Engine, token_hash: str) -> None:
    with write_transaction(engine) as connection:
        connection.execute(delete(sessions).where(sessions.c.token_hash == token_hash))
