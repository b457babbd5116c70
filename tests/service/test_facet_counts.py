"""Facets and date counts from one grouped scan each agree with counting the incident records
themselves, on SQLite and on PostgreSQL: edited types, rejected incidents, unstated values."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine

from sanctionwatch.model import Actor, Article, Incident, TimeRange
from sanctionwatch.service.incidents import make_query
from sanctionwatch.store.articles import upsert_article
from sanctionwatch.store.engine import create_database_engine, write_transaction
from sanctionwatch.store.incidents import record_review, replace_incidents
from sanctionwatch.store.queries import count_by, count_by_date, iter_incidents

TYPES = ("maritime_transfer", "labor_export", "cyber_theft")
SOURCES = ("Daily NK", "NK News", None)


@pytest.fixture()
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_database_engine(database_url)
    with write_transaction(engine) as connection:
        for number in range(30):
            text = f"North Korea moved goods, report {number}."
            upsert_article(connection, Article(id=f"a-{number}", text=text, source=SOURCES[number % 3]))
            when = TimeRange(start=date(2023, 1 + number % 5, 1), end=date(2023, 1 + number % 5, 28), precision="month")
            found = Incident(
                article_id=f"a-{number}", type=TYPES[number % 3], evidence=(text,), evidence_spans=((0, len(text)),),
                actors=(Actor("North Korea", ("KP", "CN", None)[number % 3]),),
                certainty=("reported", None)[number % 2], attribution=("un_report", "anonymous_source", None)[number % 3],
                time=when if number % 4 else TimeRange(end=date(2022, 6, 1)) if number % 8 else TimeRange(),
            )  # fmt: skip
            ids = replace_incidents(connection, f"a-{number}", [found], run_id=None).ids
            if number % 7 == 0:
                record_review(connection, ids[0], status="edited", edited_data={"type": "luxury_goods"})
            if number % 11 == 1:
                record_review(connection, ids[0], status="rejected")
    yield engine
    engine.dispose()


def expected_order(counts: Counter[str | None]) -> list[tuple[str | None, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0] is not None, item[0] or ""))


@pytest.mark.parametrize("filters", [{}, {"status": "any"}, {"type": "luxury_goods"}, {"since": "2023-03-01"}, {"q": "report 1"}])
def test_facets_and_dates_equal_counts_of_the_records(engine: Engine, filters: dict[str, str]) -> None:
    query = make_query(**filters)
    records = list(iter_incidents(engine, query))
    assert records
    keys = {
        "type": lambda r: r["type"], "certainty": lambda r: r.get("certainty"), "attribution": lambda r: r.get("attribution"),
        "status": lambda r: r["review_status"], "source": lambda r: r["article"]["source"],
    }  # fmt: skip
    for facet, key in keys.items():
        assert count_by(engine, query, facet, limit=1_000) == expected_order(Counter(key(r) for r in records)), facet
    assert count_by(engine, query, "type", limit=2) == expected_order(Counter(r["type"] for r in records))[:2]
    dates = count_by_date(engine, query)
    anchors = Counter((r["time"].get("start") or r["time"].get("end")) for r in records)
    undated = anchors.pop(None, 0)
    assert dates.undated == undated
    assert dict(dates.anchors) == {day[:10]: n for day, n in anchors.items()}
    assert sum(n for *_, n in dates.windows) == len(records) - undated
