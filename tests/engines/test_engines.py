"""The engines: same outcomes on the same input, a rejected record reported, killed workers survived.

The process pool and Dask run real worker processes (a fork server; a real ``LocalCluster``).
A worker is killed mid-batch with SIGKILL by an item that does so on its first try (a marker
file says whether it already did), so the kill lands inside a task every time.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest

from sanctionwatch.engines import EngineSpec, item_key, open_engine
from sanctionwatch.engines.batches import MAX_ATTEMPTS
from sanctionwatch.errors import ConfigError
from sanctionwatch.model import Article
from sanctionwatch.service.ingestion import ingest_articles
from sanctionwatch.service.samples import sample_articles
from sanctionwatch.store import create_database_engine
from sanctionwatch.store.articles import count_articles

pytest.importorskip("distributed")


@dataclass(frozen=True, slots=True)
class KillsItsWorker:
    """An article that SIGKILLs the process extracting it: once (marker file), or every time."""

    article: Article
    marker: str
    always: bool = False

    @property
    def key(self) -> str:
        return self.article.id

    def to_article(self) -> Article:
        if self.always or not os.path.exists(self.marker):
            Path(self.marker).touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return self.article


def _seed_copies(count: int) -> list[Article]:
    seed = next(iter(sample_articles()))
    return [replace(seed, id=f"copy-{n}", text=seed.text + f"\n\nCopy {n}.") for n in range(count)]


def _short(article_id: str) -> Article:
    return Article(id=article_id, text="The weather in Oslo was mild on Monday.", published=date(2024, 5, 1))


def _summary(outcomes):  # type: ignore[no-untyped-def]
    return [(item_key(item), o.error, [i.to_dict() for i in o.incidents]) for item, o in outcomes]


@pytest.fixture(scope="module")
def local_results():  # type: ignore[no-untyped-def]
    with open_engine(EngineSpec("local")) as engine:
        return _summary(engine.map(_seed_copies(5)))


@pytest.mark.parametrize("spec", [EngineSpec("process", workers=2), EngineSpec("dask", workers=2)], ids=["process", "dask"])
def test_every_engine_gives_the_local_outcomes_in_input_order(spec, local_results):
    with open_engine(spec) as engine:
        results = _summary(engine.map(_seed_copies(5)))
    assert results == local_results
    assert [key for key, _, _ in results] == [f"copy-{n}" for n in range(5)]
    assert all(incidents for _, _, incidents in results)


@pytest.mark.parametrize("name", ["process", "dask"])
def test_a_worker_killed_mid_batch_is_replaced_and_its_batch_sent_again(tmp_path, name, local_results):
    retries: list[str] = []
    items = _seed_copies(5)
    items[2] = KillsItsWorker(items[2], str(tmp_path / "killed-once"))  # type: ignore[call-overload]
    with open_engine(EngineSpec(name, workers=2), on_retry=retries.append) as engine:
        results = _summary(engine.map(items))
    assert (tmp_path / "killed-once").exists()  # the worker really died
    assert results == local_results  # every item once, in order, as if nothing happened
    if name == "process":  # the pool reports it; Dask's scheduler re-runs the task itself
        assert any("sent again: its worker died" in line for line in retries), retries


def test_an_item_that_kills_every_worker_is_given_up_and_the_rest_go_on(tmp_path):
    retries: list[str] = []
    items = [_short("before"), KillsItsWorker(_short("poison"), str(tmp_path / "m"), always=True), _short("after")]
    with open_engine(EngineSpec("process", workers=2), on_retry=retries.append) as engine:
        outcomes = [(item_key(item), outcome) for item, outcome in engine.map(items)]  # type: ignore[arg-type]
    assert [key for key, _ in outcomes] == ["before", "poison", "after"]
    assert outcomes[0][1].ok and outcomes[2][1].ok
    assert outcomes[1][1].error == f"not extracted: its worker died {MAX_ATTEMPTS} times on it"
    assert any("split into single articles" in line for line in retries)


@pytest.mark.parametrize("name", ["process", "dask"])
def test_ingest_with_a_killed_worker_stores_every_article_once(tmp_path, name):
    items = _seed_copies(4)
    items[1] = KillsItsWorker(items[1], str(tmp_path / "killed"))  # type: ignore[call-overload]
    database = create_database_engine(tmp_path / "store.db")
    report = ingest_articles(database, items, extraction=EngineSpec(name, workers=2))
    assert (report.new, report.failed) == (4, 0), report.errors
    local = create_database_engine(tmp_path / "local.db")
    expected = ingest_articles(local, _seed_copies(4))
    assert report.incidents == expected.incidents
    assert count_articles(database) == 4
    again = ingest_articles(database, _seed_copies(4), extraction=EngineSpec(name, workers=2))
    assert (again.new, again.unchanged, again.incidents) == (0, 4, 0)


def test_a_record_a_stage_rejects_is_reported_and_the_batch_goes_on():
    bad = Article(id="far-future", text="North Korea sent 300 workers to Russia next year.", published=date(9999, 12, 31))
    items = [_short("first"), bad, _short("last")]
    with open_engine(EngineSpec("process", workers=2)) as engine:
        outcomes = {item_key(item): outcome for item, outcome in engine.map(items)}
    assert outcomes["first"].ok and outcomes["last"].ok
    assert not outcomes["far-future"].ok and "far-future" in (outcomes["far-future"].error or "")


@pytest.mark.parametrize(
    ("engine", "workers", "scheduler", "expected"),
    [
        (None, 1, None, EngineSpec("local")),
        (None, 3, None, EngineSpec("process", 3)),
        (None, 1, "tcp://127.0.0.1:8786", EngineSpec("dask", 1, "tcp://127.0.0.1:8786")),
        ("dask", 2, None, EngineSpec("dask", 2)),
    ],
)
def test_engine_options(engine, workers, scheduler, expected):
    assert EngineSpec.from_options(engine, workers, scheduler) == expected


@pytest.mark.parametrize(("engine", "scheduler"), [("spark", None), ("process", "tcp://127.0.0.1:8786")])
def test_bad_engine_options_are_config_errors(engine, scheduler):
    with pytest.raises(ConfigError):
        EngineSpec.from_options(engine, 2, scheduler)
