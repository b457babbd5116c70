"""spaCy's models multiply matrices with numpy, on one BLAS thread while spaCy runs, and annotate
exactly as with thinc's default (blis)."""

from __future__ import annotations

import threadpoolctl
from thinc.api import NumpyOps

from sanctionwatch.nlp.spacy_model import load_spacy, one_blas_thread

SENTENCES = [
    "North Korea sent about 2,000 workers to garment factories in Hunchun, Jilin Province, in April.",
    "The Panama-flagged tanker Yu Jong 2 took part in a ship-to-ship transfer of refined petroleum off Nampo.",
    "Hackers linked to the Lazarus Group stole $600 million from Sky Mavis, the FBI said on Thursday.",
    "A source in Dandong told Daily NK that the coal had been relabelled as Russian before it reached Ningbo.",
    "Investigators found that the vessel had switched off its transponder near the Chinese coast.",
]


def _models(nlp):  # type: ignore[no-untyped-def]
    return [node for _, component in nlp.pipeline if getattr(component, "model", None) is not None for node in component.model.walk()]


def _blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpoolctl.threadpool_info() if pool["user_api"] == "blas"]


def test_the_models_use_numpy_matrix_products_on_one_blas_thread_while_spacy_runs() -> None:
    nodes = _models(load_spacy())
    assert nodes and all(isinstance(node.ops, NumpyOps) and node.ops.use_blis is False for node in nodes)
    before = _blas_threads()
    assert before  # numpy's OpenBLAS is loaded
    with one_blas_thread():
        assert _blas_threads() == [1] * len(before)
    assert _blas_threads() == before  # the process's own count comes back afterwards


def test_numpy_and_blis_products_give_the_same_annotations() -> None:
    nlp = load_spacy()
    nodes = _models(nlp)
    numpy_ops = nodes[0].ops

    def annotations() -> list[list[tuple[str, ...]]]:
        return [
            [(t.tag_, t.pos_, t.dep_, str(t.head.i), t.lemma_, t.ent_type_, t.ent_iob_) for t in doc]
            for doc in nlp.pipe(SENTENCES)
        ]

    with_numpy = annotations()
    blis_ops = NumpyOps(use_blis=True)
    try:
        for node in nodes:
            node.ops = blis_ops
        with_blis = annotations()
    finally:
        for node in nodes:
            node.ops = numpy_ops
    assert with_numpy == with_blis
    assert any(t[5] == "GPE" for doc in with_numpy for t in doc)  # the models did run: entities were found
