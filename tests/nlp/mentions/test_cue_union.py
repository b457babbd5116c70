"""The one-pattern cue test of a type finds a cue exactly where one of its patterns does."""

from __future__ import annotations

import re

import pytest

from sanctionwatch.nlp.cues import _union, load_incident_types
from sanctionwatch.nlp.text.folding import fold_case

SENTENCES = [
    "North Korea sent 2,000 workers to garment factories in Jilin.",
    "The tanker took part in a ship-to-ship transfer of refined petroleum off Nampo.",
    "Officials seized a cargo of anthracite coal bound for Ningbo.",
    "Hackers linked to the Lazarus Group stole $600 million in cryptocurrency.",
    "A company tried to procure machine tools for the missile programme through a front.",
    "Weather was mild in the capital, and markets closed higher.",
    "IT workers posing as freelancers earned wages abroad; the network was laid bare.",
    "Beijing denied the allegations that its ports handled the oil.",
    "HACKERS OF THE LAZARUS GROUP STOLE CRYPTOCURRENCY FROM AN EXCHANGE IN SEOUL.",
    "An İstanbul broker arranged STS Transfers for a Tanker bound for Nampo.",
    "It Workers from the North took Remote IT jobs under false names.",
    "",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_each_type_union_agrees_with_its_patterns(sentence: str) -> None:
    for cues in load_incident_types().values():
        if cues.any_cue is None:
            continue
        separately = any(p.search(sentence) for p in (*cues.cues, *cues.strong_cues))
        assert (cues.any_cue.search(sentence) is not None) == separately, cues.name


def test_a_shared_word_boundary_is_factored_out_without_changing_matches() -> None:
    factored = _union([r"\bcoal\b", r"\bship[- ]to[- ]ship\b"])
    plain = _union([r"coal\b", r"\bship[- ]to[- ]ship\b"])  # one without: no factoring
    assert factored is not None and plain is not None
    assert factored.pattern.startswith(r"\b(?:") and not plain.pattern.startswith(r"\b(?:")
    for text, expected in [("charcoal", False), ("Coal exports", True), ("a ship-to-ship transfer", True), ("shipping", False)]:
        assert (factored.search(text) is not None) == expected, text
    assert plain.search("charcoal") is not None  # the unanchored pattern still matches inside words
    assert isinstance(factored, re.Pattern)


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_folded_cue_test_agrees_with_the_case_blind_one(sentence: str) -> None:
    folded = fold_case(sentence)
    for cues in load_incident_types().values():
        if cues.any_cue is None:
            continue
        expected = cues.any_cue.search(sentence) is not None
        assert cues.has_cue(sentence) == expected, cues.name
        assert cues.has_cue(sentence, folded) == expected, cues.name


def test_every_bundled_type_has_a_folded_cue_test() -> None:
    """The speed-up is real only where the bundled cues can be folded; a pattern that cannot
    falls back to the case-blind search, which this would show."""
    assert all(c.folded_cue is not None for c in load_incident_types().values() if c.any_cue is not None)

