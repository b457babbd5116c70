"""The unit of work every engine runs: a batch of items in, one outcome per item out.

An item is an ``Article`` or an ``ArticleSource`` (something that becomes an article in the
worker, such as an HTML page that trafilatura must read first, so that this costly step runs
in parallel too). ``extract_batch`` never raises for one bad item: an item that cannot become
an article, or that a stage rejects, gives an ``Outcome`` with ``error`` set and the batch goes
on. It reads no database and writes nothing: storing is the caller's job, in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from sanctionwatch.errors import SanctionWatchError
from sanctionwatch.model import Article, Incident

if TYPE_CHECKING:
    from sanctionwatch.nlp.pipeline import Pipeline


@runtime_checkable
class ArticleSource(Protocol):
    """Work that becomes an article inside the worker; picklable (plain data, importable class)."""

    @property
    def key(self) -> str:
        """What names the item in a message: a path, a URL, an id."""
        ...

    def to_article(self) -> Article:
        """The article; raises InputError (or another SanctionWatchError) when there is none."""
        ...


WorkItem = Article | ArticleSource


def item_key(item: WorkItem) -> str:
    return item.id if isinstance(item, Article) else item.key


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one item: its article and incidents, or why there are none."""

    article: Article | None
    incidents: tuple[Incident, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class PipelineSpec:
    """Which pipeline a worker builds (workers build their own; a Pipeline is not sent)."""

    on_error: str = "raise"

    def build(self) -> Pipeline:
        from sanctionwatch.nlp.pipeline import default_pipeline

        return default_pipeline(self.on_error)  # cached: one per worker process


def _article_of(item: WorkItem) -> Article | Outcome:
    """The item's article, or the failed outcome of an item that cannot become one."""
    try:
        return item if isinstance(item, Article) else item.to_article()
    except SanctionWatchError as exc:
        return Outcome(None, error=str(exc))


def extract_one(item: WorkItem, pipeline: Pipeline) -> Outcome:
    article = _article_of(item)
    if isinstance(article, Outcome):
        return article
    try:
        return Outcome(article, tuple(pipeline.extract(article)))
    except SanctionWatchError as exc:
        return Outcome(article, error=str(exc))


def extract_batch(items: Sequence[WorkItem], spec: PipelineSpec = PipelineSpec(), *, pipeline: Pipeline | None = None) -> list[Outcome]:
    """One outcome per item, in order (the function a worker process or Dask task runs). The
    batch's articles go through the pipeline together (``Pipeline.run_many``: the parser reads
    all their sentences in one run); the outcomes are those of extracting each alone."""
    pipeline = pipeline or spec.build()
    if not hasattr(pipeline, "extract_many"):  # an extractor with ``extract`` alone (a stand-in)
        return [extract_one(item, pipeline) for item in items]
    outcomes: list[Outcome | None] = [None] * len(items)
    articles: list[tuple[int, Article]] = []
    for position, item in enumerate(items):
        article = _article_of(item)
        if isinstance(article, Outcome):
            outcomes[position] = article
        else:
            articles.append((position, article))
    extracted = pipeline.extract_many([article for _, article in articles])
    for (position, article), result in zip(articles, extracted, strict=True):
        if isinstance(result, SanctionWatchError):
            outcomes[position] = Outcome(article, error=str(result))
        else:
            outcomes[position] = Outcome(article, tuple(result))
    return [outcome for outcome in outcomes if outcome is not None]
