"""Main text and metadata of an article page, with trafilatura and a fallback.

Cascade of :func:`extract_page` (trafilatura's ``core.py`` style: numbered steps, first
useful result wins):

1. Decode bytes with :mod:`charset`; cut the HTML at :data:`MAX_HTML_CHARACTERS` (trafilatura's
   own streaming limit is 20 MB; a news article is far below that). Binary data (an image or
   random bytes named ``.html``) is refused rather than stored as an article of mojibake.
2. trafilatura on one parse of the page: its own metadata steps for the title, author and date
   (``page_metadata``), then its main-text extraction; paragraphs become blocks separated by a
   blank line.
3. If that text is missing or shorter than the ``articleBody`` of the page's JSON-LD (pages that
   render the article with JavaScript), use ``articleBody``.
4. If trafilatura fails (lxml or recursion errors on hostile DOMs), a plain lxml text dump.
5. If the text is still short and the page's whole text (Python's html.parser, which has no
   nesting limit) is much longer, that: libxml2 drops everything below 256 nested elements.

Metadata gaps are filled from JSON-LD (``headline``, ``datePublished``, ``author``) and
``<html lang>``; a page whose metadata has no date may state one in words (``stated_date``:
"Published May 16, 2024", a dateline), never its footer's copyright year. The result is plain
text; it never contains markup from the page.
"""

from __future__ import annotations

import configparser
import contextlib
import functools
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import htmldate
import lxml.etree
import lxml.html
import trafilatura
import trafilatura.metadata
import trafilatura.settings
import trafilatura.utils

from sanctionwatch.errors import InputError
from sanctionwatch.ingest.byline import page_author
from sanctionwatch.ingest.charset import decode_document
from sanctionwatch.ingest.dates import stated_publication_date
from sanctionwatch.ingest.plaintext import NON_TEXT_CONTROLS, html_to_text, plain_text
from sanctionwatch.model.article import MAX_AUTHOR_CHARACTERS

MAX_HTML_CHARACTERS = 10_000_000
MAX_TREE_SIZE = 50_000  # elements; news pages have a few thousand. Bigger trees go to the
# fallback: trafilatura needs ~12 s for 100,000 <p> (measured), the lxml dump under 1 s.
# Below this many characters, the cascade's text is compared with the page's whole text (step 5).
SHORT_TEXT_CHARACTERS = 500
START_TAG = re.compile(r"<[A-Za-z]")
JSON_LD = re.compile(r"<script[^>]*type\s*=\s*[\"']?application/ld\+json[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)
HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)", re.IGNORECASE)


@dataclass(frozen=True)
class PageContent:
    """Extracted article: plain ``text`` with paragraphs separated by blank lines."""

    title: str | None
    text: str
    published: date | None  # from the page's metadata
    author: str | None
    language: str | None
    # Only when the metadata gives none: a date the page states ("Published May 16, 2024", a
    # dateline). Weaker evidence, so a date the user passes (``--published``) outranks it.
    stated_date: date | None = None


CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
# A stray control character that text never holds occurs in real pages; binary data (an image,
# a PDF or a zip named .html, random bytes) is full of them.
BINARY_CHARACTERS = re.compile(f"[{NON_TEXT_CONTROLS}]")
BINARY_SAMPLE_CHARACTERS = 8192
BINARY_SHARE = 0.01  # of the sample, and at least BINARY_MINIMUM of them
BINARY_MINIMUM = 8


def looks_binary(text: str) -> bool:
    """True for decoded bytes that are not text: more than 1% of the first 8,192 characters
    (and at least 8) are control characters that text never holds."""
    sample = text[:BINARY_SAMPLE_CHARACTERS]
    found = len(BINARY_CHARACTERS.findall(sample))
    return found >= BINARY_MINIMUM and found > BINARY_SHARE * len(sample)


def paragraphs(text: str) -> str:
    """One paragraph per non-empty line, separated by blank lines; control characters dropped."""
    text = CONTROL_CHARACTERS.sub("", text)
    return "\n\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def json_ld_objects(html: str) -> list[dict[str, Any]]:
    """Every JSON object in the page's JSON-LD blocks, ``@graph`` members included."""
    found: list[dict[str, Any]] = []
    pending: list[Any] = []
    for block in JSON_LD.findall(html[:MAX_HTML_CHARACTERS])[:20]:
        try:
            pending.append(json.loads(block.strip()))
        except (ValueError, RecursionError):
            continue
    while pending and len(found) < 200:
        item = pending.pop(0)
        if isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, dict):
            found.append(item)
            if isinstance(item.get("@graph"), list):
                pending.extend(item["@graph"])
    return found


def json_ld_article(html: str) -> dict[str, Any]:
    """The JSON-LD object with the longest ``articleBody`` (or any headline), else empty."""
    objects = json_ld_objects(html)
    with_body = [item for item in objects if isinstance(item.get("articleBody"), str)]
    if with_body:
        return max(with_body, key=lambda item: len(item["articleBody"]))
    return next((item for item in objects if isinstance(item.get("headline"), str)), {})


def json_ld_author(article: dict[str, Any]) -> str | None:
    authors = article.get("author")
    for entry in authors if isinstance(authors, list) else [authors]:
        name = entry.get("name") if isinstance(entry, dict) else entry
        if isinstance(name, str) and name.strip():
            return plain_text(name, is_html=True, single_line=True)
    return None


def parse_date(value: Any) -> date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None


def fallback_text(html: str) -> str:
    """Plain text of the whole body, scripts and styles dropped; for when trafilatura fails."""
    try:
        root = lxml.html.document_fromstring(html)
        for element in root.xpath("//script|//style|//noscript|//template"):
            element.drop_tree()
        blocks = [" ".join(block.text_content().split()) for block in root.xpath("//p|//h1|//h2|//h3|//li")]
        text = "\n".join(block for block in blocks if block) or root.text_content()
    except (lxml.etree.LxmlError, ValueError, RecursionError):
        text = ""
    if not text.strip():  # libxml2 drops content nested deeper than its limit; html.parser does not
        text = html_to_text(html)
    return paragraphs(text)


@functools.lru_cache(maxsize=1)
def trafilatura_config() -> configparser.ConfigParser:
    config = trafilatura.settings.use_config()
    config.set("DEFAULT", "MAX_TREE_SIZE", str(MAX_TREE_SIZE))
    return config


@dataclass
class TrafilaturaResult:
    """What the cascade reads from trafilatura: the main text and the metadata it uses."""

    text: str | None
    title: str | None
    author: str | None
    date: str | None


def page_metadata(tree: lxml.html.HtmlElement, url: str | None) -> Any:
    """Title, author and date of the page: trafilatura's ``extract_metadata`` steps for those
    fields, in its order and with its functions, less the fields nothing here reads (site name,
    hostname, categories, tags, licence: a third of its time on a news page). The date is the
    header-only search: htmldate's extensive one (over the whole text) is half of trafilatura's
    time on a news page, and ends at the footer's copyright year."""
    metadata = trafilatura.metadata.examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None  # trafilatura's rule: a one-word author is a site handle
    with contextlib.suppress(Exception):  # trafilatura's own guard: bugs in its JSON-LD reader
        metadata = trafilatura.metadata.extract_meta_json(tree, metadata)
    if not metadata.title:
        metadata.title = trafilatura.metadata.extract_title(tree)
    if not metadata.author:
        metadata.author = page_author(tree)  # trafilatura's byline search, in a fifth of its time
    if not metadata.url:
        metadata.url = trafilatura.metadata.extract_url(tree, url)
    date_params = trafilatura.settings.set_date_params(False)
    date_params["url"] = metadata.url  # htmldate reads a date in the URL's path too
    metadata.date = htmldate.find_date(tree, **date_params)
    return metadata


def run_trafilatura(html: str, url: str | None) -> TrafilaturaResult | None:
    # trafilatura applies MAX_TREE_SIZE only after its full cascade has run, so count start
    # tags first (a regex over the text takes milliseconds) and skip it for giant trees.
    if sum(1 for _ in START_TAG.finditer(html)) > MAX_TREE_SIZE:
        return None
    try:
        # One parse for both: the metadata steps read the tree, and bare_extraction works on a
        # copy of it, as trafilatura's own with_metadata run does after the same steps.
        tree = trafilatura.utils.load_html(html, trafilatura_config().getint("DEFAULT", "MAX_FILE_SIZE"))
        if tree is None:
            return None
        metadata = page_metadata(tree, url)
        document = trafilatura.bare_extraction(  # the canonical URL when none is given, as trafilatura does
            tree, url=url or metadata.url, include_comments=False, include_tables=True, config=trafilatura_config()
        )
    except (lxml.etree.LxmlError, RecursionError, ValueError, TypeError, AttributeError, IndexError):
        return None  # the fallback below handles it
    text = getattr(document, "text", None)
    return TrafilaturaResult(text=text, title=metadata.title, author=metadata.author, date=metadata.date)


def extract_page(html: str | bytes, *, url: str | None) -> PageContent:
    """Extract the main text and metadata of an article page.

    Accepts decoded text or raw bytes (decoded with :mod:`charset`). Never returns markup.
    Raises :class:`InputError` only if no text at all can be obtained from the input.
    """
    if isinstance(html, bytes):
        html = decode_document(html[: MAX_HTML_CHARACTERS * 4], header_charset=None, content_type="text/html")
    html = html[:MAX_HTML_CHARACTERS]
    if not html.strip():
        raise InputError("empty page", path=url)
    if looks_binary(html):
        raise InputError("not an HTML page (it holds binary data)", path=url)
    document = run_trafilatura(html, url)
    text = paragraphs(document.text or "") if document is not None else ""
    article = json_ld_article(html)
    body = article.get("articleBody")
    if isinstance(body, str):
        body_text = paragraphs(plain_text(body, is_html="<" in body))
        if len(body_text) > len(text):
            text = body_text
    if not text:
        text = fallback_text(html)
    if len(text) < SHORT_TEXT_CHARACTERS:
        # libxml2 stops at 256 nested elements and drops what lies deeper, so a deeply nested
        # page comes back as its title alone; Python's html.parser has no depth limit.
        whole = paragraphs(html_to_text(html))
        if len(whole) > 2 * len(text) + SHORT_TEXT_CHARACTERS // 5:
            text = whole
    if not text:
        raise InputError("no text could be extracted from the page", path=url)
    title = (document.title if document else None) or article.get("headline")
    author = (document.author if document else None) or json_ld_author(article)
    if isinstance(author, str) and len(author) > MAX_AUTHOR_CHARACTERS:
        author = None  # not a name (a stuffed meta tag), and more than an article may carry
    # The page's metadata first (trafilatura's header search: meta tags, JSON-LD, <time>, date
    # elements, the URL), then the date the page states in words (a cue or a dateline).
    published = parse_date(document.date if document else None) or parse_date(article.get("datePublished"))
    stated = None if published else stated_publication_date(html, text)
    match = HTML_LANG.search(html[:100_000])  # trafilatura detects no language without py3langid
    language = match.group(1).lower() if match else None
    return PageContent(
        title=plain_text(title, is_html=False, single_line=True) if isinstance(title, str) and title.strip() else None,
        text=text,
        published=published,
        stated_date=stated,
        author=plain_text(author, is_html=False, single_line=True) if isinstance(author, str) else None,
        language=language,
    )
