"""Which incident of a new extraction is which stored one: type, evidence text, arguments."""

from __future__ import annotations

import pytest

from sanctionwatch.model import Actor, Incident, Location, Quantity
from sanctionwatch.model.identity import StoredIncident, assign_incident_ids, match_incidents, natural_incident_id

SENTENCE = "North Korea sent about 2,000 workers to garment factories near Dandong in May, a source said."


def incident(**changes: object) -> dict:  # type: ignore[type-arg]
    base = Incident(
        article_id="a1",
        type="labor_export",
        actors=(Actor(name="North Korea", country="KP"),),
        quantity=Quantity(min=2000, max=2000, unit="persons"),
        locations=(Location(name="Dandong", country="CN"),),
        evidence=(SENTENCE,),
        evidence_spans=((0, len(SENTENCE)),),
    )
    return base.with_changes(**changes).to_dict()


def stored(data: dict, incident_id: str = "i-old") -> StoredIncident:  # type: ignore[type-arg]
    return StoredIncident(id=incident_id, data=data)


def test_natural_id_ignores_offsets_whitespace_and_case():
    moved = Incident(article_id="a1", type="labor_export", evidence=(SENTENCE,), evidence_spans=((120, 120 + len(SENTENCE)),))
    original = Incident(article_id="a1", type="labor_export", evidence=(SENTENCE,), evidence_spans=((0, len(SENTENCE)),))
    assert moved.id == original.id
    assert natural_incident_id("a1", "labor_export", ["  " + SENTENCE.upper().replace(" ", "\n ")]) == original.id


@pytest.mark.parametrize(
    "new",
    [
        incident(),  # the same
        incident(evidence=(SENTENCE.replace("about", "around"),)),  # a fixed word
        incident(evidence=(SENTENCE, "They work twelve hours a day, the source added.")),  # one more sentence
        incident(evidence=("Officials said: " + SENTENCE,)),  # a longer version of the sentence
        incident(summary="Another wording.", confidence=0.2),  # the machine's other fields changed
    ],
    ids=["same", "typo-fixed", "more-evidence", "longer-sentence", "other-summary"],
)
def test_the_same_incident_is_matched(new):
    assert match_incidents([stored(incident())], [new]) == {0: "i-old"}


@pytest.mark.parametrize(
    "new",
    [
        incident(type="coal_mineral_export"),
        incident(evidence=("The UN panel published its annual report on sanctions on Tuesday in New York.",)),
    ],
    ids=["other-type", "other-evidence"],
)
def test_another_incident_is_not_matched(new):
    assert match_incidents([stored(incident())], [new]) == {}


def test_the_type_an_analyst_set_also_matches():
    old = StoredIncident(id="i-old", data=incident(type="smuggling_other"), edited_type="labor_export")
    assert match_incidents([old], [incident()]) == {0: "i-old"}


def test_two_incidents_in_one_sentence_keep_their_own_ids():
    to_china = incident()
    to_russia = incident(locations=(Location(name="Vladivostok", country="RU"),), actors=(Actor(name="DPRK"),))
    old = [stored(to_china, "i-china"), stored(to_russia, "i-russia")]
    assert match_incidents(old, [to_russia, to_china]) == {0: "i-russia", 1: "i-china"}
    fresh = assign_incident_ids("a1", [], [to_china, to_russia])
    assert len(set(fresh)) == 2  # same type and sentence, still two ids


def test_a_new_incident_gets_an_id_no_stored_incident_has():
    old = stored(incident(type="coal_mineral_export"), natural_incident_id("a1", "labor_export", [SENTENCE]))
    (new_id,) = assign_incident_ids("a1", [old], [incident()])
    assert new_id != old.id
