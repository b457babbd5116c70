"""extract_page(): main text, metadata, JSON-LD-only pages and hostile DOMs (items 19, 21, 23)."""

from __future__ import annotations

import time
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
    started = time.monotonic()
    page = extract_page(html, url=None)
    assert expected_fragment in page.text
    assert "\x00" not in page.text and "<" not in page.text
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("html", ["", "   ", b""])
def test_empty_page_is_an_input_error(html) -> None:
    with pytest.raises(InputError, match="empty"):
        extract_page(html, url="https://news.example/empty")


def test_a_date_only_in_the_body_is_still_found() -> None:
    # The header-only date search runs first; a page without a header date gets the full one.
    sentence = "North Korea sent workers to China, a source said. "
    html = (
        "<html><body><nav>Home</nav><article><h1>Workers sent</h1><p class='date'>Published: 2024-05-16</p>"
        f"<p>{sentence * 8}</p></article></body></html>"
    )
    assert extract_page(html, url=None).published == date(2024, 5, 16)
