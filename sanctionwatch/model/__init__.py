"""Domain values: pure, no I/O, importing nothing else of the package."""

from sanctionwatch.model.article import Article, make_article_id
from sanctionwatch.model.incident import (
    ACTIVITY_TYPES,
    CONTEXT_TYPES,
    INCIDENT_TYPES,
    Actor,
    Incident,
    Location,
    Quantity,
    SanctionsLink,
    TimeRange,
    Vessel,
)
from sanctionwatch.model.text import Span

__all__ = [
    "ACTIVITY_TYPES",
    "CONTEXT_TYPES",
    "INCIDENT_TYPES",
    "Actor",
    "Article",
    "Incident",
    "Location",
    "Quantity",
    "SanctionsLink",
    "Span",
    "TimeRange",
    "Vessel",
    "make_article_id",
]
