"""The scoring stage: the learned sentence scorer keeps the typed sentences that tell an incident.

Each candidate gets the probability, from the ``candidate_keep`` model (``nlp/incidents/scoring.py``),
that it backs an incident of its type; those below the model's threshold are dropped. Without a
model file every candidate stays (the rules decide alone).
"""

from __future__ import annotations

from collections import Counter

from sanctionwatch.nlp.document import Document
from sanctionwatch.nlp.incidents.features import candidate_features
from sanctionwatch.nlp.incidents.grouping import argument_key, event_time_of, sentence_facts
from sanctionwatch.nlp.incidents.scoring import load_model
from sanctionwatch.nlp.stage import stage

KEEP_MODEL = "candidate_keep"


@stage("scoring", requires={"candidates", "event_mentions"}, provides={"scores"}, relevant_only=True)
def scoring_stage(document: Document) -> Document:
    """Score each typed sentence; drop those unlikely to tell an incident of their type."""
    model = load_model(KEEP_MODEL)
    if model is None:
        return document
    per_type = Counter(c.type for c in document.candidates)
    kept = []
    for candidate in document.candidates:
        facts = sentence_facts(document, candidate, argument_key(document, candidate), event_time_of(document, candidate))
        probability = model.probability(candidate_features(document, candidate, facts, same_type_count=per_type[candidate.type]))
        candidate.score = probability
        if probability >= model.threshold:
            kept.append(candidate)
    document.candidates = kept
    document.reindex()
    return document
