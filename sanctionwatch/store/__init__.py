"""Storage: one schema over SQLite (default, WAL) and PostgreSQL."""

from sanctionwatch.store.engine import DEFAULT_DATABASE, create_database_engine, database_url

__all__ = ["DEFAULT_DATABASE", "create_database_engine", "database_url"]
