"""Words and colours the fronts show for vocabulary values: type labels, certainty, attribution.

Declared once here so the list, the map legend, the popups and the exports' documentation agree.
Colours are written into SVG ``fill`` attributes and map data, never into inline styles (the
dashboard's CSP forbids them).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from sanctionwatch.model.incident import ATTRIBUTIONS, CONTEXT_TYPES, INCIDENT_TYPES

# One hue per activity type, distinguishable on the beige land and blue sea of the basemap;
# context events are drawn as rings (white fill, coloured edge) so activity stands out.
TYPE_COLOURS: dict[str, str] = {
    "labor_export": "#3f6fb0",
    "maritime_transfer": "#0f8f8f",
    "petroleum_trade": "#e07b1a",
    "coal_mineral_export": "#4d4540",
    "seafood_export": "#5fb3d9",
    "textile_export": "#a05aa8",
    "arms_military": "#d1343a",
    "luxury_goods": "#c9a100",
    "wmd_dual_use_procurement": "#8f1f5c",
    "financial_banking": "#3d9140",
    "cyber_theft": "#6a3fb5",
    "machinery_vehicle_metal_import": "#8c5a3c",
    "smuggling_other": "#7a7f85",
    "context_diplomatic": "#4a6a8a",
    "context_enforcement": "#222222",
}
CERTAINTY_LABELS = {
    "asserted": "asserted as fact by the source",
    "reported": "reported: an attributed claim, not established fact",
    "speculative": "speculative: analysis or conjecture",
}
ATTRIBUTION_LABELS = {name: name.replace("_", " ") for name in ATTRIBUTIONS}
PRECISION_LABELS = {"day": "day", "month": "month", "year": "year", None: "no precision stated"}


@dataclass(frozen=True, slots=True)
class TypeStyle:
    name: str
    label: str
    colour: str
    is_context: bool


@lru_cache(maxsize=1)
def type_labels() -> dict[str, str]:
    """``labor_export`` → "Labour export", from ``vocabularies/incident_types.toml``."""
    text = resources.files("sanctionwatch.vocabularies").joinpath("incident_types.toml").read_text("utf-8")
    types = tomllib.loads(text)["types"]
    return {name: str(types.get(name, {}).get("label") or name.replace("_", " ")) for name in INCIDENT_TYPES}


def type_label(name: str | None) -> str:
    return type_labels().get(name or "", (name or "unknown type").replace("_", " "))


def type_styles() -> tuple[TypeStyle, ...]:
    return tuple(
        TypeStyle(name, type_label(name), TYPE_COLOURS.get(name, "#7a7f85"), name in CONTEXT_TYPES)
        for name in INCIDENT_TYPES
    )
