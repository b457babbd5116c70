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
    true,
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

# Article ids are the input's record ids where free; see ``store/articles.py`` for identity.
ARTICLE_ID_LENGTH = 255

articles = Table(
    "articles",
    metadata,
    Column("id", String(ARTICLE_ID_LENGTH), primary_key=True),
    Column("url", Text),
    Column("canonical_url", Text, unique=True),
    Column("source", Text),
    Column("title", Text),
    Column("published", String(10)),
    Column("language", String(16)),
    Column("author", Text),
    Column("text", Text, nullable=False),
    Column("content_hash", String(64), nullable=False, index=True),
    Column("metadata", JSON),
    Column("fetched_at", String(32)),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    # Where the record came from ("file:/abs/path.jsonl", a feed) and its id there: one record
    # of one origin is one article, whatever key it is stored under.
    Column("origin", Text),
    Column("record_id", Text),
)
Index("ux_articles_origin_record", articles.c.origin, articles.c.record_id, unique=True)

incidents = Table(
    "incidents",
    metadata,
    # Stable across re-extraction (``model/identity.py``): reviews and decisions hang on it.
    Column("id", String(64), primary_key=True),
    Column(
        "article_id", String(ARTICLE_ID_LENGTH), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    # The columns below ``data`` are derived on every write from the *effective* incident: the
    # machine's ``data`` with the analyst's edits applied, so filters see what pages show.
    Column("type", String(64), nullable=False, index=True),
    Column("data", JSON, nullable=False),
    Column("countries", Text, nullable=False, default=""),  # ",KP,CN,"; kept for 0.1.0 readers
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
    # The review's status, copied here in the review's transaction (``reviews`` stays the record).
    Column("review_status", String(16), nullable=False, server_default="unreviewed"),
    # Shown in lists: current, or vanished but decided on by an analyst (an orphaned review).
    Column("listed", Boolean, nullable=False, server_default=true()),
    Column("start_month", String(7)),
)
# Counts and facets read only this index (a covering scan), never the rows with their JSON.
Index(
    "ix_incidents_listing",
    incidents.c.listed,
    incidents.c.review_status,
    incidents.c.type,
    incidents.c.start_month,
    incidents.c.start_date,
    incidents.c.end_date,
    incidents.c.confidence,
)
# The default order (confidence, highest first) with the filter columns: keyset pages and
# OFFSET skips walk the index alone.
Index(
    "ix_incidents_rank",
    incidents.c.confidence.desc(),
    incidents.c.id,
    incidents.c.listed,
    incidents.c.review_status,
    incidents.c.type,
)

# One row per country of an incident's actors and places (effective), for the country filter and facet.
incident_countries = Table(
    "incident_countries",
    metadata,
    Column("incident_id", String(64), ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
    Column("country", String(2), primary_key=True),
)
Index("ix_incident_countries_country", incident_countries.c.country, incident_countries.c.incident_id)

# One row per place of an incident (effective), for the map.
incident_places = Table(
    "incident_places",
    metadata,
    Column("incident_id", String(64), ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("country", String(2)),
    Column("role", String(16)),
    Column("lat", Float),
    Column("lon", Float),
)

# One row whose number grows with every change to incidents or reviews: caches of counts key on it.
store_version = Table(
    "store_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", Integer, nullable=False),
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
    # The process that runs it: a run never finished whose process is gone was killed.
    Column("pid", Integer),
    Column("host", Text),
    Column("status", String(16), nullable=False, server_default="finished"),
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
    Column("article_id", String(ARTICLE_ID_LENGTH)),
    Column("seen_at", String(32), nullable=False),
    UniqueConstraint("feed_id", "guid", name="uq_feed_entry_guid"),
)

Index("ix_incidents_dates", incidents.c.start_date, incidents.c.end_date)
