"""Three reports of one labour dispatch: the seed, a verbatim copy elsewhere, another outlet's own."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sanctionwatch.model import Article
from sanctionwatch.service.samples import sample_articles

OWN_REPORT_TEXT = (
    "North Korea sends more workers to Chinese factories\n\n"
    "North Korea has sent about 1,500 new workers to garment factories in China's Jilin Province "
    "since late April, sources in the border region said this week, despite UN Security Council "
    "resolutions that ban the dispatch of North Korean labourers abroad.\n\n"
    "About 1,500 North Korean workers crossed into Jilin Province from North Hamgyong Province "
    "since the end of April, a trader in Yanbian said on Monday. The workers were taken to garment "
    "and electronics factories in Jilin Province, the trader said.\n\n"
    "The Seoul Monitor could not independently confirm the figures."
)


def seed() -> Article:
    return next(iter(sample_articles()))


def verbatim_copy() -> Article:
    original = seed()
    return replace(
        original,
        id="copy-koreawire-20240517",
        source="KoreaWire",
        url="https://koreawire.example/2024/05/17/workers",
        published=date(2024, 5, 17),
        text=original.text + "\n\nThis article first appeared on Daily NK.",
    )


def own_report() -> Article:
    return Article(
        id="seoulmonitor-20240518-workers",
        text=OWN_REPORT_TEXT,
        published=date(2024, 5, 18),
        title="North Korea sends more workers to Chinese factories",
        url="https://seoulmonitor.example/workers",
        source="Seoul Monitor",
    )
