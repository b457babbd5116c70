"""page_author(): trafilatura's byline search in one pass, with trafilatura's answer on every page."""

from __future__ import annotations

import copy
import random

import lxml.html
import pytest
import trafilatura.metadata
import trafilatura.xpaths

from sanctionwatch.ingest import byline
from sanctionwatch.ingest.byline import page_author

# The expressions byline.py mirrors, as trafilatura 2.3.1 writes them (whitespace collapsed). A
# trafilatura that changes them fails here first: mirror the change in byline's selectors.
MIRRORED = [
    "//*[self::a or self::address or self::div or self::link or self::p or self::span or self::strong][ "
    "@rel='author' or @id='author' or @class='author' or @itemprop='author name' or rel='me' or "
    "@data-testid='AuthorCard' or @data-testid='AuthorURL' or re:test(@class, 'author-?name|AuthorName|authorName')]|//author",
    "//*[self::a or self::div or self::h3 or self::h4 or self::p or self::span][ @class='byline' or @class='username' or "
    "@class='byl' or @class='BBL' or contains(@itemprop, 'author') or re:test(@id, 'author|zuozhe|bianji|xiaobian') or "
    "re:test(@class, 'author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name')]",
    "//*[ contains(@data-component, 'Byline') or contains(@itemprop, 'author') or re:test(@id, '[Aa]uthor') or "
    "re:test(@class, '[Aa]uthor|screenname|writer|[Bb]yline')]",
    ".//*[self::a or self::div or self::section or self::span][ @id='comments' or @class='comments' or @class='title' or "
    "@class='date' or re:test(@id, '^comments|comment-?list|ProductReviews') or re:test(@class, '^[Cc]omments|commentlist|"
    "comments-list|sidebar|is-hidden|quote|embedly-instagram|article-(?:share|support)|print|category|meta-date|meta-reviewer') "
    "or contains(@data-component, 'Figure')]",
    "//time|//figure",
]


def test_the_mirrored_expressions_are_trafilaturas() -> None:
    ours = [" ".join(x.path.split()) for x in [*trafilatura.xpaths.AUTHOR_XPATHS, *trafilatura.xpaths.AUTHOR_DISCARD_XPATHS]]
    assert ours == MIRRORED
    assert byline._EXACT


TAGS = ["a", "address", "div", "link", "p", "span", "strong", "h3", "h4", "section", "time", "figure", "author", "li", "article", "em"]
CLASSES = [
    "author", "byline", "Byline", "author-name", "authorname", "AuthorName", "story-Author", "writer", "screenname", "username",
    "byl", "BBL", "channel-name", "posted-by", "journalist-name", "comments", "Comments-box", "xcomments", "commentlist",
    "sidebar", "is-hidden", "quote", "print", "category", "meta-date", "title", "date", "article-share", "card", "css-1x e2",
]  # fmt: skip
IDS = ["author", "Author", "authorbox", "comments", "comments-2", "xcomments", "comment-list", "ProductReviews", "zuozhe", "main"]
NAMES = ["Jane Roe", "By John Doe", "Kim Min-su and Lee Ji-eun", "x", "Staff", "Posted by Anna Smith on Monday", "A" * 130]


def _attributes(rng: random.Random) -> dict[str, str]:
    attributes: dict[str, str] = {}
    if rng.random() < 0.6:
        attributes["class"] = " ".join(rng.sample(CLASSES, rng.choice([1, 1, 2]))) if rng.random() < 0.8 else rng.choice(CLASSES)
    if rng.random() < 0.25:
        attributes["id"] = rng.choice(IDS)
    if rng.random() < 0.1:
        attributes["itemprop"] = rng.choice(["author", "author name", "name", "creator author"])
    if rng.random() < 0.08:
        attributes["data-component"] = rng.choice(["Byline", "FigureBlock", "Text"])
    if rng.random() < 0.05:
        attributes["rel"] = rng.choice(["author", "me", "nofollow"])
    if rng.random() < 0.05:
        attributes["data-testid"] = rng.choice(["AuthorCard", "AuthorURL", "Other"])
    return attributes


def _grow(parent: lxml.html.HtmlElement, rng: random.Random, depth: int) -> None:
    for _ in range(rng.randrange(1, 5)):
        child = lxml.html.Element(rng.choice(TAGS), _attributes(rng))
        child.text = rng.choice(["", " ", rng.choice(NAMES)])
        child.tail = rng.choice(["", " ", "\n", rng.choice(NAMES), "·"])
        parent.append(child)
        if depth < 4 and rng.random() < 0.5:
            _grow(child, rng, depth + 1)
        if rng.random() < 0.05:
            parent.append(lxml.html.HtmlComment("a comment"))


def _page(seed: int) -> lxml.html.HtmlElement:
    rng = random.Random(seed)
    root = lxml.html.fromstring("<html><head><title>t</title></head><body></body></html>")
    _grow(root.find("body"), rng, 0)
    return root


@pytest.mark.parametrize("seed", range(0, 400, 40))
def test_each_elements_tests_select_what_trafilaturas_expressions_select(seed: int) -> None:
    for page in (_page(seed + n) for n in range(40)):
        selected: list[list[object]] = [[], [], [], []]
        for element in page.iter():
            if isinstance(element.tag, str):
                tests = (*byline.SELECTORS, byline._discarded)  # the three author expressions, then the discards
                for number, hit in enumerate(test(element, element.tag) for test in tests):
                    if hit and not (number == 3 and element is page):
                        selected[number].append(element)
        author_sets = [expression(page) for expression in trafilatura.xpaths.AUTHOR_XPATHS]
        discard = [e for expression in trafilatura.xpaths.AUTHOR_DISCARD_XPATHS for e in expression(page)]
        assert selected[:3] == author_sets
        assert set(selected[3]) == set(discard)


def test_the_author_is_trafilaturas_on_generated_pages() -> None:
    found = 0
    for seed in range(600):
        page = _page(seed)
        expected = trafilatura.metadata.extract_author(copy.deepcopy(page))
        assert page_author(page) == expected, seed
        found += expected is not None
    assert found > 100  # the pages do hold bylines, not only misses


@pytest.mark.parametrize(
    ("markup", "author"),
    [
        # A date inside the byline is deleted with its text; its tail joins the text before it.
        ("<div class='byline'>By Jane<time>16 May 2024</time>Roe</div>", None),
        ("<div class='byline'>By Jane Roe <time>16 May 2024</time></div>", "Jane Roe"),
        # A byline inside a comment thread is a commenter's, not the article's.
        ("<div id='comments'><span class='author'>Troll Account</span></div><p class='byline'>By Kim Min-su</p>", "Kim Min-su"),
        # The specific expression wins over an earlier generic match.
        ("<span class='writer'>Desk</span><a rel='author'>Lee Ji-eun</a>", "Lee Ji-eun"),
        # Too long for a byline: the next candidate is taken.
        (f"<div class='author'>{'Long text. ' * 15}</div><span class='byline'>Anna Smith</span>", "Anna Smith"),
        ("<p>No byline on this page.</p>", None),
    ],
)
def test_invented_bylines(markup: str, author: str | None) -> None:
    page = lxml.html.fromstring(f"<html><body><article>{markup}</article></body></html>")
    assert page_author(page) == trafilatura.metadata.extract_author(copy.deepcopy(page))
    if author is not None:
        assert page_author(page) == author


def test_the_root_is_never_deleted() -> None:
    # trafilatura deletes an element from its parent: the root has none, and stays searched.
    page = lxml.html.fromstring("<div class='sidebar'><span class='byline'>Jane Roe</span><p>Text.</p></div>")
    assert page_author(page) == trafilatura.metadata.extract_author(copy.deepcopy(page)) == "Jane Roe"


def test_a_page_with_a_rel_element_is_left_to_trafilatura(monkeypatch: pytest.MonkeyPatch) -> None:
    page = lxml.html.fromstring("<html><body><span>Jane Roe<rel>me</rel></span></body></html>")
    calls: list[object] = []
    original = trafilatura.metadata.extract_author
    monkeypatch.setattr(trafilatura.metadata, "extract_author", lambda tree: calls.append(tree) or original(tree))
    assert page_author(page) == original(copy.deepcopy(page))
    assert calls


def test_a_page_nesting_candidates_that_hold_the_page_is_left_to_trafilatura(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each of 60 nested candidates holds 2,000 elements and too much text: reading them all
    # would cost 60 times the page, so the search stops and trafilatura answers.
    html = "<html><body>" + "<div class='author'><time>1</time>" * 60 + "<span>x</span>" * 2000 + "</div>" * 60 + "</body></html>"
    page = lxml.html.fromstring(html)
    calls: list[object] = []
    original = trafilatura.metadata.extract_author
    monkeypatch.setattr(trafilatura.metadata, "extract_author", lambda tree: calls.append(tree) or original(tree))
    assert page_author(page) == original(copy.deepcopy(page))
    assert calls


def test_an_ordinary_page_is_searched_here() -> None:
    page = lxml.html.fromstring("<html><body><div class='byline'>By Jane Roe</div>" + "<p>Text.</p>" * 500 + "</body></html>")
    calls: list[object] = []
    original = trafilatura.metadata.extract_author
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(trafilatura.metadata, "extract_author", lambda tree: calls.append(tree) or original(tree))
        assert page_author(page) == "Jane Roe"
    assert not calls
