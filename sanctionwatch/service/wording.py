"""Small helpers for the sentences the fronts print."""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 incident``, ``2 incidents``, ``0 errors``; ``plural_form`` for irregular words."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"
