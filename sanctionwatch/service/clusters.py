"""Clusters across articles: kept up to date on every store, read, merged and split by analysts.

``recluster_article`` runs in the transaction that stores an article's incidents: it recomputes
the automatic edges of that article's incidents against candidates blocked by type and time
(``store.clusters.candidate_rows``), then the components around them. Nothing else in the store
is recomputed, and since an edge depends only on its two incidents, any ingest order gives the
same clusters. Analysts' merges and splits are decisions on incident ids, kept apart from the
automatic edges, so re-extraction never undoes them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, select

from sanctionwatch.errors import InvalidQuery, NotFound
from sanctionwatch.resolve import clusters as clustering
from sanctionwatch.resolve.cluster_view import merge_incidents
from sanctionwatch.resolve.sanctions_list import is_country_name
from sanctionwatch.resolve.syndication import Report, normalise_outlet, source_groups
from sanctionwatch.store import clusters as cluster_store
from sanctionwatch.store import incidents as incident_store
from sanctionwatch.store import queries as incident_queries
from sanctionwatch.store.queries import IncidentQuery
from sanctionwatch.store.schema import cluster_members, clusters, incidents

CONNECTIVES = frozenset({"of", "the", "and", "for", "de", "&"})


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _effective_data(row: Row[Any]) -> dict[str, Any]:
    data = dict(row.data)
    if row.edited_data:
        data.update(row.edited_data)
    return data


def _is_named(name: str, country: str | None) -> bool:
    """"Green Pine", "Lazarus Group" are named; "North Korea", "North Korean hackers" are not."""
    words = name.split()
    if not words or is_country_name(name, country):
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w.casefold() in CONNECTIVES for w in words)


def record_of(row: Row[Any]) -> clustering.ClusterRecord:
    data = _effective_data(row)
    time = data.get("time") or {}
    actors = data.get("actors") or []
    # Enforcers (the UN Security Council, a Treasury) act in many events; they say nothing of which.
    named = [a for a in actors if a.get("role") != "enforcer" and _is_named(a.get("name") or "", a.get("country"))]
    vessels = {clustering.fold(v["name"]) for v in data.get("vessels") or [] if v.get("name")}
    vessels |= {"imo:" + v["imo"] for v in data.get("vessels") or [] if v.get("imo")}
    references = {
        link["reference"]
        for thing in [*actors, *(data.get("vessels") or [])]
        for link in thing.get("sanctions_links") or []
        if link.get("reference")
    }
    quantity = data.get("quantity") or None
    quantity_range = None
    if quantity and (quantity.get("min") is not None or quantity.get("max") is not None):
        low = quantity.get("min") if quantity.get("min") is not None else quantity.get("max")
        high = quantity.get("max") if quantity.get("max") is not None else quantity.get("min")
        quantity_range = (float(low), float(high), str(quantity.get("unit") or ""))
    return clustering.ClusterRecord(
        incident_id=row.id,
        article_id=row.article_id,
        type=data.get("type") or row.type,
        published=_date(row.published),
        start=_date(time.get("start")),
        end=_date(time.get("end")),
        precision=time.get("precision"),
        places=tuple(
            clustering.Place(
                loc.get("name") or "", loc.get("country"), loc.get("lat"), loc.get("lon"), loc.get("admin1"),
                is_country_name(loc.get("name") or "", loc.get("country")),
            )
            for loc in data.get("locations") or []
        ),
        vessels=frozenset(vessels),
        named_actors=frozenset(clustering.fold(a["name"]) for a in named),
        counterparts=frozenset(clustering.fold(a["name"]) for a in named if a.get("role") == "counterpart"),
        enforcers=frozenset(a["country"] for a in actors if a.get("role") == "enforcer" and a.get("country")),
        sanctions_references=frozenset(references),
        quantity=quantity_range,
        shingles=clustering.shingles(" ".join(data.get("evidence") or [])),
    )


# --- keeping clusters up to date ---------------------------------------------------------------


def recluster_article(connection: Connection, article_id: str) -> None:
    """Recompute the automatic edges of one article's incidents and the clusters around them."""
    ids = cluster_store.article_incident_ids(connection, article_id)
    old = cluster_store.cluster_ids_of(connection, ids)
    seeds = set(ids) | set(cluster_store.members_of(connection, old.values()))
    cluster_store.delete_auto_edges(connection, ids)
    rows = cluster_store.clusterable_rows(connection, ids)
    split = cluster_store.split_incidents(connection, ids)
    for row in rows:
        if row.id in split:
            continue
        record = record_of(row)
        window = record.time_window()
        if window is None:
            continue
        slack = timedelta(days=clustering.MAX_SLACK_DAYS)
        candidates = cluster_store.candidate_rows(
            connection,
            type=record.type,
            low=window[0] - slack,
            high=window[1] + slack,
            lookback_days=clustering.UNDATED_LOOKBACK_DAYS,
            exclude_article=article_id,
        )
        candidate_split = cluster_store.split_incidents(connection, (c.id for c in candidates))
        for candidate in candidates:
            if candidate.id in candidate_split:
                continue
            judgement = clustering.judge(record, record_of(candidate))
            if judgement.same:
                cluster_store.add_edge(connection, record.incident_id, candidate.id, kind=cluster_store.AUTO, reason=judgement.reason)
                seeds.add(candidate.id)
                seeds |= set(cluster_store.members_of(connection, cluster_store.cluster_ids_of(connection, [candidate.id]).values()))
    refresh_components(connection, seeds)


def recluster_incident(engine: Engine, incident_id: str) -> None:
    """Recluster the article of one incident (after a review changed it)."""
    with engine.begin() as connection:
        row = connection.execute(select(incidents.c.article_id).where(incidents.c.id == incident_id)).first()
        if row is not None:
            recluster_article(connection, row.article_id)


def refresh_components(connection: Connection, seeds: set[str]) -> None:
    """Clusters of every incident reachable from ``seeds`` over edges, with their summaries."""
    visited: set[str] = set()
    valid_rows: dict[str, Row[Any]] = {}
    edges: set[tuple[str, str]] = set()
    frontier = set(seeds)
    while frontier:
        visited |= frontier
        for row in cluster_store.clusterable_rows(connection, frontier):
            valid_rows[row.id] = row
        walkable = frontier & set(valid_rows)
        frontier = set()
        for edge in cluster_store.edges_of(connection, walkable):
            edges.add((edge.incident_a, edge.incident_b))
            frontier |= {edge.incident_a, edge.incident_b} - visited
    nodes = set(valid_rows)
    assignments = clustering.components(nodes, {e for e in edges if e[0] in nodes and e[1] in nodes})
    by_cluster: dict[str, list[Row[Any]]] = {}
    for incident_id, cluster_id in assignments.items():
        by_cluster.setdefault(cluster_id, []).append(valid_rows[incident_id])
    summaries = {cluster_id: _summary(rows) for cluster_id, rows in by_cluster.items()}
    cluster_store.write_members(connection, assignments, forget=visited - nodes, summaries=summaries)


def _reports(rows: list[Row[Any]]) -> list[Report]:
    by_article: dict[str, Report] = {}
    for row in rows:
        by_article.setdefault(row.article_id, Report(row.article_id, row.source, row.article_text, row.content_hash, row.published))
    return list(by_article.values())


def _summary(rows: list[Row[Any]]) -> dict[str, Any]:
    dates = sorted(row.published for row in rows if row.published)
    first = min(rows, key=lambda r: r.id)
    return {
        "type": _effective_data(first).get("type") or first.type,
        "incident_count": len(rows),
        "article_count": len({row.article_id for row in rows}),
        "independent_sources": len(source_groups(_reports(rows))),
        "earliest": dates[0] if dates else None,
    }


def rebuild_clusters(engine: Engine) -> int:
    """Cluster every stored article again (a store made before clusters existed); returns articles."""
    from sanctionwatch.store.articles import iter_article_ids

    count = 0
    for article_id in iter_article_ids(engine):
        with engine.begin() as connection:
            recluster_article(connection, article_id)
        count += 1
    return count


# --- reading ---------------------------------------------------------------------------------


def get_cluster(engine: Engine, cluster_id: str) -> dict[str, Any]:
    """``{id, type, incident_ids, article_ids, reports, independent_sources, sources, outlets,
    earliest, merged, conflicts, edges, decisions}``; raises NotFound."""
    with engine.connect() as connection:
        member_ids = cluster_store.members_of(connection, [cluster_id])
        if not member_ids:
            raise NotFound("cluster", cluster_id)
        rows = cluster_store.clusterable_rows(connection, member_ids)
        edges = cluster_store.edges_of(connection, member_ids)
        decisions = cluster_store.decisions_of(connection, member_ids)
    items = [incident_store.get_incident(engine, incident_id) for incident_id in member_ids]
    groups = source_groups(_reports(rows))
    group_of = {article_id: index for index, group in enumerate(groups) for article_id in group.article_ids}
    by_id = {row.id: row for row in rows}
    reports = []
    for item in sorted(items, key=lambda i: (i["article"].get("published") or "", i["id"])):
        row = by_id[item["id"]]
        group = groups[group_of[row.article_id]]
        reports.append(
            {
                "incident_id": item["id"],
                "article_id": row.article_id,
                "outlet": row.source,
                "title": row.title,
                "url": row.url,
                "published": row.published,
                "source": group_of[row.article_id],
                "origin": group.origin,
                "independent": group.article_ids[0] == row.article_id,  # the group's earliest report
            }
        )
    merged, conflicts = merge_incidents(items)
    dates = sorted(r["published"] for r in reports if r["published"])
    return {
        "id": cluster_id,
        "type": items[0]["type"],
        "incident_ids": member_ids,
        "article_ids": sorted({r["article_id"] for r in reports}),
        "reports": reports,
        "independent_sources": len(groups),
        "sources": [{"article_ids": list(g.article_ids), "origin": g.origin, "why_one_source": list(g.reasons)} for g in groups],
        "outlets": sorted({normalise_outlet(r["outlet"]) or "unknown" for r in reports}),
        "earliest": dates[0] if dates else None,
        "merged": merged,
        "conflicts": conflicts,
        "edges": [{"incident_ids": [e.incident_a, e.incident_b], "kind": e.kind, "reason": e.reason} for e in edges],
        "decisions": decisions,
    }


def cluster_of_incident(engine: Engine, incident: dict[str, Any]) -> dict[str, Any] | None:
    """The incident's cluster when others report it too; None for a lone report."""
    cluster = incident.get("cluster") or {}
    if not cluster.get("id") or (cluster.get("reports") or 0) < 2:
        return None
    return get_cluster(engine, cluster["id"])


def list_clusters(
    engine: Engine, query: IncidentQuery, *, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """Clusters with at least one incident matching ``query`` (its ``min_sources`` included),
    newest first: summaries ``{id, type, incident_count, article_count, independent_sources, earliest}``."""
    matching = incident_queries.matching_incident_ids(query)
    base = (
        select(clusters)
        .where(clusters.c.id.in_(select(cluster_members.c.cluster_id).where(cluster_members.c.incident_id.in_(matching))))
    )
    with engine.connect() as connection:
        total = connection.execute(select(func.count()).select_from(base.subquery())).scalar_one()
        rows = connection.execute(
            base.order_by(clusters.c.earliest.desc(), clusters.c.id).limit(limit).offset(offset)
        ).all()
    items = [
        {
            "id": r.id, "type": r.type, "incident_count": r.incident_count, "article_count": r.article_count,
            "independent_sources": r.independent_sources, "earliest": r.earliest,
        }
        for r in rows
    ]  # fmt: skip
    return items, int(total)


# --- analysts' decisions -------------------------------------------------------------------------


def _representative(connection: Connection, cluster_id: str) -> str:
    members = cluster_store.members_of(connection, [cluster_id])
    if not members:
        raise NotFound("cluster", cluster_id)
    return members[0]


def merge_clusters(engine: Engine, cluster_id: str, other_cluster_id: str, *, note: str | None = None, reviewer: str | None = None) -> str:
    """Join two clusters (an analyst's decision that survives re-extraction); returns the new id."""
    if cluster_id == other_cluster_id:
        raise InvalidQuery("a cluster cannot be merged with itself", parameter="other")
    with engine.begin() as connection:
        first, second = _representative(connection, cluster_id), _representative(connection, other_cluster_id)
        cluster_store.add_decision(connection, kind=cluster_store.MERGE, incident_id=first, other_incident_id=second, note=note, reviewer=reviewer)
        cluster_store.add_edge(connection, first, second, kind=cluster_store.MERGE, reason="merged by an analyst" + (f": {note}" if note else ""))
        refresh_components(connection, {first, second})
        return cluster_store.cluster_ids_of(connection, [first])[first]


def split_incident(engine: Engine, incident_id: str, *, note: str | None = None, reviewer: str | None = None) -> str:
    """Take an incident out of its cluster for good (no automatic edges); returns its new cluster id."""
    with engine.begin() as connection:
        current = cluster_store.cluster_ids_of(connection, [incident_id])
        if incident_id not in current:
            raise NotFound("incident", incident_id)
        seeds = set(cluster_store.members_of(connection, current.values()))
        cluster_store.add_decision(connection, kind=cluster_store.SPLIT, incident_id=incident_id, other_incident_id=None, note=note, reviewer=reviewer)
        cluster_store.delete_auto_edges(connection, [incident_id])
        cluster_store.delete_merge_edges_of(connection, incident_id)
        refresh_components(connection, seeds)
        return cluster_store.cluster_ids_of(connection, [incident_id])[incident_id]


def clusters_figures(engine: Engine) -> dict[str, int]:
    """How many clusters, how many with more than one report, more than one independent source."""
    with engine.connect() as connection:
        members = connection.execute(select(func.count()).select_from(cluster_members)).scalar_one()
        total = connection.execute(select(func.count()).select_from(clusters)).scalar_one()
        multi = connection.execute(select(func.count()).select_from(clusters).where(clusters.c.article_count > 1)).scalar_one()
        independent = connection.execute(
            select(func.count()).select_from(clusters).where(clusters.c.independent_sources > 1)
        ).scalar_one()
    return {"clusters": int(total), "incidents": int(members), "multi_report": int(multi), "multi_source": int(independent)}


def parse_min_sources(value: int | str | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise InvalidQuery(f"min_sources must be a whole number, got {value!r}", parameter="min_sources") from exc
    if not 1 <= number <= 1000:
        raise InvalidQuery("min_sources must be between 1 and 1000", parameter="min_sources")
    return number
