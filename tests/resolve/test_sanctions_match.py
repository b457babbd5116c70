"""Matching names and text against the bundled UN list: links only with evidence enough."""

from __future__ import annotations

import pytest

from sanctionwatch.resolve.sanctions_index import bundled_index
from sanctionwatch.resolve.sanctions_names import literal_key, variant_keys


@pytest.fixture(scope="module")
def index():  # type: ignore[no-untyped-def]
    return bundled_index()


@pytest.mark.parametrize(
    ("one", "other", "kind"),
    [
        ("Ri Su Yong", "Lee Su-yong", "person"),
        ("Pak Pong Nam", "Park Bong-nam", "person"),
        ("MIN BYONG CHOL", "Min Pyŏng-ch’ŏl", "person"),
        ("HAN JANG SU", "Chang-Su Han", "person"),
        ("KIM MYONG GI", "Kim Myonggi", "person"),
        ("CHONGCHONGANG SHIPPING COMPANY", "Cheongcheon-gang Shipping Co.", "organization"),
        ("CH'O'NGSONG YO'NHAP", "Chongsong Yonhap", "organization"),
    ],
)
def test_romanisation_variants_share_a_key(one: str, other: str, kind: str) -> None:
    assert variant_keys(one, kind) & variant_keys(other, kind)


@pytest.mark.parametrize(
    ("one", "other"),
    [("KIM KYONG IL", "KIM KYONG OK"), ("KIM SONG CHOL", "KIM SOK CHOL"), ("RI CHUN HWAN", "RI CHUN SONG")],
)
def test_one_changed_syllable_is_another_key(one: str, other: str) -> None:
    assert not variant_keys(one, "person") & variant_keys(other, "person")


def test_legal_forms_are_stripped_from_company_keys() -> None:
    assert literal_key("Korea Mining Development Trading Co., Ltd.") == literal_key(
        "KOREA MINING DEVELOPMENT TRADING CORPORATION"
    )


@pytest.mark.parametrize(
    ("name", "kind", "country", "reference"),
    [
        ("KOMID", None, None, "KPe.001"),
        ("Korea Mining Development Trading Co., Ltd.", None, None, "KPe.001"),
        ("Green Pine Associated Corp.", "organization", "KP", "KPe.010"),
        ("Cheongcheon-gang Shipping Co", "organization", "KP", "KPe.022"),
        ("Lee Su-yong", "person", "KP", "KPi.052"),
        ("Park Bong-nam", "person", "KP", "KPi.073"),
    ],
)
def test_names_that_link(index, name, kind, country, reference) -> None:  # type: ignore[no-untyped-def]
    result = index.match_name(name, kind=kind, country=country)
    assert [link.reference for link in result.links] == [reference]
    link = result.links[0]
    assert link.list == "un_sc_consolidated" and link.score > 0.9 and link.reason


@pytest.mark.parametrize(
    ("name", "kind", "country"),
    [
        ("Kim Kyong Ik", "person", "KP"),  # KIM KYONG IL and KIM KYONG OK are listed
        ("Kim Jong Un", "person", "KP"),
        ("Korea Mining Trading Company", "organization", "KP"),
        ("Daedong Commercial Bank", "organization", "KP"),
        ("First Oil", "organization", "KP"),  # FIRST OIL JV CO LTD without its legal form
        ("Green Pine", "organization", "KP"),
        ("Ocean", "organization", "KP"),
        ("Lee Su-yong", None, None),  # a listed person's name with no other detail
        ("Lee Su-yong", "person", "KR"),  # ...or with a nationality the entry does not have
        ("PAD", "organization", "KP"),  # a three-letter acronym alone
    ],
)
def test_similar_but_different_names_get_no_link(index, name, kind, country) -> None:  # type: ignore[no-untyped-def]
    assert index.match_name(name, kind=kind, country=country).links == ()


def test_a_name_alone_is_a_possible_match_for_an_analyst(index) -> None:  # type: ignore[no-untyped-def]
    result = index.match_name("Lee Su-yong")
    assert result.links == ()
    assert [c.reference for c in result.candidates] == ["KPi.052"]
    similar = index.match_name("Kim Kyong Ik", kind="person", country="KP")
    assert {c.reference for c in similar.candidates} == {"KPi.045", "KPi.067"}
    assert all("never a link" in c.reason for c in similar.candidates)


def test_an_exact_alias_wins_over_another_firms_spelling_variant(index) -> None:  # type: ignore[no-untyped-def]
    # KOREA TAESONG TRADING COMPANY and Korea Daesong Trading Corporation are two listed firms.
    result = index.match_name("Korea Taesong Trading Company", kind="organization", country="KP")
    assert [link.reference for link in result.links] == ["KPe.041"]


def test_vessels_link_by_imo_number_or_listed_name(index) -> None:  # type: ignore[no-untyped-def]
    assert [link.reference for link in index.match_vessel(None, "IMO 5342883").links] == ["KPe.022"]
    assert index.match_vessel(None, "5342884").links == ()  # fails the IMO check digit
    assert [link.reference for link in index.match_vessel("Hao Fan 6", None).links] == ["KPe.073"]
    assert index.match_vessel("Hao Fan 7", None).links == ()


def test_text_finds_names_references_and_imo_numbers(index) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The Korea Mining Development Trading Corporation (KOMID) sold parts. Kim Song Chol of KOMID was seen "
        "in Khartoum. The tanker HAO FAN 6 loaded coal; IMO Number 5342883. KPe.020 is Ocean Maritime."
    )
    found = {(hit.text, hit.link.reference, hit.is_link) for hit in index.find_in_text(text)}
    assert {
        ("Korea Mining Development Trading Corporation", "KPe.001", True),
        ("KOMID", "KPe.001", True),
        ("Kim Song Chol", "KPi.030", True),  # backed by KOMID, which his own entry names
        ("HAO FAN 6", "KPe.073", True),
        ("IMO Number 5342883", "KPe.022", True),
        ("KPe.020", "KPe.020", True),
    } <= found


def test_a_person_named_in_text_without_a_related_entry_is_only_a_candidate(index) -> None:  # type: ignore[no-untyped-def]
    hits = index.find_in_text("Foreign minister Ri Su Yong told reporters the talks were over.")
    assert [(h.link.reference, h.is_link) for h in hits] == [("KPi.052", False)]


@pytest.mark.parametrize(
    "text",
    [
        "North Korea's strategic force fired a missile.",  # a listed alias, but in lower case
        "The office 39 people were there.",
        "He said the pad was ready.",
        "Koti is a common word in another language, said the report.",  # the ship, not KOTI CORP
        "Kim Kyong Ik met officials.",
    ],
)
def test_text_that_must_link_no_organisation_or_person(index, text: str) -> None:  # type: ignore[no-untyped-def]
    hits = [h for h in index.find_in_text(text) if h.is_link and h.kind != "vessel"]
    assert hits == []
