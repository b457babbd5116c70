"""Listing, counting and faceting incidents with costs that follow the page, not the store.

- **Filters** are declared once in ``FILTERS``: a function of the query that returns an SQL
  condition on ``incidents`` (or None when the filter is unset). Adding a filter is one field
  on ``IncidentQuery`` and one function here; list, count, facets, timeline, map and export
  all honour it.
- **Sorts** are declared once in ``SORTS``: the sort expressions, each with its direction, id
  last as the tie-break. Pages are keyset pages (``after`` = the sort values of the previous
  page's last item), so page 2,000 costs what page 1 costs; ``offset`` remains for small skips.
- **Counts and facets** are SQL aggregates over the covering index ``ix_incidents_listing``
  (and the ``incident_countries`` rows), cached per store version (``store/version.py``): a
  repeated view costs nothing, and any write, by any process, makes the next view recount.

Every condition reads the derived columns of the effective incident (``store/derived.py``), so
an analyst's edit of the type, text or dates is what filters see.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, exists, func, literal, or_, select
from sqlalchemy.sql.elements import UnaryExpression

from sanctionwatch.store.derived import effective_data
from sanctionwatch.store.incidents import effective_record, select_effective
from sanctionwatch.store.schema import incident_countries, incident_places, incidents, reviews
from sanctionwatch.store.version import read_store_version


@dataclass(frozen=True, slots=True)
class IncidentQuery:
    """Validated filters, order and page (the service layer checks ranges and formats)."""

    type: str | None = None
    country: str | None = None
    since: str | None = None
    until: str | None = None
    text: str | None = None
    article_id: str | None = None
    status: str | None = None  # a review status, "any", or None: every status but rejected
    orphaned: bool | None = None  # True: only vanished incidents kept for their review
    sort: str = "confidence"
    limit: int = 50
    offset: int = 0
    after: tuple[Any, ...] | None = None  # keyset: the sort values of the last item seen

    def without_page(self) -> IncidentQuery:
        """The same filters, any page: the key of counts and facets."""
        return replace(self, limit=0, offset=0, after=None, sort="confidence")


# Filters -----------------------------------------------------------------------------------


def _status(query: IncidentQuery) -> ColumnElement[bool]:
    listed = incidents.c.listed.is_(True)
    if query.status is None:
        return and_(listed, incidents.c.review_status != "rejected")
    if query.status == "any":
        return listed
    return and_(listed, incidents.c.review_status == query.status)


def _type(query: IncidentQuery) -> ColumnElement[bool] | None:
    return incidents.c.type == query.type if query.type else None


def _country(query: IncidentQuery) -> ColumnElement[bool] | None:
    if not query.country:
        return None
    return exists().where(
        incident_countries.c.incident_id == incidents.c.id, incident_countries.c.country == query.country
    )


def _since(query: IncidentQuery) -> ColumnElement[bool] | None:
    # An incident overlaps [since, until] unless it ended before ``since`` (undated ones match).
    if not query.since:
        return None
    return or_(incidents.c.end_date.is_(None), incidents.c.end_date >= query.since)


def _until(query: IncidentQuery) -> ColumnElement[bool] | None:
    if not query.until:
        return None
    return or_(incidents.c.start_date.is_(None), incidents.c.start_date <= query.until)


def _text(query: IncidentQuery) -> ColumnElement[bool] | None:
    if not query.text:
        return None
    return incidents.c.search_text.contains(query.text.casefold(), autoescape=True)


def _article(query: IncidentQuery) -> ColumnElement[bool] | None:
    return incidents.c.article_id == query.article_id if query.article_id else None


def _orphaned(query: IncidentQuery) -> ColumnElement[bool] | None:
    if query.orphaned is None:
        return None
    return incidents.c.current.is_(not query.orphaned)


FILTERS: tuple[Callable[[IncidentQuery], ColumnElement[bool] | None], ...] = (
    _status,
    _type,
    _country,
    _since,
    _until,
    _text,
    _article,
    _orphaned,
)


def conditions(query: IncidentQuery) -> ColumnElement[bool]:
    """Every set filter of ``query``, as one condition on ``incidents``."""
    parts = [condition for make in FILTERS if (condition := make(query)) is not None]
    return and_(*parts)


# Sorts and keyset pages --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SortKey:
    """An order: (expression, descending) pairs, the incident id last so the order is total.

    Expressions must not be NULL (wrap nullable columns in ``coalesce``): keyset comparisons
    with NULL are never true.
    """

    columns: tuple[tuple[ColumnElement[Any], bool], ...]

    def order_by(self) -> list[UnaryExpression[Any]]:
        return [expression.desc() if descending else expression.asc() for expression, descending in self.columns]

    def values_of(self, row: Any) -> tuple[Any, ...]:
        return tuple(row._mapping[f"sort_{index}"] for index in range(len(self.columns)))

    def labelled(self) -> list[Any]:
        return [expression.label(f"sort_{index}") for index, (expression, _) in enumerate(self.columns)]

    def after(self, values: tuple[Any, ...]) -> ColumnElement[bool]:
        """Rows strictly after ``values`` in this order (a lexicographic comparison)."""
        alternatives = []
        for index, (expression, descending) in enumerate(self.columns):
            equal_prefix = [self.columns[k][0] == values[k] for k in range(index)]
            beyond = expression < values[index] if descending else expression > values[index]
            alternatives.append(and_(*equal_prefix, beyond))
        return or_(*alternatives)


SORTS: dict[str, SortKey] = {
    "confidence": SortKey(((incidents.c.confidence, True), (incidents.c.id, False))),
    # Newest first; undated last (they sort as the empty string).
    "date": SortKey(
        ((func.coalesce(incidents.c.start_date, literal("")), True), (incidents.c.confidence, True), (incidents.c.id, False))
    ),
    "type": SortKey(((incidents.c.type, False), (incidents.c.confidence, True), (incidents.c.id, False))),
}


@dataclass(frozen=True, slots=True)
class IncidentPage:
    items: list[dict[str, Any]]
    next_after: tuple[Any, ...] | None  # pass as ``after`` for the next page; None on the last


def list_incidents(engine: Engine, query: IncidentQuery) -> IncidentPage:
    """One page of effective incidents in the query's order."""
    sort = SORTS[query.sort]
    statement = select_effective().add_columns(*sort.labelled()).where(conditions(query))
    if query.after is not None:
        statement = statement.where(sort.after(query.after))
    statement = statement.order_by(*sort.order_by()).limit(query.limit + 1)
    if query.offset:
        statement = statement.offset(query.offset)
    with engine.connect() as connection:
        rows = connection.execute(statement).all()
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    return IncidentPage(
        items=[effective_record(row) for row in rows],
        next_after=sort.values_of(rows[-1]) if more and rows else None,
    )


def iter_incidents(engine: Engine, query: IncidentQuery, *, batch_size: int = 500) -> Iterator[dict[str, Any]]:
    """Every matching incident in keyset batches: an export of 100,000 reads each row once."""
    page = replace(query, limit=batch_size, offset=query.offset, after=query.after)
    while True:
        result = list_incidents(engine, page)
        yield from result.items
        if result.next_after is None:
            return
        page = replace(page, offset=0, after=result.next_after)


def search_incidents(engine: Engine, query: IncidentQuery) -> tuple[list[dict[str, Any]], int]:
    """A page and the total matching count (kept for callers of the first API)."""
    return list_incidents(engine, query).items, count_incidents(engine, query)


# Aggregates, cached per store version ------------------------------------------------------


class VersionedCache:
    """A small LRU of aggregate results; an entry is valid for one store version only."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = compute()
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value


_CACHE = VersionedCache()


def _cached(engine: Engine, kind: str, query: IncidentQuery, compute: Callable[[Any], Any], *extra: Hashable) -> Any:
    with engine.connect() as connection:
        version = read_store_version(connection)
        key = (id(engine), str(engine.url), version, kind, query.without_page(), *extra)
        # Computed on the connection that read the version: one snapshot for both.
        return _CACHE.get_or_compute(key, lambda: compute(connection))


def count_incidents(engine: Engine, query: IncidentQuery) -> int:
    def compute(connection: Any) -> int:
        return int(connection.execute(select(func.count()).select_from(incidents).where(conditions(query))).scalar_one())

    return int(_cached(engine, "count", query, compute))


def count_by_type(engine: Engine, query: IncidentQuery) -> list[tuple[str, int]]:
    """(type, count), most frequent first."""

    def compute(connection: Any) -> list[tuple[str, int]]:
        number = func.count().label("n")
        statement = (
            select(incidents.c.type, number).where(conditions(query)).group_by(incidents.c.type).order_by(number.desc(), incidents.c.type)
        )
        return [(row.type, int(row.n)) for row in connection.execute(statement)]

    return list(_cached(engine, "by_type", query, compute))


def count_by_status(engine: Engine, query: IncidentQuery) -> list[tuple[str, int]]:
    """(review status, count) over the query's other filters, most frequent first."""
    unfiltered = replace(query, status="any")

    def compute(connection: Any) -> list[tuple[str, int]]:
        number = func.count().label("n")
        statement = (
            select(incidents.c.review_status, number)
            .where(conditions(unfiltered))
            .group_by(incidents.c.review_status)
            .order_by(number.desc(), incidents.c.review_status)
        )
        return [(row.review_status, int(row.n)) for row in connection.execute(statement)]

    return list(_cached(engine, "by_status", unfiltered, compute))


def count_by_country(engine: Engine, query: IncidentQuery) -> list[tuple[str, int]]:
    """(ISO country, incidents involving it), most frequent first."""

    def compute(connection: Any) -> list[tuple[str, int]]:
        number = func.count().label("n")
        statement = (
            select(incident_countries.c.country, number)
            .select_from(incident_countries.join(incidents, incidents.c.id == incident_countries.c.incident_id))
            .where(conditions(query))
            .group_by(incident_countries.c.country)
            .order_by(number.desc(), incident_countries.c.country)
        )
        return [(row.country, int(row.n)) for row in connection.execute(statement)]

    return list(_cached(engine, "by_country", query, compute))


def count_by_month(engine: Engine, query: IncidentQuery) -> tuple[list[tuple[str, int]], int]:
    """([("YYYY-MM", count)] of dated incidents by start month, in order; undated count)."""

    def compute(connection: Any) -> tuple[list[tuple[str, int]], int]:
        number = func.count().label("n")
        statement = (
            select(incidents.c.start_month, number)
            .where(conditions(query))
            .group_by(incidents.c.start_month)
            .order_by(incidents.c.start_month)
        )
        months, undated = [], 0
        for row in connection.execute(statement):
            if row.start_month is None:
                undated = int(row.n)
            else:
                months.append((row.start_month, int(row.n)))
        return months, undated

    months, undated = _cached(engine, "by_month", query, compute)
    return list(months), int(undated)


@dataclass(frozen=True, slots=True)
class PlacePoint:
    """One located place of one incident (a map marker)."""

    incident_id: str
    type: str
    summary: str
    place: str
    role: str
    latitude: float
    longitude: float
    start: str | None
    certainty: str | None


def located_places(engine: Engine, query: IncidentQuery, *, limit: int) -> tuple[list[PlacePoint], int]:
    """The located places of the ``limit`` most confident matching incidents, and how many
    incidents have a located place in all (so a page can say what it leaves out)."""

    def compute(connection: Any) -> tuple[list[PlacePoint], int]:
        located = and_(
            incident_places.c.lat.is_not(None),
            incident_places.c.lon.is_not(None),
            # (0, 0) is "Null Island": a failed geocode, never a place in this domain.
            or_(incident_places.c.lat != 0, incident_places.c.lon != 0),
        )
        has_place = exists().where(incident_places.c.incident_id == incidents.c.id, located)
        total = int(
            connection.execute(select(func.count()).select_from(incidents).where(conditions(query), has_place)).scalar_one()
        )
        chosen = (
            select(incidents.c.id, incidents.c.confidence)
            .where(conditions(query), has_place)
            .order_by(incidents.c.confidence.desc(), incidents.c.id)
            .limit(limit)
            .subquery()
        )
        statement = (
            select(
                incident_places,
                incidents.c.type,
                incidents.c.data,
                incidents.c.start_date,
                reviews.c.edited_data,
            )
            .select_from(
                chosen.join(incidents, incidents.c.id == chosen.c.id)
                .join(incident_places, incident_places.c.incident_id == incidents.c.id)
                .outerjoin(reviews, reviews.c.incident_id == incidents.c.id)
            )
            .where(located)
            .order_by(chosen.c.confidence.desc(), chosen.c.id, incident_places.c.position)
        )
        points = []
        for row in connection.execute(statement):
            data = effective_data(row.data or {}, row.edited_data if isinstance(row.edited_data, dict) else None)
            points.append(
                PlacePoint(
                    incident_id=row.incident_id,
                    type=row.type,
                    summary=str(data.get("summary") or ""),
                    place=row.name,
                    role=row.role or "",
                    latitude=float(row.lat),
                    longitude=float(row.lon),
                    start=row.start_date,
                    certainty=data.get("certainty"),
                )
            )
        return points, total

    points, total = _cached(engine, "places", query, compute, limit)
    return list(points), int(total)
