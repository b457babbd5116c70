"""Evidence highlighting: positions on the raw text, segments that rebuild it exactly."""

from __future__ import annotations

import pytest

from sanctionwatch.web.highlight import evidence_ranges, evidence_segments, highlight_segments
from sanctionwatch.web.views import safe_href


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


def test_keyed_segments_rebuild_the_text_and_carry_every_incident() -> None:
    text = "A first. Shared sentence. A third. Plain."
    segments = evidence_segments(text, [("e1", ["A first.", "Shared sentence."]), ("e2", ["Shared sentence.", "A third."])])
    assert "".join(segment.text for segment in segments) == text
    marked = [(segment.text.strip(), segment.keys) for segment in segments if segment.marked]
    assert marked == [("A first.", ("e1",)), ("Shared sentence.", ("e1", "e2")), ("A third.", ("e2",))]
    # Where each incident's evidence starts: the landing point of a link to it.
    assert [segment.starts for segment in segments if segment.starts] == [("e1",), ("e2",)]


def test_keyed_segments_without_evidence_are_one_plain_segment() -> None:
    assert evidence_segments("Only text.", [("e1", ["Not here."])]) == [evidence_segments("Only text.", [])[0]]
    assert not evidence_segments("Only text.", [])[0].marked
