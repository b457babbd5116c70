"""The byline of a page without author metadata: trafilatura's search, in one pass over the tree.

When a page names no author in its meta tags or JSON-LD, trafilatura's ``extract_author`` looks
for a byline: it copies the whole tree, deletes comments, sidebars, dates and figures from the
copy (``AUTHOR_DISCARD_XPATHS``), then tries three XPath expressions in turn
(``AUTHOR_XPATHS``), specific to generic, and takes the first element whose text is 3 to 119
characters long. libxml2 spends 1.4 to 2 ms on each of those expressions over a page of 700
elements (their many ``self::`` and attribute tests, and EXSLT regular expressions that call back
into Python), so the search took 6.6 ms a page on real article pages: more than a third of what
trafilatura's whole main-text extraction takes.

:func:`page_author` gives the same answer from one pass over the elements, testing each with the
same conditions in Python, with trafilatura's own regular expressions (read from its expression
text, so that they cannot drift apart), and without the copy: a candidate inside a deleted part
is skipped, and only a candidate with a deleted part inside it is copied, so that its text is
read as the pruned copy holds it. ``tests/ingest/test_byline.py`` checks the conditions against
trafilatura's expressions on generated elements, and that the expressions are still the ones
mirrored here.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import trafilatura.metadata
import trafilatura.utils
import trafilatura.xpaths
from lxml.html import HtmlElement
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.json_metadata import normalize_authors

LENGTH_LIMIT = 120  # extract_author's len_limit: longer is a paragraph, not a byline
_RE_TEST = re.compile(r"re:test\(\s*@([\w-]+)\s*,\s*'([^']*)'\s*\)")


def _patterns(expression: Any) -> dict[str, re.Pattern[str]]:
    """The ``re:test`` patterns of one of trafilatura's expressions, by attribute."""
    return {attribute: re.compile(pattern) for attribute, pattern in _RE_TEST.findall(expression.path)}


_SPECIFIC, _GENERIC, _ANY = (_patterns(expression) for expression in trafilatura.xpaths.AUTHOR_XPATHS)
_DISCARD = _patterns(trafilatura.xpaths.AUTHOR_DISCARD_XPATHS[0])
SPECIFIC_TAGS = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
GENERIC_TAGS = frozenset({"a", "div", "h3", "h4", "p", "span"})
DISCARD_TAGS = frozenset({"a", "div", "section", "span"})


# One search for "any of the class (or id) patterns": most elements match none, and skip the rest.
_ANY_CLASS = re.compile("|".join(f"(?:{p['class'].pattern})" for p in (_SPECIFIC, _GENERIC, _ANY, _DISCARD)))
_ANY_ID = re.compile("|".join(f"(?:{p['id'].pattern})" for p in (_GENERIC, _ANY, _DISCARD)))


# EXSLT reads a missing attribute as "", which none of these patterns matches; were one to (a
# later trafilatura), a missing attribute could be selected, and page_author leaves it to trafilatura.
_EXACT = not any(
    pattern.search("") for patterns in (_SPECIFIC, _GENERIC, _ANY, _DISCARD) for pattern in patterns.values()
) and set(_SPECIFIC) == {"class"} and set(_GENERIC) == set(_ANY) == set(_DISCARD) == {"class", "id"}


def _search(pattern: re.Pattern[str], value: str | None) -> bool:
    return value is not None and pattern.search(value) is not None


def _tests(element: Any, tag: str) -> tuple[bool, bool, bool, bool]:
    """Whether ``element`` is selected by each of trafilatura's three author expressions (less
    the first one's ``rel='me'``, a child element's text: see :func:`page_author`) and by its
    discard expressions (``.//*[…]``, ``//time|//figure``)."""
    if not len(element.attrib):
        return tag == "author", False, False, tag in ("time", "figure")
    get = element.get
    css, identifier = get("class"), get("id")
    itemprop, component = get("itemprop") or "", get("data-component") or ""
    css_hit = css is not None and _ANY_CLASS.search(css) is not None
    id_hit = identifier is not None and _ANY_ID.search(identifier) is not None
    specific = tag == "author" or (
        tag in SPECIFIC_TAGS
        and (
            get("rel") == "author"
            or identifier == "author"
            or css == "author"
            or itemprop == "author name"
            or get("data-testid") in ("AuthorCard", "AuthorURL")
            or (css_hit and _search(_SPECIFIC["class"], css))
        )
    )
    generic = tag in GENERIC_TAGS and (
        css in ("byline", "username", "byl", "BBL")
        or "author" in itemprop
        or (id_hit and _search(_GENERIC["id"], identifier))
        or (css_hit and _search(_GENERIC["class"], css))
    )
    anywhere = (
        "Byline" in component
        or "author" in itemprop
        or (id_hit and _search(_ANY["id"], identifier))
        or (css_hit and _search(_ANY["class"], css))
    )
    discarded = tag in ("time", "figure") or (
        tag in DISCARD_TAGS
        and (
            identifier == "comments"
            or css in ("comments", "title", "date")
            or (id_hit and _search(_DISCARD["id"], identifier))
            or (css_hit and _search(_DISCARD["class"], css))
            or "Figure" in component
        )
    )
    return specific, generic, anywhere, discarded


def page_author(tree: HtmlElement) -> str | None:
    """The author that ``trafilatura.metadata.extract_author(tree)`` finds, or None."""
    if not _EXACT or tree.find(".//rel") is not None:
        # The first expression's "rel='me'" reads the text of a child element <rel>, which a
        # deleted part inside it would change: a page with one is left to trafilatura.
        return trafilatura.metadata.extract_author(tree)
    deleted: set[Any] = set()
    found: tuple[list[Any], list[Any], list[Any]] = ([], [], [])
    for element in tree.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue  # comments and processing instructions: XPath's * selects elements only
        specific, generic, anywhere, discarded = _tests(element, tag)
        if discarded and element is not tree:
            deleted.add(element)  # (trafilatura's deletion leaves the root, which has no parent)
        if specific:
            found[0].append(element)
        if generic:
            found[1].append(element)
        if anywhere:
            found[2].append(element)
    for candidates in found:
        for element in candidates:
            if element in deleted or any(ancestor in deleted for ancestor in element.iterancestors()):
                continue
            read = element
            if any(inner in deleted for inner in element.iterdescendants()):
                read = prune_unwanted_nodes(copy.deepcopy(element), trafilatura.xpaths.AUTHOR_DISCARD_XPATHS)
            content = trafilatura.utils.trim(" ".join(read.itertext()))
            if content and 2 < len(content) < LENGTH_LIMIT:
                return normalize_authors(None, content)
    return None
