"""Reading articles from files: JSON Lines, one JSON article, plain text, HTML.

Bad records raise ``InputError`` naming the file and line; ``read_articles`` reports them through
``on_error`` and carries on with the next record.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sanctionwatch.errors import InputError
from sanctionwatch.ingest.clean import clean_text
from sanctionwatch.ingest.dates import parse_written_date, written_dates
from sanctionwatch.ingest.plaintext import NON_TEXT_CONTROLS
from sanctionwatch.model import Article, make_article_id
from sanctionwatch.model.article import MAX_AUTHOR_CHARACTERS
from sanctionwatch.service.validation import text_problem, unicode_problem

if TYPE_CHECKING:
    from sanctionwatch.engines.work import Outcome, WorkItem

T = TypeVar("T")

MAX_ARTICLE_CHARACTERS = 2_000_000
MAX_ID_CHARACTERS = 200
# Record fields and their limits: text fields of one line (an id, a title, a URL).
_ONE_LINE_FIELDS = {"title": 1_000, "url": 8_000, "source": 300, "author": MAX_AUTHOR_CHARACTERS}
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# Besides ISO dates and written ones ("May 16, 2024", "Feb. 6, 2024", "6 February 2024"), the
# spellings that scraped corpora carry ("4/23/18").
_DATE_FORMATS = ("%m/%d/%y", "%m/%d/%Y")
EARLIEST_PUBLICATION = date(1900, 1, 1)
# Clock skew and time zones: a story dated tomorrow is plausible, one dated 9999-12-31 is not.
FUTURE_TOLERANCE_DAYS = 2


def _plausible(when: date, *, value: Any, path: str | None, line: int | None) -> date:
    latest = date.today() + timedelta(days=FUTURE_TOLERANCE_DAYS)
    if not EARLIEST_PUBLICATION <= when <= latest:
        raise InputError(
            f"published {str(value)[:40]!r} is not a plausible publication date (1900 to {latest.isoformat()})",
            path=path,
            line=line,
        )
    return when


def parse_publication_date(value: Any, *, path: str | None = None, line: int | None = None) -> date | None:
    """A publication date from ISO (``2024-05-16``, with or without a time) or a common spelling."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InputError(f"published must be a date YYYY-MM-DD, got {_kind(value)}", path=path, line=line)
    problem = text_problem(value, max_length=100)
    if problem:
        raise InputError(f"published {problem}", path=path, line=line)
    text = value.strip()
    parsed: date | None = None
    try:
        parsed = date.fromisoformat(text[:10])
    except ValueError:
        parsed = parse_written_date(text)
    for date_format in _DATE_FORMATS:
        if parsed is not None:
            break
        try:
            parsed = datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    if parsed is None:
        try:
            parsed = parsedate_to_datetime(text).date()
        except (TypeError, ValueError, IndexError):
            raise InputError(f"published must be YYYY-MM-DD, got {value[:40]!r}", path=path, line=line) from None
    return _plausible(parsed, value=value, path=path, line=line)


def _kind(value: Any) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__
    )


def _record_id(value: Any, *, path: str | None, line: int | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InputError(f"'id' must be text or a whole number, got {_kind(value)}", path=path, line=line)
    text = str(value)
    problem = text_problem(text, max_length=MAX_ID_CHARACTERS)
    if problem or not text.strip():
        raise InputError(f"'id' {problem or 'is empty'}", path=path, line=line)
    return text


def _one_line_field(record: dict[str, Any], name: str, *, path: str | None, line: int | None) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    problem = text_problem(value, max_length=_ONE_LINE_FIELDS[name])
    if problem:
        raise InputError(f"'{name}' {problem}", path=path, line=line)
    return str(value).strip() or None


def article_from_record(
    record: Any, *, path: str | None = None, line: int | None = None, origin: str | None = None
) -> Article:
    """A JSON object with at least ``text``; ``id``, ``published``, ``title``, ``url``, ``source`` optional.

    Every field is checked (type, length, valid Unicode: a ``\\ud800`` escape decodes to a lone
    surrogate that could never be stored) and a bad one refuses the record, naming the field.
    """
    if not isinstance(record, dict):
        raise InputError("expected a JSON object with 'id', 'text' and 'published'", path=path, line=line)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError("record has no 'text'", path=path, line=line)
    if len(text) > MAX_ARTICLE_CHARACTERS:
        raise InputError(f"text longer than {MAX_ARTICLE_CHARACTERS:,} characters", path=path, line=line)
    problem = unicode_problem(text)
    if problem:
        raise InputError(f"'text' {problem}", path=path, line=line)
    article_id = _record_id(record.get("id"), path=path, line=line)
    fields = {name: _one_line_field(record, name, path=path, line=line) for name in _ONE_LINE_FIELDS}
    published = parse_publication_date(record.get("published"), path=path, line=line)
    cleaned = clean_text(text)
    # Cleaning drops furniture lines; a short story can be nothing but such a line (a one-liner
    # ending "For more information …, please visit …"): keep its text rather than store nothing.
    body = cleaned.text or "\n".join(part.strip() for part in text.replace("\r\n", "\n").split("\n")).strip()
    url = fields["url"]
    return Article(
        id=article_id if article_id is not None else make_article_id(url=url, text=body),
        text=body,
        published=published or find_date_in_text(text),
        title=fields["title"],
        url=url,
        source=fields["source"],
        author=fields["author"] or cleaned.metadata.get("author"),
        metadata=cleaned.metadata,
        origin=origin,
    )


def find_date_in_text(text: str) -> date | None:
    """The first plausible date written in the text (a dateline), else the first ISO date."""
    head = text[:200_000]
    latest = date.today() + timedelta(days=FUTURE_TOLERANCE_DAYS)
    written = [when for _, when in written_dates(head)]
    iso: list[date] = []
    for match in _ISO_DATE.finditer(head):
        try:
            iso.append(date(int(match.group(1)), int(match.group(2)), int(match.group(3))))
        except ValueError:
            continue
    plausible = [d for d in written + iso if d.year >= 1990 and d <= latest]
    return plausible[0] if plausible else None


# Bytes that text never holds: a file with them in its first 8 KB is binary (an image, a PDF
# renamed .txt, a zip), however its name ends.
_BINARY_BYTES = re.compile(f"[{NON_TEXT_CONTROLS}]".encode("ascii"))
_BINARY_SAMPLE_BYTES = 8192


def _read_text(path: Path) -> str:
    """The file's text; an empty or binary file is an InputError that says so."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if not raw.strip():
        raise InputError("the file is empty", path=str(path))
    sample = raw[:_BINARY_SAMPLE_BYTES]
    if not sample.startswith((b"\xff\xfe", b"\xfe\xff")) and len(_BINARY_BYTES.findall(sample)) > 0:
        raise InputError("not a text file (it holds binary data)", path=str(path))
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
    # With the record ids, the origin tells two files that both number their records 1, 2, 3 apart.
    origin = "file:" + str(path.resolve())

    def report(error: InputError) -> None:
        if on_error is None:
            raise error
        on_error(error)

    if suffix in JSON_LINES_SUFFIXES:
        with path.open("rb") as handle:
            for number, raw_line in enumerate(handle, start=1):
                if not raw_line.strip():
                    continue
                try:
                    record = json.loads(raw_line.decode("utf-8-sig"))
                    article = article_from_record(record, path=name, line=number, origin=origin)
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
                article = article_from_record(item, path=name, line=line, origin=origin)
                if require_date or published:
                    article = _dated(article, published, path=name, line=line)
            except InputError as exc:
                report(exc)
                continue
            yield article
        return
    if suffix in TEXT_SUFFIXES:
        raw = _read_text(path)
        when = published or find_date_in_text(raw)
        if when is None:
            raise InputError("no publication date: pass --published YYYY-MM-DD", path=name)
        record = {"id": path.stem, "text": raw, "published": when.isoformat()}
        yield article_from_record(record, path=name, origin=origin)
        return
    if suffix in HTML_SUFFIXES:
        yield HTMLFile(name, published).to_article()
        return
    raise InputError(f"unsupported file type {suffix or '(none)'!r}: use .jsonl, .json, .txt or .html", path=name)


JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm")
# What read_articles reads: JSON Lines, one .json article (or a list), plain text, a page.
INPUT_SUFFIXES = (*JSON_LINES_SUFFIXES, ".json", *TEXT_SUFFIXES, *HTML_SUFFIXES)


def input_files(path: str | Path) -> Iterator[Path]:
    """``path`` itself, or for a folder every input file below it (by suffix, in name order;
    hidden files and folders skipped, symbolic links to folders not followed, and only regular
    files: a named pipe in a folder would block the read forever). A folder holding none is an
    InputError that says so."""
    path = Path(path)
    if not path.is_dir():
        yield path
        return
    found = 0
    for folder, subfolders, names in os.walk(path):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(names):
            file = Path(folder) / name
            if not name.startswith(".") and file.suffix.lower() in INPUT_SUFFIXES and file.is_file():
                found += 1
                yield file
    if not found:
        raise InputError(f"the folder holds no {', '.join(INPUT_SUFFIXES)} file", path=str(path))


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
        # The page's own metadata, else the date the user passed, else a date the page states.
        when = page.published or self.published or page.stated_date
        if when is None:
            raise InputError("no publication date found in the page: pass --published YYYY-MM-DD", path=self.path)
        record = {"id": path.stem, "text": page.text, "published": when.isoformat(), "title": page.title, "author": page.author}
        # The same origin as read_articles gives every file: its resolved path.
        return article_from_record(record, path=self.path, origin="file:" + str(path.resolve()))


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


# Inputs of the batch commands ---------------------------------------------------------------
# Here rather than in ingestion.py, so that `extract` (no database) does not import the store.


def iter_input_articles(
    paths: Sequence[str | Path], *, published: date | None, on_error: Callable[[InputError], None]
) -> Iterator[Article]:
    """The inputs' articles (a folder: every input file below it); errors go to ``on_error``."""
    return _each_input(paths, on_error, lambda file: read_articles(file, published=published, on_error=on_error))


def iter_input_sources(
    paths: Sequence[str | Path], *, published: date | None, on_error: Callable[[InputError], None]
) -> Iterator[WorkItem]:
    """The inputs' articles, HTML files left for the engine's workers to read."""
    return _each_input(paths, on_error, lambda file: read_sources(file, published=published, on_error=on_error))


def _each_input(
    paths: Sequence[str | Path], on_error: Callable[[InputError], None], read: Callable[[Path], Iterator[T]]
) -> Iterator[T]:
    """What ``read`` yields for every input file below ``paths``; a path or file that cannot be
    read goes to ``on_error`` and the others go on."""
    for file in _input_files(paths, on_error):
        try:
            yield from read(file)
        except InputError as exc:
            on_error(exc)


def _input_files(paths: Sequence[str | Path], on_error: Callable[[InputError], None]) -> Iterator[Path]:
    for path in paths:
        try:
            yield from input_files(path)
        except InputError as exc:
            on_error(exc)


def where_from(article: Article) -> str:
    """Where an article came from, for a warning: its file and record id, else its id."""
    origin = (article.origin or "").removeprefix("file:")
    return f"{origin}: record {article.id!r}" if origin else f"article {article.id!r}"


def outcome_error(item: WorkItem, outcome: Outcome) -> str:
    """The line that reports a failed item, naming it once."""
    error = outcome.error or "failed"
    if not isinstance(item, Article):
        return error if error.startswith(item.key) else f"{item.key}: {error}"
    return f"{where_from(item)}: {error}"
