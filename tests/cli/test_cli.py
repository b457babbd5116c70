"""The command line, run as a user runs it: a real subprocess on real files."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sanctionwatch.service.samples import sample_paths

SAMPLE = sample_paths()[0]


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sanctionwatch", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "SANCTIONWATCH_CACHE_DIR": os.environ["SANCTIONWATCH_CACHE_DIR"], "HOME": str(cwd)},
    )


@pytest.mark.parametrize(
    "command",
    [[], ["extract"], ["ingest"], ["export"], ["serve"], ["evaluate"], ["demo"], ["feeds"], ["fetch"], ["watch"]],
)
def test_every_command_has_help(tmp_path, command):
    result = run(*command, "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout and len(result.stdout) > 100


def test_extract_prints_incidents_as_json_lines(tmp_path):
    result = run("extract", SAMPLE, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    incidents = [json.loads(line) for line in result.stdout.splitlines()]
    assert "labor_export" in {i["type"] for i in incidents}
    assert not (tmp_path / "sanctionwatch.db").exists()


def test_extract_txt_needs_a_date(tmp_path):
    text = tmp_path / "report.txt"
    text.write_text("North Korea sent 300 workers to Russia, a source said.\n", encoding="utf-8")
    result = run("extract", str(text), cwd=tmp_path)
    assert result.returncode != 0
    assert result.stderr.startswith(("warning", "error")) and "--published" in result.stderr
    assert "Traceback" not in result.stderr
    ok = run("extract", str(text), "--published", "2024-05-16", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.jsonl", None, "no such file"),
        ("bad.jsonl", '{"id": "x", "text": "North Korea"\nnot json\n', "not valid JSON"),
        ("notext.jsonl", '{"id": "x", "published": "2024-01-01"}\n', "no 'text'"),
        ("baddate.jsonl", '{"id": "x", "text": "t", "published": "May 2024"}\n', "YYYY-MM-DD"),
        # "last month" would silently be read against today's date
        ("nodate.jsonl", '{"id": "x", "text": "North Korea exported coal last month."}\n', "no publication date"),
        ("file.pdf", "%PDF", "unsupported file type"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run("extract", str(path), cwd=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_record_is_skipped_and_the_rest_processed(tmp_path):
    good = json.loads(Path(SAMPLE).read_text(encoding="utf-8"))
    path = tmp_path / "mixed.jsonl"
    path.write_text("not json\n" + json.dumps(good) + "\n", encoding="utf-8")
    result = run("extract", str(path), cwd=tmp_path)
    assert result.returncode == 0
    assert "line 1" in result.stderr or "mixed.jsonl:1" in result.stderr
    assert any(json.loads(line)["type"] == "labor_export" for line in result.stdout.splitlines())


def test_ingest_twice_adds_nothing_and_exports(tmp_path):
    first = run("--db", "t.db", "ingest", SAMPLE, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "1 new" in first.stdout
    second = run("--db", "t.db", "ingest", SAMPLE, cwd=tmp_path)
    assert "0 new" in second.stdout and "1 unchanged" in second.stdout
    exported = run("--db", "t.db", "export", "--format", "jsonl", cwd=tmp_path)
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len({r["id"] for r in records}) == len(records) >= 3
    table = run("--db", "t.db", "export", "--format", "csv", cwd=tmp_path)
    rows = list(csv.reader(io.StringIO(table.stdout.lstrip("\ufeff"))))
    assert rows[0][0] == "id" and len(rows) == len(records) + 1
    geo = json.loads(run("--db", "t.db", "export", "--format", "geojson", cwd=tmp_path).stdout)
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == len(records)


def test_database_from_environment_variable(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sanctionwatch", "ingest", SAMPLE],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "SANCTIONWATCH_CACHE_DIR": os.environ["SANCTIONWATCH_CACHE_DIR"], "SANCTIONWATCH_DB": str(tmp_path / "env.db")},
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env.db").exists() and not (tmp_path / "sanctionwatch.db").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--format", "xml"], "unknown format"),
        (["export", "--since", "yesterday"], "YYYY-MM-DD"),
        (["export", "--type", "piracy"], "unknown incident type"),
        (["export", "--country", "Korea"], "alpha-2"),
    ],
)
def test_bad_options_are_one_clear_line(tmp_path, args, message):
    result = run("--db", "t.db", *args, cwd=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr and "Traceback" not in result.stderr


def test_demo_without_serving_loads_the_sample(tmp_path):
    result = run("--db", "demo.db", "demo", "--no-serve", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "sample loaded" in result.stdout


@pytest.mark.parametrize("url", ["http://127.0.0.1:22/", "http://[::1]/feed", "http://2130706433/", "javascript:alert(1)"])
def test_feeds_add_refuses_private_targets(tmp_path, url):
    result = run("--db", "t.db", "feeds", "add", url, cwd=tmp_path)
    assert result.returncode != 0
    assert result.stderr.startswith("error:") and "Traceback" not in result.stderr
    listing = run("--db", "t.db", "feeds", "list", cwd=tmp_path)
    assert "no feeds yet" in listing.stdout


def test_ingest_url_refused_by_ssrf_guard(tmp_path):
    result = run("--db", "t.db", "ingest", "http://169.254.169.254/latest/meta-data/", cwd=tmp_path)
    assert result.returncode != 0
    assert "169.254.169.254" in result.stderr and "Traceback" not in result.stderr


def test_published_option_dates_json_lines_records_without_a_date(tmp_path):
    path = tmp_path / "nodate.jsonl"
    path.write_text(
        json.dumps({"id": "x", "title": "North Korea coal", "text": "North Korea exported 500 tons of coal to China last month "
                    "in violation of sanctions, a source said."}) + "\n",
        encoding="utf-8",
    )
    result = run("extract", str(path), "--published", "2024-06-01", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    incident = json.loads(result.stdout.splitlines()[0])
    assert incident["time"]["start"] == "2024-05-01"


def test_an_empty_input_says_so(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("", encoding="utf-8")
    result = run("extract", str(path), cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == ""
    assert "no article" in result.stderr


def test_csv_export_of_the_cli_equals_the_csv_of_the_records(tmp_path):
    # The CLI writes CSV from plain rows, as the API does; the bytes are those of the reference
    # CSV built from incident records, an analyst's edit included.
    from sanctionwatch.service import exports
    from sanctionwatch.service.incidents import make_query
    from sanctionwatch.store.engine import create_database_engine
    from sanctionwatch.store.incidents import set_review
    from sanctionwatch.store.queries import iter_incidents

    assert run("--db", "t.db", "ingest", SAMPLE, cwd=tmp_path).returncode == 0
    engine = create_database_engine(tmp_path / "t.db")
    first = next(iter_incidents(engine, make_query()))
    set_review(engine, first["id"], status="edited", edited_data={"summary": "=Edited by an analyst"})
    table = run("--db", "t.db", "export", "--format", "csv", "--status", "any", cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    expected = "".join(exports.export_csv(iter_incidents(engine, make_query(status="any"))))
    assert table.stdout == expected.replace("\r\n", "\n")  # the helper reads stdout as text (universal newlines)
    assert "'=Edited by an analyst" in table.stdout


def test_ingest_reads_a_folder_of_inputs(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / Path(SAMPLE).name).write_text(Path(SAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "readme.png").write_bytes(b"\x89PNG")
    result = run("--db", "t.db", "ingest", str(folder), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 new" in result.stdout and "0 failed" in result.stdout
    empty = tmp_path / "nothing"
    empty.mkdir()
    refused = run("--db", "t.db", "ingest", str(empty), cwd=tmp_path)
    assert refused.returncode == 1 and "holds no" in refused.stderr and "Traceback" not in refused.stderr
