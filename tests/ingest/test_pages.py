"""extract_page(): main text, metadata, JSON-LD-only pages and hostile DOMs (items 19, 21, 23)."""

from __future__ import annotations

from datetime import date

import pytest

from sanctionwatch.errors import InputError
from sanctionwatch.ingest.pages import extract_page

ARTICLE = """<html lang="en"><head><title>Workers sent abroad | Example News</title>
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2024-05-16T09:00:00+09:00"></head>
<body><nav>Home | World | Sports</nav><div class="cookie">We use cookies. Accept all?</div>
<article><h1>North Korean workers sent to Russia</h1>
<p>North Korea sent hundreds of workers to Russia in violation of UN sanctions, according to officials who spoke on Thursday.</p>
<p>The workers were transported by ship from Rajin to Vladivostok, the report said, adding that transfers continued through May.</p>
<script>alert('x')</script><img src="x" onerror="alert(1)">
</article><footer>Copyright Example News</footer></body></html>"""


def test_article_text_metadata_and_paragraphs() -> None:
    page = extract_page(ARTICLE, url="https://news.example/2024/05/16/workers")
    assert "hundreds of workers to Russia" in page.text
    assert "Rajin to Vladivostok" in page.text
    assert "\n\n" in page.text  # paragraphs separated by a blank line
    assert "Sports" not in page.text and "alert" not in page.text
    assert page.author == "Jane Roe"
    assert page.published is not None and page.published.isoformat() == "2024-05-16"
    assert page.language == "en"
    assert page.title and "workers" in page.title.lower()


def test_bytes_input_is_decoded_with_meta_charset() -> None:
    html = ARTICLE.replace("<head>", '<head><meta charset="euc-kr">').replace(
        "officials who spoke", "관계자들이 말한"
    )
    page = extract_page(html.encode("euc-kr"), url=None)
    assert "관계자들이 말한" in page.text


def test_json_ld_only_article_uses_article_body() -> None:
    html = (
        '<html lang="ko"><head><script type="application/ld+json">'
        '{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"X"},'
        '{"@type":"NewsArticle","headline":"Coal ship seized","datePublished":"2024-05-16T09:00:00+09:00",'
        '"author":[{"@type":"Person","name":"Kim Min-ji"}],'
        '"articleBody":"The vessel was seized off Nampo.\\nIt carried 3,000 tonnes of coal."}]}'
        '</script></head><body><div id="app"></div></body></html>'
    )
    page = extract_page(html, url="https://news.example/a")
    assert page.text == "The vessel was seized off Nampo.\n\nIt carried 3,000 tonnes of coal."
    assert (page.title, page.author, page.language) == ("Coal ship seized", "Kim Min-ji", "ko")
    assert page.published is not None and page.published.isoformat() == "2024-05-16"


@pytest.mark.parametrize(
    ("name", "html", "expected_fragment"),
    [
        ("deep-nesting", "<html><body>" + "<div>" * 10_000 + "<p>deep text about Nampo</p>" + "</div>" * 10_000, "deep text about Nampo"),
        ("many-paragraphs", "<html><body>" + "<p>Coal shipments continued past the port.</p>" * 100_000, "Coal shipments"),
        ("long-line", "<html><body><p>" + "x" * 1_000_000 + "</p></body></html>", "xxxx"),
        ("control-characters", "<html><body><p>ship\x00 \x01name</p></body></html>", "ship name"),
    ],
)
def test_hostile_pages_do_not_crash(name: str, html: str, expected_fragment: str) -> None:
    page = extract_page(html, url=None)
    assert expected_fragment in page.text
    assert "\x00" not in page.text and "<" not in page.text


@pytest.mark.parametrize("html", ["", "   ", b""])
def test_empty_page_is_an_input_error(html) -> None:
    with pytest.raises(InputError, match="empty"):
        extract_page(html, url="https://news.example/empty")


def _random_bytes(count: int, seed: int) -> bytes:
    import random

    return random.Random(seed).randbytes(count)


@pytest.mark.parametrize(
    "body",
    [
        _random_bytes(3000, 1),
        b"\x89PNG\r\n\x1a\n" + _random_bytes(5000, 2),  # an image saved as .html
        b"<html><body><p>" + _random_bytes(4000, 3) + b"</p></body></html>",  # binary inside markup
    ],
    ids=["random-bytes", "png", "binary-in-markup"],
)
def test_binary_data_is_refused_not_stored_as_text(body: bytes) -> None:
    with pytest.raises(InputError, match="binary data"):
        extract_page(body, url="https://news.example/x.html")


def test_a_few_stray_control_characters_do_not_make_a_page_binary() -> None:
    stray = ARTICLE.replace("officials who", "officials\x00 who").replace("by ship", "by\x1b ship")
    page = extract_page(stray.encode("utf-8"), url=None)
    assert "officials who" in page.text.replace("  ", " ")


def test_utf16_pages_are_text_not_binary() -> None:
    page = extract_page(ARTICLE.encode("utf-16"), url=None)  # with its byte-order mark
    assert "Rajin to Vladivostok" in page.text


def test_a_date_only_in_the_body_is_still_found() -> None:
    # The header-only date search runs first; a page without a header date gets the full one.
    sentence = "North Korea sent workers to China, a source said. "
    html = (
        "<html><body><nav>Home</nav><article><h1>Workers sent</h1><p class='date'>Published: 2024-05-16</p>"
        f"<p>{sentence * 8}</p></article></body></html>"
    )
    assert extract_page(html, url=None).published == date(2024, 5, 16)


def _page(top: str, *, footer: str = "") -> str:
    sentence = "Coal was loaded onto a tanker at a port in the north, officials said. "
    return (
        f"<html><body><nav>Home</nav><article><h1>Coal loaded</h1>{top}<p>{sentence * 8}</p></article>"
        f"<footer>{footer}</footer></body></html>"
    )


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        ("<p>Published May 16, 2024</p>", date(2024, 5, 16)),
        ("<p>By Kim Jiwon | First published: 16 May 2024, 10:02</p>", date(2024, 5, 16)),
        ("<div>Posted on <span>3 Feb. 2023</span> by Staff</div>", date(2023, 2, 3)),
        ("<p>Last updated: 2022-11-30T08:00:00Z</p>", date(2022, 11, 30)),
        ("<p>PYONGYANG, Sept. 3, 2021 -- Officials met in the capital to discuss the season.</p>", date(2021, 9, 3)),
    ],
)
def test_a_date_the_page_states_is_found(top: str, expected: date) -> None:
    page = extract_page(_page(top), url=None)
    # htmldate's header search reads some (an ISO date after "updated"); the rest are stated.
    assert (page.published or page.stated_date) == expected


@pytest.mark.parametrize(
    "top",
    [
        "",  # only the footer's copyright year
        "<p>On May 3, 2024 the tanker left the port.</p>",  # the date of an event, not of the page
        "<p>Updated 2 hours ago</p>",
        "<p>Published May 16, 2094</p>",  # in the future
    ],
)
def test_no_publication_date_is_made_up(top: str) -> None:
    page = extract_page(_page(top, footer="&copy; 2024 The Daily Record. All rights reserved."), url=None)
    assert page.published is None and page.stated_date is None


def test_metadata_outranks_a_stated_date() -> None:
    html = _page("<p>Published May 16, 2024</p>").replace(
        "<html>", "<html><head><meta property='article:published_time' content='2024-05-17'></head>"
    )
    page = extract_page(html, url=None)
    assert page.published == date(2024, 5, 17) and page.stated_date is None


def test_stated_dates_come_from_the_cue_or_the_dateline_only() -> None:
    from sanctionwatch.ingest.dates import stated_publication_date

    assert stated_publication_date("<p>Published <b>May 16, 2024</b></p>", "") == date(2024, 5, 16)
    assert stated_publication_date("", "Title\n\nSEOUL, May 16, 2024 — Officials said.") == date(2024, 5, 16)
    assert stated_publication_date("", "Title\n\nOfficials said on May 16, 2024 that it left.") is None
    assert stated_publication_date("<p>Published in Seoul. Ships left on May 3, 2024.</p>", "") is None
    assert stated_publication_date("<p>Posted 2024-02-30</p>", "") is None  # no such day


_PARAGRAPH = "<p>Customs officers said trucks crossed the bridge to Sinuiju every night, loaded with cargo.</p>"
METADATA_PAGES = {
    "meta tags": ARTICLE,
    "JSON-LD only": (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "Coal at Nampo",'
        ' "datePublished": "2024-03-02", "author": {"@type": "Person", "name": "Kim Min-ji"}}</script></head>'
        f"<body><article>{_PARAGRAPH * 3}</article></body></html>"
    ),
    "byline and <time>": (
        "<html><head><title>Ship seen off Nampo - The Record</title></head><body><article><h1>Ship seen off Nampo</h1>"
        '<div class="byline">By <span class="author">Lee Soo-jin</span></div><time datetime="2024-02-11">Feb 11</time>'
        f"{_PARAGRAPH * 3}</article><footer>Copyright 2026</footer></body></html>"
    ),
    "date in the URL only": (
        f"<html><head><title>Tankers</title><link rel='canonical' href='https://news.example/2023/11/07/tankers'></head>"
        f"<body><article>{_PARAGRAPH * 3}</article></body></html>"
    ),
    "one-word author": (
        "<html><head><title>Handle</title><meta name='author' content='newsdesk'></head>"
        f"<body><article>{_PARAGRAPH * 3}</article></body></html>"
    ),
}


@pytest.mark.parametrize("name", sorted(METADATA_PAGES))
def test_page_metadata_gives_trafilaturas_title_author_and_date(name: str) -> None:
    # page_metadata runs trafilatura's own steps for the three fields it reads and skips the
    # rest (site name, categories, tags, licence): the three must be trafilatura's, exactly.
    import trafilatura.metadata
    import trafilatura.settings
    import trafilatura.utils

    from sanctionwatch.ingest.pages import page_metadata

    html = METADATA_PAGES[name]
    reference = trafilatura.metadata.extract_metadata(
        trafilatura.utils.load_html(html), None, trafilatura.settings.set_date_params(False), False
    )
    ours = page_metadata(trafilatura.utils.load_html(html), None)
    assert (ours.title, ours.author, ours.date) == (reference.title, reference.author, reference.date)
    assert ours.title or name == "JSON-LD only"  # that one's title comes from its headline, in extract_page


def test_page_metadata_reads_the_json_ld_and_the_url_date() -> None:
    from sanctionwatch.ingest.pages import extract_page

    page = extract_page(METADATA_PAGES["JSON-LD only"], url=None)
    assert (page.title, page.author, page.published) == ("Coal at Nampo", "Kim Min-ji", date(2024, 3, 2))
    assert extract_page(METADATA_PAGES["date in the URL only"], url=None).published == date(2023, 11, 7)
