"""FollowTheMoney export: incidents as ``Event`` entities with their actors, vessels and links.

Aleph, OpenSanctions' tools and ``nomenklatura`` read FollowTheMoney (FtM) entities as JSON
Lines. Each incident becomes an ``Event`` (dates, summary, evidence as description, places,
countries, the source article); each named actor a ``Person``, ``Organization`` or ``Company``
(``involved`` in the event), each named ship a ``Vessel`` (tied to the event by an
``UnknownLink``), and each sanctions-list link a ``Sanction`` entity (``unscId``, programme
``UN-SC1718``) on the actor or vessel. Ids are content hashes, so the same actor in two incidents
is one entity, written once; country-level actors ("North Korea") are the event's ``country``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy

from sanctionwatch.resolve.sanctions_list import is_country_name
from sanctionwatch.resolve.sanctions_names import has_legal_form
from sanctionwatch.service.labels import type_label

PREFIX = "sanctionwatch"
POSSESSIVE = re.compile(r"['’]s$")
UN_AUTHORITY = "United Nations Security Council"
UN_PROGRAM = "UN Security Council 1718 Committee (DPRK)"
UN_PROGRAM_ID = "UN-SC1718"


def _id(*parts: str) -> str:
    return f"{PREFIX}-" + hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:24]


def _schema_of(party: dict[str, Any]) -> str:
    kind = party.get("kind")
    names = [party.get("name") or "", *(link.get("name") or "" for link in party.get("sanctions_links") or [])]
    if kind == "person":
        return "Person"
    if any(has_legal_form(name) for name in names):
        return "Company"
    return "Organization"


def _is_named(actor: dict[str, Any]) -> bool:
    name = actor.get("name") or ""
    if actor.get("sanctions_links") or actor.get("origin"):
        return True
    words = name.split()
    return bool(words) and not is_country_name(name, actor.get("country")) and all(w[:1].isupper() or w[:1].isdigit() for w in words)


def _sanctions(party_id: str, party: dict[str, Any]) -> list[EntityProxy]:
    found = []
    for link in party.get("sanctions_links") or []:
        sanction = model.make_entity("Sanction")
        sanction.id = _id("sanction", party_id, link.get("list") or "", link.get("reference") or "")
        sanction.add("entity", party_id)
        sanction.add("authority", UN_AUTHORITY)
        sanction.add("unscId", link.get("reference"))
        sanction.add("authorityId", link.get("reference"))
        sanction.add("program", UN_PROGRAM)
        sanction.add("programId", UN_PROGRAM_ID)
        sanction.add("reason", f"sanctionwatch link ({link.get('reason')}); listed as {link.get('name')}")
        found.append(sanction)
    return found


def incident_entities(incident: dict[str, Any]) -> list[EntityProxy]:
    """The FtM entities of one stored incident (effective record, with ``id`` and ``article``)."""
    article = incident.get("article") or {}
    event = model.make_entity("Event")
    event.id = _id("event", incident["id"])
    event.add("name", incident.get("summary") or type_label(incident.get("type") or ""))
    event.add("summary", incident.get("summary"))
    event.add("description", "\n".join(incident.get("evidence") or []))
    time = incident.get("time") or {}
    event.add("startDate", time.get("start"))
    event.add("endDate", time.get("end"))
    event.add("keywords", [incident.get("type"), *(incident.get("provisions") or [])])
    event.add("recordId", incident["id"])
    event.add("sourceUrl", article.get("url"))
    event.add("publisher", article.get("source"))
    event.add("location", [loc.get("name") for loc in incident.get("locations") or [] if loc.get("name")])
    countries = {a.get("country") for a in incident.get("actors") or []} | {loc.get("country") for loc in incident.get("locations") or []}
    event.add("country", sorted(c.lower() for c in countries if c))
    entities: list[EntityProxy] = [event]
    for actor in incident.get("actors") or []:
        if not _is_named(actor):
            continue
        schema = _schema_of(actor)
        party = model.make_entity(schema)
        party.id = _id("party", schema, POSSESSIVE.sub("", actor.get("name") or "").casefold(), actor.get("country") or "")
        party.add("name", POSSESSIVE.sub("", actor.get("name") or ""))
        party.add("country", (actor.get("country") or "").lower() or None)
        for link in actor.get("sanctions_links") or []:
            party.add("alias", link.get("name"))
            party.add("topics", "sanction")
        event.add("involved", party.id)
        entities.append(party)
        entities += _sanctions(party.id, actor)
    for vessel in incident.get("vessels") or []:
        if not (vessel.get("name") or vessel.get("imo")):
            continue
        ship = model.make_entity("Vessel")
        ship.id = _id("vessel", vessel.get("imo") or (vessel.get("name") or "").casefold())
        ship.add("name", vessel.get("name") or f"IMO {vessel.get('imo')}")
        ship.add("imoNumber", vessel.get("imo"))
        ship.add("mmsi", vessel.get("mmsi"))
        ship.add("flag", (vessel.get("flag") or "").lower() or None)
        if vessel.get("sanctions_links"):
            ship.add("topics", "sanction")
        link = model.make_entity("UnknownLink")
        link.id = _id("link", ship.id, event.id)
        link.add("subject", ship.id)
        link.add("object", event.id)
        link.add("role", "vessel in the incident")
        entities += [ship, link, *_sanctions(ship.id, vessel)]
    return entities


def export_ftm(incidents: Iterable[dict[str, Any]]) -> Iterator[str]:
    """FtM entities as JSON Lines, each id once (an actor in several incidents is merged)."""
    pending: dict[str, EntityProxy] = {}
    order: list[str] = []
    for incident in incidents:
        for entity in incident_entities(incident):
            if entity.schema.name == "Event":
                yield json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True) + "\n"
                continue
            assert entity.id is not None
            if entity.id in pending:
                pending[entity.id].merge(entity)
            else:
                pending[entity.id] = entity
                order.append(entity.id)
    # Parties, ships, links and sanctions after the events: one line per entity, merged.
    for entity_id in order:
        yield json.dumps(pending[entity_id].to_dict(), ensure_ascii=False, sort_keys=True) + "\n"
