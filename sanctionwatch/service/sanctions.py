"""Sanctions lists: the list a store uses, loading a newer one, re-linking, measuring the matcher."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from sanctionwatch.errors import InputError
from sanctionwatch.model import Incident
from sanctionwatch.resolve.sanctions_index import bundled_index
from sanctionwatch.resolve.sanctions_linking import link_incident
from sanctionwatch.resolve.sanctions_list import MAX_LIST_BYTES, parse_consolidated_list
from sanctionwatch.resolve.sanctions_match import SanctionsIndex
from sanctionwatch.resolve.sanctions_testset import Score, build_test_set, score_test_set
from sanctionwatch.service.clusters import recluster_article
from sanctionwatch.store.incidents import update_incident_data
from sanctionwatch.store.sanctions import active_list_row, read_list, save_list
from sanctionwatch.store.schema import incidents


@dataclass(frozen=True, slots=True)
class MatchingReport:
    list_title: str
    list_date: str | None
    entries: int
    with_details: dict[str, Score]
    name_only: dict[str, Score]

    def lines(self) -> list[str]:
        out = [f"{self.list_title} of {self.list_date or 'unknown date'}: {self.entries} entries"]
        for label, scores in (("name + kind + country", self.with_details), ("name only", self.name_only)):
            out.append(f"{label}:")
            for group, score in scores.items():
                out.append(
                    f"  {group:<20} {score.cases:>5} queries {score.positives:>5} positives  "
                    f"precision {score.precision:.3f}  recall {score.recall:.3f}  false links {score.false_positives}"
                )
        return out


def evaluate_matching(index: SanctionsIndex | None = None) -> MatchingReport:
    """Precision and recall of the matcher on the test set built from ``index``'s own list."""
    index = index or bundled_index()
    cases = build_test_set(index.list)
    return MatchingReport(
        list_title=index.list.title,
        list_date=index.list.generated.isoformat() if index.list.generated else None,
        entries=len(index.list.entries),
        with_details=score_test_set(index, cases),
        name_only=score_test_set(index, cases, with_details=False),
    )


# --- the list a store uses, loading a newer one, re-linking stored incidents ---------------------

MAX_FILE_BYTES = MAX_LIST_BYTES


@dataclass(frozen=True, slots=True)
class LoadReport:
    title: str
    generated: str | None
    entries: int
    incidents_checked: int
    incidents_changed: int

    def summary(self) -> str:
        return (
            f"loaded {self.title} of {self.generated or 'unknown date'}: {self.entries} entries; "
            f"{self.incidents_checked} stored incidents re-linked, {self.incidents_changed} changed"
        )


_INDEXES: dict[tuple[str, int], SanctionsIndex] = {}


def store_index(engine: Engine) -> SanctionsIndex | None:
    """The index of the list this store loaded last; None while it uses the bundled snapshot."""
    row = active_list_row(engine)
    if row is None:
        return None
    key = (str(engine.url), int(row.id))
    if key not in _INDEXES:
        _INDEXES[key] = SanctionsIndex(read_list(engine, int(row.id)))
    return _INDEXES[key]


def active_index(engine: Engine) -> SanctionsIndex:
    return store_index(engine) or bundled_index()


def link_for_store(engine: Engine, incidents: list[Incident]) -> list[Incident]:
    """Incidents linked against the store's own list when it loaded one (the pipeline stage has
    already linked them against the bundled snapshot otherwise)."""
    if not incidents:  # most articles: no need to read the store's list
        return incidents
    index = store_index(engine)
    if index is None:
        return incidents
    return [link_incident(incident, index) for incident in incidents]


def load_list_file(engine: Engine, path: str | Path) -> LoadReport:
    """Load a UN consolidated list XML (or .xml.gz) a user downloaded, then re-link every stored
    incident against it. A bad file raises one ``InputError`` and changes nothing."""
    file_path = Path(path)
    try:
        size = file_path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; not a UN consolidated list", path=str(path))
        data = file_path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc.__class__.__name__})", path=str(path)) from exc
    loaded = parse_consolidated_list(data, source=str(path))
    with engine.begin() as connection:
        save_list(connection, loaded, source=file_path.name, sha256=hashlib.sha256(data).hexdigest())
    checked, changed = relink_stored_incidents(engine, active_index(engine))
    return LoadReport(
        loaded.title, loaded.generated.isoformat() if loaded.generated else None, len(loaded.entries), checked, changed
    )


def relink_stored_incidents(engine: Engine, index: SanctionsIndex) -> tuple[int, int]:
    """Re-link every current stored incident against ``index``; returns (checked, changed).

    Only ``actors`` and ``vessels`` of the stored machine output change (list-added actors of the
    old list go, those of the new one come); articles whose links changed are clustered again.
    """
    checked = changed = 0
    touched_articles: set[str] = set()
    last = ""
    while True:
        with engine.connect() as connection:
            rows = connection.execute(
                select(incidents.c.id, incidents.c.article_id, incidents.c.data)
                .where(incidents.c.current.is_(True), incidents.c.id > last)
                .order_by(incidents.c.id)
                .limit(500)
            ).all()
        if not rows:
            break
        with engine.begin() as connection:
            for row in rows:
                checked += 1
                data = dict(row.data)
                linked = link_incident(Incident.from_dict({**data, "article_id": row.article_id}), index).to_dict()
                if linked["actors"] != data.get("actors") or linked["vessels"] != data.get("vessels"):
                    data["actors"], data["vessels"] = linked["actors"], linked["vessels"]
                    update_incident_data(connection, row.id, data)
                    changed += 1
                    touched_articles.add(row.article_id)
        last = rows[-1].id
    for article_id in sorted(touched_articles):
        with engine.begin() as connection:
            recluster_article(connection, article_id)
    return checked, changed
