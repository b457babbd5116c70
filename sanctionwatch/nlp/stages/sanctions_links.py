"""Stage ``sanctions_links``: actors and vessels linked to the bundled UN list snapshot.

The matching lives in ``sanctionwatch.resolve`` (``sanctions_match``, ``sanctions_linking``); this
stage only applies it to each incident, with the list that ships with the package. A store that
has loaded a newer list re-links its incidents against that one (``service.sanctions``).
"""

from __future__ import annotations

from sanctionwatch.nlp.document import Document
from sanctionwatch.nlp.stage import stage
from sanctionwatch.resolve.sanctions_index import bundled_index
from sanctionwatch.resolve.sanctions_linking import link_incident


@stage("sanctions_links", requires={"incidents"}, provides={"sanctions_links"}, relevant_only=True)
def sanctions_links_stage(document: Document) -> Document:
    """Link named actors and vessels to the UN sanctions list; add list names in the evidence."""
    index = bundled_index()
    document.incidents = [link_incident(incident, index) for incident in document.incidents]
    return document
