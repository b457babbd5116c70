"""Linking one incident's actors and vessels to a sanctions list (pure; no I/O).

Two sources of links: the actors and vessels the extractor found (their names, kinds, countries
and IMO numbers go through ``SanctionsIndex.match_name`` / ``match_vessel``), and list names in
the incident's own evidence sentences (``find_in_text``), which today's extractor mostly reports
only as a country. A list name linked in the evidence that no actor carries yet is added as a
named actor (or vessel) with ``origin="sanctions_list"``, so re-linking against a newer list can
take exactly those away again (``unlink``) before linking afresh.
"""

from __future__ import annotations

from dataclasses import replace

from sanctionwatch.model import Actor, Incident, SanctionsLink, Vessel
from sanctionwatch.resolve.sanctions_list import is_country_name
from sanctionwatch.resolve.sanctions_match import SanctionsIndex, TextHit
from sanctionwatch.resolve.sanctions_names import literal_key

ORIGIN = "sanctions_list"
# Listed organisations and persons act for the DPRK side of an incident.
ADDED_ROLE = "perpetrator"


def unlink(incident: Incident) -> Incident:
    """The incident as the extractor left it: no links, no candidates, no list-added actors."""
    actors = tuple(
        replace(a, sanctions_links=(), possible_matches=()) for a in incident.actors if a.origin != ORIGIN
    )
    vessels = tuple(
        replace(v, sanctions_links=(), possible_matches=()) for v in incident.vessels if v.origin != ORIGIN
    )
    return incident.with_changes(actors=actors, vessels=vessels)


def _merge(links: tuple[SanctionsLink, ...], more: list[SanctionsLink]) -> tuple[SanctionsLink, ...]:
    by_reference = {link.reference: link for link in links}
    for link in more:
        by_reference.setdefault(link.reference, link)
    return tuple(sorted(by_reference.values(), key=lambda link: link.reference))


def _same_name(a: str | None, b: str | None) -> bool:
    return bool(a and b) and literal_key(a, "person") == literal_key(b, "person")


def _link_actor(actor: Actor, index: SanctionsIndex) -> Actor:
    result = index.match_name(actor.name, kind=actor.kind, country=actor.country)
    linked = {link.reference for link in result.links}
    return replace(
        actor,
        sanctions_links=_merge(actor.sanctions_links, list(result.links)),
        possible_matches=_merge(actor.possible_matches, [c for c in result.candidates if c.reference not in linked]),
    )


def _link_vessel(vessel: Vessel, index: SanctionsIndex) -> Vessel:
    result = index.match_vessel(vessel.name, vessel.imo)
    return replace(vessel, sanctions_links=_merge(vessel.sanctions_links, list(result.links)))


def _countries(incident: Incident) -> set[str]:
    return {a.country for a in incident.actors if a.country} | {loc.country for loc in incident.locations if loc.country}


def link_incident(incident: Incident, index: SanctionsIndex) -> Incident:
    """Links and candidates on every actor and vessel, plus named actors/vessels for list names
    linked in the evidence. Deterministic: the same incident and list give the same result."""
    incident = unlink(incident)
    actors = [_link_actor(actor, index) for actor in incident.actors]
    vessels = [_link_vessel(vessel, index) for vessel in incident.vessels]
    evidence = "\n".join(incident.evidence)
    hits = index.find_in_text(evidence, countries=_countries(incident)) if evidence else []
    for hit in hits:
        if hit.kind == "vessel":
            _add_vessel_hit(vessels, hit)
        else:
            _add_actor_hit(actors, hit, index)
    return incident.with_changes(actors=tuple(actors), vessels=tuple(vessels))


def _add_vessel_hit(vessels: list[Vessel], hit: TextHit) -> None:
    for position, vessel in enumerate(vessels):
        if _same_name(vessel.name, hit.text) or hit.link.reference in {link.reference for link in vessel.sanctions_links}:
            if _same_name(vessel.name, hit.text):
                vessels[position] = replace(vessel, sanctions_links=_merge(vessel.sanctions_links, [hit.link]))
            return
    vessels.append(Vessel(name=hit.text, sanctions_links=(hit.link,), origin=ORIGIN))


def _add_actor_hit(actors: list[Actor], hit: TextHit, index: SanctionsIndex) -> None:
    for position, actor in enumerate(actors):
        known = {link.reference for link in (*actor.sanctions_links, *actor.possible_matches)}
        if hit.link.reference in known and not hit.is_link:
            return
        if _same_name(actor.name, hit.text) or (hit.link.reference in known and hit.is_link):
            if hit.is_link:
                actors[position] = replace(
                    actor,
                    sanctions_links=_merge(actor.sanctions_links, [hit.link]),
                    possible_matches=tuple(m for m in actor.possible_matches if m.reference != hit.link.reference),
                )
            elif hit.link.reference not in {link.reference for link in actor.sanctions_links}:
                actors[position] = replace(actor, possible_matches=_merge(actor.possible_matches, [hit.link]))
            return
    if not hit.is_link:
        return  # a name alone in the text stays out of the record: no actor is asserted on it
    entry = index.entries[hit.link.reference]
    country = (entry.nationalities + entry.countries or (None,))[0]
    named = Actor(name=hit.text, country=country, role=ADDED_ROLE, kind=entry.kind, sanctions_links=(hit.link,), origin=ORIGIN)
    # The listed name says who "North Korea" was: it takes the place of a country-level actor
    # of the same country and role rather than standing beside it as a second one.
    for position, actor in enumerate(actors):
        if actor.country == country and actor.role == ADDED_ROLE and actor.origin is None and is_country_name(actor.name, country):
            actors[position] = named
            return
    actors.append(named)
