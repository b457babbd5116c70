"""Paragraphs and sentences, on invented text: abbreviations, initials, quotes, hard wraps, markup."""

from __future__ import annotations

import pytest

from sanctionwatch.nlp.text.sentences import paragraphs, split_sentences


def _texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Park said the ship left. It carried coal.", ["Mr. Park said the ship left.", "It carried coal."]),
        ("The U.N. panel met on Sept. 4 in New York. No vote was held.", ["The U.N. panel met on Sept. 4 in New York.", "No vote was held."]),
        ("Trade fell in N. Korea last year. Exports rose.", ["Trade fell in N. Korea last year.", "Exports rose."]),
        ("Prices fell 3.5 percent. Traders left.", ["Prices fell 3.5 percent.", "Traders left."]),
        ("The fuel was sold in the U.S. The buyer was fined.", ["The fuel was sold in the U.S.", "The buyer was fined."]),
        ("Sanctions by the U.S. Treasury took effect.", ["Sanctions by the U.S. Treasury took effect."]),
        ("“We will not stop,” he said. “Never.” Talks ended.", ["“We will not stop,” he said.", "“Never.”", "Talks ended."]),
        ("Did it sail? Nobody knows! The port is closed.", ["Did it sail?", "Nobody knows!", "The port is closed."]),
        ("Donald J. Trump spoke. Kim left.", ["Donald J. Trump spoke.", "Kim left."]),
        ("**Bold caption** of a photo", ["Bold caption** of a photo"]),
    ],
)
def test_sentence_boundaries(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


def test_offsets_are_verbatim_spans() -> None:
    text = "SEOUL — The tanker sailed.\n\n  Inspectors   boarded it on Monday.  \nIt was released."
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text


def test_a_sentence_never_crosses_a_paragraph_break() -> None:
    sentences = split_sentences("The tanker sailed toward\n\nthe port of Nampo.")
    assert [s.paragraph for s in sentences] == [0, 1]


def test_hard_wrapped_lines_join_into_one_sentence() -> None:
    text = "Investigators said they had seen a luxury yacht in the harbour \n        of Wonsan in June, in breach of the ban.\nA second line stands alone."
    texts = _texts(text)
    assert len(texts) == 2
    assert texts[0].startswith("Investigators") and texts[0].endswith("breach of the ban.")
    assert "\n" in texts[0]  # the wrap is kept: evidence stays a verbatim substring


def test_lines_that_end_sentences_stay_paragraphs() -> None:
    found = paragraphs("Headline of the story\nFirst paragraph ends here.\nSecond paragraph.")
    assert [p for _, p in found] == ["Headline of the story", "First paragraph ends here.", "Second paragraph."]


def test_html_block_tags_break_paragraphs() -> None:
    found = [p for _, p in paragraphs("<p>Coal was shipped.</p><p>Oil followed.</p>")]
    assert found == ["Coal was shipped.", "Oil followed."]


def test_a_megabyte_without_stops_is_cut_into_windows() -> None:
    sentences = split_sentences("a" * 50 + "b" * 1_000_000)
    assert sentences and max(s.end - s.start for s in sentences) <= 2_000 * 20


def test_a_long_headline_line_is_not_joined_to_the_first_paragraph() -> None:
    text = "North Korea sends thousands of workers to garment factories across the border in Jilin\nThe workers crossed at Namyang."
    assert len(_texts(text)) == 2


def test_fixed_width_wrapping_joins_lines_whatever_their_case() -> None:
    text = (
        "The experts said a country, which they did not name, had told them that Iran was a market for North\n"
        "    Korean military cooperation and that two front companies in the country were still\n"
        "    active in the trade, and that their offices\n"
        "    in Tehran remained open for business with the Korea Mining Development Trading\n"
        "    Corporation."
    )
    assert len(_texts(text)) == 1
