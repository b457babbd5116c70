"""Folded yes/no tests: a case-sensitive copy of a case-blind pattern, searched in lower-cased
text, passes exactly the sentences the case-blind pattern does."""

from __future__ import annotations

import re

import pytest

from sanctionwatch.nlp.document import sources
from sanctionwatch.nlp.lexicon import REPORTED
from sanctionwatch.nlp.text.folding import fold_case, folded_pattern, search_folded


def test_folding_keeps_offsets_and_lower_cases_only_letters_outside_escapes() -> None:
    assert fold_case("İzmir and Nampo") == "izmir and nampo"
    assert len(fold_case("İİ ABC")) == len("İİ ABC")
    folded = folded_pattern(re.compile(r"\bIT [A-Z]\w+\S*\b", re.IGNORECASE))
    assert folded is not None and folded.pattern == r"\bit [a-z]\w+\S*\b" and not folded.flags & re.IGNORECASE
    assert folded.search(fold_case("hired IT Developers")) and not folded.search(fold_case("a kit"))
    assert folded_pattern(re.compile(r"\bU\.N\.\B\d", re.IGNORECASE)).pattern == r"\bu\.n\.\B\d"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "pattern",
    [r"\bdeploy\w* to (?-i:[A-Z])", r"\bÉtat\b", r"\bcaf\u00C9\b", r"\N{LATIN CAPITAL LETTER A}", r"\x41BC"],
)
def test_patterns_that_folding_could_change_keep_the_case_blind_search(pattern: str) -> None:
    assert folded_pattern(re.compile(pattern, re.IGNORECASE)) is None


def test_a_case_sensitive_pattern_is_never_folded() -> None:
    """"Minister" must not match "minister of fun" because the text was lower-cased."""
    pattern = re.compile(r"\bMinister\b")
    assert folded_pattern(pattern) is None
    assert not search_folded(pattern, folded_pattern(pattern), "the minister of fun", fold_case("the minister of fun"))
    assert search_folded(pattern, folded_pattern(pattern), "The Minister said", fold_case("The Minister said"))


SOURCE_SENTENCES = [
    "KCNA said the shipment had arrived.",
    "THE KOREAN CENTRAL NEWS AGENCY REPORTED THE LAUNCH ON MONDAY.",
    "According to a report by U.N. experts, the tanker called at Nampo.",
    "A PANEL OF EXPERTS FOUND THAT THE SHIP HAD SWITCHED OFF ITS TRANSPONDER.",
    "A source in Dandong told the paper that workers crossed at night.",
    "Researchers at Chainalysis said the funds were laundered through mixers.",
    "security researchers found the malware on the exchange's servers.",
    "The Ministry of Unification said the workers had been sent in April.",
    "the ministry of unification said nothing.",  # NAMED_OFFICIAL is case-sensitive: no source here
    "Analysts say the trade is likely to grow.",
    "Officials who asked not to be named warned of more transfers.",
    "The Institute, which tracks ships, has documented a dozen transfers.",
    "Rodong Sinmun ran the photograph without comment.",
    "The panel met in New York.",  # a source word with no reporting verb
    "Coal was loaded at Nampo and unloaded in Ningbo.",
    "İstanbul traders SAID the vessel was bound for Nampo.",
    "",
]


def _reference(sentences: list[str]) -> str:
    """``specific_source`` as written before folding: each original pattern on the original text."""
    for name, pattern in sources.ATTRIBUTION_ORDER:
        for sentence in sentences:
            if pattern.search(sentence) and (name == "official_media" or REPORTED.search(sentence)):
                return name
    return ""


@pytest.mark.parametrize("sentence", SOURCE_SENTENCES)
def test_the_folded_source_test_names_the_source_the_case_blind_one_does(sentence: str) -> None:
    assert sources.specific_source([sentence]) == _reference([sentence])


def test_several_sentences_keep_the_order_of_sources_before_the_order_of_sentences() -> None:
    """The most specific source wins across sentences: state media in the second sentence
    outranks an official in the first."""
    sentences = ["The Ministry of Unification said the workers had been sent.", "KCNA said the shipment had arrived."]
    assert sources.specific_source(sentences) == _reference(sentences) == "official_media"
    assert sources.specific_source(SOURCE_SENTENCES) == _reference(SOURCE_SENTENCES)
    assert sources.specific_source(SOURCE_SENTENCES[8:9] + SOURCE_SENTENCES[13:16]) == ""


def test_the_bundled_source_tests_fold_except_the_case_sensitive_one() -> None:
    folded = {name: f is not None for name, _, f in sources._FOLDED_ORDER}
    assert folded == {
        "official_media": True,
        "un_report": True,
        "anonymous_source": True,
        "ngo_research": True,
        "named_official": False,  # case-sensitive on purpose: "Minister", not "minister"
        "analysis_speculation": True,
    }
    assert sources._FOLDED_REPORTED is not None
