"""Learned scorers: logistic models over the features of ``features.py``, shipped as JSON.

Each model file (``vocabularies/models/*.json``) holds its feature names, the standardisation
fitted on its training data, the coefficients, the decision threshold and how it was trained and
cross-validated. ``scripts/train_models.py`` writes them from the gold annotations; scoring needs
nothing but this module (no scikit-learn at run time).

``SANCTIONWATCH_MODEL_DIR`` points the scorers at other model files (cross-validation fits a
model on one half of the gold and scores the other half with it).
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from sanctionwatch.errors import ContractError


@dataclass(frozen=True, slots=True)
class LogisticModel:
    name: str
    features: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    coefficients: tuple[float, ...]
    intercept: float
    threshold: float

    def probability(self, features: dict[str, float]) -> float:
        total = self.intercept
        for name, mean, scale, weight in zip(self.features, self.means, self.scales, self.coefficients, strict=True):
            total += weight * (features.get(name, 0.0) - mean) / scale
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total))))

    def accepts(self, features: dict[str, float]) -> bool:
        return self.probability(features) >= self.threshold


def _model_text(name: str) -> str | None:
    directory = os.environ.get("SANCTIONWATCH_MODEL_DIR")
    if directory:
        path = Path(directory) / f"{name}.json"
        return path.read_text("utf-8") if path.exists() else None
    resource = resources.files("sanctionwatch") / "vocabularies" / "models" / f"{name}.json"
    return resource.read_text("utf-8") if resource.is_file() else None


@lru_cache(maxsize=8)
def load_model(name: str) -> LogisticModel | None:
    """The model ``name``, or None where no model file exists (the rules then decide alone)."""
    text = _model_text(name)
    if text is None:
        return None
    data = json.loads(text)
    try:
        return LogisticModel(
            name=name,
            features=tuple(data["features"]),
            means=tuple(float(v) for v in data["means"]),
            scales=tuple(float(v) or 1.0 for v in data["scales"]),
            coefficients=tuple(float(v) for v in data["coefficients"]),
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ContractError(f"model file {name}.json is malformed: {exc}") from exc
