"""Time expressions that date a report rather than the event it tells, on invented sentences."""

from __future__ import annotations

from datetime import date

from sanctionwatch.model import Article
from sanctionwatch.nlp.pipeline import default_pipeline


def _thefts(text: str) -> list:
    article = Article(id="dates-test", text=text, published=date(2024, 6, 20), title="North Korea", source="Test Wire")
    return [i for i in default_pipeline().extract(article) if i.type == "cyber_theft"]


def test_a_date_hanging_from_a_publishing_verb_dates_the_report() -> None:
    thefts = _thefts(
        "North Korean hackers are under scrutiny. Analysts at a security firm, which last month released a study of "
        "the malware used in the theft of $20 million from an exchange in Seoul, named the Lazarus group."
    )
    assert thefts and thefts[0].time.start is None and thefts[0].time.end is None


def test_a_date_hanging_from_the_act_dates_the_act() -> None:
    thefts = _thefts("North Korean hackers stole $20 million from an exchange in Seoul last month, a security firm said.")
    assert thefts and thefts[0].time.start == date(2024, 5, 1)


def test_the_act_takes_the_date_told_in_its_own_clause() -> None:
    thefts = _thefts(
        "North Korea denies hacking. Researchers linked the malware to the group blamed for an attack on a studio in "
        "2014 and for stealing $20 million from an exchange in Seoul in 2019."
    )
    assert thefts and thefts[0].time.start == date(2019, 1, 1)


def test_for_the_best_part_of_a_year_runs_to_publication() -> None:
    from sanctionwatch.nlp.arguments.timex import find_time_expressions

    (found,) = find_time_expressions("Shells have been delivered for the best part of a year.", date(2024, 6, 20))
    assert found.range.start is None and found.range.end == date(2024, 6, 20)
