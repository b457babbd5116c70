"""The byline of a page without author metadata: trafilatura's search, without its copy of the page.

When a page names no author in its meta tags or JSON-LD, trafilatura's ``extract_author`` looks
for a byline: it copies the whole tree, deletes comments, sidebars, dates and figures from the
copy (``AUTHOR_DISCARD_XPATHS``), then tries three XPath expressions in turn
(``AUTHOR_XPATHS``), specific to generic, and takes the first element whose text is 3 to 119
characters long. libxml2 spends 1.4 to 2 ms on each of those expressions over a page of 700
elements (their many ``self::`` and attribute tests, and EXSLT regular expressions that call back
into Python), so the search took 6.6 ms a page on real article pages: more than a third of what
trafilatura's whole main-text extraction takes.

:func:`page_author` gives the same answer by walking the elements in document order and testing
each with the same conditions in Python, with trafilatura's own regular expressions (read from
its expression text, so that they cannot drift apart), and without the copy: a candidate inside
a deleted part is skipped, and only a candidate with a deleted part inside it is copied, so that
its text is read as the pruned copy holds it. On benchmark pages of a real page's weight: 1.0
against 5.1 ms a page; on the 991 real pages, 3.7 against 6.6 ms where no byline stops the
search early. ``tests/ingest/test_byline.py`` checks the conditions against
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


_AUTHOR_PATTERNS = [_patterns(expression) for expression in trafilatura.xpaths.AUTHOR_XPATHS]
_SPECIFIC, _GENERIC, _ANY = _AUTHOR_PATTERNS if len(_AUTHOR_PATTERNS) == 3 else ({}, {}, {})
_DISCARD = _patterns(trafilatura.xpaths.AUTHOR_DISCARD_XPATHS[0]) if trafilatura.xpaths.AUTHOR_DISCARD_XPATHS else {}
SPECIFIC_TAGS = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
GENERIC_TAGS = frozenset({"a", "div", "h3", "h4", "p", "span"})
DISCARD_TAGS = frozenset({"a", "div", "section", "span"})


# EXSLT reads a missing attribute as "", which none of these patterns matches; were one to (a
# later trafilatura), a missing attribute could be selected. That, or expressions of another
# shape, and page_author leaves the search to trafilatura.
_EXACT = not any(
    pattern.search("") for patterns in (_SPECIFIC, _GENERIC, _ANY, _DISCARD) for pattern in patterns.values()
) and (
    set(_SPECIFIC) == {"class"}
    and set(_GENERIC) == set(_ANY) == set(_DISCARD) == {"class", "id"}
    and len(trafilatura.xpaths.AUTHOR_DISCARD_XPATHS) == 2
)


def _search(pattern: re.Pattern[str], value: str | None) -> bool:
    return value is not None and pattern.search(value) is not None


def _specific(element: Any, tag: str) -> bool:
    """trafilatura's first expression, less its ``rel='me'`` (a child element's text: see
    :func:`page_author`)."""
    if tag == "author":
        return True
    if tag not in SPECIFIC_TAGS or not len(element.attrib):
        return False
    get = element.get
    css = get("class")
    return (
        css == "author"
        or _search(_SPECIFIC["class"], css)
        or get("rel") == "author"
        or get("id") == "author"
        or get("itemprop") == "author name"
        or get("data-testid") in ("AuthorCard", "AuthorURL")
    )


def _generic(element: Any, tag: str) -> bool:
    if tag not in GENERIC_TAGS or not len(element.attrib):
        return False
    get = element.get
    css = get("class")
    return (
        css in ("byline", "username", "byl", "BBL")
        or _search(_GENERIC["class"], css)
        or _search(_GENERIC["id"], get("id"))
        or "author" in (get("itemprop") or "")
    )


def _anywhere(element: Any, tag: str) -> bool:
    if not len(element.attrib):
        return False
    get = element.get
    return (
        _search(_ANY["class"], get("class"))
        or _search(_ANY["id"], get("id"))
        or "author" in (get("itemprop") or "")
        or "Byline" in (get("data-component") or "")
    )


def _discarded(element: Any, tag: str) -> bool:
    """trafilatura's discard expressions (``.//*[…]`` and ``//time|//figure``)."""
    if tag in ("time", "figure"):
        return True
    if tag not in DISCARD_TAGS or not len(element.attrib):
        return False
    get = element.get
    css, identifier = get("class"), get("id")
    return (
        identifier == "comments"
        or css in ("comments", "title", "date")
        or _search(_DISCARD["class"], css)
        or _search(_DISCARD["id"], identifier)
        or "Figure" in (get("data-component") or "")
    )


SELECTORS = (_specific, _generic, _anywhere)  # AUTHOR_XPATHS, in trafilatura's order
# Elements read around and inside candidates before the search is left to trafilatura: a page
# built to nest thousands of candidates, each holding the whole page, would otherwise cost far
# more here than in trafilatura (which pays its own price for it). The real pages that read the
# most came to 2,201 (of 1,291 pages measured); trafilatura's answer is the same, only slower.
WORK_BUDGET = 50_000


def _deleted(element: Any, root: Any) -> tuple[bool, int]:
    """Whether trafilatura's pruned copy has lost ``element`` (it, or a part around it, is
    discarded; the root never is: it has no parent to be deleted from), and the elements read."""
    read = 0
    for node in (element, *element.iterancestors()):
        read += 1
        if node is root:
            return False, read
        if _discarded(node, node.tag):
            return True, read
    return False, read


def _deleted_inside(element: Any) -> tuple[bool, int]:
    """Whether a part inside ``element`` is discarded, and the elements read."""
    found, read = False, 0
    for inner in element.iterdescendants():
        read += 1
        found = found or (isinstance(inner.tag, str) and _discarded(inner, inner.tag))
    return found, read


def page_author(tree: HtmlElement) -> str | None:
    """The author that ``trafilatura.metadata.extract_author(tree)`` finds, or None.

    Each expression in turn, as trafilatura tries them, over the elements in document order,
    and the first candidate whose text is a byline's length wins: the search usually stops
    inside the article, and the generic last expression runs only on pages without a byline."""
    if not _EXACT or tree.find(".//rel") is not None:
        # The first expression's "rel='me'" reads the text of a child element <rel>, which a
        # deleted part inside it would change: a page with one is left to trafilatura.
        return trafilatura.metadata.extract_author(tree)
    work = 0  # elements read around and inside candidates: bounded, see WORK_BUDGET
    for selects in SELECTORS:
        for element in tree.iter():
            tag = element.tag
            if not isinstance(tag, str) or not selects(element, tag):
                continue  # (comments and processing instructions: XPath's * selects elements only)
            deleted, around = _deleted(element, tree)
            inside, below = (False, 0) if deleted else _deleted_inside(element)
            work += around + below
            if work > WORK_BUDGET:
                return trafilatura.metadata.extract_author(tree)
            if deleted:
                continue
            read = element
            if inside:
                read = prune_unwanted_nodes(copy.deepcopy(element), trafilatura.xpaths.AUTHOR_DISCARD_XPATHS)
            content = trafilatura.utils.trim(" ".join(read.itertext()))
            if content and 2 < len(content) < LENGTH_LIMIT:
                return normalize_authors(None, content)
    return None
