"""Training the ranker: reproducible, and the project's ranker is the one its data gives."""

from __future__ import annotations

from pathlib import Path

from knowledge import paths
from knowledge.search import ranker as ranker_file
from knowledge.search import training

SMALL = {
    "fit": ["tests/knowledge/data/search_dev.yml"],
    "no_procedure": ["nlu_data/nlu/chitchat.yml"],
    "calibrate": ["tests/knowledge/data/search_dev_v6.yml"],
    "generated": {
        "per_procedure": 0,
        "per_curated": 0,
        "follow_ups": 50,
        "contrast_pairs": 0,
        "seed": 7,
        "weight": 0.5,
    },
    "vocabulary_examples": False,
    "max_wrong_links": 0.03,
    "l2": 1.0,
}


def test_training_is_reproducible(tmp_path: Path) -> None:
    first, _ = training.train(tmp_path / "a.json", config=SMALL)
    second, _ = training.train(tmp_path / "b.json", config=SMALL)
    assert first.weights == second.weights and first.none_weights == second.none_weights
    assert first.link_threshold == second.link_threshold
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_a_trained_ranker_ranks(tmp_path: Path) -> None:
    _, figures = training.train(tmp_path / "a.json", config=SMALL)
    assert figures["fitted_on"] > 150
    assert figures["calibration_top1"] >= 0.6  # a small fit still learns: far better than chance


def test_the_project_ranker_is_up_to_date() -> None:
    # Rebuilt by `make` (python -m knowledge train-ranker --if-stale) whenever the knowledge base, the
    # overlay, the vocabulary, the generator or the training plan changes: commit the rebuilt file.
    assert ranker_file.read(paths.RANKER).fingerprint == training.fingerprint()
    assert not training.stale()
