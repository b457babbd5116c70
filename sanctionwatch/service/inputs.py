"""Reading articles from files: JSON Lines, one JSON article, plain text, HTML.

Bad records raise ``InputError`` naming the file and line; ``read_articles`` reports them through
``on_error`` and carries on with the next record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from sanctionwatch.errors import InputError
from sanctionwatch.ingest.clean import clean_text
from sanctionwatch.model import Article, make_article_id

MAX_ARTICLE_CHARACTERS = 2_000_000
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_TEXT_DATE = re.compile(rf"\b({_MONTHS})\s+(\d{{1,2}}),\s+(\d{{4}})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


# Besides ISO dates, the spellings that scraped corpora carry ("4/23/18", "May 16, 2024").
_DATE_FORMATS = ("%m/%d/%y", "%m/%d/%Y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y")


def parse_publication_date(value: Any, *, path: str | None = None, line: int | None = None) -> date | None:
    """A publication date from ISO (``2024-05-16``, with or without a time) or a common spelling."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    for date_format in _DATE_FORMATS:
        try:
            return datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        raise InputError(f"published must be YYYY-MM-DD, got {value!r}", path=path, line=line) from None


def article_from_record(record: Any, *, path: str | None = None, line: int | None = None) -> Article:
    """A JSON object with at least ``text``; ``id``, ``published``, ``title``, ``url``, ``source`` optional."""
    if not isinstance(record, dict):
        raise InputError("expected a JSON object with 'id', 'text' and 'published'", path=path, line=line)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError("record has no 'text'", path=path, line=line)
    if len(text) > MAX_ARTICLE_CHARACTERS:
        raise InputError(f"text longer than {MAX_ARTICLE_CHARACTERS:,} characters", path=path, line=line)
    cleaned = clean_text(text)
    url = record.get("url") if isinstance(record.get("url"), str) else None
    article_id = record.get("id")
    if article_id is not None and not isinstance(article_id, str | int):
        raise InputError("'id' must be a string", path=path, line=line)
    published = parse_publication_date(record.get("published"), path=path, line=line)
    return Article(
        id=str(article_id) if article_id is not None else make_article_id(url=url, text=cleaned.text),
        text=cleaned.text,
        published=published or find_date_in_text(text),
        title=record.get("title") if isinstance(record.get("title"), str) else None,
        url=url,
        source=record.get("source") if isinstance(record.get("source"), str) else None,
        author=cleaned.metadata.get("author"),
        metadata=cleaned.metadata,
    )


def find_date_in_text(text: str) -> date | None:
    """The latest plausible date written in the text (a dateline or a footer)."""
    found: list[date] = []
    for match in _TEXT_DATE.finditer(text[:200_000]):
        month = _MONTHS.split("|").index(match.group(1)) + 1
        try:
            found.append(date(int(match.group(3)), month, int(match.group(2))))
        except ValueError:
            continue
    for match in _ISO_DATE.finditer(text[:200_000]):
        try:
            found.append(date(int(match.group(1)), int(match.group(2)), int(match.group(3))))
        except ValueError:
            continue
    plausible = [d for d in found if 1990 <= d.year <= date.today().year + 1]
    return plausible[0] if plausible else None


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        from sanctionwatch.ingest.charset import decode_document

        return decode_document(raw, header_charset=None, content_type="text/plain")


def read_articles(
    path: str | Path,
    *,
    published: date | None = None,
    on_error: Callable[[InputError], None] | None = None,
    require_date: bool = True,
) -> Iterator[Article]:
    """Articles in one input file, by its suffix. Errors per record go to ``on_error`` (else raise).

    ``require_date``: refuse a JSON record with no publication date (its own, one in its text, or
    ``published``). Only a caller that reads no times from the articles may turn it off: the
    background check counts incidents and nothing else.
    """
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise InputError("no such file", path=name)
    if path.is_dir():
        raise InputError("is a directory, expected a .jsonl, .json, .txt or .html file", path=name)
    suffix = path.suffix.lower()

    def report(error: InputError) -> None:
        if on_error is None:
            raise error
        on_error(error)

    if suffix in (".jsonl", ".ndjson"):
        with path.open("rb") as handle:
            for number, raw_line in enumerate(handle, start=1):
                if not raw_line.strip():
                    continue
                try:
                    record = json.loads(raw_line.decode("utf-8-sig"))
                    article = article_from_record(record, path=name, line=number)
                    yield _dated(article, published, path=name, line=number) if require_date or published else article
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    report(InputError(f"not valid JSON: {exc}", path=name, line=number))
                except InputError as exc:
                    report(exc)
        return
    if suffix == ".json":
        try:
            record = json.loads(_read_text(path))
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc}", path=name) from exc
        records = record if isinstance(record, list) else [record]
        for index, item in enumerate(records, start=1):
            line = index if len(records) > 1 else None
            try:
                article = article_from_record(item, path=name, line=line)
                if require_date or published:
                    article = _dated(article, published, path=name, line=line)
            except InputError as exc:
                report(exc)
                continue
            yield article
        return
    if suffix in (".txt", ".text", ".md"):
        raw = _read_text(path)
        when = published or find_date_in_text(raw)
        if when is None:
            raise InputError("no publication date: pass --published YYYY-MM-DD", path=name)
        record = {"id": path.stem, "text": raw, "published": when.isoformat()}
        yield article_from_record(record, path=name)
        return
    if suffix in HTML_SUFFIXES:
        yield HTMLFile(name, published).to_article()
        return
    raise InputError(f"unsupported file type {suffix or '(none)'!r}: use .jsonl, .json, .txt or .html", path=name)


HTML_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True, slots=True)
class HTMLFile:
    """An HTML page on disk, read (trafilatura) where ``to_article`` runs: in an engine's worker."""

    path: str
    published: date | None = None

    @property
    def key(self) -> str:
        return self.path

    def to_article(self) -> Article:
        from sanctionwatch.ingest.pages import extract_page

        path = Path(self.path)
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", path=self.path) from exc
        page = extract_page(body, url=None)
        when = self.published or page.published
        if when is None:
            raise InputError("no publication date found in the page: pass --published YYYY-MM-DD", path=self.path)
        record = {"id": path.stem, "text": page.text, "published": when.isoformat(), "title": page.title}
        return article_from_record(record, path=self.path)


def read_sources(
    path: str | Path, *, published: date | None = None, on_error: Callable[[InputError], None] | None = None
) -> Iterator[Article | HTMLFile]:
    """Like ``read_articles``, but an HTML file is handed on unread (an ``HTMLFile``), so that
    the costly page extraction runs in the engine's workers rather than here."""
    if Path(path).suffix.lower() in HTML_SUFFIXES and Path(path).is_file():
        yield HTMLFile(str(path), published)
        return
    yield from read_articles(path, published=published, on_error=on_error)


def _dated(article: Article, published: date | None, *, path: str, line: int | None) -> Article:
    """The article with its publication date: its own, else ``--published``. Relative times ("last
    month") are resolved against it, so a record with neither is refused rather than dated today."""
    if article.published is not None:
        return article
    if published is not None:
        return _with_date(article, published)
    raise InputError('no publication date: add "published": "YYYY-MM-DD" to the record or pass --published', path=path, line=line)


def _with_date(article: Article, published: date) -> Article:
    from dataclasses import replace

    return replace(article, published=published)
