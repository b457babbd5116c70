"""The ``sanctionwatch`` command line: thin commands over ``service/``."""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sanctionwatch import __version__
from sanctionwatch.cli.workspace import audit as workspace_audit
from sanctionwatch.cli.workspace import searches_app, users_app
from sanctionwatch.errors import InputError, SanctionWatchError
from sanctionwatch.service.wording import plural
from sanctionwatch.settings import Settings, load_settings

if TYPE_CHECKING:  # the CLI imports what a command needs inside it, so that --help stays fast
    from sqlalchemy import Engine

    from sanctionwatch.engines import EngineSpec
    from sanctionwatch.service.feeds import FeedPassReport

app = typer.Typer(
    name="sanctionwatch",
    help="Sanctions-evasion incidents from open-source reporting: ingest, extract, review, export, serve.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class State:
    settings: Settings


state = State()


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _records_as_json_or_none(records: Sequence[Any], *, as_json: bool, none: str) -> bool:
    """Print a listing's records as JSON (``--json``), or ``none`` where there are none; True where
    the caller is left to print them a line each."""
    if as_json:
        typer.echo(json.dumps([asdict(r) for r in records], indent=2))
        return False
    if not records:
        typer.echo(none)
        return False
    return True


def version_line() -> str:
    """The package's version and, named as such, the extractor's (incidents carry the latter)."""
    from sanctionwatch.nlp.pipeline import EXTRACTOR_VERSION

    return f"sanctionwatch {__version__} (extractor {EXTRACTOR_VERSION}: the version stored with each incident)"


def _version(value: bool) -> None:
    if value:
        typer.echo(version_line())
        raise typer.Exit()


@app.callback()
def root(
    db: Annotated[
        str | None,
        typer.Option("--db", help="SQLite file path or SQLAlchemy URL [env: SANCTIONWATCH_DB; default: sanctionwatch.db]."),
    ] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
) -> None:
    """Sanctions-evasion incidents from open-source reporting."""
    try:
        state.settings = load_settings(database=db)
    except SanctionWatchError as exc:
        fail(str(exc))


def _engine(*, create: bool = False) -> Engine:
    """The store. Only commands that put something in it create a missing database file
    (``create``): a mistyped --db must not look like an empty store."""
    from sanctionwatch.store import create_database_engine

    return create_database_engine(state.settings.database, create=create)


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--published must be YYYY-MM-DD, got {value!r}", 2)
    return None


def _report_input_error(error: InputError) -> None:
    typer.echo(f"warning: skipped {error}", err=True)


# The three options every batch command takes to choose where extraction runs.
EngineOption = Annotated[
    str | None,
    typer.Option(
        "--engine",
        help="Where extraction runs: local (this process), process (a pool of --workers processes) or dask "
        "(the --scheduler's cluster, else a local cluster of --workers). Default: local, or process with --workers > 1.",
        show_default=False,
    ),
]
WorkersOption = Annotated[
    int, typer.Option("--workers", help="Worker processes for --engine process or a local Dask cluster.", min=1, max=64)
]
SchedulerOption = Annotated[
    str | None,
    typer.Option("--scheduler", help="A Dask scheduler's address, tcp://HOST:PORT (implies --engine dask).", show_default=False),
]
# Every batch command shows a bar while it works, where stderr is a terminal; --no-progress hides it.
ProgressOption = Annotated[bool, typer.Option(help="Show a progress bar on stderr (where stderr is a terminal).")]


def _bar_hidden(progress: bool) -> bool:
    """tqdm's ``disable``: no bar when --no-progress is given or stderr is a file or a pipe."""
    return not progress or not sys.stderr.isatty()


def _engine_spec(engine: str | None, workers: int, scheduler: str | None) -> EngineSpec:
    from sanctionwatch.engines import EngineSpec

    try:
        return EngineSpec.from_options(engine, workers, scheduler)
    except SanctionWatchError as exc:
        fail(str(exc), 2)
        raise  # not reached: fail() exits


def _report_retry(message: str) -> None:
    typer.echo(f"warning: {message}", err=True)


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="Articles: .jsonl (id, text, published), .json, .txt or .html files, or folders of them.")],
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD for articles without one.")
    ] = None,
    progress: ProgressOption = True,
    engine: EngineOption = None,
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
) -> None:
    """Extract incidents and print them as JSON Lines on stdout (no database).

    An article that cannot be read or that a stage rejects is reported on stderr and the others go on.
    """
    from tqdm import tqdm

    from sanctionwatch.engines import open_engine
    from sanctionwatch.service.inputs import iter_input_sources, outcome_error

    spec = _engine_spec(engine, workers, scheduler)
    publication_date = _parse_date(published)
    errors: list[InputError] = []

    def on_error(error: InputError) -> None:
        errors.append(error)
        _report_input_error(error)

    articles = iter_input_sources(files, published=publication_date, on_error=on_error)
    bar = tqdm(desc="extract", unit=" articles", disable=_bar_hidden(progress), file=sys.stderr)
    count = failed = 0
    try:
        with open_engine(spec, on_retry=_report_retry) as extractor:
            for item, outcome in extractor.map(articles):
                bar.update(1)
                if not outcome.ok:
                    failed += 1
                    typer.echo(f"warning: skipped {outcome_error(item, outcome)}", err=True)
                    continue
                for incident in outcome.incidents:
                    sys.stdout.write(json.dumps(incident.to_dict(), ensure_ascii=False) + "\n")
                count += 1
    except SanctionWatchError as exc:
        fail(str(exc))
    finally:
        bar.close()
    if count == 0 and (errors or failed):
        fail(f"no article could be extracted ({plural(len(errors) + failed, 'error')})")
    if count == 0:
        typer.echo("warning: the input holds no article", err=True)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files (.jsonl, .json, .txt, .html), folders of them, or http(s) URLs of pages.")],
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD for articles without one.")] = None,
    progress: ProgressOption = True,
    engine: EngineOption = None,
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
) -> None:
    """Store articles and their incidents (the same file twice adds nothing)."""
    from tqdm import tqdm

    from sanctionwatch.service.ingestion import IngestReport, ingest_articles, interrupted_run_notes
    from sanctionwatch.service.inputs import iter_input_sources

    spec = _engine_spec(engine, workers, scheduler)
    publication_date = _parse_date(published)
    report = IngestReport()
    urls = [p for p in paths if p.startswith(("http://", "https://"))]
    files = [p for p in paths if p not in urls]

    def on_error(error: InputError) -> None:
        report.failed += 1
        _report_input_error(error)

    try:
        database = _engine(create=True)
        for note in interrupted_run_notes(database):
            typer.echo(f"warning: {note}", err=True)
        if urls:
            from sanctionwatch.service.feeds import ingest_urls

            ingest_urls(database, urls, settings=state.settings, report=report, extraction=spec, on_retry=_report_retry)
        with tqdm(desc="ingest", unit=" articles", disable=_bar_hidden(progress), file=sys.stderr) as bar:
            ingest_articles(
                database,
                iter_input_sources(files, published=publication_date, on_error=on_error),
                extraction=spec,
                on_article=lambda _a: bar.update(1),
                on_retry=_report_retry,
                report=report,
            )
    except SanctionWatchError as exc:
        fail(str(exc))
    for line in report.errors + report.notes:
        typer.echo(f"warning: {line}", err=True)
    typer.echo(report.summary())
    if report.failed and not (report.new or report.updated or report.unchanged or report.duplicates):
        raise typer.Exit(1)


@app.command()
def reextract(
    progress: ProgressOption = True,
    engine: EngineOption = None,
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
) -> None:
    """Run the current extractor again over every stored article (after an upgrade).

    Reviews are kept: an incident found again keeps its id and its review; one no longer found is
    hidden, not deleted.
    """
    from tqdm import tqdm

    from sanctionwatch.service.ingestion import reextract_articles
    from sanctionwatch.store.articles import count_articles

    spec = _engine_spec(engine, workers, scheduler)
    try:
        database = _engine()
        total = count_articles(database)
        with tqdm(total=total, desc="reextract", unit=" articles", disable=_bar_hidden(progress), file=sys.stderr) as bar:
            report = reextract_articles(
                database, extraction=spec, on_article=lambda _id: bar.update(1), on_retry=_report_retry
            )
    except SanctionWatchError as exc:
        fail(str(exc))
    for line in report.errors:
        typer.echo(f"warning: {line}", err=True)
    typer.echo(report.summary())
    if report.failed and not report.articles:
        raise typer.Exit(1)


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv, geojson or ftm (FollowTheMoney entities).")] = "jsonl",
    type: Annotated[str | None, typer.Option(help="Only this incident type.")] = None,
    country: Annotated[str | None, typer.Option(help="Only incidents involving this ISO country code.")] = None,
    since: Annotated[str | None, typer.Option(help="Only incidents overlapping this date or later.")] = None,
    until: Annotated[str | None, typer.Option(help="Only incidents overlapping this date or earlier.")] = None,
    q: Annotated[str | None, typer.Option(help="Text search in summary, evidence, names.")] = None,
    status: Annotated[
        str | None, typer.Option(help="Review status: unreviewed, confirmed, rejected, edited, any (default: not rejected).")
    ] = None,
    undated: Annotated[
        str | None, typer.Option(help="include: keep undated incidents beside a date filter; only: undated ones alone.")
    ] = None,
    bom: Annotated[bool, typer.Option("--bom", help="CSV: start with a UTF-8 byte order mark (for Excel).")] = False,
) -> None:
    """Write stored incidents to stdout, streamed (any size in bounded memory)."""
    from sanctionwatch.service.exports import EXPORT_FORMATS, export_matching
    from sanctionwatch.service.incidents import make_query

    if format not in EXPORT_FORMATS:
        fail(f"unknown format {format!r}; one of {', '.join(EXPORT_FORMATS)}", 2)
    try:
        query = make_query(type=type, country=country, since=since, until=until, q=q, status=status, undated=undated)
        engine = _engine()
        for chunk in export_matching(engine, query, format, bom=bom):
            sys.stdout.write(chunk)
    except SanctionWatchError as exc:
        fail(str(exc))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    team: Annotated[
        bool, typer.Option("--team", help="Team mode: accounts with roles, sign-in, API tokens (see `users add`).")
    ] = False,
) -> None:
    """Serve the JSON API and the dashboard (single-user on 127.0.0.1 unless --team).

    The server answers only for its own address (and SANCTIONWATCH_ALLOWED_HOSTS): a page that
    rebinds its name to 127.0.0.1 gets 421, a write from another site 403.
    """
    from sanctionwatch.api.app import create_app
    from sanctionwatch.cli.serving import listening_socket, run_server, url_of

    settings = replace(state.settings, team=True) if team else state.settings
    try:
        if settings.team:
            from sanctionwatch.service.users import list_users

            if not any(user.role == "admin" for user in list_users(_engine())):
                fail("team mode needs an admin account first: sanctionwatch users add NAME --role admin")
        application = create_app(settings, bound_host=host)
        sock = listening_socket(host, port)
    except SanctionWatchError as exc:
        fail(str(exc))
    url = url_of(host, port)

    def announce() -> None:
        typer.echo(f"sanctionwatch: dashboard on {url}  (API: {url}api/v1/incidents, reference: {url}docs)")
        typer.echo(f"database: {settings.database}; Ctrl-C stops", err=True)

    run_server(application, sock, announce=announce)


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Load the sample and stop.")] = False,
) -> None:
    """Load the bundled sample report and serve the dashboard."""
    from sanctionwatch.service.ingestion import ingest_articles
    from sanctionwatch.service.samples import sample_articles

    try:
        report = ingest_articles(_engine(create=True), sample_articles())
    except SanctionWatchError as exc:
        fail(str(exc))
    from sanctionwatch.store.engine import database_url

    typer.echo(f"sample loaded into {database_url(state.settings.database).removeprefix('sqlite:///')}: {report.summary()}")
    if not no_serve:
        serve(host=host, port=port)


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Option(help="Gold incidents (.jsonl).")],
    corpus: Annotated[Path, typer.Option(help="Articles (.jsonl) the gold refers to.")],
    split: Annotated[
        str | None, typer.Option(help="Only this split of split.json beside the corpus (e.g. dev).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    errors: Annotated[bool, typer.Option("--errors/--no-errors", help="List missed, spurious and wrong fields.")] = False,
    background: Annotated[
        Path | None, typer.Option(help="Also report the false-positive rate on these no-incident articles.")
    ] = None,
) -> None:
    """Score extraction against gold annotations (docs/incidents.md)."""
    from sanctionwatch.service.evaluation import run_evaluation

    try:
        output = run_evaluation(
            gold_path=gold, corpus_path=corpus, split=split, as_json=as_json, with_errors=errors, background_path=background
        )
    except SanctionWatchError as exc:
        fail(str(exc))
    typer.echo(output)


app.command(name="audit")(workspace_audit)
app.add_typer(searches_app, name="searches")
app.add_typer(users_app, name="users")

feeds_app = typer.Typer(help="The feeds to follow: add, list, remove, resume.", no_args_is_help=True)
app.add_typer(feeds_app, name="feeds")


@feeds_app.command("add")
def feeds_add(
    url: Annotated[str, typer.Argument(help="Feed URL (RSS, Atom, JSON Feed) or an HTML page that links its feed.")],
    name: Annotated[str | None, typer.Option(help="A short name shown in listings and as the source.")] = None,
) -> None:
    """Add a feed (checked against the SSRF guard, fetched once to learn its title)."""
    from sanctionwatch.service.feeds import add_feed

    try:
        record = add_feed(_engine(create=True), url, settings=state.settings, name=name)
    except SanctionWatchError as exc:
        fail(str(exc))
    typer.echo(f"added feed {record.id}: {record.url}" + (f" ({record.title})" if record.title else ""))


@feeds_app.command("list")
def feeds_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Each feed with its health: last success, last error, next poll, paused."""
    from sanctionwatch.store.feeds import list_feeds

    try:
        records = list_feeds(_engine())
    except SanctionWatchError as exc:
        fail(str(exc))
    if not _records_as_json_or_none(records, as_json=as_json, none="no feeds yet: sanctionwatch feeds add URL"):
        return
    for r in records:
        state_word = "PAUSED" if r.paused else "active"
        typer.echo(f"{r.id:>3}  {state_word:<6}  {r.name or r.title or ''}  {r.url}")
        typer.echo(
            f"     last success: {r.last_success_at or 'never'}  next poll: {r.next_poll_at or 'now'}"
            f"  failures in a row: {r.consecutive_failures}"
        )
        if r.last_error:
            typer.echo(f"     last error ({r.last_error_at}): {r.last_error}")


@feeds_app.command("remove")
def feeds_remove(feed_id: Annotated[int, typer.Argument(help="The feed's id from `feeds list`.")]) -> None:
    """Stop following a feed (its stored articles stay)."""
    from sanctionwatch.store.feeds import remove_feed

    try:
        remove_feed(_engine(), feed_id)
    except SanctionWatchError as exc:
        fail(str(exc))
    typer.echo(f"removed feed {feed_id}")


@feeds_app.command("resume")
def feeds_resume(feed_id: Annotated[int, typer.Argument(help="The feed's id from `feeds list`.")]) -> None:
    """Un-pause a feed that was paused after repeated failures; it is polled on the next pass."""
    from sanctionwatch.store.feeds import get_feed, update_feed

    try:
        engine = _engine()
        get_feed(engine, feed_id)
        update_feed(engine, feed_id, paused=False, consecutive_failures=0, next_poll_at=None)
    except SanctionWatchError as exc:
        fail(str(exc))
    typer.echo(f"resumed feed {feed_id}")


lists_app = typer.Typer(help="Sanctions lists: the list in use, how well names match it.", no_args_is_help=True)
app.add_typer(lists_app, name="lists")


@lists_app.command("load")
def lists_load(
    file: Annotated[Path, typer.Argument(help="The UN Security Council Consolidated List as XML (.xml or .xml.gz), downloaded.")],
) -> None:
    """Load a newer UN list into the store and re-link every stored incident against it."""
    from sanctionwatch.service.sanctions import load_list_file

    try:
        report = load_list_file(_engine(create=True), file)
    except SanctionWatchError as exc:
        fail(str(exc))
    typer.echo(report.summary())


@lists_app.command("show")
def lists_show() -> None:
    """The list in use (the last loaded, or the bundled 2018-10-29 snapshot) and earlier loads."""
    from sanctionwatch.resolve.sanctions_list import BUNDLED_FILE
    from sanctionwatch.store.sanctions import loaded_lists

    try:
        loads = loaded_lists(_engine())
    except SanctionWatchError as exc:
        fail(str(exc))
    if not loads:
        typer.echo(f"in use: the bundled snapshot {BUNDLED_FILE} (UN list of 2018-10-29, not current); load a newer one with `sanctionwatch lists load FILE`")
        return
    for position, load in enumerate(loads):
        marker = "in use" if position == len(loads) - 1 else "earlier"
        typer.echo(f"{marker}: {load['title']} of {load['generated'] or 'unknown date'}, {load['entries']} entries, from {load['source']} (loaded {load['loaded_at']})")


@lists_app.command("evaluate")
def lists_evaluate() -> None:
    """Precision and recall of name matching on a test set built from the list itself."""
    from sanctionwatch.service.sanctions import evaluate_matching

    try:
        report = evaluate_matching()
    except SanctionWatchError as exc:
        fail(str(exc))
    for line in report.lines():
        typer.echo(line)


clusters_app = typer.Typer(help="Clusters of incidents across articles: figures, rebuild, merge, split.", no_args_is_help=True)
app.add_typer(clusters_app, name="clusters")


@clusters_app.command("stats")
def clusters_stats() -> None:
    """How many clusters, how many with several reports and with several independent sources."""
    from sanctionwatch.service.clusters import clusters_figures

    try:
        figures = clusters_figures(_engine())
    except SanctionWatchError as exc:
        fail(str(exc))
    typer.echo(
        f"{figures['clusters']} clusters of {figures['incidents']} incidents; {figures['multi_report']} with more than one "
        f"report, {figures['multi_source']} with more than one independent source"
    )


@clusters_app.command("rebuild")
def clusters_rebuild() -> None:
    """Cluster every stored article again (a store made before clusters existed); decisions are kept."""
    from sanctionwatch.service.clusters import rebuild_clusters

    try:
        count = rebuild_clusters(_engine())
    except SanctionWatchError as exc:
        fail(str(exc))
    typer.echo(f"{count} articles clustered")


@clusters_app.command("merge")
def clusters_merge(
    cluster_id: Annotated[str, typer.Argument(help="A cluster id (c-...).")],
    other: Annotated[str, typer.Argument(help="The cluster to join it with.")],
    note: Annotated[str | None, typer.Option(help="Why (kept with the decision).")] = None,
) -> None:
    """Merge two clusters (kept like a review decision; survives reextract)."""
    from sanctionwatch.service.clusters import merge_clusters

    try:
        merged = merge_clusters(_engine(), cluster_id, other, note=note)
    except SanctionWatchError as exc:
        fail(str(exc))
    typer.echo(f"merged into {merged}")


@clusters_app.command("split")
def clusters_split(
    incident_id: Annotated[str, typer.Argument(help="The incident to take out of its cluster.")],
    note: Annotated[str | None, typer.Option(help="Why (kept with the decision).")] = None,
) -> None:
    """Take an incident out of its cluster for good (survives reextract)."""
    from sanctionwatch.service.clusters import split_incident

    try:
        alone = split_incident(_engine(), incident_id, note=note)
    except SanctionWatchError as exc:
        fail(str(exc))
    typer.echo(f"{incident_id} is now alone in {alone}")


@app.command()
def fetch(
    all_feeds: Annotated[bool, typer.Option("--all", help="Poll every unpaused feed, even if not due yet.")] = False,
    interval: Annotated[int, typer.Option(help="Minutes until a feed is polled again.", min=1)] = 60,
    progress: ProgressOption = True,
    engine: EngineOption = None,
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
) -> None:
    """One pass over the feeds: fetch new entries' pages, store and extract them."""
    from tqdm import tqdm

    from sanctionwatch.service.feeds import fetch_feeds

    spec = _engine_spec(engine, workers, scheduler)
    try:
        database = _engine()
        with tqdm(desc="entries", unit=" entries", disable=_bar_hidden(progress), file=sys.stderr) as bar:
            report = fetch_feeds(
                database, settings=state.settings, interval_minutes=interval, force=all_feeds,
                on_entry=lambda _e: bar.update(1), extraction=spec, on_retry=_report_retry,
            )  # fmt: skip
    except SanctionWatchError as exc:
        fail(str(exc))
    for line in report.feed_errors + report.errors:
        typer.echo(f"warning: {line}", err=True)
    typer.echo(report.summary())


@app.command()
def watch(
    interval: Annotated[int, typer.Option(help="Minutes between polls of one feed.", min=1)] = 60,
) -> None:
    """Fetch again and again until stopped (Ctrl-C is safe at any moment)."""
    from datetime import datetime

    from sanctionwatch.service.feeds import watch_feeds

    def on_pass(report: FeedPassReport) -> None:
        for line in report.feed_errors + report.errors:
            typer.echo(f"warning: {line}", err=True)
        typer.echo(f"{datetime.now().isoformat(timespec='seconds')}  {report.summary()}")

    try:
        watch_feeds(_engine(), settings=state.settings, interval_minutes=interval, on_pass=on_pass)
    except SanctionWatchError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        typer.echo("stopped", err=True)


@app.command()
def runs(
    limit: Annotated[int, typer.Option(help="How many of the latest runs.", min=1, max=1000)] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """The latest ingest and reextract runs; a run whose process was killed shows as interrupted."""
    from sanctionwatch.store.runs import list_runs

    try:
        records = list_runs(_engine(), limit=limit)
    except SanctionWatchError as exc:
        fail(str(exc))
    if not _records_as_json_or_none(records, as_json=as_json, none="no runs yet: sanctionwatch ingest FILE"):
        return
    for r in records:
        typer.echo(
            f"{r.id:>4}  {r.kind:<9} {r.status:<11} started {r.started_at}  {plural(r.articles, 'article')}, "
            f"{plural(r.incidents, 'incident')}, {plural(r.failures, 'failure')}  (extractor {r.extractor_version})"
        )
    interrupted = [r for r in records if r.status == "interrupted"]
    if interrupted:
        typer.echo(
            f"warning: {plural(len(interrupted), 'run')} did not finish (the process was killed); "
            "what they stored is whole, run the same command again to complete it",
            err=True,
        )


def main() -> None:
    """The entry point: every error, usage errors included, is one ``error:`` line."""
    try:
        _run()
    finally:
        # The process ends here. Its database connections are closed now, in order; then what it
        # loaded (spaCy's model, the gazetteer) is left out of the teardown's cyclic collection,
        # which would otherwise free it object by object, half a second after an ingest. The
        # atexit handlers still run.
        store = sys.modules.get("sanctionwatch.store.engine")  # not imported by commands without a store
        if store is not None:
            store.close_all_engines()
        gc.freeze()


def _run() -> None:
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except typer.TyperException as exc:  # typer's own click: usage errors and the like
        if type(exc).__name__ == "NoArgsIsHelpError":
            exc.show()  # type: ignore[attr-defined]  # the help text, as a bare `sanctionwatch` should print
            sys.exit(0)
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        context = getattr(exc, "ctx", None)
        hint = f" (see {context.command_path} --help)" if context is not None else ""
        typer.echo(f"error: {message}{hint}", err=True)
        sys.exit(int(getattr(exc, "exit_code", 2)))
    except SanctionWatchError as exc:  # a last guard: a domain error is one line, never a traceback
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
