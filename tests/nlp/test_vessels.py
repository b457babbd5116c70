"""Vessels: IMO check digits, MMSI plausibility, names, flags, and BAD_INPUTS 28 (renames, spoofs, namesakes)."""

from __future__ import annotations

import pytest

from sanctionwatch.model import Vessel
from sanctionwatch.nlp.arguments.vessels import VesselMention, find_vessels, flag_code, imo_check_digit_ok, unique_vessels


@pytest.mark.parametrize(
    ("imo", "valid"),
    [
        ("9191981", True),
        ("8914934", True),
        ("7303803", True),
        ("9417115", True),
        ("9191982", False),
        ("8905491", False),
        ("919198", False),
        ("91919810", False),
        ("abcdefg", False),
    ],
)
def test_imo_check_digit(imo: str, valid: bool) -> None:
    assert imo_check_digit_ok(imo) is valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the tanker Lighthouse Winmore left port", [Vessel("Lighthouse Winmore")]),
        ("it seized a Hong Kong-flagged ship, the Lighthouse Winmore, suspected of", [Vessel("Lighthouse Winmore", flag="HK")]),
        ("transferred oil to the North Korea-flagged Sam Jong 2 on Oct. 19", [Vessel("Sam Jong 2", flag="KP")]),
        ("the other was the Panama-registered Billions No. 18.", [Vessel("Billions No. 18", flag="PA")]),
        ("the Togo-flagged tanker Xin Yuan 18 sailed", [Vessel("Xin Yuan 18", flag="TG")]),
        ("a Sierra Leone-flagged vessel named “Jin Hye” docked", [Vessel("Jin Hye", flag="SL")]),
        ("the North Korean cargo ship Wise Honest (IMO 8905490) was seized", [Vessel("Wise Honest", imo="8905490", flag="KP")]),
        ("the Wise Honest (IMO: 8905490)", [Vessel("Wise Honest", imo="8905490")]),
        ("listed as IMO number 8914934 in the report", [Vessel(imo="8914934")]),
        ("IMO 7303803 and MMSI 445123000", [Vessel(imo="7303803"), Vessel(mmsi="445123000")]),
        (
            "the *[Koti](https://www.marinetraffic.com/en/ais/details/ships/shipid:5344879/mmsi:373095000/imo:9417115/"
            "vessel:KOTI)*, an 8,000 dwt Panamanian-flagged product tanker",
            [Vessel("Koti", imo="9417115", mmsi="373095000", flag="PA")],
        ),
    ],
)
def test_find_vessels(text: str, expected: list[Vessel]) -> None:
    mentions = find_vessels(text)
    assert [m.vessel for m in mentions] == expected
    assert all(text[m.start : m.end] == m.text for m in mentions)


@pytest.mark.parametrize(
    "text",
    [
        "the IMO 9191982 record",  # wrong check digit
        "the Wise Honest (IMO: 8905491)",  # a wrong check digit drops the number, and no name cue remains
        "MMSI 999999999 was broadcast",  # no maritime identification digits 999
        "MMSI 12345678",  # eight digits
        "the ship was seized in May",
        "North Korea sent ships to the port",
        "",
    ],
)
def test_no_vessel_is_found(text: str) -> None:
    assert find_vessels(text) == []


@pytest.mark.parametrize(
    ("phrase", "code"),
    [("Panama", "PA"), ("Panamanian", "PA"), ("Hong Kong", "HK"), ("North Korean", "KP"), ("Togo", "TG"),
     ("Sierra Leone", "SL"), ("Atlantis", None)],
)
def test_flag_code(phrase: str, code: str | None) -> None:
    assert flag_code(phrase) == code


def _mention(vessel: Vessel) -> VesselMention:
    return VesselMention(0, 1, vessel)


@pytest.mark.parametrize(
    ("vessels", "expected"),
    [
        # a renamed ship keeps its IMO number: two names stay two records
        ([Vessel("Hui Yi", imo="9191981", flag="CN"), Vessel("Kum Gang 1", imo="9191981", flag="KP")],
         (Vessel("Hui Yi", imo="9191981", flag="CN"), Vessel("Kum Gang 1", imo="9191981", flag="KP"))),
        # the same name on two ships with different IMO numbers is not merged
        ([Vessel("Sam Jong 2", imo="9191981"), Vessel("Sam Jong 2", imo="8914934")],
         (Vessel("Sam Jong 2", imo="9191981"), Vessel("Sam Jong 2", imo="8914934"))),
        # a spoofed MMSI that conflicts with the known one is kept apart
        ([Vessel("Koti", mmsi="373095000"), Vessel("Koti", mmsi="412345678")],
         (Vessel("Koti", mmsi="373095000"), Vessel("Koti", mmsi="412345678"))),
        # repeated mentions of one ship fill each other's gaps
        ([Vessel("Koti", flag="PA"), Vessel("koti", imo="9417115"), Vessel(imo="9417115")],
         (Vessel("Koti", imo="9417115", flag="PA"),)),
    ],
)
def test_unique_vessels(vessels: list[Vessel], expected: tuple[Vessel, ...]) -> None:
    assert unique_vessels([_mention(v) for v in vessels]) == expected


@pytest.mark.parametrize("text", ["A" * 1_000_000, "[" * 1_000_000, "IMO" * 333_333, "Panama-flagged " * 60_000])
def test_megabyte_input_returns_quickly(text: str) -> None:
    # Returns at all (the hang guard in pyproject.toml stops a backtracking pattern), and no
    # name it finds runs on through the megabyte.
    assert all(len(m.vessel.name or "") < 100 for m in find_vessels(text))
