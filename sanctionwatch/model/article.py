"""Articles: the text of one report with its metadata."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

# The longest author an article carries: a record with a longer one is refused, and a page's
# longer byline is no name (a stuffed meta tag), so the page keeps none.
MAX_AUTHOR_CHARACTERS = 300


def make_article_id(*, url: str | None, text: str) -> str:
    """A content-hash id: of the canonical URL when there is one, else of the text."""
    basis = url if url else text
    return "a-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def content_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Article:
    """One report. ``text`` is the cleaned main text that every span points into.

    ``id`` is the record's own id; ``origin`` says where the record came from (``file:/abs/path``
    of an input file, a feed), so that two inputs that both number their records 1, 2, 3 are
    told apart. The store decides the key an article is kept under (``store/articles.py``).
    """

    id: str
    text: str
    published: date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    language: str = "en"
    author: str | None = None
    fetched_at: datetime | None = None
    metadata: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    origin: str | None = None

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)
