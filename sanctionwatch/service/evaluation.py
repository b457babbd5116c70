"""Running the extractor over a gold-annotated corpus and scoring it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sanctionwatch.errors import InputError
from sanctionwatch.evaluation import evaluate_background, load_gold, render_errors, render_table, score
from sanctionwatch.model import Article
from sanctionwatch.nlp.pipeline import Pipeline, default_pipeline
from sanctionwatch.service.inputs import read_articles


def split_ids(corpus_path: Path, split: str) -> set[str]:
    """Article ids of one split from ``split.json`` beside the corpus file."""
    split_file = corpus_path.parent / "split.json"
    if not split_file.exists():
        raise InputError(f"--split needs {split_file}", path=str(split_file))
    data = json.loads(split_file.read_text(encoding="utf-8"))
    if split not in data or not isinstance(data[split], list):
        names = [k for k, v in data.items() if isinstance(v, list)]
        raise InputError(f"no split {split!r}; splits: {', '.join(names)}", path=str(split_file))
    return set(data[split])


def predict(articles: Iterable[Article], pipeline: Pipeline) -> dict[str, list[dict[str, Any]]]:
    return {article.id: [i.to_dict() for i in pipeline.extract(article)] for article in articles}


def run_evaluation(
    *,
    gold_path: Path,
    corpus_path: Path,
    split: str | None = None,
    as_json: bool = False,
    with_errors: bool = False,
    background_path: Path | None = None,
    pipeline: Pipeline | None = None,
) -> str:
    """Extract from the gold's articles (optionally one split), score, and render."""
    pipeline = pipeline or default_pipeline()
    gold = load_gold(gold_path)
    wanted = split_ids(corpus_path, split) if split else set(gold)
    # Only articles that are both in the split and annotated are scored: a held-out split
    # without gold here is refused rather than silently scored as empty.
    article_ids = sorted(wanted & set(gold))
    if not article_ids:
        raise InputError("no annotated article in the chosen split", path=str(gold_path))
    articles = [a for a in read_articles(corpus_path) if a.id in set(article_ids)]
    predicted = predict(articles, pipeline)
    report = score(gold, predicted, article_ids)
    background: dict[str, Any] | None = None
    if background_path:
        # General news often carries no date; the background check counts incidents only.
        background = evaluate_background(predict(read_articles(background_path, require_date=False), pipeline))
    if as_json:
        data = report.to_dict()
        if background is not None:
            data["background"] = {k: v for k, v in background.items() if k != "article_ids_with_activity"}
        return json.dumps(data, indent=2, default=str)
    out = [render_table(report)]
    if background is not None:
        out.append(
            f"\nbackground: {background['articles_with_activity']} of {background['articles']} articles "
            f"yield a sanctions-activity incident ({background['share_with_activity']:.2%})"
        )
    if with_errors:
        out.append("\n" + render_errors(report))
    return "\n".join(out)
