"""A small hand-made store for the HTTP tests: three incidents over two articles.

- ``LOCATED``: a labour-export incident at Dandong (a real point), reported by an anonymous source.
- ``UNLOCATED``: a ship-to-ship transfer in the Yellow Sea (no point) whose text fields start
  with spreadsheet-formula characters.
- ``HOSTILE``: an incident whose every text field, and its article's metadata, carry XSS payloads.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from sanctionwatch.model import Actor, Article, Incident, Location, Quantity, TimeRange, Vessel
from sanctionwatch.store.articles import upsert_article
from sanctionwatch.store.engine import create_database_engine
from sanctionwatch.store.incidents import replace_incidents

# Each payload sets window.__xss if it ever runs, so a browser test can detect execution.
XSS_IMG = '<img src=x onerror="window.__xss=1">'
XSS_SCRIPT = "<script>window.__xss=2</script>"
XSS_SVG = '<svg onload="window.__xss=3">'
XSS_IFRAME = '"><iframe srcdoc="<script>parent.__xss=4</script>">'
XSS_PAYLOADS = (XSS_IMG, XSS_SCRIPT, XSS_SVG, XSS_IFRAME)
JAVASCRIPT_URL = "javascript:window.__xss=5"

PLAIN_TEXT = (
    "North Korean authorities sent about 2,000 workers to garment factories near Dandong in May 2024, "
    "a source in China said.\n\n"
    "Separately, a tanker was seen transferring oil to a North Korean vessel in the Yellow Sea in November 2023.\n"
)
LOCATED_EVIDENCE = (
    "North Korean authorities sent about 2,000 workers to garment factories near Dandong in May 2024, "
    "a source in China said."
)
UNLOCATED_EVIDENCE = (
    "Separately, a tanker was seen transferring oil to a North Korean vessel in the Yellow Sea in November 2023."
)

HOSTILE_SENTENCE = f"Smugglers {XSS_IMG} moved goods {XSS_SCRIPT} across the river {XSS_SVG} at night."
HOSTILE_TEXT = f"Intro {XSS_IFRAME} line.\n\n{HOSTILE_SENTENCE}\n\nOutro."

PLAIN_ARTICLE = Article(
    id="a-plain",
    text=PLAIN_TEXT,
    published=date(2024, 5, 20),
    title="Workers sent to China",
    url="https://news.example.org/workers",
    source="Example News",
)
HOSTILE_ARTICLE = Article(
    id="a-hostile",
    text=HOSTILE_TEXT,
    published=date(2024, 6, 1),
    title=f"Title {XSS_IMG}",
    url=JAVASCRIPT_URL,
    source=f"Source {XSS_SVG}",
    author=f"Author {XSS_SCRIPT}",
)


def _span(text: str, sentence: str) -> tuple[int, int]:
    start = text.index(sentence)
    return (start, start + len(sentence))


LOCATED = Incident(
    article_id=PLAIN_ARTICLE.id,
    type="labor_export",
    summary="About 2,000 North Korean workers sent to garment factories near Dandong.",
    actors=(Actor(name="North Korean authorities", country="KP", role="perpetrator"),),
    quantity=Quantity(min=2000, max=2000, unit="workers"),
    locations=(
        Location(name="Dandong", country="CN", admin1="Liaoning", role="destination", lat=40.12, lon=124.38),
    ),
    time=TimeRange(start=date(2024, 5, 1), end=date(2024, 5, 31), precision="month", text="in May 2024"),
    attribution="anonymous_source",
    certainty="reported",
    provisions=("UNSCR 2397 OP8",),
    evidence=(LOCATED_EVIDENCE,),
    evidence_spans=(_span(PLAIN_TEXT, LOCATED_EVIDENCE),),
    confidence=0.9,
    extractor_version="test-1",
)
UNLOCATED = Incident(
    article_id=PLAIN_ARTICLE.id,
    type="maritime_transfer",
    summary="=HYPERLINK(\"http://evil.example/\",\"click\")",
    actors=(Actor(name="@SUM(1+1)", country="KP"), Actor(name="-2+3", country="CN", role="counterpart")),
    commodity="+oil",
    vessels=(Vessel(name="Unnamed tanker"),),
    locations=(Location(name="Yellow Sea", country=None, role="site"),),
    time=TimeRange(start=date(2023, 11, 1), end=date(2023, 11, 30), precision="month", text="in November 2023"),
    attribution="journalist_observation",
    certainty="asserted",
    evidence=(UNLOCATED_EVIDENCE,),
    evidence_spans=(_span(PLAIN_TEXT, UNLOCATED_EVIDENCE),),
    confidence=0.7,
    extractor_version="test-1",
)
HOSTILE = Incident(
    article_id=HOSTILE_ARTICLE.id,
    type="smuggling_other",
    summary=f"Summary {XSS_IMG} {XSS_SCRIPT}",
    actors=(Actor(name=f"Actor {XSS_SVG}", country="KP"),),
    commodity=f"Commodity {XSS_IFRAME}",
    vessels=(Vessel(name=f"Vessel {XSS_IMG}", flag="KP"),),
    locations=(Location(name=f"Place {XSS_IMG}", country="KP", role="origin", lat=40.1, lon=124.4),),
    time=TimeRange(start=date(2024, 5, 3), precision="day", text=f"when {XSS_SCRIPT}"),
    attribution="analysis_speculation",
    certainty="speculative",
    provisions=(f"UNSCR {XSS_SVG}",),
    evidence=(HOSTILE_SENTENCE,),
    evidence_spans=(_span(HOSTILE_TEXT, HOSTILE_SENTENCE),),
    confidence=0.8,
    extractor_version=f"v {XSS_IMG}",
)
ALL_INCIDENTS = (HOSTILE, LOCATED, UNLOCATED)  # in the API's default order: newest start first
LOCATED_POINT_COUNT = 2  # LOCATED and HOSTILE have a point; UNLOCATED has none


def build_sample_store(directory: Path) -> tuple[str, Engine]:
    """A new SQLite file under ``directory`` holding the sample; returns (path, engine)."""
    path = str(directory / "sample.db")
    engine = create_database_engine(path)
    with engine.begin() as connection:
        upsert_article(connection, PLAIN_ARTICLE)
        upsert_article(connection, HOSTILE_ARTICLE)
        replace_incidents(connection, PLAIN_ARTICLE.id, [LOCATED, UNLOCATED], run_id=None)
        replace_incidents(connection, HOSTILE_ARTICLE.id, [HOSTILE], run_id=None)
    return path, engine
