"""Pydantic models of the JSON API's requests and envelopes (pydantic lives only at this edge).

Incident records are documented in docs/incidents.md and passed through as the service returns
them, so the API cannot drift from the exchange format used by exports and the CLI.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from sanctionwatch.service.validation import EDITABLE_FIELDS, MAX_NOTE_CHARACTERS


class ReviewRequest(BaseModel):
    """An analyst's decision. ``decision`` is checked by the service (unknown → 400)."""

    model_config = ConfigDict(extra="forbid")

    decision: str = Field(
        description="The analyst's decision", json_schema_extra={"enum": ["confirmed", "rejected", "edited", "unreviewed"]}
    )
    edits: dict[str, Any] | None = Field(
        default=None,
        description=(
            "Changed fields, each checked (400 naming the field): type, attribution, certainty (their vocabularies), "
            "summary (text, at most 2,000 characters), commodity (at most 200), provisions (list of texts), "
            "quantity {min, max, unit, item}, time {start, end (YYYY-MM-DD), precision (day, month, year), text}"
        ),
        json_schema_extra={"propertyNames": {"enum": list(EDITABLE_FIELDS)}},
    )
    note: str | None = Field(
        default=None, description="Free-text reason", json_schema_extra={"maxLength": MAX_NOTE_CHARACTERS}
    )


class IncidentPage(BaseModel):
    items: list[dict[str, Any]]
    total: int = Field(description="Incidents matching the filters, ignoring limit and offset")
    limit: int
    offset: int
    next_cursor: str | None = Field(
        default=None, description="Pass as cursor for the next page in the same order; null on the last page"
    )


class ArticleIncident(BaseModel):
    id: str
    type: str
    summary: str
    review_status: str
    orphaned: bool = Field(default=False, description="No longer found in the article's latest text; kept for its review")


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
    version: str = Field(description="sanctionwatch's version")
    extractor_version: str = Field(description="The version of the extractor that incidents of new runs carry")
    articles: int
    interrupted_runs: int = Field(description="Runs whose process was killed before they finished (see `sanctionwatch runs`)")
    prepared: bool = Field(description="The start-up check of the file and the default dashboard's counts are done")


class ErrorBody(BaseModel):
    error: str
    parameter: str | None = None
