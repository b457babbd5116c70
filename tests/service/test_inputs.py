"""Reading article files: a record without a publication date."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from sanctionwatch.errors import InputError
from sanctionwatch.service.inputs import read_articles


def _undated(tmp_path):
    path = tmp_path / "undated.jsonl"
    path.write_text(json.dumps({"id": "x", "text": "North Korea exported coal last month."}) + "\n", encoding="utf-8")
    return path


def test_an_undated_record_is_refused_by_default(tmp_path) -> None:
    with pytest.raises(InputError, match="no publication date"):
        list(read_articles(_undated(tmp_path)))


def test_published_dates_an_undated_record(tmp_path) -> None:
    (article,) = read_articles(_undated(tmp_path), published=date(2024, 6, 1))
    assert article.published == date(2024, 6, 1)


def test_a_reader_that_reads_no_times_may_keep_undated_records(tmp_path) -> None:
    (article,) = read_articles(_undated(tmp_path), require_date=False)
    assert article.published is None and article.id == "x"


GOOD = {"id": "ok", "text": "North Korea exported coal to China in May, officials said.", "published": "2024-06-01"}


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ('{"id": "s", "text": "North Korea \\ud800 coal", "published": "2024-06-01"}', "lone surrogate"),
        ('{"id": "s\\udfff", "text": "North Korea coal", "published": "2024-06-01"}', "'id' is not valid Unicode"),
        ('{"id": "s", "text": "North Korea coal", "published": "9999-12-31"}', "not a plausible publication date"),
        ('{"id": "s", "text": "North Korea coal", "published": 20240601}', "published must be a date"),
        ('{"id": true, "text": "North Korea coal", "published": "2024-06-01"}', "'id' must be text"),
        ('{"id": "s", "text": "North Korea coal", "title": ["a"], "published": "2024-06-01"}', "'title' must be text"),
        ('{"id": "s", "text": "North Korea coal", "url": "x\\u0000y", "published": "2024-06-01"}', "control character"),
        ('{"id": "' + "x" * 201 + '", "text": "North Korea coal", "published": "2024-06-01"}', "longer than 200"),
    ],
    ids=["surrogate-text", "surrogate-id", "year-9999", "number-date", "boolean-id", "list-title", "nul-url", "long-id"],
)
def test_a_bad_record_is_skipped_naming_the_field_and_the_rest_is_read(tmp_path, record, message) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + record + "\n" + json.dumps({**GOOD, "id": "ok2"}) + "\n", encoding="utf-8")
    errors: list[InputError] = []
    articles = list(read_articles(path, on_error=errors.append))
    assert [a.id for a in articles] == ["ok", "ok2"]
    assert len(errors) == 1 and message in str(errors[0]) and ":2:" in str(errors[0])


@pytest.mark.parametrize(
    ("written", "expected"),
    [("Feb. 6, 2024", date(2024, 2, 6)), ("Sept. 3, 2024", date(2024, 9, 3)), ("6 February 2024", date(2024, 2, 6))],
)
def test_publication_dates_written_in_common_styles_are_found(tmp_path, written, expected) -> None:
    path = tmp_path / "report.txt"
    path.write_text(f"SEOUL, {written} — North Korea sent 300 workers to Russia, a source said.\n", encoding="utf-8")
    (article,) = read_articles(path)
    assert article.published == expected
    record = tmp_path / "record.jsonl"
    record.write_text(json.dumps({**GOOD, "published": written}) + "\n", encoding="utf-8")
    assert next(iter(read_articles(record))).published == expected


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "the file is empty"), (b"   \n\n", "the file is empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary")],
)
def test_an_empty_or_binary_text_file_says_what_it_is(tmp_path, content, message) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        list(read_articles(path, published=date(2024, 6, 1)))


def test_a_deeply_nested_html_article_keeps_its_text(tmp_path) -> None:
    sentence = "North Korea sent 500 workers to Russia in May 2024, a source said."
    body = "<p>" + sentence + " More about the workers and the sanctions they evade." * 8 + "</p>"
    path = tmp_path / "nested.html"
    path.write_text("<html><head><title>Workers</title></head><body>" + "<div>" * 256 + body + "</div>" * 256 + "</body></html>", encoding="utf-8")
    (article,) = read_articles(path, published=date(2024, 6, 1))
    assert sentence in article.text


def test_a_folder_gives_every_input_file_below_it_in_name_order(tmp_path: Path) -> None:
    from sanctionwatch.service.inputs import HTMLFile, iter_input_sources

    folder = tmp_path / "reports"
    (folder / "b-later").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    record = {"id": "r1", "text": "North Korea sent workers to Dandong, a source said.", "published": "2024-05-16"}
    (folder / "a.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (folder / "b-later" / "page.html").write_text("<html><body><p>text</p></body></html>", encoding="utf-8")
    (folder / "notes.txt").write_text("North Korea sent workers to Dandong on May 16, 2024.", encoding="utf-8")
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n")
    (folder / ".hidden" / "secret.jsonl").write_text(json.dumps({**record, "id": "hidden"}) + "\n", encoding="utf-8")
    os.mkfifo(folder / "waiting.jsonl")  # a named pipe: reading it would block, so it is not an input
    errors: list[InputError] = []
    items = list(iter_input_sources([folder], published=None, on_error=errors.append))
    assert errors == []
    assert [getattr(item, "id", None) for item in items if not isinstance(item, HTMLFile)] == ["r1", "notes"]
    assert [Path(item.path).name for item in items if isinstance(item, HTMLFile)] == ["page.html"]


def test_a_folder_without_inputs_is_one_error_and_the_other_inputs_go_on(tmp_path: Path) -> None:
    from sanctionwatch.service.inputs import iter_input_articles

    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "image.png").write_bytes(b"\x89PNG")
    good = tmp_path / "one.jsonl"
    good.write_text(json.dumps({"id": "x", "text": "Coal left Nampo for Ningbo.", "published": "2024-05-16"}) + "\n", encoding="utf-8")
    errors: list[InputError] = []
    articles = list(iter_input_articles([empty, good], published=None, on_error=errors.append))
    assert [a.id for a in articles] == ["x"]
    assert len(errors) == 1 and "holds no" in str(errors[0]) and str(empty) in str(errors[0])


def test_a_page_keeps_its_title_date_and_byline(tmp_path: Path) -> None:
    # The page's metadata becomes the article's: the <title>, the header's date and the byline
    # (a feed's pages kept their author; a saved page on disk used to lose it).
    from sanctionwatch.service.inputs import HTMLFile

    page = tmp_path / "story.html"
    paragraph = "Customs officers in Dandong said trucks crossed the bridge each night with cargo. " * 4
    page.write_text(
        "<html lang='en'><head><title>Trucks cross at night</title>"
        "<meta name='author' content='Jane Reporter'>"
        "<meta property='article:published_time' content='2024-05-16T08:00:00Z'></head>"
        f"<body><article><h1>Trucks cross at night</h1><p>{paragraph}</p><p>{paragraph}</p></article></body></html>",
        encoding="utf-8",
    )
    article = HTMLFile(str(page)).to_article()
    assert (article.title, article.author, article.published) == ("Trucks cross at night", "Jane Reporter", date(2024, 5, 16))


def test_a_page_with_an_overlong_author_tag_is_stored_without_an_author(tmp_path: Path) -> None:
    # A meta author of thousands of characters is no name: the page is kept, its author is not
    # (an article record with such an author would be refused, and the page lost with it).
    from sanctionwatch.service.inputs import HTMLFile

    page = tmp_path / "stuffed.html"
    paragraph = "Customs officers in Dandong said trucks crossed the bridge each night with cargo. " * 4
    page.write_text(
        f"<html><head><title>Trucks</title><meta name='author' content='{'Jane Reporter ' * 100}'></head>"
        f"<body><article><p>{paragraph}</p><p>{paragraph}</p></article></body></html>",
        encoding="utf-8",
    )
    article = HTMLFile(str(page), published=date(2024, 5, 16)).to_article()
    assert article.author is None and "Dandong" in article.text
