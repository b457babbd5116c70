"""The safety pass every XML feed goes through before a parser sees it.

Entity declarations are where XML attacks live: billion laughs (nested entities), quadratic
blowup (one large entity repeated), external entities (``SYSTEM "file:///etc/passwd"``,
``"http://127.0.0.1/…"``), parameter entities and external DTDs. Feeds have no legitimate need
for any of them, so (like defusedxml's ``forbid_entities``) a DOCTYPE with an internal subset
declaring entities is refused with :class:`FeedError`; any other DOCTYPE (the Netscape RSS 0.91
DTD, an external DTD reference) is removed, so no parser can fetch or expand it.
"""

from __future__ import annotations

import re

from sanctionwatch.errors import FeedError

DOCTYPE_START = re.compile(r"<!DOCTYPE\b", re.IGNORECASE)
DECLARATION = re.compile(r"<!(?:ENTITY|ATTLIST|ELEMENT|NOTATION)\b|%[A-Za-z_][\w.-]*;", re.IGNORECASE)
PROLOG = re.compile(r"^\s*<\?xml\b[^>]*\?>", re.IGNORECASE)


def doctype_end(text: str, start: int) -> int:
    """Index just past the DOCTYPE starting at ``start``, internal subset and quotes included."""
    index = start + len("<!DOCTYPE")
    quote: str | None = None
    depth = 0
    while index < len(text):
        character = text[index]
        if quote:
            if character == quote:
                quote = None
        elif character in "\"'":
            quote = character
        elif character == "[":
            depth += 1
        elif character == "]":
            depth = max(0, depth - 1)
        elif character == ">" and depth == 0:
            return index + 1
        index += 1
    return len(text)


def strip_doctypes(text: str, *, url: str | None = None) -> str:
    """Return ``text`` without DOCTYPE declarations; refuse those that declare entities."""
    pieces: list[str] = []
    position = 0
    for match in DOCTYPE_START.finditer(text):
        if match.start() < position:
            continue
        end = doctype_end(text, match.start())
        declaration = text[match.start() : end]
        if "[" in declaration and DECLARATION.search(declaration):
            raise FeedError(
                "feed DOCTYPE declares entities or a DTD subset; refused "
                "(entity expansion and external entities are not allowed)",
                url=url,
            )
        pieces.append(text[position : match.start()])
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def as_utf8_xml(text: str) -> bytes:
    """``text`` encoded as UTF-8 with its XML prolog saying so (the text is already decoded)."""
    body = PROLOG.sub("", text, count=1).lstrip()
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode("utf-8", errors="replace")
