"""The CSV export from plain rows equals the CSV from full incident records, byte for byte.

``export_matching`` writes CSV straight from ``iter_export_rows`` (the stored JSON, the edits,
the article and cluster columns); ``export_csv`` over ``iter_incidents`` is the reference. Both
run here on one store, on SQLite and on PostgreSQL, with what makes a row hard: analysts' edits
(type, text, places), rejected and orphaned incidents, clusters, sanctions-list links, cells that
look like formulas, unicode, ties in every order, and the list's filters.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine

from sanctionwatch.model import Actor, Article, Incident, Location, Quantity, TimeRange, Vessel
from sanctionwatch.model.incident import SanctionsLink
from sanctionwatch.service import exports
from sanctionwatch.service.incidents import SORT_CHOICES, make_query
from sanctionwatch.store.articles import upsert_article
from sanctionwatch.store.engine import create_database_engine, write_transaction
from sanctionwatch.store.incidents import record_review, replace_incidents
from sanctionwatch.store.queries import iter_export_rows, iter_incidents
from sanctionwatch.store.schema import cluster_members, clusters
from sanctionwatch.store.version import bump_store_version

LINK = SanctionsLink(list="UN", reference="KPe.001", name="Korea Mining = Corp", matched_alias="KOMID", score=1.0, reason="alias")


def article(number: int, source: str) -> Article:
    return Article(
        id=f"a-{number}",
        text=f"Report {number}: North Korea shipped coal to Nampo.",
        published=date(2024, 1, 1 + number),
        title=f"Report {number} — Пхеньян",
        url=f"https://news.example.org/{number}",
        source=source,
    )


def incident(article_id: str, number: int, **changes: object) -> Incident:
    fields: dict[str, object] = {
        "article_id": article_id,
        "type": ("maritime_transfer", "labor_export", "cyber_theft")[number % 3],
        "summary": f"Coal moved via Nampo, report {number}.",
        "actors": (Actor("North Korea", "KP"), Actor(f"Trading firm {number}", "CN", "counterpart")),
        "quantity": Quantity(min=number * 10, max=number * 10.5, unit="tons", item="coal"),
        "commodity": "coal",
        "locations": (Location("Nampo", "KP", role="origin", lat=38.73, lon=125.4),),
        # Several share a date and a confidence, so the orders fall back on the id.
        "time": TimeRange(start=date(2023, 1 + number % 4, 1), end=date(2023, 1 + number % 4, 28), precision="month"),
        "attribution": "un_report",
        "certainty": "reported",
        "evidence": (f"North Korea shipped coal to Nampo ({number}).",),
        "confidence": (0.5, 0.9)[number % 2],
        "extractor_version": "test",
    }
    fields.update(changes)
    return Incident(**fields)  # type: ignore[arg-type]


def build_store(url: str) -> Engine:
    engine = create_database_engine(url)
    special = {
        0: {"summary": '=HYPERLINK("http://evil.example/","click")', "commodity": "+oil", "provisions": ("-2397", "@8")},
        1: {
            "actors": (Actor("@SUM(1+1)", "KP", sanctions_links=(LINK,)), Actor("Ким Чен Ын 金正恩", "KP")),
            "vessels": (Vessel(name="=Tanker", imo="9876543", sanctions_links=(LINK,)), Vessel(imo=None)),
            "locations": (
                Location("Yellow Sea", None),
                Location("Dandong 丹东", "CN", lat=40.12, lon=124.38),
                Location("\tTab Harbour", "RU", lat=-43.1, lon=-131.9),
            ),
        },
        2: {"time": TimeRange(), "attribution": None, "certainty": None, "quantity": None, "commodity": None},
        3: {"evidence": ("Line one\nline two, \"quoted\"", "-second"), "summary": "Ünïcödé ✓ summary; with ; and |"},
        4: {"locations": (), "actors": (Actor("", None, ""),), "time": TimeRange(end=date(2022, 5, 1), precision="day")},
    }
    with write_transaction(engine) as connection:
        for number in range(6):
            upsert_article(connection, article(number, ("Daily NK", "=cmd|' /C calc'!A0", "NK News")[number % 3]))
        ids: dict[int, list[str]] = {}
        for number in range(6):
            found = [incident(f"a-{number}", number * 3 + k, **special.get(number * 3 + k, {})) for k in range(3)]
            ids[number] = list(replace_incidents(connection, f"a-{number}", found, run_id=None).ids)
        record_review(connection, ids[0][0], status="confirmed", note="=note")
        record_review(connection, ids[0][1], status="rejected")
        record_review(
            connection,
            ids[1][0],
            status="edited",
            edited_data={"type": "luxury_goods", "summary": "-edited, 编辑", "locations": [{"name": "Sinuiju", "country": "KP", "lat": 40.1, "lon": 124.4}]},
        )
        record_review(connection, ids[2][0], status="edited", edited_data={"time": {"start": "2021-02-01", "end": None, "precision": "day"}})
        # Article 3's next extraction no longer finds its first two incidents: the reviewed one
        # stays listed (orphaned), the other leaves the lists.
        record_review(connection, ids[3][0], status="confirmed")
        replace_incidents(connection, "a-3", [incident("a-3", 11, **special.get(11, {}))], run_id=None)
        for cluster_id, members, sources in (("c-1", [ids[0][0], ids[4][0], ids[5][0]], 3), ("c-2", [ids[1][0], ids[2][1]], 1)):
            connection.execute(
                clusters.insert().values(
                    id=cluster_id, type="maritime_transfer", incident_count=len(members), article_count=len(members),
                    independent_sources=sources, earliest="2023-01-01", updated_at="2024-01-01T00:00:00Z",
                )
            )  # fmt: skip
            connection.execute(cluster_members.insert(), [{"incident_id": m, "cluster_id": cluster_id} for m in members])
        bump_store_version(connection)
    return engine


@pytest.fixture()
def engine(database_url: str) -> Iterator[Engine]:
    built = build_store(database_url)
    yield built
    built.dispose()


def reference_csv(engine: Engine, query: object, *, bom: bool = False) -> str:
    return "".join(exports.export_csv(iter_incidents(engine, query), bom=bom))  # type: ignore[arg-type]


FILTERS: list[dict[str, object]] = [
    {},
    {"status": "any"},
    {"status": "rejected"},
    {"status": "confirmed"},
    {"status": "edited"},
    {"orphaned": True},
    {"type": "maritime_transfer", "status": "any"},
    {"type": "luxury_goods"},
    {"q": "nampo"},
    {"q": "编辑"},
    {"since": "2023-02-01", "until": "2023-03-31"},
    {"since": "2023-02-01", "undated": "include"},
    {"undated": "only"},
    {"country": "CN", "status": "any"},
    {"source": "NK News"},
    {"sanctioned": "yes"},
    {"min_sources": "2"},
    {"certainty": "none"},
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "default")
def test_rows_give_the_bytes_of_the_records_for_every_filter(engine: Engine, filters: dict[str, object]) -> None:
    query = make_query(**filters)  # type: ignore[arg-type]
    expected = reference_csv(engine, query)
    # Batches of two: every keyset step is crossed, ties on date and confidence included.
    fast = "".join(exports.export_csv_rows(iter_export_rows(engine, query, batch_size=2)))
    assert fast == expected
    assert "".join(exports.export_matching(engine, query, "csv")) == expected


@pytest.mark.parametrize("sort", SORT_CHOICES)
def test_rows_keep_the_order_of_every_sort(engine: Engine, sort: str) -> None:
    query = make_query(status="any", sort=sort)
    expected = reference_csv(engine, query, bom=True)
    assert "".join(exports.export_csv_rows(iter_export_rows(engine, query, batch_size=3), bom=True)) == expected
    assert "".join(exports.export_matching(engine, query, "csv", bom=True)) == expected


def test_the_store_holds_what_the_comparison_is_about(engine: Engine) -> None:
    """The comparison above is only worth something if the hard cases are in the export."""
    rows = list(csv.DictReader(io.StringIO("".join(exports.export_matching(engine, make_query(status="any"), "csv")))))
    assert len(rows) == 17  # 18 incidents, one vanished without a review
    by_status = {row["review_status"] for row in rows}
    assert by_status == {"unreviewed", "confirmed", "rejected", "edited"}
    assert {row["cluster"] for row in rows} == {"", "c-1", "c-2"}
    assert any(row["sources"] == "3" for row in rows)
    assert any(row["type"] == "luxury_goods" and row["summary"] == "'-edited, 编辑" and row["places"] == "Sinuiju" for row in rows)
    assert any(row["sanctions_list_links"] == "KPe.001 Korea Mining = Corp;KPe.001 Korea Mining = Corp" for row in rows)
    assert any(row["summary"].startswith("'=HYPERLINK") and row["commodity"] == "'+oil" for row in rows)
    assert any(row["source"].startswith("'=cmd") for row in rows)
    assert any(row["points"] == "40.12 124.38;-43.1 -131.9" and row["places"].endswith("\tTab Harbour") for row in rows)
    # The orphaned incident is listed by default; the unreviewed vanished one is in no export.
    orphaned = "".join(exports.export_matching(engine, make_query(orphaned=True), "csv"))
    assert orphaned.count("\n") == 2


def test_other_formats_still_come_from_records(engine: Engine) -> None:
    query = make_query(status="any")
    for export_format in ("jsonl", "geojson", "ftm"):
        expected = "".join(exports.export_incidents(iter_incidents(engine, query), export_format))
        assert "".join(exports.export_matching(engine, query, export_format)) == expected
