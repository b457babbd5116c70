"""The bundled Daily NK report must come out right (issue 2's acceptance test)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from sanctionwatch.nlp.pipeline import default_pipeline
from sanctionwatch.service.samples import sample_articles, sample_paths

SEED_PLACES = {
    # name: (country, admin1, lat, lon) — gold coordinates; None where the place has no point
    "Namyang": ("KP", "North Hamgyong", 42.95, 129.85),
    "Onsong County": ("KP", "North Hamgyong", 42.96, 129.99),
    "Tumen": ("CN", "Jilin", 42.97, 129.84),
    "Musan County": ("KP", "North Hamgyong", 42.23, 129.23),
    "Nanping": ("CN", "Jilin", 42.25, 129.23),
    "North Hamgyong Province": ("KP", "North Hamgyong", None, None),
    "Jilin Province": ("CN", "Jilin", None, None),
}
FURNITURE = ("22.1 C", "Delhi", "Most Popular Articles", "Read in Korean", "Saturday, January 25, 2025")


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def seed():
    article = next(iter(sample_articles()))
    return article, default_pipeline().extract(article)


def _one(incidents, incident_type):
    found = [i for i in incidents if i.type == incident_type]
    assert len(found) == 1, [i.type for i in incidents]
    return found[0]


def test_seed_labor_export_fields(seed):
    _, incidents = seed
    labor = _one(incidents, "labor_export")
    assert (labor.quantity.min, labor.quantity.max, labor.quantity.unit) == (1000, 2000, "persons")
    assert (labor.time.start.isoformat(), labor.time.end.isoformat()) == ("2024-04-21", "2024-05-16")
    assert (labor.attribution, labor.certainty) == ("anonymous_source", "reported")
    assert {"UNSCR 2397 OP8", "UNSCR 2375 OP17"} <= set(labor.provisions)


@pytest.mark.parametrize("name", sorted(SEED_PLACES))
def test_seed_places(seed, name):
    _, incidents = seed
    places = {p.name: p for p in _one(incidents, "labor_export").locations}
    assert name in places
    country, admin1, lat, lon = SEED_PLACES[name]
    place = places[name]
    assert (place.country, place.admin1) == (country, admin1)
    if lat is None:
        assert place.lat is None and place.lon is None
    else:
        assert _km(place.lat, place.lon, lat, lon) < 25


def test_seed_context_events(seed):
    _, incidents = seed
    visit = _one(incidents, "context_diplomatic")
    assert visit.time.start.isoformat()[:7] == "2024-04"
    panel = _one(incidents, "context_enforcement")
    assert panel.time.start.isoformat() == "2024-04-30"
    assert any("dissolved" in e for e in panel.evidence)


def test_seed_evidence_is_verbatim_and_not_furniture(seed):
    article, incidents = seed
    original = json.loads(Path(sample_paths()[0]).read_text(encoding="utf-8"))["text"]
    for incident in incidents:
        assert incident.evidence
        for sentence, (start, end) in zip(incident.evidence, incident.evidence_spans, strict=True):
            assert sentence in original
            assert article.text[start:end] == sentence
            assert not any(f in sentence for f in FURNITURE)


@pytest.mark.parametrize(
    ("name", "role"),
    [("Namyang", "crossing"), ("Tumen", "crossing"), ("Nanping", "crossing"), ("Onsong County", "origin"), ("Musan County", "origin")],
)
def test_seed_place_roles(seed, name, role):
    _, incidents = seed
    places = {p.name: p for p in _one(incidents, "labor_export").locations}
    assert places[name].role == role
