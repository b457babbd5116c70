"""The store version: one number that grows with every change to articles, incidents or reviews.

Caches of counts and facets key on it (``store/queries.py``), so a page served after any write,
by any process, never shows counts from before it. Bumped inside each write transaction, so the new number
becomes visible together with the change.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from sanctionwatch.store.schema import store_version

_BUMP = store_version.update().where(store_version.c.id == 1).values(version=store_version.c.version + 1)


def bump_store_version(connection: Connection) -> None:
    connection.execute(_BUMP)


def read_store_version(connection: Connection) -> int:
    return int(connection.execute(select(store_version.c.version).where(store_version.c.id == 1)).scalar_one())
