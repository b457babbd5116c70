"""Pydantic models of the JSON API's requests and envelopes (pydantic lives only at this edge).

Incident records are documented in INCIDENT_SCHEMA.md and passed through as the service returns
them, so the API cannot drift from the exchange format used by exports and the CLI.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ReviewRequest(BaseModel):
    """An analyst's decision. ``decision`` is checked by the service (unknown → 400)."""

    model_config = ConfigDict(extra="forbid")

    decision: str = Field(description="confirmed, rejected, edited or unreviewed")
    edits: dict[str, Any] | None = Field(
        default=None,
        description="Changed fields: type, summary, attribution, certainty, commodity, provisions, quantity, time",
    )
    note: str | None = Field(default=None, description="Free-text reason, at most 5000 characters")


class IncidentPage(BaseModel):
    items: list[dict[str, Any]]
    total: int = Field(description="Incidents matching the filters, ignoring limit and offset")
    limit: int
    offset: int


class ArticleIncident(BaseModel):
    id: str
    type: str
    summary: str
    review_status: str


class ArticleRecord(BaseModel):
    id: str
    url: str | None
    source: str | None
    title: str | None
    published: date | None
    language: str
    author: str | None
    fetched_at: datetime | None
    content_hash: str
    text: str
    incidents: list[ArticleIncident]


class Health(BaseModel):
    status: str
    version: str
    articles: int


class ErrorBody(BaseModel):
    error: str
    parameter: str | None = None
