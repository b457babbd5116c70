"""Linking an incident's actors and vessels; list names in the evidence become named actors."""

from __future__ import annotations

import json

from sanctionwatch.model import Actor, Article, Incident, Vessel
from sanctionwatch.nlp.pipeline import default_pipeline
from sanctionwatch.resolve.sanctions_index import bundled_index
from sanctionwatch.resolve.sanctions_linking import link_incident, unlink


def _incident(evidence: str, actors=(), vessels=()) -> Incident:  # type: ignore[no-untyped-def]
    return Incident(article_id="a-1", type="arms_military", evidence=(evidence,), actors=tuple(actors), vessels=tuple(vessels))


def test_a_list_name_in_the_evidence_takes_the_place_of_the_country_actor() -> None:
    incident = _incident(
        "The Korea Mining Development Trading Corporation (KOMID) sold rocket parts to Sudan.",
        actors=[Actor("North Korea", "KP", "perpetrator"), Actor("Sudan", "SD", "counterpart")],
    )
    linked = link_incident(incident, bundled_index())
    names = [(a.name, a.country, a.role, a.origin) for a in linked.actors]
    assert names == [
        ("Korea Mining Development Trading Corporation", "KP", "perpetrator", "sanctions_list"),
        ("Sudan", "SD", "counterpart", None),
    ]
    link = linked.actors[0].sanctions_links[0]
    assert (link.list, link.reference, link.name) == ("un_sc_consolidated", "KPe.001", "KOREA MINING DEVELOPMENT TRADING CORPORATION")
    assert linked.actors[0].kind == "organization"


def test_an_extractor_actor_gets_links_and_possible_matches() -> None:
    incident = _incident(
        "Officials met.", actors=[Actor("Green Pine Associated Corp.", "KP", "perpetrator"), Actor("Lee Su-yong", None, "facilitator")]
    )
    linked = link_incident(incident, bundled_index())
    assert [link.reference for link in linked.actors[0].sanctions_links] == ["KPe.010"]
    assert linked.actors[1].sanctions_links == () and [m.reference for m in linked.actors[1].possible_matches] == ["KPi.052"]


def test_a_listed_ship_in_the_evidence_becomes_a_vessel_with_its_owner_link() -> None:
    incident = _incident("The tanker HAO FAN 6 loaded coal at Nampo.", vessels=[Vessel(name="Wise Honest")])
    linked = link_incident(incident, bundled_index())
    assert [(v.name, [link.reference for link in v.sanctions_links]) for v in linked.vessels] == [
        ("Wise Honest", []),
        ("HAO FAN 6", ["KPe.073"]),
    ]


def test_linking_twice_is_linking_once_and_unlink_restores_the_extraction() -> None:
    incident = _incident("KOMID shipped parts.", actors=[Actor("North Korea", "KP", "perpetrator")])
    once = link_incident(incident, bundled_index())
    assert link_incident(once, bundled_index()) == once
    assert unlink(once).actors == ()  # the list-added actor goes; the country actor it replaced does not come back
    plain = _incident("Officials met.", actors=[Actor("Green Pine Associated Corp.", "KP")])
    assert unlink(link_incident(plain, bundled_index())) == plain


def test_links_round_trip_through_the_exchange_format() -> None:
    linked = link_incident(_incident("KOMID shipped parts.", actors=[Actor("North Korea", "KP")]), bundled_index())
    data = linked.to_dict()
    assert data["actors"][0]["sanctions_links"][0]["reference"] == "KPe.001"
    assert set(data["actors"][0]["sanctions_links"][0]) == {"list", "reference", "name", "matched_alias", "score", "reason"}
    assert Incident.from_dict(data).actors == linked.actors
    assert json.loads(json.dumps(data)) == data  # what the store reads back is what was written


def test_the_pipeline_links_an_article_naming_komid() -> None:
    article = Article(
        id="a-komid",
        published=__import__("datetime").date(2018, 7, 7),
        text=(
            "North Korea has been selling weapons to Sudan in violation of UN sanctions. "
            "The Korea Mining Development Trading Corporation, known as KOMID, sold rocket launchers and "
            "missile parts to the government of Sudan, a UN panel of experts said in a report on Friday."
        ),
    )
    incidents = default_pipeline().extract(article)
    references = {link.reference for i in incidents for a in i.actors for link in a.sanctions_links}
    assert "KPe.001" in references
