"""Reading article files: a record without a publication date."""

from __future__ import annotations

import json
from datetime import date

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
