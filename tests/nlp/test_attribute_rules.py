"""The attribute ruler's matches by dictionary lookup are spaCy's matches, and the tokens come out
with the same tags, parts of speech, morphology and lemmas."""

from __future__ import annotations

import pytest
import spacy
from spacy.pipeline import AttributeRuler

from sanctionwatch.nlp import attribute_rules
from sanctionwatch.nlp.attribute_rules import RuleIndex
from sanctionwatch.nlp.spacy_model import load_spacy

# Invented sentences that reach every kind of rule of en_core_web_sm's ruler: the tag map,
# word exceptions ("n't", "is", "'s"), dependency rules (auxiliaries, "it" as subject or object,
# "there is"), rules of two tokens ("gonna", "gotta", "let's", "y'all", "ain't", "c'mon"),
# rules by regular expression ("nothin'") and whitespace tokens.
SENTENCES = [
    "North Korea sent 2,000 workers to garment factories in Jilin, officials said.",
    "The tanker wasn't seen at Nampo, but it's been there before and they've said so.",
    "I think it is what they gave me, and you know it.",
    "We're gonna load the coal tonight, and you gotta keep it quiet.",
    "Let's say y'all ain't seen nothin' at the port, c'mon.",
    "There is a ship that was sanctioned, and there are two more that were not.",
    "Do they have the cargo?  Did the crew do it?\n\nThey did, whether or not it was legal.",
    "Although the vessel had been renamed, investigators had identified it by its IMO number.",
    "Which ship?  That one, the one whose transponder was off.",
    "\n",
    "",
]


def _parsed(texts: list[str]) -> list[spacy.tokens.Doc]:
    nlp = load_spacy()
    with nlp.select_pipes(enable=["tok2vec", "tagger", "parser"]):
        return list(nlp.pipe(texts))


def test_the_bundled_ruler_is_served_by_the_index() -> None:
    """Every rule of the model is one the index implements: a model update that brings a rule
    it does not would silently bring back spaCy's slower matcher, and this would fail."""
    ruler = load_spacy().get_pipe("attribute_ruler")
    assert "match" in vars(ruler)  # installed on the instance by load_spacy
    assert len(ruler.patterns) > 100


@pytest.mark.parametrize("text", SENTENCES)
def test_the_index_finds_spacy_s_matches_in_spacy_s_order(text: str) -> None:
    ruler = load_spacy().get_pipe("attribute_ruler")
    index = RuleIndex.of(ruler)
    (doc,) = _parsed([text])
    expected = AttributeRuler.match(ruler, doc)  # spaCy's own method, not the installed one
    assert index.match(doc) == expected
    assert index.match(doc) == expected  # again, from the memo of rows


def test_rules_of_two_tokens_and_dependency_rules_do_match() -> None:
    """The sentences above reach the rules that are not the tag map, so the equality is not
    only the easy case."""
    ruler = load_spacy().get_pipe("attribute_ruler")
    index = RuleIndex.of(ruler)
    longer = {rule.attr_id for rules in index.by_value.values() for bucket in rules.values() for rule in bucket if len(rule.tokens) > 1}
    longer |= {rule.attr_id for rule in index.unindexed if len(rule.tokens) > 1}
    matched = {match[0] for doc in _parsed(SENTENCES) for match in index.match(doc) if match[3] - match[2] > 1}
    assert longer and matched and matched <= longer
    by_dependency = {i for i, entry in enumerate(ruler.patterns) if any("DEP" in t for p in entry["patterns"] for t in p)}
    assert {match[0] for doc in _parsed(SENTENCES) for match in index.match(doc)} & by_dependency


def test_the_whole_pipeline_annotates_tokens_as_with_spacy_s_matcher() -> None:
    nlp = load_spacy()
    ruler = nlp.get_pipe("attribute_ruler")

    def annotations() -> list[list[tuple[str, ...]]]:
        return [
            [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.ent_type_) for t in doc] for doc in nlp.pipe(SENTENCES)
        ]

    fast = annotations()
    installed = ruler.match
    del ruler.match
    try:
        assert "match" not in vars(ruler)
        assert annotations() == fast
    finally:
        ruler.match = installed
    assert any(t[3] == "go" for doc in fast for t in doc)  # "gonna" -> "go" "to", from a rule of two tokens


def _ruler_of(patterns: list[dict]) -> spacy.language.Language:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    return nlp


def test_a_rule_the_index_does_not_implement_keeps_spacy_s_matcher() -> None:
    for pattern in (
        [{"LOWER": "ship", "OP": "+"}],  # an operator
        [{"POS": "NOUN"}],  # an attribute the row does not hold
        [{"LENGTH": {">=": 3}}],
        [{"LOWER": {"FUZZY": "ship"}}],
    ):
        nlp = _ruler_of([{"patterns": [pattern], "attrs": {"LEMMA": "x"}}])
        assert attribute_rules.install(nlp) is False, pattern
        assert "match" not in vars(nlp.get_pipe("attribute_ruler"))
    assert attribute_rules.install(spacy.blank("en")) is False  # no ruler at all


def test_later_rules_win_as_in_spacy() -> None:
    """Two rules set the same token's lemma: the later one's value stays, with either matcher."""
    patterns = [
        {"patterns": [[{"LOWER": "coal"}]], "attrs": {"LEMMA": "first"}},
        {"patterns": [[{"LOWER": {"IN": ["coal", "oil"]}}, {"LOWER": {"REGEX": "^ship"}}]], "attrs": {"LEMMA": "second"}},
        {"patterns": [[{"IS_SPACE": True}]], "attrs": {"LEMMA": "space"}},
    ]
    texts = ["coal shipments and coal  oil shipped", "coal", " "]
    slow = _ruler_of(patterns)
    fast = _ruler_of(patterns)
    assert attribute_rules.install(fast) is True
    for text in texts:
        assert [t.lemma_ for t in fast(text)] == [t.lemma_ for t in slow(text)]
    assert [t.lemma_ for t in fast("coal shipments and coal  oil shipped")] == ["second", "", "", "first", "space", "second", ""]
