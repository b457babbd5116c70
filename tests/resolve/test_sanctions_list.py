"""Reading the UN consolidated list: the bundled snapshot, and bad files a user may load."""

from __future__ import annotations

import gzip
from datetime import date

import pytest

from sanctionwatch.errors import InputError
from sanctionwatch.resolve.sanctions_list import bundled_list, bundled_list_bytes, parse_consolidated_list

SMALL_LIST = b"""<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-01-02T10:00:00.000-05:00">
<INDIVIDUALS>
 <INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>KIM</FIRST_NAME><SECOND_NAME>SONG CHOL</SECOND_NAME>
  <UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPi.030</REFERENCE_NUMBER><LISTED_ON>2016-11-30</LISTED_ON>
  <COMMENTS1>Kim Song Chol is a KOMID official.</COMMENTS1>
  <NATIONALITY><VALUE>Democratic People's Republic of Korea</VALUE></NATIONALITY>
  <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Kim Hak Song</ALIAS_NAME></INDIVIDUAL_ALIAS>
 </INDIVIDUAL>
 <INDIVIDUAL><FIRST_NAME>SOMEONE</FIRST_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDi.001</REFERENCE_NUMBER></INDIVIDUAL>
</INDIVIDUALS>
<ENTITIES>
 <ENTITY><FIRST_NAME>DAEDONG CREDIT BANK (DCB)</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE>
  <REFERENCE_NUMBER>KPe.023</REFERENCE_NUMBER><LISTED_ON>2016-03-02</LISTED_ON>
  <COMMENTS1>Registered owner of the DPRK tanker NEW STAR 7. Company Number IMO 5342883.</COMMENTS1>
  <ENTITY_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>"Taedong Credit Bank"</ALIAS_NAME></ENTITY_ALIAS>
  <ENTITY_ADDRESS><COUNTRY>Democratic People's Republic of Korea</COUNTRY></ENTITY_ADDRESS>
 </ENTITY>
</ENTITIES>
</CONSOLIDATED_LIST>
"""


def test_bundled_snapshot_has_the_dprk_regime_with_its_date() -> None:
    snapshot = bundled_list()
    assert snapshot.generated == date(2018, 10, 29)
    people = [e for e in snapshot.entries if e.kind == "person"]
    firms = [e for e in snapshot.entries if e.kind == "organization"]
    assert (len(people), len(firms)) == (80, 75)  # the counts SOURCES.md records
    assert all(e.regime == "DPRK" for e in snapshot.entries)


def test_komid_entry_has_its_aliases_and_listing_date() -> None:
    komid = bundled_list().by_reference()["KPe.001"]
    assert komid.name == "KOREA MINING DEVELOPMENT TRADING CORPORATION"
    assert "KOMID" in {alias.name for alias in komid.aliases}
    assert komid.listed_on == date(2009, 4, 24)
    assert komid.countries == ("KP",)


def test_imo_numbers_and_ships_are_read_from_the_comments() -> None:
    entries = bundled_list().by_reference()
    assert entries["KPe.020"].imo_numbers == ("1790183",)
    assert entries["KPe.022"].imo_numbers == ("5342883",)
    assert "Chong Chon Gang" in entries["KPe.020"].vessel_names
    assert entries["KPe.073"].vessel_names == ("HAO FAN 2", "HAO FAN 6")
    assert "DPRK" not in {name for e in entries.values() for name in e.vessel_names}


def test_a_small_list_keeps_only_the_dprk_regime_and_reads_acronyms() -> None:
    parsed = parse_consolidated_list(SMALL_LIST)
    assert parsed.generated == date(2026, 1, 2)
    assert [e.reference for e in parsed.entries] == ["KPe.023", "KPi.030"]
    bank = parsed.by_reference()["KPe.023"]
    assert bank.name == "DAEDONG CREDIT BANK"
    assert [(a.name, a.quality) for a in bank.aliases] == [("DCB", "acronym"), ("Taedong Credit Bank", "good")]
    assert bank.imo_numbers == ("5342883",) and bank.vessel_names == ("NEW STAR 7",)
    assert parsed.by_reference()["KPi.030"].nationalities == ("KP",)
    assert len(parse_consolidated_list(SMALL_LIST, regimes=None).entries) == 3


def test_gzip_is_read_like_xml() -> None:
    assert parse_consolidated_list(gzip.compress(SMALL_LIST)) == parse_consolidated_list(SMALL_LIST)
    assert bundled_list_bytes()[:2] == b"\x1f\x8b"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<CONSOLIDATED_LIST><INDIVIDUALS>&lol2;</INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<CONSOLIDATED_LIST><INDIVIDUALS>&xxe;</INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>"""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BILLION_LAUGHS, "refused unsafe XML"),
        (EXTERNAL_ENTITY, "refused unsafe XML"),
        (b"<html><body>Not found</body></html>", "not a UN consolidated list"),
        (b"<CONSOLIDATED_LIST><INDIVIDUALS>", "not well-formed XML"),
        (b"\x00\x01binary", "not well-formed XML"),
        (b"", "not well-formed XML"),
        (b"\x1f\x8b\x08\x00broken", "not a readable gzip file"),
        (b"<CONSOLIDATED_LIST><INDIVIDUALS/><ENTITIES/></CONSOLIDATED_LIST>", "holds no entry"),
    ],
)
def test_a_bad_file_is_one_input_error_line(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_consolidated_list(data, source="download.xml")
    text = str(caught.value)
    assert message in text and text.startswith("download.xml: ") and "\n" not in text
