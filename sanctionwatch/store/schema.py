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
    func,
    literal_column,
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
    Column("language", Text),  # a page's <html lang> tag, any length (step 7)
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
    Column("certainty", String(32)),
    Column("attribution", String(32)),
    Column("time_precision", String(8)),
    # The start date, else the end date, else "": the timeline's anchor and the "newest" order.
    Column("sort_date", String(10), nullable=False, server_default=""),
    # The article's source outlet, copied on write: the source filter and facet need no join.
    Column("source", Text),
    # How many sanctions-list links its actors and vessels carry (the "on a sanctions list" filter).
    Column("sanctions_links", Integer, nullable=False, server_default="0"),
)
# Counts, facets, the timeline and the matching ids read only this index (a covering scan),
# never the JSON rows (the id last since step 9).
Index(
    "ix_incidents_listing",
    incidents.c.listed,
    incidents.c.review_status,
    incidents.c.type,
    incidents.c.certainty,
    incidents.c.attribution,
    incidents.c.source,
    incidents.c.sort_date,
    incidents.c.start_date,
    incidents.c.end_date,
    incidents.c.time_precision,
    incidents.c.confidence,
    incidents.c.id,
)
# The orders of the list with the filter columns: keyset pages and OFFSET skips walk an index.
Index(
    "ix_incidents_newest",
    incidents.c.sort_date.desc(),
    incidents.c.confidence.desc(),
    incidents.c.id,
    incidents.c.listed,
    incidents.c.review_status,
    incidents.c.type,
)
Index(
    "ix_incidents_rank",
    incidents.c.confidence.desc(),
    incidents.c.id,
    incidents.c.listed,
    incidents.c.review_status,
    incidents.c.type,
)
Index("ix_incidents_added", incidents.c.created_at, incidents.c.id)
# The "oldest" order (undated last): literals, not parameters, so queries match the index.
OLDEST_FIRST = func.coalesce(func.nullif(incidents.c.sort_date, literal_column("''")), literal_column("'9999-99-99'"))
Index("ix_incidents_oldest", OLDEST_FIRST, incidents.c.id)

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
