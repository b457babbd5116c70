"""Article identity: two sources cannot overwrite each other, short articles are stored,
duplicates say so, concurrent ingests store each article once (issue 10, items 2 to 4)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from sanctionwatch.model import Article, Incident
from sanctionwatch.service.ingestion import IngestReport, ingest_articles
from sanctionwatch.service.inputs import iter_input_articles
from sanctionwatch.store import create_database_engine
from sanctionwatch.store.articles import count_articles, get_article

STORIES = {
    "first": [
        "North Korea sent 300 workers to a seafood plant in Hunchun in March, a source in China said.",
        "A North Korean tanker took on 2,000 tons of diesel from a ship off Zhoushan, satellite images show.",
        "Chinese customs seized 40 tons of North Korean coal at Dalian port in April, officials said.",
    ],
    "second": [
        "Pyongyang dispatched 150 laborers to construction sites in Vladivostok last winter, a source said.",
        "Hackers linked to North Korea stole $40 million from a crypto exchange in June, investigators said.",
        "North Korean sand was shipped to Ningbo on two vessels in May in breach of sanctions, a report said.",
    ],
}


class _OneIncidentEach:
    """An extractor stand-in: one incident per article whose evidence is its text."""

    def extract(self, article: Article) -> list[Incident]:
        return [
            Incident(article_id=article.id, type="smuggling_other", evidence=(article.text,), evidence_spans=((0, len(article.text)),))
        ]


def _jsonl(path: Path, texts: list[str], *, published: str = "2024-06-01") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"id": str(number), "text": text, "published": published}) for number, text in enumerate(texts, 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _ingest(engine, *paths: Path) -> IngestReport:  # type: ignore[no-untyped-def]
    errors: list[object] = []
    report = ingest_articles(engine, iter_input_articles(list(paths), published=None, on_error=errors.append), pipeline=_OneIncidentEach())  # type: ignore[arg-type]
    assert errors == []
    return report


def test_two_files_numbering_their_records_alike_keep_both(tmp_path: Path) -> None:
    engine = create_database_engine(tmp_path / "store.db")
    first = _ingest(engine, _jsonl(tmp_path / "outlet-a.jsonl", STORIES["first"]))
    second = _ingest(engine, _jsonl(tmp_path / "outlet-b.jsonl", STORIES["second"]))
    assert (first.new, second.new, second.updated) == (3, 3, 0)
    assert count_articles(engine) == 6
    assert get_article(engine, "1").text == STORIES["first"][0]  # the first file's text is untouched
    collided = [note for note in second.notes if "already used" in note]
    assert len(collided) == 3 and "outlet-b.jsonl" in collided[0]
    stored_as = collided[0].rsplit("stored as ", 1)[1].strip("'")
    assert get_article(engine, stored_as).text == STORIES["second"][0]
    again = _ingest(engine, tmp_path / "outlet-a.jsonl", tmp_path / "outlet-b.jsonl")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 6)  # each file still knows its own


def test_two_index_txt_files_in_different_folders_keep_both(tmp_path: Path) -> None:
    engine = create_database_engine(tmp_path / "store.db")
    for folder, text in (("a", STORIES["first"][0]), ("b", STORIES["second"][0])):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "index.txt").write_text(text + "\n\nMay 16, 2024\n", encoding="utf-8")
    report = _ingest(engine, tmp_path / "a" / "index.txt", tmp_path / "b" / "index.txt")
    assert report.new == 2 and count_articles(engine) == 2


def test_the_same_file_edited_is_an_update_not_a_collision(tmp_path: Path) -> None:
    engine = create_database_engine(tmp_path / "store.db")
    path = _jsonl(tmp_path / "a.jsonl", STORIES["first"])
    _ingest(engine, path)
    _jsonl(path, [STORIES["first"][0] + " The plant pays them $300 a month.", *STORIES["first"][1:]])
    report = _ingest(engine, path)
    assert (report.new, report.updated, report.unchanged) == (0, 1, 2)
    assert get_article(engine, "1").text.endswith("$300 a month.")


def test_short_articles_are_stored_with_their_text_and_never_called_unchanged(tmp_path: Path) -> None:
    engine = create_database_engine(tmp_path / "store.db")
    one_liners = [
        "North Korea sent 200 workers to Russia in May. For more information about our network, please visit our FAQ page.",
        "A vessel delivered North Korean coal to Ningbo in June. For more information about this series, please visit our site.",
    ]
    report = _ingest(engine, _jsonl(tmp_path / "short.jsonl", one_liners))
    assert (report.new, report.unchanged, report.duplicates) == (2, 0, 0)
    assert [get_article(engine, key).text for key in ("1", "2")] == one_liners


def test_a_record_with_a_new_id_and_the_same_text_is_a_duplicate_of_the_stored_one(tmp_path: Path) -> None:
    engine = create_database_engine(tmp_path / "store.db")
    _ingest(engine, _jsonl(tmp_path / "a.jsonl", STORIES["first"][:1]))
    path = tmp_path / "b.jsonl"
    path.write_text(json.dumps({"id": "copy", "text": STORIES["first"][0], "published": "2024-06-01"}) + "\n", encoding="utf-8")
    report = _ingest(engine, path)
    assert (report.new, report.unchanged, report.duplicates) == (0, 0, 1)
    assert report.notes == [f"{path.resolve()}: record 'copy': duplicate of stored article '1' (same text), not stored again"]
    assert "1 duplicate," in report.summary()


def _cli(database: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sanctionwatch", "--db", str(database), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_ingests_of_one_file_at_once_finish_and_store_each_article_once(tmp_path: Path) -> None:
    texts = [text + f" (report {number})" for number, text in enumerate(STORIES["first"] + STORIES["second"])]
    source = _jsonl(tmp_path / "batch.jsonl", texts)
    database = tmp_path / "new.db"  # not created yet: both runs race to create the schema too
    runs = [_cli(database, "ingest", str(source)) for _ in range(3)]
    results = [(run.wait(timeout=600), run.stdout.read() if run.stdout else "", run.stderr.read() if run.stderr else "") for run in runs]
    for code, _out, err in results:
        assert code == 0, err
        assert "Traceback" not in err
    connection = sqlite3.connect(database)
    assert connection.execute("SELECT count(*) FROM articles").fetchone()[0] == len(texts)
    assert connection.execute("SELECT count(DISTINCT content_hash) FROM articles").fetchone()[0] == len(texts)
    new_counts = sorted(int(out.split(" new")[0].rsplit("\n", 1)[-1]) for _code, out, _err in results)
    assert sum(new_counts) == len(texts)  # each article was new for exactly one of the runs
