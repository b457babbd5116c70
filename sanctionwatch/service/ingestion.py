"""Running extraction over articles and storing the results."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from sanctionwatch.errors import InputError, SanctionWatchError, StoreError
from sanctionwatch.model import Article
from sanctionwatch.nlp.pipeline import EXTRACTOR_VERSION, Pipeline, default_pipeline
from sanctionwatch.service.clusters import recluster_article
from sanctionwatch.service.inputs import read_articles
from sanctionwatch.service.sanctions import link_for_store
from sanctionwatch.service.wording import plural
from sanctionwatch.store.articles import get_article, identify_article, iter_article_ids, upsert_article
from sanctionwatch.store.engine import write_transaction
from sanctionwatch.store.incidents import replace_incidents
from sanctionwatch.store.runs import find_interrupted_runs, finish_run, start_run


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


def iter_input_articles(
    paths: Sequence[str | Path], *, published: date | None, on_error: Callable[[InputError], None]
) -> Iterator[Article]:
    for path in paths:
        try:
            yield from read_articles(path, published=published, on_error=on_error)
        except InputError as exc:
            on_error(exc)


def _where(article: Article) -> str:
    origin = (article.origin or "").removeprefix("file:")
    return f"{origin}: record {article.id!r}" if origin else f"article {article.id!r}"


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
    with engine.connect() as connection:
        found = identify_article(connection, article, canonical_url=canonical_url)
    if found.unchanged:
        report.unchanged += 1
        return str(found.existing.id)
    if found.duplicate_of is not None:
        return _report_duplicate(report, article, found.duplicate_of)
    incidents = link_for_store(engine, pipeline.extract(article))
    for attempt in (1, 2):
        try:
            with write_transaction(engine) as connection:
                result = upsert_article(connection, article, canonical_url=canonical_url)
                if result.status in ("new", "updated"):
                    replace_incidents(connection, result.article_id, incidents, run_id=run_id)
                    recluster_article(connection, result.article_id)
            break
        except IntegrityError:
            # Another process stored the same key between our check and our insert (servers
            # without BEGIN IMMEDIATE): look again; it is now unchanged or a duplicate.
            if attempt == 2:
                raise
    if result.status == "unchanged":
        report.unchanged += 1
        return result.article_id
    if result.status == "duplicate":
        return _report_duplicate(report, article, result.article_id)
    if result.collided_with is not None:
        report.notes.append(
            f"{_where(article)}: the id is already used by another source's article; stored as {result.article_id!r}"
        )
    setattr(report, result.status, getattr(report, result.status) + 1)
    report.incidents += len(incidents)
    return result.article_id


def _report_duplicate(report: IngestReport, article: Article, duplicate_of: str) -> str:
    report.duplicates += 1
    report.notes.append(f"{_where(article)}: duplicate of stored article {duplicate_of!r} (same text), not stored again")
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


def ingest_articles(
    engine: Engine,
    articles: Iterable[Article],
    *,
    pipeline: Pipeline | None = None,
    on_article: Callable[[Article], object] | None = None,
    report: IngestReport | None = None,
) -> IngestReport:
    """Store articles with their incidents; one bad article is recorded and skipped.

    A store fault (disk full, read-only file) ends the batch with ``StoreError``: every later
    article would fail the same way. What was stored before it stays stored.
    """
    pipeline = pipeline or default_pipeline()
    report = report or IngestReport()
    run_id = start_run(engine, kind="ingest", extractor_version=EXTRACTOR_VERSION)
    status = "failed"
    try:
        for article in articles:
            try:
                store_article(engine, article, pipeline=pipeline, run_id=run_id, report=report)
            except StoreError:
                raise
            except SanctionWatchError as exc:
                report.failed += 1
                report.errors.append(f"{_where(article)}: {exc}")
            if on_article:
                on_article(article)
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
    on_article: Callable[[str], object] | None = None,
) -> ReextractReport:
    """Run the current extractor again over every stored article, one transaction per article.

    Analysts' reviews are kept: an incident found again keeps its id (``model/identity.py``),
    and one no longer found is marked so, never deleted; a reviewed one stays listed. One
    article that fails is recorded and skipped; a store fault ends the run.
    """
    pipeline = pipeline or default_pipeline()
    report = ReextractReport()
    run_id = start_run(engine, kind="reextract", extractor_version=EXTRACTOR_VERSION)
    status = "failed"
    try:
        for article_id in iter_article_ids(engine):
            try:
                article = get_article(engine, article_id)
                found = link_for_store(engine, pipeline.extract(article))
                with write_transaction(engine) as connection:
                    result = replace_incidents(connection, article_id, found, run_id=run_id)
                    recluster_article(connection, article_id)
                report.articles += 1
                report.added += len(result.added)
                report.kept += len(result.kept)
                report.hidden += len(result.vanished)
                report.orphaned += len(result.orphaned)
            except StoreError:
                raise
            except SanctionWatchError as exc:
                report.failed += 1
                report.errors.append(f"article {article_id!r}: {exc}")
            if on_article:
                on_article(article_id)
        status = "finished"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        _finish(
            engine, run_id, status=status, articles=report.articles, incidents=report.added + report.kept, failures=report.failed
        )
    return report
