"""The assemble stage: typed sentences of each type grouped into incidents and built
(``nlp/incidents/``: grouping, evidence, arguments, places, actors, attribution)."""

from __future__ import annotations

from sanctionwatch.nlp.cues import load_incident_types
from sanctionwatch.nlp.document import Candidate, Document
from sanctionwatch.nlp.incidents.assemble import build_incident
from sanctionwatch.nlp.incidents.grouping import group_candidates
from sanctionwatch.nlp.stage import stage


@stage(
    "assemble",
    requires={"candidates", "time_mentions", "quantity_mentions", "entities"},
    provides={"incidents"},
    relevant_only=True,
)
def assemble_stage(document: Document) -> Document:
    """Turn typed sentences into incidents with evidence and arguments."""
    types = load_incident_types()
    by_type: dict[str, list[Candidate]] = {}
    for candidate in document.candidates:
        by_type.setdefault(candidate.type, []).append(candidate)
    for incident_type, candidates in by_type.items():
        cues = types[incident_type]
        for group in group_candidates(document, candidates, cues):
            document.incidents.append(build_incident(document, group, cues))
    return document
