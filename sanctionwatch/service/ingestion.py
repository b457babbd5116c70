"""Running extraction over articles and storing the results."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from sanctionwatch.engines import EngineSpec, Outcome, WorkItem, item_key, open_engine
from sanctionwatch.errors import SanctionWatchError, StoreError
from sanctionwatch.model import Article, Incident
from sanctionwatch.nlp.pipeline import EXTRACTOR_VERSION, Pipeline
from sanctionwatch.service.clusters import recluster_article
from sanctionwatch.service.inputs import outcome_error, where_from
from sanctionwatch.service.sanctions import link_for_store
from sanctionwatch.service.wording import plural
from sanctionwatch.store.articles import (
    UpsertResult,
    get_article,
    identify_article,
    is_storable,
    iter_article_ids,
    upsert_article,
)
from sanctionwatch.store.engine import write_transaction
from sanctionwatch.store.incidents import ReplaceResult, replace_incidents
from sanctionwatch.store.runs import find_interrupted_runs, finish_run, start_run

_Entry = TypeVar("_Entry")
_Result = TypeVar("_Result")


@dataclass(slots=True)
class IngestReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    failed: int = 0
    incidents: int = 0
    errors: list[str] = field(default_factory=list)  # one line per failed record
    notes: list[str] = field(default_factory=list)  # duplicates and id collisions, one line each

    def summary(self) -> str:
        return (
            f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{plural(self.duplicates, 'duplicate')}, {self.failed} failed; {plural(self.incidents, 'incident')} stored"
        )


def store_article(
    engine: Engine,
    article: Article,
    *,
    pipeline: Pipeline,
    run_id: int | None,
    canonical_url: str | None = None,
    report: IngestReport,
) -> str:
    """Store one article and its incidents in one transaction; returns the stored article id.

    An unchanged article is not re-extracted and a duplicate (same text as another stored
    article) is not stored again. Extraction runs before the transaction opens, so a crash
    leaves either the whole article with its incidents or nothing. The identity check is
    repeated inside the write transaction, which holds the write lock: two processes ingesting
    the same input store each article once.
    """
    stored_id = stored_already(engine, article, canonical_url=canonical_url, report=report)
    if stored_id is not None:
        return stored_id
    return store_extracted(
        engine, article, pipeline.extract(article), run_id=run_id, canonical_url=canonical_url, report=report
    )


def stored_already(engine: Engine, article: Article, *, canonical_url: str | None = None, report: IngestReport) -> str | None:
    """The stored article's id when ``article`` needs no extraction (unchanged, or a duplicate
    of another stored article: both reported); None when it must be extracted and stored."""
    with engine.connect() as connection:
        found = identify_article(connection, article, canonical_url=canonical_url)
    if found.unchanged:
        report.unchanged += 1
        return str(found.existing.id)
    if found.duplicate_of is not None:
        return _report_duplicate(report, article, found.duplicate_of)
    return None


def store_extracted(
    engine: Engine,
    article: Article,
    extracted: Sequence[Incident],
    *,
    run_id: int | None,
    canonical_url: str | None = None,
    report: IngestReport,
) -> str:
    """Store an article with the incidents extracted from it, in one transaction; the stored id.

    Keyed by article: the identity check is repeated inside the write transaction, so an article
    stored meanwhile (by another process, or by an earlier try of the same batch after its
    worker died) is ``unchanged`` or a duplicate and nothing is stored twice. Sanctions-list
    links are made here (they read the store), and the article's clusters updated with it.
    """
    incidents = link_for_store(engine, list(extracted))
    for attempt in (1, 2):
        try:
            with write_transaction(engine) as connection:
                result = _write_article(connection, article, incidents, run_id=run_id, canonical_url=canonical_url)
            break
        except IntegrityError:
            # Another process stored the same key between our check and our insert (servers
            # without BEGIN IMMEDIATE): look again; it is now unchanged or a duplicate.
            if attempt == 2:
                raise
    return _count_stored(report, article, result, incidents)


def _write_article(
    connection: Connection, article: Article, incidents: Sequence[Incident], *, run_id: int | None, canonical_url: str | None
) -> UpsertResult:
    result = upsert_article(connection, article, canonical_url=canonical_url)
    # A new article without incidents (most pages) has none to replace or cluster.
    if result.status == "updated" or (result.status == "new" and incidents):
        replace_incidents(connection, result.article_id, incidents, run_id=run_id)
        recluster_article(connection, result.article_id)
    return result


def _count_stored(report: IngestReport, article: Article, result: UpsertResult, incidents: Sequence[Incident]) -> str:
    """Count a committed write in the report; the stored article id."""
    if result.status == "unchanged":
        report.unchanged += 1
        return result.article_id
    if result.status == "duplicate":
        return _report_duplicate(report, article, result.article_id)
    if result.collided_with is not None:
        report.notes.append(
            f"{where_from(article)}: the id is already used by another source's article; stored as {result.article_id!r}"
        )
    setattr(report, result.status, getattr(report, result.status) + 1)
    report.incidents += len(incidents)
    return result.article_id


def _report_duplicate(report: IngestReport, article: Article, duplicate_of: str) -> str:
    report.duplicates += 1
    report.notes.append(f"{where_from(article)}: duplicate of stored article {duplicate_of!r} (same text), not stored again")
    return duplicate_of


def _finish(engine: Engine, run_id: int, *, status: str, articles: int, incidents: int, failures: int) -> None:
    try:
        finish_run(engine, run_id, articles=articles, incidents=incidents, failures=failures, status=status)
    except StoreError:
        if status == "finished":
            raise
        # The store that failed the run may refuse to record it too; it then shows as interrupted.


def interrupted_run_notes(engine: Engine) -> list[str]:
    """One line per run that a killed process left unfinished (see ``store/runs.py``)."""
    return [
        f"run {run.id} ({run.kind}, started {run.started_at}) never finished: its process was killed; "
        f"{plural(run.articles, 'article')} of it are stored, run the same command again to complete it"
        for run in find_interrupted_runs(engine)
    ]


def store_outcome(
    engine: Engine,
    item: WorkItem,
    outcome: Outcome,
    *,
    run_id: int | None,
    canonical_url: str | None = None,
    report: IngestReport,
) -> str | None:
    """Store what an engine made of one item; the stored article id, or None for a failed item
    (counted and reported). A store fault is raised: every later article would fail the same way."""
    if outcome.article is None or not outcome.ok:
        report.failed += 1
        report.errors.append(outcome_error(item, outcome))
        return None
    try:
        return store_extracted(
            engine, outcome.article, outcome.incidents, run_id=run_id, canonical_url=canonical_url, report=report
        )
    except StoreError:
        raise
    except SanctionWatchError as exc:
        report.failed += 1
        report.errors.append(f"{where_from(outcome.article)}: {exc}")
        return None


def store_outcomes(
    engine: Engine, pairs: Sequence[tuple[WorkItem, Outcome]], *, run_id: int | None, report: IngestReport
) -> None:
    """Store the outcomes of one engine batch as ``store_outcome`` does one by one, but the
    articles in one write transaction: storing a page costs SQLite less than a commit does.

    The transaction holds the write lock throughout, so each identity check still sees every
    earlier write. Failed items are reported first, as one by one. Anything that goes wrong in
    the transaction (a key stored meanwhile by another process, a record the store refuses)
    rolls the group back, and its outcomes are then stored one by one, each in its own
    transaction with its own error line, exactly as without grouping. A store fault is raised.
    """
    group: list[tuple[WorkItem, Outcome, Article, list[Incident]]] = []
    for item, outcome in pairs:
        if outcome.ok and outcome.article is not None and is_storable(outcome.article):
            group.append((item, outcome, outcome.article, link_for_store(engine, list(outcome.incidents))))
        else:
            store_outcome(engine, item, outcome, run_id=run_id, report=report)  # reports why not
    results = _in_one_transaction(
        engine,
        group,
        lambda connection, entry: _write_article(connection, entry[2], entry[3], run_id=run_id, canonical_url=None),
        lambda entry: store_outcome(engine, entry[0], entry[1], run_id=run_id, report=report),
    )
    if results is None:
        return  # stored and counted one by one
    for (_, _, article, incidents), result in zip(group, results, strict=True):
        _count_stored(report, article, result, incidents)


def _in_one_transaction(
    engine: Engine,
    group: Sequence[_Entry],
    write: Callable[[Connection, _Entry], _Result],
    store_alone: Callable[[_Entry], object],
) -> list[_Result] | None:
    """``write`` of every entry in one write transaction, and their results; or, when anything
    inside fails but the store itself (a key stored meanwhile by another process, a record the
    store refuses), the group rolled back, each entry stored alone (``store_alone``: its own
    transaction and error line) and None. A store fault is raised."""
    if not group:
        return []
    try:
        with write_transaction(engine) as connection:
            return [write(connection, entry) for entry in group]
    except StoreError:
        raise
    except (IntegrityError, SanctionWatchError):
        for entry in group:
            store_alone(entry)
        return None


def ingest_articles(
    engine: Engine,
    articles: Iterable[WorkItem],
    *,
    pipeline: Pipeline | None = None,
    extraction: EngineSpec | None = None,
    on_article: Callable[[WorkItem], object] | None = None,
    on_retry: Callable[[str], object] | None = None,
    report: IngestReport | None = None,
) -> IngestReport:
    """Store articles with their incidents; one bad article is recorded and skipped.

    ``extraction`` names the engine that extracts (default: this process); this function alone
    reads and writes the store, and does not send an unchanged or duplicate article to it.
    A store fault (disk full, read-only file) ends the batch with ``StoreError``: every later
    article would fail the same way. What was stored before it stays stored.
    """
    report = report or IngestReport()
    run_id = start_run(engine, kind="ingest", extractor_version=EXTRACTOR_VERSION)
    status = "failed"

    def to_extract() -> Iterator[WorkItem]:
        for item in articles:
            if isinstance(item, Article) and stored_already(engine, item, report=report) is not None:
                if on_article:
                    on_article(item)
                continue
            yield item

    try:
        with open_engine(extraction, pipeline=pipeline, on_retry=on_retry) as extractor:
            for group in extractor.map_batches(to_extract()):
                store_outcomes(engine, group, run_id=run_id, report=report)
                if on_article:
                    for item, _ in group:
                        on_article(item)
        status = "finished"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        _finish(
            engine,
            run_id,
            status=status,
            articles=report.new + report.updated + report.unchanged,
            incidents=report.incidents,
            failures=report.failed,
        )
    return report


@dataclass(slots=True)
class ReextractReport:
    articles: int = 0
    added: int = 0
    kept: int = 0
    hidden: int = 0
    orphaned: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{plural(self.articles, 'article')} re-extracted with extractor {EXTRACTOR_VERSION}: "
            f"{plural(self.added, 'new incident')}, {self.kept} kept, {self.hidden} no longer found "
            f"({self.orphaned} of them reviewed: kept in the lists as orphaned reviews); {self.failed} failed"
        )


def reextract_articles(
    engine: Engine,
    *,
    pipeline: Pipeline | None = None,
    extraction: EngineSpec | None = None,
    on_article: Callable[[str], object] | None = None,
    on_retry: Callable[[str], object] | None = None,
) -> ReextractReport:
    """Run the current extractor again over every stored article, each engine batch in one
    write transaction (``_store_reextracted_group``).

    Analysts' reviews are kept: an incident found again keeps its id (``model/identity.py``),
    and one no longer found is marked so, never deleted; a reviewed one stays listed. One
    article that fails is recorded and skipped; a store fault ends the run. ``extraction`` names
    the engine (default: this process); this function alone reads and writes the store.
    """
    report = ReextractReport()
    run_id = start_run(engine, kind="reextract", extractor_version=EXTRACTOR_VERSION)
    status = "failed"

    def stored_articles() -> Iterator[Article]:
        for article_id in iter_article_ids(engine):
            try:
                yield get_article(engine, article_id)
            except StoreError:
                raise
            except SanctionWatchError as exc:  # deleted meanwhile, or unreadable
                report.failed += 1
                report.errors.append(f"article {article_id!r}: {exc}")

    try:
        with open_engine(extraction, pipeline=pipeline, on_retry=on_retry) as extractor:
            for group in extractor.map_batches(stored_articles()):
                _store_reextracted_group(engine, group, run_id=run_id, report=report)
                if on_article:
                    for item, _ in group:
                        on_article(item_key(item))
        status = "finished"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        _finish(
            engine, run_id, status=status, articles=report.articles, incidents=report.added + report.kept, failures=report.failed
        )
    return report


def _store_reextracted_group(
    engine: Engine, pairs: Sequence[tuple[WorkItem, Outcome]], *, run_id: int, report: ReextractReport
) -> None:
    """Store one engine batch of re-extractions in one write transaction, as ``store_outcomes``
    does for ingest: failed items are reported first; if anything goes wrong inside (an article
    deleted meanwhile, a record the store refuses), the group is rolled back and stored one by
    one, each with its own error line. A store fault is raised."""
    group: list[tuple[WorkItem, Outcome, list[Incident]]] = []
    for item, outcome in pairs:
        if outcome.ok:
            group.append((item, outcome, link_for_store(engine, list(outcome.incidents))))
        else:
            _store_reextracted(engine, item, outcome, run_id=run_id, report=report)  # reports why not
    results = _in_one_transaction(
        engine,
        group,
        lambda connection, entry: _write_reextracted(connection, item_key(entry[0]), entry[2], run_id=run_id),
        lambda entry: _store_reextracted(engine, entry[0], entry[1], run_id=run_id, report=report),
    )
    if results is None:
        return  # stored and counted one by one
    for result in results:
        _count_reextracted(report, result)


def _write_reextracted(connection: Connection, article_id: str, found: Sequence[Incident], *, run_id: int) -> ReplaceResult:
    result = replace_incidents(connection, article_id, found, run_id=run_id)
    if result.added or result.kept or result.vanished:
        # Otherwise the article had no current incident before and has none now: its clusters
        # cannot change (most stored articles are general news).
        recluster_article(connection, article_id)
    return result


def _count_reextracted(report: ReextractReport, result: ReplaceResult) -> None:
    report.articles += 1
    report.added += len(result.added)
    report.kept += len(result.kept)
    report.hidden += len(result.vanished)
    report.orphaned += len(result.orphaned)


def _store_reextracted(engine: Engine, item: WorkItem, outcome: Outcome, *, run_id: int, report: ReextractReport) -> None:
    article_id = item_key(item)
    if not outcome.ok:
        report.failed += 1
        report.errors.append(f"article {article_id!r}: {outcome.error}")
        return
    try:
        found = link_for_store(engine, list(outcome.incidents))
        with write_transaction(engine) as connection:
            result = _write_reextracted(connection, article_id, found, run_id=run_id)
    except StoreError:
        raise
    except SanctionWatchError as exc:
        report.failed += 1
        report.errors.append(f"article {article_id!r}: {exc}")
        return
    _count_reextracted(report, result)
