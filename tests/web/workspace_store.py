"""The API tests' sample plus the cases the workspace must draw: an incident known only by its
country (Sudan, no point), an undated one with no place, and a third article."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import ModuleType

from sqlalchemy import Engine

from sanctionwatch.model import Actor, Article, Incident, Location, Quantity, TimeRange
from sanctionwatch.store.articles import upsert_article
from sanctionwatch.store.incidents import replace_incidents

ARMS_TEXT = (
    "In August 2013 Pyongyang supplied rocket parts to Sudan under contracts worth over $6.4 million, UN experts said.\n\n"
    "Hackers linked to North Korea stole cryptocurrency from an exchange, investigators said.\n"
)
ARMS_EVIDENCE = "In August 2013 Pyongyang supplied rocket parts to Sudan under contracts worth over $6.4 million, UN experts said."
THEFT_EVIDENCE = "Hackers linked to North Korea stole cryptocurrency from an exchange, investigators said."
ARMS_ARTICLE = Article(
    id="a-arms", text=ARMS_TEXT, published=date(2018, 7, 7), title="Arms to Sudan", url="https://news.example.org/arms",
    source="BleepingComputer",
)  # fmt: skip


def _span(text: str, sentence: str) -> tuple[int, int]:
    start = text.index(sentence)
    return (start, start + len(sentence))


COUNTRY_ONLY = Incident(
    article_id=ARMS_ARTICLE.id,
    type="arms_military",
    summary="stored summary of the arms incident",
    actors=(Actor("North Korea", "KP", "perpetrator"), Actor("Sudan", "SD", "counterpart")),
    quantity=Quantity(min=6_400_000, max=None, unit="USD"),
    commodity="rocket parts",
    locations=(Location(name="Sudan", country="SD", role="destination"),),
    time=TimeRange(start=date(2013, 8, 1), end=date(2013, 8, 31), precision="month", text="In August 2013"),
    attribution="un_report",
    certainty="reported",
    evidence=(ARMS_EVIDENCE,),
    evidence_spans=(_span(ARMS_TEXT, ARMS_EVIDENCE),),
    confidence=0.6,
    extractor_version="test-1",
)
UNDATED = Incident(
    article_id=ARMS_ARTICLE.id,
    type="cyber_theft",
    summary="stored summary of the theft",
    actors=(Actor("North Korea", "KP", "perpetrator"),),
    commodity="cryptocurrency",
    attribution="named_official",
    certainty="asserted",
    evidence=(THEFT_EVIDENCE,),
    evidence_spans=(_span(ARMS_TEXT, THEFT_EVIDENCE),),
    confidence=0.5,
    extractor_version="test-1",
)
COUNTRY_LINE = "North Korea reportedly supplied rocket parts worth at least US$6.4 million to Sudan (August 2013)."
EXTRA_INCIDENTS = (COUNTRY_ONLY, UNDATED)


def build_workspace_store(directory: Path, sample: ModuleType) -> tuple[str, Engine]:
    path, engine = sample.build_sample_store(directory)
    with engine.begin() as connection:
        upsert_article(connection, ARMS_ARTICLE)
        replace_incidents(connection, ARMS_ARTICLE.id, list(EXTRA_INCIDENTS), run_id=None)
    return path, engine
