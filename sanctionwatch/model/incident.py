"""Incidents in the exchange format of docs/incidents.md."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from sanctionwatch.model.identity import natural_incident_id

ACTIVITY_TYPES: tuple[str, ...] = (
    "labor_export",
    "maritime_transfer",
    "petroleum_trade",
    "coal_mineral_export",
    "seafood_export",
    "textile_export",
    "arms_military",
    "luxury_goods",
    "wmd_dual_use_procurement",
    "financial_banking",
    "cyber_theft",
    "machinery_vehicle_metal_import",
    "smuggling_other",
)
CONTEXT_TYPES: tuple[str, ...] = ("context_diplomatic", "context_enforcement")
INCIDENT_TYPES: tuple[str, ...] = ACTIVITY_TYPES + CONTEXT_TYPES

ACTOR_ROLES = ("perpetrator", "counterpart", "facilitator", "enforcer")
LOCATION_ROLES = ("origin", "route", "crossing", "destination", "site", "port")
ATTRIBUTIONS = (
    "anonymous_source",
    "named_official",
    "official_media",
    "government_report",
    "un_report",
    "ngo_research",
    "journalist_observation",
    "analysis_speculation",
)
CERTAINTIES = ("asserted", "reported", "speculative")
PRECISIONS = ("day", "month", "year")
REVIEW_STATUSES = ("unreviewed", "confirmed", "rejected", "edited")


@dataclass(frozen=True, slots=True)
class SanctionsLink:
    """A tie between a named actor or vessel and a sanctions-list entry.

    In ``sanctions_links`` it is a link (exact alias, reference or IMO number, or a close name
    backed by another detail); in ``possible_matches`` it is a candidate for an analyst only.
    """

    list: str
    reference: str
    name: str
    matched_alias: str
    score: float
    reason: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SanctionsLink:
        return cls(
            list=str(data.get("list") or ""),
            reference=str(data.get("reference") or ""),
            name=str(data.get("name") or ""),
            matched_alias=str(data.get("matched_alias") or ""),
            score=float(data.get("score") or 0.0),
            reason=str(data.get("reason") or ""),
        )


def _links(data: dict[str, Any], key: str) -> tuple[SanctionsLink, ...]:
    return tuple(SanctionsLink.from_dict(link) for link in data.get(key) or () if isinstance(link, dict))


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    country: str | None = None
    role: str = "perpetrator"
    # "person", "organization" or None (unknown); set where a sanctions-list entry says so.
    kind: str | None = None
    sanctions_links: tuple[SanctionsLink, ...] = ()
    possible_matches: tuple[SanctionsLink, ...] = ()
    # None: the extractor found it; "sanctions_list": added because a list name is in the evidence.
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class Quantity:
    min: float | None
    max: float | None
    unit: str
    item: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Vessel:
    name: str | None = None
    imo: str | None = None
    mmsi: str | None = None
    flag: str | None = None
    sanctions_links: tuple[SanctionsLink, ...] = ()
    possible_matches: tuple[SanctionsLink, ...] = ()
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class Location:
    """A place. ``lat``/``lon`` are None where there is no point (a sea, a whole country)."""

    name: str
    country: str | None = None
    admin1: str | None = None
    role: str = "site"
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None

    def __post_init__(self) -> None:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon must both be set or both be None")
        if self.lat is not None and self.lon is not None:
            if not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
                raise ValueError(f"coordinates out of range: {self.lat}, {self.lon}")
            if self.lat == 0 and self.lon == 0:
                raise ValueError("refusing a (0, 0) point")


@dataclass(frozen=True, slots=True)
class TimeRange:
    start: date | None = None
    end: date | None = None
    precision: str | None = None
    text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "precision": self.precision,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Incident:
    """One sanctions-relevant activity (or context event) reported by one article.

    ``evidence`` holds verbatim sentences of the article; ``evidence_spans`` their offsets.
    """

    article_id: str
    type: str
    summary: str = ""
    actors: tuple[Actor, ...] = ()
    quantity: Quantity | None = None
    commodity: str | None = None
    vessels: tuple[Vessel, ...] = ()
    locations: tuple[Location, ...] = ()
    time: TimeRange = field(default_factory=TimeRange)
    attribution: str | None = None
    certainty: str | None = None
    provisions: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    evidence_spans: tuple[tuple[int, int], ...] = ()
    confidence: float = 0.5
    extractor_version: str | None = None

    @property
    def id(self) -> str:
        """The id a first extraction gives: article, type and first evidence sentence, no offsets.

        The store keeps an incident's earlier id when a later extraction finds it again
        (``model/identity.py``), so a stored id may differ from this one.
        """
        return natural_incident_id(self.article_id, self.type, self.evidence)

    @property
    def is_activity(self) -> bool:
        return self.type in ACTIVITY_TYPES

    def with_changes(self, **changes: Any) -> Incident:
        return replace(self, **changes)

    def to_dict(self, *, with_id: bool = False) -> dict[str, Any]:
        """The exchange format of docs/incidents.md."""
        out: dict[str, Any] = {}
        if with_id:
            out["id"] = self.id
        out.update(
            {
                "article_id": self.article_id,
                "type": self.type,
                "summary": self.summary,
                "actors": [_party_dict(a) for a in self.actors],
                "quantity": (
                    {k: v for k, v in asdict(self.quantity).items() if k != "text"} if self.quantity else None
                ),
                "commodity": self.commodity,
                "vessels": [_party_dict(v) for v in self.vessels],
                "locations": [
                    {k: v for k, v in asdict(loc).items() if k != "geonameid"} for loc in self.locations
                ],
                "time": self.time.to_dict(),
                "attribution": self.attribution,
                "certainty": self.certainty,
                "provisions": list(self.provisions),
                "evidence": list(self.evidence),
                "confidence": round(self.confidence, 3),
            }
        )
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Incident:
        """Read an incident in the exchange format (gold files, exports, edits)."""
        time = data.get("time") or {}
        quantity = data.get("quantity")
        return cls(
            article_id=str(data["article_id"]),
            type=str(data["type"]),
            summary=data.get("summary") or "",
            actors=tuple(
                Actor(
                    name=a.get("name") or "",
                    country=a.get("country"),
                    role=a.get("role") or "perpetrator",
                    kind=a.get("kind"),
                    sanctions_links=_links(a, "sanctions_links"),
                    possible_matches=_links(a, "possible_matches"),
                    origin=a.get("origin"),
                )
                for a in data.get("actors") or ()
            ),
            quantity=(
                Quantity(
                    min=quantity.get("min"),
                    max=quantity.get("max"),
                    unit=quantity.get("unit") or "",
                    item=quantity.get("item"),
                )
                if quantity
                else None
            ),
            commodity=data.get("commodity"),
            vessels=tuple(
                Vessel(
                    name=v.get("name"),
                    imo=v.get("imo"),
                    mmsi=v.get("mmsi"),
                    flag=v.get("flag"),
                    sanctions_links=_links(v, "sanctions_links"),
                    possible_matches=_links(v, "possible_matches"),
                    origin=v.get("origin"),
                )
                for v in data.get("vessels") or ()
            ),
            locations=tuple(
                Location(
                    name=loc.get("name") or "",
                    country=loc.get("country"),
                    admin1=loc.get("admin1"),
                    role=loc.get("role") or "site",
                    lat=loc.get("lat"),
                    lon=loc.get("lon"),
                )
                for loc in data.get("locations") or ()
            ),
            time=TimeRange(
                start=_date_or_none(time.get("start")),
                end=_date_or_none(time.get("end")),
                precision=time.get("precision"),
                text=time.get("text"),
            ),
            attribution=data.get("attribution"),
            certainty=data.get("certainty"),
            provisions=tuple(data.get("provisions") or ()),
            evidence=tuple(data.get("evidence") or ()),
            confidence=float(data.get("confidence", 0.5) or 0.0),
        )


def _party_dict(party: Actor | Vessel) -> dict[str, Any]:
    """An actor or vessel as JSON-ready values: its links as lists, as they read back from JSON."""
    data = asdict(party)
    data["sanctions_links"] = list(data["sanctions_links"])
    data["possible_matches"] = list(data["possible_matches"])
    return data


def _date_or_none(value: Any) -> date | None:
    if not value:
        return None
    return date.fromisoformat(str(value)[:10])
