"""Train the learned scorers of the extractor from the gold annotations, and cross-validate them.

    .venv/bin/pip install -e ".[train]"
    .venv/bin/python scripts/train_models.py            # cross-validate across the halves, then fit on both
    .venv/bin/python scripts/train_models.py --cv-only  # figures only, no model file written

Models (``sanctionwatch/vocabularies/models/*.json``, read by ``nlp/incidents/scoring.py``):

- ``incident_confidence`` (ships): is a built incident right, i.e. paired with a gold incident of
  its type? Its probability is the incident's ``confidence``.
- ``incident_linking`` (measured, not shipped): do two typed sentences of one type in one article
  tell the same incident? Examples are pairs of candidate sentences that both overlap gold
  evidence of their type; the label says whether they back the same gold incident.
- ``candidate_keep`` (measured, not shipped): does a typed sentence back an incident of its type?

Cross-validation fits on one half of the gold (``dev`` or ``dev_b``) and scores the other: AUC on
the held half (for the confidence, beside the AUC of the rule-based confidence it replaces, and
the precision of each confidence band) and, end to end, the extractor's figures on the held half
with the models fitted on the other. Only models that beat the rules on the held half, both ways,
are written. Needs ``../shared`` (the corpus and gold are never copied into the repository).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from sanctionwatch.evaluation import load_gold  # noqa: E402
from sanctionwatch.evaluation.matching import pair_incidents, sentences_overlap  # noqa: E402
from sanctionwatch.nlp.document import Document  # noqa: E402
from sanctionwatch.nlp.incidents import scoring  # noqa: E402
from sanctionwatch.nlp.incidents.features import candidate_features, pair_features  # noqa: E402
from sanctionwatch.nlp.incidents.grouping import argument_key, event_time_of, sentence_facts  # noqa: E402
from sanctionwatch.nlp.pipeline import DEFAULT_STAGES, Pipeline, default_pipeline  # noqa: E402
from sanctionwatch.service.inputs import read_articles  # noqa: E402

MODELS = REPOSITORY / "sanctionwatch" / "vocabularies" / "models"
HALVES = ("dev", "dev_b")


@dataclass
class Example:
    article_id: str
    features: dict[str, float]
    label: int


def documents(shared: Path, *, until_assembly: bool) -> dict[str, Document]:
    """Every corpus article run through the pipeline (up to, not including, assembly if asked)."""
    stages = tuple(s for s in DEFAULT_STAGES if not (until_assembly and s in ("assemble", "sanctions_links")))
    pipeline = Pipeline(stages)
    return {a.id: pipeline.run(a) for a in read_articles(shared / "corpus" / "articles.jsonl")}


def incident_examples(docs: dict[str, Document], gold: dict[str, list[dict[str, Any]]]) -> tuple[list[Example], list[float]]:
    """One example per built incident (label: paired with a gold incident of its type), and the
    rule-based confidence of each, in the same order."""
    found: list[Example] = []
    rule_confidence: list[float] = []
    for article_id, document in docs.items():
        features = document.memo.get("incident_features", [])
        if not document.incidents:
            continue
        predicted = [i.to_dict() for i in document.incidents]
        pairing = pair_incidents(predicted, [g for g in gold.get(article_id, []) if g.get("type")])
        paired = {p for p, _ in pairing.pairs}
        for index, (incident, feature) in enumerate(zip(document.incidents, features, strict=True)):
            found.append(Example(article_id, feature, int(index in paired)))
            rule_confidence.append(incident.confidence or 0.0)
    return found, rule_confidence


def examples(docs: dict[str, Document], gold: dict[str, list[dict[str, Any]]]) -> tuple[list[Example], list[Example]]:
    pairs: list[Example] = []
    sentences: list[Example] = []
    for article_id, document in docs.items():
        if not document.relevant:
            continue
        gold_incidents = [g for g in gold.get(article_id, []) if g.get("type")]
        by_type: dict[str, list[Any]] = defaultdict(list)
        for candidate in document.candidates:
            by_type[candidate.type].append(candidate)
        for incident_type, candidates in by_type.items():
            candidates.sort(key=lambda c: c.sentence)
            facts = []
            for candidate in candidates:
                key = argument_key(document, candidate)
                facts.append(sentence_facts(document, candidate, key, event_time_of(document, candidate)))
            aligned = []
            for candidate in candidates:
                text = document.sentences[candidate.sentence].text
                aligned.append(
                    {
                        n
                        for n, g in enumerate(gold_incidents)
                        if g["type"] == incident_type and any(sentences_overlap(text, e) for e in g.get("evidence") or [])
                    }
                )
            for candidate, fact, matched in zip(candidates, facts, aligned, strict=False):
                features = candidate_features(document, candidate, fact, same_type_count=len(candidates))
                sentences.append(Example(article_id, features, int(bool(matched))))
            for i in range(len(candidates)):
                for j in range(i + 1, len(candidates)):
                    if aligned[i] and aligned[j]:
                        label = int(bool(aligned[i] & aligned[j]))
                        pairs.append(Example(article_id, pair_features(document, facts[i], facts[j]), label))
    return pairs, sentences


def fit(train: list[Example], *, regularisation: float = float(os.environ.get("TRAIN_C", "0.5"))) -> dict[str, Any]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    names = sorted({name for example in train for name in example.features})
    matrix = np.array([[e.features.get(n, 0.0) for n in names] for e in train])
    labels = np.array([e.label for e in train])
    means = matrix.mean(axis=0)
    scales = matrix.std(axis=0)
    scales[scales == 0] = 1.0
    model = LogisticRegression(C=regularisation, class_weight="balanced", max_iter=2000)
    model.fit((matrix - means) / scales, labels)
    return {
        "features": names,
        "means": [round(float(v), 6) for v in means],
        "scales": [round(float(v), 6) for v in scales],
        "coefficients": [round(float(v), 6) for v in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
        "threshold": 0.5,
        "examples": len(train),
        "positives": int(labels.sum()),
    }


def _model(data: dict[str, Any]) -> scoring.LogisticModel:
    return scoring.LogisticModel(
        name="cv", features=tuple(data["features"]), means=tuple(data["means"]), scales=tuple(data["scales"]),
        coefficients=tuple(data["coefficients"]), intercept=data["intercept"], threshold=data["threshold"],
    )


def bands(probabilities: list[float], labels: list[int]) -> list[tuple[str, int, float]]:
    """Precision of the examples in each confidence band (the evaluation's bands)."""
    edges = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 1.01)]
    found = []
    for low, high in edges:
        inside = [label for p, label in zip(probabilities, labels, strict=False) if low <= p < high]
        if inside:
            found.append((f"[{low:.2f},{min(high, 1.0):.2f})", len(inside), sum(inside) / len(inside)))
    return found


def _roc_auc(labels: list[int], scores: list[float]) -> float | None:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(labels, scores)) if len(set(labels)) == 2 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=REPOSITORY.parent / "shared")
    parser.add_argument("--out", type=Path, default=MODELS)
    parser.add_argument("--cv-only", action="store_true", help="report the cross-validated figures without writing model files")
    args = parser.parse_args(argv)
    if not (args.shared / "dev" / "gold.jsonl").exists():
        print(f"error: no gold annotations under {args.shared}", file=sys.stderr)
        return 2
    gold = load_gold(args.shared / "dev" / "gold.jsonl")
    split = json.loads((args.shared / "corpus" / "split.json").read_text("utf-8"))
    half_of = {article_id: half for half in HALVES for article_id in split[half]}
    # Features are read with no model in place, so that no model sees its own decisions.
    with tempfile.TemporaryDirectory() as empty:
        os.environ["SANCTIONWATCH_MODEL_DIR"] = empty
        os.environ["SANCTIONWATCH_COLLECT_FEATURES"] = "1"
        scoring.load_model.cache_clear()
        default_pipeline.cache_clear()
        pairs, sentences = examples(documents(args.shared, until_assembly=True), gold)
        incidents, rule_confidence = incident_examples(documents(args.shared, until_assembly=False), gold)
    os.environ.pop("SANCTIONWATCH_MODEL_DIR", None)
    scoring.load_model.cache_clear()
    default_pipeline.cache_clear()
    report: dict[str, Any] = {}
    data_of = {"incident_confidence": incidents, "incident_linking": pairs, "candidate_keep": sentences}
    beats_rules: dict[str, bool] = {}
    for name, all_examples in data_of.items():
        report[name] = {}
        wins = []
        for fitted, held in (("dev", "dev_b"), ("dev_b", "dev")):
            train = [e for e in all_examples if half_of.get(e.article_id) == fitted]
            test_indexes = [i for i, e in enumerate(all_examples) if half_of.get(e.article_id) == held]
            test = [all_examples[i] for i in test_indexes]
            model = _model(fit(train))
            probabilities = [model.probability(e.features) for e in test]
            labels = [e.label for e in test]
            figures: dict[str, Any] = {"auc": _roc_auc(labels, probabilities)}
            if name == "incident_confidence":
                rules = [rule_confidence[i] for i in test_indexes]
                figures["rule_auc"] = _roc_auc(labels, rules)
                figures["bands"] = bands(probabilities, labels)
                figures["rule_bands"] = bands(rules, labels)
                wins.append(bool(figures["auc"] and figures["rule_auc"] and figures["auc"] > figures["rule_auc"]))
            report[name][f"fit_{fitted}_scored_on_{held}"] = figures
        beats_rules[name] = bool(wins) and all(wins)
        print(f"{name}: {len(all_examples)} examples, {sum(e.label for e in all_examples)} positive")
        for key, figures in report[name].items():
            print(f"  {key}: " + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in figures.items()))
    if args.cv_only:
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    name = "incident_confidence"
    if not beats_rules[name]:
        print(f"{name}: does not beat the rule-based confidence on both held halves; no model written")
        return 0
    data = fit(data_of[name])
    data["trained_on"] = "dev + dev_b gold (94 articles)"
    data["trained"] = date.today().isoformat()
    data["cross_validation"] = report[name]
    (args.out / f"{name}.json").write_text(json.dumps(data, indent=1) + "\n", "utf-8")
    print(f"wrote {args.out / (name + '.json')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
