"""The ranker file: probabilities, the decision, and refusal of a file this code cannot use."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from knowledge import paths
from knowledge.search import ranker as ranker_file
from knowledge.search.features import CANDIDATE_FEATURES, NONE_FEATURES


def test_probabilities_sum_to_one() -> None:
    model = ranker_file.read(paths.RANKER)
    rows = [[0.5] * len(CANDIDATE_FEATURES), [0.1] * len(CANDIDATE_FEATURES)]
    probabilities, none = model.probabilities(rows, [1.0] + [0.0] * (len(NONE_FEATURES) - 1))
    assert math.isclose(sum(probabilities) + none, 1.0)
    assert all(0 <= p <= 1 for p in probabilities)


def test_round_trip(tmp_path: Path) -> None:
    model = ranker_file.read(paths.RANKER)
    ranker_file.write(model, tmp_path / "r.json")
    again = ranker_file.read(tmp_path / "r.json")
    assert again.weights == model.weights and again.link_threshold == model.link_threshold


def test_other_features_are_refused(tmp_path: Path) -> None:
    data = json.loads(paths.RANKER.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    (tmp_path / "r.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="retrain"):
        ranker_file.read(tmp_path / "r.json")


def test_a_missing_file_says_how_to_train(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="train-ranker"):
        ranker_file.read(tmp_path / "none.json")


def test_the_threshold_was_chosen_on_development_data() -> None:
    about = ranker_file.read(paths.RANKER).about
    assert 0.05 <= about["link_threshold"] <= 0.95
    assert about["threshold_chosen_on"] >= 1000
    assert about["linked_wrong"] <= 0.02
