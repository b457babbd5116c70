"""Searching, reading and reviewing stored incidents: the use cases behind API, dashboard and CLI."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Engine

from sanctionwatch.errors import InvalidQuery
from sanctionwatch.model import Article
from sanctionwatch.model.incident import ATTRIBUTIONS, CERTAINTIES, INCIDENT_TYPES, REVIEW_STATUSES
from sanctionwatch.service.clusters import parse_min_sources, recluster_incident
from sanctionwatch.service.validation import EDITABLE_FIELDS, text_problem, validate_edits, validate_note
from sanctionwatch.store import incidents as incident_store
from sanctionwatch.store import queries
from sanctionwatch.store.articles import get_article as _get_article
from sanctionwatch.store.queries import SORTS, IncidentPage, IncidentQuery

MAX_LIMIT = 500
# OFFSET walks the index; past this, keyset pages (``cursor``) are the way on.
MAX_OFFSET = 100_000
MAX_QUERY_CHARACTERS = 200
MAX_CURSOR_CHARACTERS = 1_000
STATUS_CHOICES = (*REVIEW_STATUSES, "any")
UNDATED_CHOICES = ("include", "only")
# "yes": an actor or vessel is linked to a sanctions-list entry; "no": none is.
SANCTIONED_CHOICES = ("yes", "no")
DECISIONS = ("confirmed", "rejected", "edited", "unreviewed")
SORT_CHOICES = tuple(SORTS)

__all__ = ["EDITABLE_FIELDS", "MAX_LIMIT", "MAX_OFFSET", "make_query", "review_incident", "search_incidents"]


def _iso_date(value: str | None, parameter: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        parsed = date.fromisoformat(str(value))
    except ValueError as exc:
        raise InvalidQuery(f"{parameter} must be a date YYYY-MM-DD, got {str(value)[:40]!r}", parameter=parameter) from exc
    return parsed.isoformat()


def _whole_number(value: Any, parameter: str) -> int:
    if isinstance(value, bool):
        raise InvalidQuery(f"{parameter} must be a whole number", parameter=parameter)
    try:
        return int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError as exc:
        raise InvalidQuery(f"{parameter} must be a whole number, got {str(value)[:40]!r}", parameter=parameter) from exc


def encode_cursor(values: tuple[Any, ...] | None, sort: str) -> str | None:
    """An opaque token for the next page: the sort and the sort values of the last item."""
    if values is None:
        return None
    raw = json.dumps([sort, *values], separators=(",", ":"), ensure_ascii=True).encode("ascii")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, ...]:
    def bad(reason: str) -> InvalidQuery:
        return InvalidQuery(f"cursor is not valid ({reason}): pass next_cursor from the previous page", parameter="cursor")

    if len(cursor) > MAX_CURSOR_CHARACTERS:
        raise bad("too long")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw.decode("ascii"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad("not a token this server made") from None
    columns = len(SORTS[sort].columns)
    if not isinstance(values, list) or len(values) != columns + 1 or values[0] != sort:
        raise bad("made for another sort order")
    if not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in values[1:]):
        raise bad("not a token this server made")
    return tuple(values[1:])


def _text_parameter(value: str | None, parameter: str, max_length: int) -> str | None:
    if value is None:
        return None
    problem = text_problem(value, max_length=max_length)
    if problem:
        raise InvalidQuery(f"{parameter} {problem}", parameter=parameter)
    return value


def make_query(
    *,
    type: str | None = None,
    country: str | None = None,
    since: str | None = None,
    until: str | None = None,
    q: str | None = None,
    status: str | None = None,
    orphaned: bool | str | None = None,
    certainty: str | None = None,
    attribution: str | None = None,
    source: str | None = None,
    undated: str | None = None,
    min_sources: int | str | None = None,
    place: str | None = None,
    sanctioned: str | None = None,
    article_id: str | None = None,
    sort: str | None = None,
    limit: Any = 50,
    offset: Any = 0,
    cursor: str | None = None,
) -> IncidentQuery:
    """Validate filters from any front; raises InvalidQuery naming the bad parameter."""
    if type and type not in INCIDENT_TYPES:
        raise InvalidQuery(
            f"unknown incident type {type[:60]!r}; one of {', '.join(INCIDENT_TYPES)}", parameter="type"
        )
    if country:
        country = country.strip().upper()
        if len(country) != 2 or not country.isascii() or not country.isalpha():
            raise InvalidQuery(f"country must be an ISO 3166 alpha-2 code, got {country[:20]!r}", parameter="country")
    if status and status not in STATUS_CHOICES:
        raise InvalidQuery(
            f"unknown review status {status[:40]!r}; one of {', '.join(STATUS_CHOICES)}", parameter="status"
        )
    if certainty and certainty not in (*CERTAINTIES, "none"):
        raise InvalidQuery(
            f"unknown certainty {certainty[:40]!r}; one of {', '.join(CERTAINTIES)}, none", parameter="certainty"
        )
    if attribution and attribution not in (*ATTRIBUTIONS, "none"):
        raise InvalidQuery(
            f"unknown attribution {attribution[:40]!r}; one of {', '.join(ATTRIBUTIONS)}, none", parameter="attribution"
        )
    source = _text_parameter(source, "source", MAX_QUERY_CHARACTERS)
    if undated and undated not in UNDATED_CHOICES:
        raise InvalidQuery(f"undated must be one of {', '.join(UNDATED_CHOICES)}, got {undated[:40]!r}", parameter="undated")
    sort = sort or "newest"
    if sort not in SORTS:
        raise InvalidQuery(f"unknown sort {sort[:40]!r}; one of {', '.join(SORT_CHOICES)}", parameter="sort")
    limit_number, offset_number = _whole_number(limit, "limit"), _whole_number(offset, "offset")
    if not 1 <= limit_number <= MAX_LIMIT:
        raise InvalidQuery(f"limit must be between 1 and {MAX_LIMIT}", parameter="limit")
    if not 0 <= offset_number <= MAX_OFFSET:
        raise InvalidQuery(
            f"offset must be between 0 and {MAX_OFFSET:,}; page further with cursor (next_cursor)", parameter="offset"
        )
    q = _text_parameter(q, "q", MAX_QUERY_CHARACTERS)
    place = _text_parameter(place, "place", MAX_QUERY_CHARACTERS)
    if sanctioned and sanctioned not in SANCTIONED_CHOICES:
        raise InvalidQuery(f"sanctioned must be one of {', '.join(SANCTIONED_CHOICES)}, got {sanctioned[:20]!r}", parameter="sanctioned")
    article_id = _text_parameter(article_id, "article_id", 1_000)
    since_iso, until_iso = _iso_date(since, "since"), _iso_date(until, "until")
    if since_iso and until_iso and since_iso > until_iso:
        raise InvalidQuery("since is after until", parameter="since")
    after = decode_cursor(cursor, sort) if cursor else None
    if isinstance(orphaned, str):
        if orphaned.strip().lower() not in ("", "true", "false", "1", "0"):
            raise InvalidQuery(f"orphaned must be true or false, got {orphaned[:20]!r}", parameter="orphaned")
        orphaned = {"": None, "true": True, "1": True, "false": False, "0": False}[orphaned.strip().lower()]
    return IncidentQuery(
        type=type or None,
        country=country or None,
        since=since_iso,
        until=until_iso,
        text=(q or "").strip() or None,
        article_id=article_id,
        status=status or None,
        orphaned=orphaned,
        certainty=certainty or None,
        attribution=attribution or None,
        source=(source or "").strip() or None,
        undated=undated or "",
        min_sources=parse_min_sources(min_sources),
        place=(place or "").strip() or None,
        sanctioned=sanctioned or None,
        sort=sort,
        limit=limit_number,
        offset=offset_number,
        after=after,
    )


def list_incidents(engine: Engine, query: IncidentQuery) -> IncidentPage:
    return queries.list_incidents(engine, query)


def iter_incidents(engine: Engine, query: IncidentQuery) -> Iterator[dict[str, Any]]:
    """Every matching incident in keyset batches (exports)."""
    return queries.iter_incidents(engine, query)


def search_incidents(engine: Engine, query: IncidentQuery) -> tuple[list[dict[str, Any]], int]:
    return queries.search_incidents(engine, query)


def count_incidents(engine: Engine, query: IncidentQuery) -> int:
    return queries.count_incidents(engine, query)


def get_incident(engine: Engine, incident_id: str) -> dict[str, Any]:
    return incident_store.get_incident(engine, incident_id)


def get_article(engine: Engine, article_id: str) -> Article:
    return _get_article(engine, article_id)


def article_incidents(engine: Engine, article_id: str) -> list[dict[str, Any]]:
    """Every listed incident of one article, rejected and orphaned ones included."""
    query = make_query(article_id=article_id, status="any", limit=MAX_LIMIT)
    return list(queries.iter_incidents(engine, query))


def review_incident(
    engine: Engine,
    incident_id: str,
    *,
    decision: str,
    edits: Any = None,
    note: Any = None,
    reviewer: str | None = None,
) -> dict[str, Any]:
    """Confirm, reject or edit an incident; the decision outlives re-extraction.

    Every edit is checked before anything is stored (``service/validation.py``): a value that
    could break a page or an export is a 400 naming the field, and nothing is saved.
    """
    if decision not in DECISIONS:
        raise InvalidQuery(f"unknown decision {str(decision)[:40]!r}; one of {', '.join(DECISIONS)}", parameter="decision")
    clean_edits = validate_edits(edits)
    note = validate_note(note)
    if clean_edits and decision == "unreviewed":
        decision = "edited"
    incident_store.set_review(
        engine, incident_id, status=decision, edited_data=clean_edits or None, note=note, reviewer=reviewer
    )
    # A rejected (or edited) incident leaves or changes its cluster.
    recluster_incident(engine, incident_id)
    return incident_store.get_incident(engine, incident_id)
