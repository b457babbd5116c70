"""Attribution and certainty rules (ANNOTATION_NOTES.md, "Field conventions"), on invented sentences."""

from __future__ import annotations

import pytest

from sanctionwatch.nlp.incidents.attribution import attribution_of, certainty_of, outlet_attribution


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        (["A source in China told the newspaper that workers crossed the border."], "anonymous_source"),
        (["A panel of experts report said the tanker delivered oil at sea."], "un_report"),
        (["KCNA called the sanctions an act of war."], "official_media"),
        (["Researchers at a security firm found that the hackers stole the funds."], "ngo_research"),
        (["The Justice Department said the ship carried coal."], "named_official"),
        (["Kim said the workers were sent abroad."], "named_official"),
        (["The workers were sent abroad."], "journalist_observation"),
    ],
)
def test_attribution(sentences: list[str], expected: str) -> None:
    assert attribution_of(sentences) == expected


def test_pronoun_lead_takes_the_source_of_the_sentence_before() -> None:
    # "It also said" points at the report named before, even when another sentence of the
    # group quotes an official.
    lead = "It also said the North was violating sanctions by transferring coal at sea."
    other = "The minister said Russia was issuing new permits for North Korean workers."
    before = "A report by experts monitoring U.N. sanctions said the programme continued."
    assert attribution_of([lead, other], previous=[before]) == "un_report"


def test_bare_quote_takes_the_source_of_the_sentence_before() -> None:
    quote = "'The country has continued to import refined petroleum through transfers at sea.'"
    before = "The U.N. panel said in its report that evasion had grown."
    assert attribution_of([quote], previous=[before]) == "un_report"


def test_research_outlet_voice() -> None:
    assert outlet_attribution("RUSI") == "ngo_research"
    assert outlet_attribution("Reuters") == "journalist_observation"


@pytest.mark.parametrize(
    ("sentence", "attribution", "context", "expected"),
    [
        ("North Korea may have exceeded its import cap as early as April.", "un_report", False, "speculative"),
        ("The hackers are suspected of stealing the funds, police said.", "named_official", False, "reported"),
        ("North Korea exports seafood to China.", "journalist_observation", False, "asserted"),
        # an official act is asserted even when a hedge qualifies its effect
        ("The council backed sanctions that could cut exports by a third.", "named_official", True, "asserted"),
        ("It is unclear who supplied the oil to the ships seized last week.", "journalist_observation", True, "asserted"),
        ("An official who declined to be named said the ship was seized.", "anonymous_source", True, "reported"),
    ],
)
def test_certainty(sentence: str, attribution: str, context: bool, expected: str) -> None:
    assert certainty_of([sentence], attribution=attribution, context=context) == expected


def test_it_stated_reaches_back_through_other_pronoun_sentences() -> None:
    lead = "'The country has continued to violate the resolutions through illicit exports of coal,' it stated."
    previous = ["It highlighted the ineffectiveness of sanctions."]
    earlier = ["North Korea has built smaller warheads, a UN report has warned."]
    assert attribution_of([lead], previous=previous, earlier=earlier) == "un_report"


def test_it_stops_at_a_sentence_with_its_own_subject() -> None:
    lead = "It stated that the country kept exporting coal at sea."
    previous = ["The minister visited the port."]
    earlier = ["The UN panel of experts said coal exports continued."]
    assert attribution_of([lead], previous=previous, earlier=earlier) == "journalist_observation"


def test_it_falls_back_to_the_report_the_story_opens_with() -> None:
    lead = "'Illicit deliveries of refined petroleum continued,' it stated."
    lede = ["North Korea has built miniature nuclear weapons, a new United Nations report has claimed."]
    assert attribution_of([lead], previous=["The images were released on Tuesday."], lede=lede) == "un_report"


def test_an_administration_announcing_a_seizure_is_an_official_source() -> None:
    sentence = "The Trump administration announced the seizure of a North Korean ship accused of smuggling coal."
    assert attribution_of([sentence]) == "named_official"
