"""Evidence highlighting: positions on the raw text, segments that rebuild it exactly."""

from __future__ import annotations

import pytest

from sanctionwatch.web.highlight import evidence_ranges, highlight_segments
from sanctionwatch.web.views import safe_href, timeline_bars


@pytest.mark.parametrize(
    ("text", "evidence", "ranges"),
    [
        ("One. Two. Three.", ["Two."], [(5, 9)]),
        ("One. Two. Three.", ["Two.", "One."], [(0, 4), (5, 9)]),
        ("One. Two. Three.", ["One. Two.", "Two. Three."], [(0, 16)]),  # overlaps merge
        ("One. Two.", ["Missing."], []),
        ("One. Two.", [""], []),
        ("<b>x</b> & y", ["<b>x</b>"], [(0, 8)]),  # found on raw text, before any escaping
    ],
)
def test_evidence_ranges(text: str, evidence: list[str], ranges: list[tuple[int, int]]) -> None:
    assert evidence_ranges(text, evidence) == ranges


def test_segments_rebuild_the_text_and_mark_evidence() -> None:
    text = "Before <img src=x> evidence here. After."
    segments = highlight_segments(text, ["<img src=x> evidence here."])
    assert "".join(segment.text for segment in segments) == text
    assert [segment.marked for segment in segments] == [False, True, False]
    assert segments[1].text == "<img src=x> evidence here."


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("http://example.org/a", "http://example.org/a"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("jav\tascript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//evil.example/", None),
        ("http://[::1", None),
        (None, None),
    ],
)
def test_safe_href(url: str | None, expected: str | None) -> None:
    assert safe_href(url) == expected


def test_timeline_bars_scale_to_the_highest_month() -> None:
    bars = timeline_bars((("2024-01", 2), ("2024-02", 0), ("2024-03", 4)))
    assert [bar["count"] for bar in bars] == [2, 0, 4]
    assert bars[2]["height"] == 2 * bars[0]["height"]
    assert bars[1]["height"] == 0
    assert bars[0]["x"] < bars[1]["x"] < bars[2]["x"]
    assert timeline_bars(()) == []
