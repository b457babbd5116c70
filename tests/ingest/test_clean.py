"""Plain-text cleaning: page furniture goes, prose stays byte for byte, credits become metadata."""

from __future__ import annotations

import pytest

from sanctionwatch.ingest.clean import clean_text

PROSE = "The North Korean authorities have recently dispatched a large number of workers to China, Daily NK has learned."


@pytest.mark.parametrize(
    "furniture",
    [
        "22.1 C",
        "Saturday, January 25, 2025",
        "Read in Korean",
        "Most Popular Articles",
        "May 16, 2024 at 02:00PM",
        "by DailyNK(North Korean Media)",
        "Please send any comments or questions about this article to desk@example.org.",
        "Copyright 2024 Example News. All rights reserved.",
    ],
)
def test_furniture_lines_are_removed(furniture):
    cleaned = clean_text(f"{furniture}\n\n{PROSE}\n\n{furniture}")
    assert furniture not in cleaned.text
    assert PROSE in cleaned.text


def test_credits_and_byline_become_metadata():
    cleaned = clean_text(f"{PROSE}\n\nTranslated by David Carruth. Edited by Robert Lauler.\n\nBy Jane Doe")
    assert cleaned.metadata["credits"].startswith("Translated by David Carruth")
    assert cleaned.metadata["author"] == "Jane Doe"
    assert "Carruth" not in cleaned.text and "Jane Doe" not in cleaned.text


def test_kept_lines_are_verbatim():
    raw = "Delhi\n\n“Since last year,” the source said — curly quotes and soft\u00adhyphens stay.\r\n\nNext paragraph."
    cleaned = clean_text(raw)
    assert "“Since last year,” the source said — curly quotes and soft\u00adhyphens stay." in cleaned.text
    assert "Delhi" not in cleaned.text


def test_a_short_place_line_inside_the_article_is_kept():
    body = f"{PROSE}\n\n" + "A long paragraph of reporting that goes on well past eighty characters in length. " * 2
    cleaned = clean_text(body + "\n\nSeoul\n\nMore reporting follows here.")
    assert "\nSeoul\n" in cleaned.text
