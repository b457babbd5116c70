"""When two incidents are one event; components; which reports are one source; merged views."""

from __future__ import annotations

from datetime import date

import pytest

from sanctionwatch.resolve.cluster_view import merge_incidents
from sanctionwatch.resolve.clusters import ClusterRecord, Place, components, judge, shingles
from sanctionwatch.resolve.syndication import Report, source_groups, wire_origin

DANDONG = Place("Dandong", "CN", 40.12, 124.38)
NAMPO = Place("Nampo", "KP", 38.73, 125.40)
VLADIVOSTOK = Place("Vladivostok", "RU", 43.12, 131.89)


def record(incident_id: str, article_id: str, **changes) -> ClusterRecord:  # type: ignore[no-untyped-def]
    values = {
        "incident_id": incident_id, "article_id": article_id, "type": "cyber_theft", "published": date(2025, 6, 21),
        "start": date(2025, 6, 2), "end": date(2025, 6, 2), "precision": "day",
    }  # fmt: skip
    values.update(changes)
    values["named_actors"] = values.get("named_actors", frozenset()) | values.get("counterparts", frozenset())
    return ClusterRecord(**values)


@pytest.mark.parametrize(
    ("a", "b", "same", "why"),
    [
        (record("i-1", "a-1", counterparts=frozenset({"bitopro"})), record("i-2", "a-2", counterparts=frozenset({"bitopro"})), True, "same named actor"),
        # two thefts from two exchanges in one week
        (record("i-1", "a-1", counterparts=frozenset({"bitopro"})), record("i-2", "a-2", counterparts=frozenset({"bybit"})), False, "different named counterparts"),
        # two seizures by two states
        (record("i-1", "a-1", type="context_enforcement", enforcers=frozenset({"KR"}), vessels=frozenset({"koti"})),
         record("i-2", "a-2", type="context_enforcement", enforcers=frozenset({"PH"}), vessels=frozenset({"jin teng"})), False, "different ships"),
        (record("i-1", "a-1", type="context_enforcement", enforcers=frozenset({"KR"})),
         record("i-2", "a-2", type="context_enforcement", enforcers=frozenset({"PH"})), False, "different enforcing states"),
        (record("i-1", "a-1", places=(VLADIVOSTOK,)), record("i-2", "a-2", places=(NAMPO,)), False, "places far apart"),
        (record("i-1", "a-1", places=(DANDONG,)), record("i-2", "a-2", places=(DANDONG,)), True, "same place"),
        (record("i-1", "a-1", quantity=(100, 100, "persons")), record("i-2", "a-2", quantity=(5000, 5000, "persons")), False, "quantities far apart"),
        # dates and numbers that agree are not enough on their own
        (record("i-1", "a-1", quantity=(1000, 2000, "persons")), record("i-2", "a-2", quantity=(1500, 1500, "persons")), False, "too little"),
        (record("i-1", "a-1", vessels=frozenset({"koti"})), record("i-2", "a-2", vessels=frozenset({"koti"}), type="arms_military"), False, "different types"),
        (record("i-1", "a-1", vessels=frozenset({"koti"})), record("i-2", "a-1", vessels=frozenset({"koti"})), False, "same article"),
        (record("i-1", "a-1", vessels=frozenset({"koti"})), record("i-2", "a-2", vessels=frozenset({"koti"}), start=date(2025, 9, 1), end=date(2025, 9, 1)), False, "time windows"),
    ],
)
def test_judge(a: ClusterRecord, b: ClusterRecord, same: bool, why: str) -> None:
    judgement = judge(a, b)
    assert judgement.same is same and why in judgement.reason
    assert judge(b, a) == judgement  # symmetric, so the order of ingest cannot matter


def test_an_earlier_incident_recalled_later_joins_by_its_own_dates() -> None:
    original = record("i-1", "a-1", type="cyber_theft", published=date(2016, 2, 10), start=date(2016, 2, 5), end=date(2016, 2, 5),
                      counterparts=frozenset({"bangladesh bank"}))  # fmt: skip
    recalled = record("i-2", "a-2", type="cyber_theft", published=date(2016, 5, 27), start=date(2016, 2, 1), end=date(2016, 2, 29),
                      precision="month", counterparts=frozenset({"bangladesh bank"}))  # fmt: skip
    assert judge(original, recalled).same


def test_near_duplicate_evidence_is_a_strong_signal() -> None:
    text = "North Korean hackers stole 11 million dollars from the BitoPro exchange in Taiwan last month"
    a, b = record("i-1", "a-1", shingles=shingles(text)), record("i-2", "a-2", shingles=shingles(text + " officials said"))
    assert judge(a, b).same and "near-duplicate" in judge(a, b).reason


def test_components_do_not_depend_on_edge_order() -> None:
    nodes = {"i-3", "i-1", "i-2", "i-9"}
    edges = [("i-2", "i-3"), ("i-1", "i-2")]
    first = components(nodes, edges)
    assert first == components(nodes, list(reversed(edges)))
    assert first["i-3"] == first["i-1"] == "c-1" and first["i-9"] == "c-9"


SEED = "The North Korean authorities have recently dispatched a large number of workers to China, Daily NK has learned. " * 3


def test_copies_count_once_with_a_reason() -> None:
    reports = [
        Report("a-own", "Seoul Monitor", "About 1,500 workers crossed into Jilin, a trader said.", "h3", "2024-05-18"),
        Report("a-copy", "KoreaWire", SEED + " This article first appeared on Daily NK.", "h2", "2024-05-17"),
        Report("a-seed", "Daily NK (via an aggregator page)", SEED, "h1", "2024-05-16"),
    ]
    groups = source_groups(reports)
    assert [g.article_ids for g in groups] == [("a-seed", "a-copy"), ("a-own",)]
    assert groups[0].origin == "Daily NK" and "near-duplicate" in groups[0].reasons[0]
    assert source_groups(list(reversed(reports))) == groups


def test_same_wire_origin_counts_once() -> None:
    reports = [
        Report("a-1", "The Star", "SEOUL (Reuters) - North Korea sent coal to China, officials said.", "h1", "2024-01-01"),
        Report("a-2", "Reuters", "Different words entirely about the same shipment of coal.", "h2", "2024-01-01"),
        Report("a-3", "NK Pro", "Our own reporting on a coal shipment.", "h3", "2024-01-02"),
    ]
    groups = source_groups(reports)
    assert len(groups) == 2 and "same origin, Reuters" in groups[0].reasons[0]
    assert wire_origin(reports[0]) == "Reuters" and wire_origin(reports[2]) is None


def test_merged_view_keeps_agreement_and_shows_conflicts() -> None:
    def incident(identifier: str, minimum: int, start: str) -> dict:  # type: ignore[type-arg]
        return {
            "id": identifier, "article": {"id": "a-" + identifier, "source": "Outlet " + identifier, "published": start},
            "time": {"start": start, "end": start, "precision": "day"}, "quantity": {"min": minimum, "max": minimum, "unit": "persons"},
            "commodity": None, "attribution": "anonymous_source", "certainty": "reported",
            "locations": [{"name": "Jilin"}], "actors": [], "vessels": [], "provisions": ["UNSCR 2397 OP8"],
        }  # fmt: skip

    merged, conflicts = merge_incidents([incident("1", 1000, "2024-03-01"), incident("2", 2000, "2024-03-05"), incident("3", 1000, "2024-04-20")])
    assert merged["attribution"] == "anonymous_source" and merged["locations"] == [{"name": "Jilin"}]
    fields = {c["field"]: c for c in conflicts}
    assert set(fields) == {"quantity", "time"}  # March and April are a conflict; 1 and 5 March are not
    assert [v["incident_ids"] for v in fields["quantity"]["values"]] == [["1", "3"], ["2"]]
    assert [v["incident_ids"] for v in fields["time"]["values"]] == [["1", "2"], ["3"]]


def test_a_cluster_read_again_reuses_each_texts_shingles_and_origin() -> None:
    # A cluster's reports are grouped again each time one joins: the second grouping reads the
    # texts' shingles and credited wires from the cache and comes out the same.
    from sanctionwatch.resolve.clusters import SHINGLE_CACHE_TEXTS
    from sanctionwatch.resolve.syndication import credited_wire

    text = "An invented report of a tanker at Nampo taking on coal by night, a shipping agent said. " * 4
    reports = [
        Report("a-x", "Invented Outlet", text + "(via Yonhap)", "h1", "2024-03-01"),
        Report("a-y", "Another Outlet", text + "Source: Yonhap", "h2", "2024-03-02"),
    ]
    first = source_groups(reports)
    shingle_hits, wire_hits = shingles.cache_info().hits, credited_wire.cache_info().hits
    again = source_groups([Report(r.article_id, r.outlet, "".join(list(r.text)), r.content_hash, r.published) for r in reports])
    assert again == first and len(first) == 1
    assert shingles.cache_info().hits == shingle_hits + 2 and credited_wire.cache_info().hits == wire_hits + 2
    assert shingles(text) == shingles("".join(list(text))) and shingles.cache_info().maxsize == SHINGLE_CACHE_TEXTS
