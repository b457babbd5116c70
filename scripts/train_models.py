"""Train the learned scorers of the extractor from the gold annotations, and cross-validate them.

    .venv/bin/pip install -e ".[train]"
    .venv/bin/python scripts/train_models.py            # cross-validate across the halves, then fit on both
    .venv/bin/python scripts/train_models.py --cv-only  # figures only, no model file written

Models (``sanctionwatch/vocabularies/models/*.json``, read by ``nlp/incidents/scoring.py``):

- ``incident_linking``: do two typed sentences of one type in one article tell the same incident?
  Examples are pairs of candidate sentences that both overlap gold evidence of their type; the
  label says whether they back the same gold incident.
- ``candidate_keep``: does a typed sentence back an incident of its type at all? Label: it
  overlaps the evidence of a gold incident of that type.

Cross-validation fits on one half of the gold (``dev`` or ``dev_b``) and scores the other: the
pair/sentence AUC and, end to end, the extractor's figures on the held half with the model fitted
on the other. Needs ``../shared`` (the corpus and gold are never copied into the repository).
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

from sanctionwatch.evaluation import load_gold, score  # noqa: E402
from sanctionwatch.evaluation.matching import sentences_overlap  # noqa: E402
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


def documents(shared: Path) -> dict[str, Document]:
    """Every corpus article run up to (not including) assembly."""
    stages = tuple(s for s in DEFAULT_STAGES if s not in ("scoring", "assemble"))
    pipeline = Pipeline(stages)
    return {a.id: pipeline.run(a) for a in read_articles(shared / "corpus" / "articles.jsonl")}


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


def fit(train: list[Example], *, regularisation: float = 0.5) -> dict[str, Any]:
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


def auc(data: dict[str, Any], test: list[Example]) -> float | None:
    from sklearn.metrics import roc_auc_score

    model = scoring.LogisticModel(
        name="cv", features=tuple(data["features"]), means=tuple(data["means"]), scales=tuple(data["scales"]),
        coefficients=tuple(data["coefficients"]), intercept=data["intercept"], threshold=data["threshold"],
    )
    labels = [e.label for e in test]
    if len(set(labels)) < 2:
        return None
    return float(roc_auc_score(labels, [model.probability(e.features) for e in test]))


def end_to_end(shared: Path, gold: dict[str, list[dict[str, Any]]], split: dict[str, list[str]], held: str, model_dir: Path) -> dict[str, float]:
    """The extractor's figures on the held half with the models in ``model_dir``."""
    previous = os.environ.get("SANCTIONWATCH_MODEL_DIR")
    os.environ["SANCTIONWATCH_MODEL_DIR"] = str(model_dir)
    scoring.load_model.cache_clear()
    default_pipeline.cache_clear()
    try:
        ids = sorted(set(split[held]) & set(gold))
        articles = [a for a in read_articles(shared / "corpus" / "articles.jsonl") if a.id in set(ids)]
        pipeline = default_pipeline()
        predicted = {a.id: [i.to_dict() for i in pipeline.extract(a)] for a in articles}
        report = score(gold, predicted, ids).to_dict()
    finally:
        if previous is None:
            os.environ.pop("SANCTIONWATCH_MODEL_DIR", None)
        else:
            os.environ["SANCTIONWATCH_MODEL_DIR"] = previous
        scoring.load_model.cache_clear()
        default_pipeline.cache_clear()
    return {
        "activity_f1": report["activity"]["f1"],
        "activity_instances_f1": report["activity_instances"]["f1"],
        "context_instances_f1": report["context_instances"]["f1"],
        "locations_f1": report["locations"]["f1"],
        "time": report["time"]["value"],
        "attribution": report["attribution"]["value"],
        "certainty": report["certainty"]["value"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=REPOSITORY.parent / "shared")
    parser.add_argument("--out", type=Path, default=MODELS)
    parser.add_argument("--cv-only", action="store_true", help="report the cross-validated figures without writing model files")
    parser.add_argument("--models", nargs="*", default=["incident_linking", "candidate_keep"])
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
        scoring.load_model.cache_clear()
        docs = documents(args.shared)
        pairs, sentences = examples(docs, gold)
    os.environ.pop("SANCTIONWATCH_MODEL_DIR", None)
    scoring.load_model.cache_clear()
    data_of = {"incident_linking": pairs, "candidate_keep": sentences}
    report: dict[str, Any] = {}
    for name in args.models:
        all_examples = data_of[name]
        report[name] = {}
        for fitted, held in (("dev", "dev_b"), ("dev_b", "dev")):
            train = [e for e in all_examples if half_of.get(e.article_id) == fitted]
            test = [e for e in all_examples if half_of.get(e.article_id) == held]
            model = fit(train)
            report[name][f"fit_{fitted}_auc_on_{held}"] = auc(model, test)
        print(f"{name}: {len(all_examples)} examples, {sum(e.label for e in all_examples)} positive; cross-half AUC {report[name]}")
    # End to end: every model fitted on one half, the extractor scored on the other.
    for fitted, held in (("dev", "dev_b"), ("dev_b", "dev")):
        with tempfile.TemporaryDirectory() as directory:
            for name in args.models:
                train = [e for e in data_of[name] if half_of.get(e.article_id) == fitted]
                (Path(directory) / f"{name}.json").write_text(json.dumps(fit(train)), "utf-8")
            figures = end_to_end(args.shared, gold, split, held, Path(directory))
            report[f"fit_{fitted}_scored_on_{held}"] = figures
            print(f"fitted on {fitted}, scored on {held}: " + ", ".join(f"{k} {v:.3f}" for k, v in figures.items() if v is not None))
    if args.cv_only:
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.models:
        data = fit(data_of[name])
        data["trained_on"] = "dev + dev_b gold (94 articles)"
        data["trained"] = date.today().isoformat()
        data["cross_validation"] = dict(report[name].items())
        data["cross_validation_end_to_end"] = {k: v for k, v in report.items() if k.startswith("fit_")}
        (args.out / f"{name}.json").write_text(json.dumps(data, indent=1) + "\n", "utf-8")
        print(f"wrote {args.out / (name + '.json')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
