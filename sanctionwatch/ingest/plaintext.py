"""Reduce untrusted HTML fragments (feed titles, summaries, authors) to inert plain text.

Contract: entities are decoded exactly once, tags are removed, ``<script>``/``<style>`` content
is dropped, block elements become line breaks. The result never contains anything that reads
as a tag: text that still looks like markup after the one decoding (double-encoded HTML such as
``&amp;lt;script&amp;gt;``) loses those tags too, and a leftover ``<`` directly before a letter,
``/``, ``!`` or ``?`` becomes ``‹`` (U+2039). A template that forgot to escape still could not
render markup from it; templates must escape anyway.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCK_TAGS = frozenset(
    {"p", "br", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
     "blockquote", "pre", "section", "article", "header", "footer", "hr", "dd", "dt"}
)
DROPPED_CONTENT_TAGS = frozenset({"script", "style", "template", "noscript", "iframe", "object", "svg", "math"})
TAG_LIKE = re.compile(r"<[A-Za-z/!?][^<>]*>")
TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
SPACES = re.compile(r"[ \t\f\v\u00a0\u200b]+")
MANY_NEWLINES = re.compile(r"\n{3,}")
# Control characters that text never holds (tab, line breaks, form feed and escape aside), as a
# character-class body: a file or page full of them is binary data (an image, a zip, random
# bytes), whatever its name ends in. ``service.inputs`` tests raw bytes, ``pages`` decoded text.
NON_TEXT_CONTROLS = "\x00-\x08\x0e-\x1a\x1c-\x1f"


class TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropped_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED_CONTENT_TAGS:
            self.dropped_depth += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n" if tag == "p" else "\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED_CONTENT_TAGS:
            self.dropped_depth = max(0, self.dropped_depth - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n" if tag == "p" else "\n")

    def handle_data(self, data: str) -> None:
        if not self.dropped_depth:
            self.parts.append(data)


def neutralise_markup(text: str) -> str:
    """Remove tag-like sequences from already-plain text (see module docstring)."""
    text = TAG_LIKE.sub("", text)
    return TAG_START.sub("\u2039", text)


def tidy_whitespace(text: str, *, single_line: bool) -> str:
    if single_line:
        return " ".join(text.split())
    lines = [SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def html_to_text(fragment: str, *, single_line: bool = False) -> str:
    """Plain text of an HTML fragment; never raises."""
    collector = TextCollector()
    try:
        collector.feed(fragment)
        collector.close()
    except (AssertionError, ValueError):  # html.parser on pathological input
        return tidy_whitespace(neutralise_markup(fragment), single_line=single_line)
    return tidy_whitespace(neutralise_markup("".join(collector.parts)), single_line=single_line)


def plain_text(value: str, *, is_html: bool, single_line: bool = False) -> str:
    """``value`` as inert plain text; ``is_html`` says whether entities and tags are markup."""
    if is_html:
        return html_to_text(value, single_line=single_line)
    return tidy_whitespace(neutralise_markup(value), single_line=single_line)
