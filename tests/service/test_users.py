"""Team accounts: hashed secrets, roles and scopes, sessions, and the sign-in rate limit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from sanctionwatch.errors import InvalidQuery, NotAuthenticated, PermissionDenied, TooManyAttempts
from sanctionwatch.service import users
from sanctionwatch.store.engine import create_database_engine
from sanctionwatch.store.schema import api_tokens, sessions
from sanctionwatch.store.schema import users as users_table

PASSWORD = "correct horse battery"


@pytest.fixture()
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_database_engine(tmp_path / "users.db")
    yield engine
    engine.dispose()


def test_passwords_are_salted_scrypt_and_verify() -> None:
    first, second = users.hash_password(PASSWORD), users.hash_password(PASSWORD)
    assert first != second and first.startswith("scrypt$") and PASSWORD not in first
    assert users.verify_password(PASSWORD, first) and not users.verify_password(PASSWORD + "x", first)
    assert not users.verify_password(PASSWORD, "bcrypt$garbage")


@pytest.mark.parametrize(
    ("username", "password", "role", "parameter"),
    [("Bad Name", PASSWORD, "analyst", "username"), ("ann", "short", "analyst", "password"), ("ann", PASSWORD, "boss", "role")],
)
def test_account_checks(engine: Engine, username: str, password: str, role: str, parameter: str) -> None:
    with pytest.raises(InvalidQuery) as error:
        users.add_user(engine, username, password, role)
    assert error.value.parameter == parameter


def test_sign_in_and_sessions_store_only_hashes(engine: Engine) -> None:
    users.add_user(engine, "Ann", PASSWORD, "analyst")
    with pytest.raises(InvalidQuery):
        users.add_user(engine, "ann", PASSWORD, "viewer")
    limiter = users.LoginLimiter()
    cookie = users.sign_in(engine, limiter, "ann", PASSWORD, "10.0.0.1")
    who = users.session_identity(engine, cookie)
    assert who is not None and who.username == "ann" and who.can("review") and not who.can("admin")
    with engine.connect() as connection:
        stored = [row.token_hash for row in connection.execute(select(sessions)).all()]
        password_hash = connection.execute(select(users_table.c.password_hash)).scalar_one()
    assert cookie not in stored and users.secret_hash(cookie) in stored and PASSWORD not in password_hash
    users.end_session(engine, cookie)
    assert users.session_identity(engine, cookie) is None
    assert users.session_identity(engine, "made-up") is None


def test_wrong_passwords_are_limited_per_account_and_address(engine: Engine) -> None:
    users.add_user(engine, "ann", PASSWORD, "analyst")
    limiter = users.LoginLimiter(max_failures=3, window_seconds=60)
    for _ in range(3):
        with pytest.raises(NotAuthenticated):
            users.sign_in(engine, limiter, "ann", "wrong password", "10.0.0.1")
    with pytest.raises(TooManyAttempts) as error:
        users.sign_in(engine, limiter, "ann", PASSWORD, "10.0.0.2")  # the right password, but the account is locked
    assert error.value.retry_after_seconds > 0
    with pytest.raises(TooManyAttempts):
        users.sign_in(engine, limiter, "bob", "x" * 12, "10.0.0.1")  # the address is limited too
    with pytest.raises(NotAuthenticated):
        users.sign_in(engine, limiter, "nobody", PASSWORD, "10.0.0.9")  # unknown account: same answer


def test_tokens_carry_scopes_within_the_role_and_are_stored_hashed(engine: Engine) -> None:
    users.add_user(engine, "vic", PASSWORD, "viewer")
    with pytest.raises(InvalidQuery):
        users.issue_token(engine, "vic", "ci", "read,review")  # more than a viewer may do
    token, record = users.issue_token(engine, "vic", "ci", None)
    assert token.startswith(users.TOKEN_PREFIX) and record.scopes == ("read",)
    with engine.connect() as connection:
        assert connection.execute(select(api_tokens.c.token_hash)).scalar_one() == users.secret_hash(token)
    who = users.token_identity(engine, token)
    assert who.username == "vic" and who.can("read")
    with pytest.raises(PermissionDenied):
        who.require("review")
    users.revoke_token(engine, "vic", record.id)
    with pytest.raises(NotAuthenticated):
        users.token_identity(engine, token)


def test_removing_a_user_ends_their_tokens_and_sessions(engine: Engine) -> None:
    users.add_user(engine, "ann", PASSWORD, "admin")
    token, _ = users.issue_token(engine, "ann", "ci", "read")
    cookie = users.start_session(engine, users.authenticate(engine, "ann", PASSWORD))  # type: ignore[arg-type]
    users.remove_user(engine, "ann")
    assert users.session_identity(engine, cookie) is None
    with pytest.raises(NotAuthenticated):
        users.token_identity(engine, token)
