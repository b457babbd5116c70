"""``sanctionwatch searches …`` and ``sanctionwatch users …``: saved searches and team accounts."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from sanctionwatch.errors import SanctionWatchError

searches_app = typer.Typer(help="Saved searches, each with an Atom feed: add, list, remove.", no_args_is_help=True)
users_app = typer.Typer(
    help="Team-mode accounts (roles viewer, analyst, admin) and their API tokens.", no_args_is_help=True
)


def _engine(*, create: bool = False):  # type: ignore[no-untyped-def]
    from sanctionwatch.cli.main import _engine as main_engine

    return main_engine(create=create)


def _fail(message: str, code: int = 1) -> None:
    from sanctionwatch.cli.main import fail

    fail(message, code)


@searches_app.command("add")
def searches_add(
    name: Annotated[str, typer.Argument(help="A name for the search, unique.")],
    query: Annotated[
        str, typer.Argument(help="The list page's URL or query string, e.g. 'type=maritime_transfer&country=KP'.")
    ] = "",
) -> None:
    """Save a search; prints the path of its Atom feed."""
    from sanctionwatch.service.searches import save_search

    try:
        search = save_search(_engine(create=True), name, query)
    except SanctionWatchError as exc:
        _fail(str(exc))
        return
    typer.echo(f"saved search {search.id} {search.name!r}: {search.query or 'every incident'}")
    typer.echo(f"feed: /feeds/{search.feed_key}.atom")


@searches_app.command("list")
def searches_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Every saved search with its filters and feed path."""
    import json

    from sanctionwatch.service.searches import list_searches

    try:
        searches = list_searches(_engine())
    except SanctionWatchError as exc:
        _fail(str(exc))
        return
    if as_json:
        typer.echo(json.dumps([search.to_dict() for search in searches], indent=2, ensure_ascii=False))
        return
    if not searches:
        typer.echo("no saved searches yet: sanctionwatch searches add NAME 'type=…&country=…'")
    for search in searches:
        typer.echo(f"{search.id:>3}  {search.name}  [{search.query or 'every incident'}]  /feeds/{search.feed_key}.atom")


@searches_app.command("remove")
def searches_remove(search: Annotated[str, typer.Argument(help="The search's id or name.")]) -> None:
    """Forget a saved search (its feed stops)."""
    from sanctionwatch.service.searches import remove_search

    try:
        removed = remove_search(_engine(), search)
    except SanctionWatchError as exc:
        _fail(str(exc))
        return
    typer.echo(f"removed saved search {removed.id} {removed.name!r}")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="Lower-case letters, digits, '.', '-', '_'.")],
    role: Annotated[str, typer.Option(help="viewer (reads), analyst (also reviews), admin (also manages).")] = "analyst",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin (scripts).")
    ] = False,
) -> None:
    """Make an account for team mode (serve --team)."""
    from sanctionwatch.service.users import add_user

    try:
        user = add_user(_engine(create=True), username, _read_password(password_stdin), role)
    except SanctionWatchError as exc:
        _fail(str(exc))
        return
    typer.echo(f"added {user.role} {user.username}")


@users_app.command("list")
def users_list() -> None:
    """Every account with its role and tokens."""
    from sanctionwatch.service.users import list_tokens, list_users

    try:
        engine = _engine()
        users = list_users(engine)
        if not users:
            typer.echo("no accounts yet: sanctionwatch users add NAME --role admin")
        for user in users:
            tokens = list_tokens(engine, user.username)
            typer.echo(f"{user.username:<24} {user.role:<8} since {user.created_at[:10]}  {len(tokens)} token(s)")
            for token in tokens:
                used = (token.last_used_at or "never")[:16].replace("T", " ")
                typer.echo(f"    token {token.id}: {token.name} [{' '.join(token.scopes)}] last used {used}")
    except SanctionWatchError as exc:
        _fail(str(exc))


@users_app.command("remove")
def users_remove(username: Annotated[str, typer.Argument(help="The account to remove.")]) -> None:
    """Remove an account with its tokens and sessions (its past decisions keep its name)."""
    from sanctionwatch.service.users import remove_user

    try:
        remove_user(_engine(), username)
    except SanctionWatchError as exc:
        _fail(str(exc))
        return
    typer.echo(f"removed {username}")


@users_app.command("password")
def users_password(
    username: Annotated[str, typer.Argument(help="The account.")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
) -> None:
    """Set a new password."""
    from sanctionwatch.service.users import set_password

    try:
        set_password(_engine(), username, _read_password(password_stdin))
    except SanctionWatchError as exc:
        _fail(str(exc))
        return
    typer.echo(f"password of {username} changed")


@users_app.command("token")
def users_token(
    username: Annotated[str, typer.Argument(help="The account the token acts for.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "token",
    scopes: Annotated[
        str | None, typer.Option(help="Comma-separated: read, review, admin (default: all of the role's).")
    ] = None,
) -> None:
    """Make an API token; it is printed once and stored only as a hash."""
    from sanctionwatch.service.users import issue_token

    try:
        token, record = issue_token(_engine(), username, name, scopes)
    except SanctionWatchError as exc:
        _fail(str(exc))
        return
    typer.echo(f"token {record.id} for {username} [{' '.join(record.scopes)}] (shown only now):", err=True)
    typer.echo(token)


@users_app.command("revoke")
def users_revoke(
    username: Annotated[str, typer.Argument(help="The account.")],
    token_id: Annotated[int, typer.Argument(help="The token's number from `users list`.")],
) -> None:
    """Revoke an API token."""
    from sanctionwatch.service.users import revoke_token

    try:
        revoke_token(_engine(), username, token_id)
    except SanctionWatchError as exc:
        _fail(str(exc))
        return
    typer.echo(f"revoked token {token_id} of {username}")


def audit(
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl (one decision a line) or csv (one changed field a row).")] = "jsonl",
    since: Annotated[str | None, typer.Option(help="Only decisions at or after this UTC time (YYYY-MM-DD).")] = None,
    reviewer: Annotated[str | None, typer.Option(help="Only this account's decisions.")] = None,
) -> None:
    """Write the audit trail of every review decision to stdout (who, when, before, after, why)."""
    from sanctionwatch.service.audit import export_events

    try:
        for chunk in export_events(_engine(), format, since=since, reviewer=reviewer):
            sys.stdout.write(chunk)
    except SanctionWatchError as exc:
        _fail(str(exc))
