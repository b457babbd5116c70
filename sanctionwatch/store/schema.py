"""The one schema, in SQLAlchemy Core, for SQLite (default) and PostgreSQL.

This module declares the current shape that queries use; ``migrations.py`` holds the numbered
steps that build it (and upgrade older databases), and a test keeps the two equal.

Machine output (``incidents``) and human decisions (``reviews``) live in separate tables, so
re-running extraction can replace the first without ever touching the second: a rejected
incident stays rejected, an edit stays applied.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# Releases before migrations.py kept ``schema_version`` here and refuse a database whose
# version is newer than theirs; ``upgrade`` keeps it at the number of applied steps.
meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Text, primary_key=True),  # Text: a record's id or a file name, any length (step 3)
    Column("url", Text),
    Column("canonical_url", Text, unique=True),
    Column("source", Text),
    Column("title", Text),
    Column("published", String(10)),
    Column("language", Text),
    Column("author", Text),
    Column("text", Text, nullable=False),
    Column("content_hash", String(64), nullable=False, index=True),
    Column("metadata", JSON),
    Column("fetched_at", String(32)),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("type", String(64), nullable=False, index=True),
    Column("data", JSON, nullable=False),
    # Denormalised for filtering: ",KP,CN," and ISO dates; derived from ``data`` on write.
    Column("countries", Text, nullable=False, default=""),
    Column("start_date", String(10)),
    Column("end_date", String(10)),
    Column("search_text", Text, nullable=False, default=""),
    Column("confidence", Float, nullable=False, default=0.0),
    Column("extractor_version", String(32), nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id")),
    # False when the latest extraction of the article no longer yields this incident.
    Column("current", Boolean, nullable=False, default=True),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)

reviews = Table(
    "reviews",
    metadata,
    Column("incident_id", String(64), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("edited_data", JSON),
    Column("note", Text),
    Column("reviewer", Text),
    Column("updated_at", String(32), nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("extractor_version", String(32), nullable=False),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32)),
    Column("articles", Integer, nullable=False, default=0),
    Column("incidents", Integer, nullable=False, default=0),
    Column("failures", Integer, nullable=False, default=0),
)

feeds = Table(
    "feeds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False, unique=True),
    Column("name", Text),
    Column("title", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_success_at", String(32)),
    Column("last_error", Text),
    Column("last_error_at", String(32)),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("next_poll_at", String(32)),
    Column("paused", Boolean, nullable=False, default=False),
    Column("created_at", String(32), nullable=False),
)

feed_entries = Table(
    "feed_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("feed_id", Integer, ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
    Column("guid", Text, nullable=False),
    Column("url", Text),
    Column("article_id", Text),
    Column("seen_at", String(32), nullable=False),
    UniqueConstraint("feed_id", "guid", name="uq_feed_entry_guid"),
)

Index("ix_incidents_dates", incidents.c.start_date, incidents.c.end_date)

# --- clusters of incidents across articles (store/clusters.py) and sanctions lists
# (store/sanctions.py). Automatic edges are machine output, recomputed per article; decisions
# are an analyst's and never touched by re-extraction, like reviews.

clusters = Table(
    "clusters",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("type", String(64), nullable=False),
    Column("incident_count", Integer, nullable=False),
    Column("article_count", Integer, nullable=False),
    Column("independent_sources", Integer, nullable=False, index=True),
    Column("earliest", String(10)),
    Column("updated_at", String(32), nullable=False),
)

cluster_members = Table(
    "cluster_members",
    metadata,
    Column("incident_id", String(64), primary_key=True),
    Column("cluster_id", String(64), nullable=False, index=True),
)

cluster_edges = Table(
    "cluster_edges",
    metadata,
    Column("incident_a", String(64), primary_key=True),  # the smaller id of the pair
    Column("incident_b", String(64), primary_key=True, index=True),
    Column("kind", String(16), primary_key=True),  # "auto" or "merge" (an analyst's)
    Column("reason", Text, nullable=False),
)

cluster_decisions = Table(
    "cluster_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # "merge" or "split"
    Column("incident_id", String(64), nullable=False, index=True),
    Column("other_incident_id", String(64)),
    Column("note", Text),
    Column("reviewer", Text),
    Column("created_at", String(32), nullable=False),
)

sanctions_lists = Table(
    "sanctions_lists",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("list_id", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("generated", String(10)),
    Column("source", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("entries", Integer, nullable=False),
    Column("loaded_at", String(32), nullable=False),
)

sanctions_entries = Table(
    "sanctions_entries",
    metadata,
    Column("list_row", Integer, ForeignKey("sanctions_lists.id", ondelete="CASCADE"), primary_key=True),
    Column("reference", String(32), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("listed_on", String(10)),
    Column("data", JSON, nullable=False),  # aliases, nationalities, countries, IMO numbers, ships, comments
)

# The analyst's workspace (migration step 2): the audit trail of review decisions, saved
# searches with their feeds, and the accounts, API tokens and sessions of team mode.

review_events = Table(
    "review_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("incident_id", String(64), nullable=False, index=True),
    Column("decision", String(16), nullable=False),
    Column("reviewer", Text),  # the account's name; None in single-user mode
    Column("created_at", String(32), nullable=False),
    Column("before", JSON, nullable=False),  # the status and the changed fields as they were
    Column("after", JSON, nullable=False),  # ... and as the decision left them
    Column("note", Text),
)

saved_searches = Table(
    "saved_searches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False, unique=True),
    Column("query", Text, nullable=False),  # the list page's query string, filters only
    Column("feed_key", String(64), nullable=False, unique=True),  # unguessable part of the feed URL
    Column("owner", Text),
    Column("created_at", String(32), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", String(32), nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),  # SHA-256 of the token; the token is never stored
    Column("scopes", Text, nullable=False),  # space-separated: read review admin
    Column("created_at", String(32), nullable=False),
    Column("last_used_at", String(32)),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # SHA-256 of the cookie's value
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
)
