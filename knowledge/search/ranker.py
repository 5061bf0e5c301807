"""Stage 5 of the search: the learned ranker, and the decision whether to link the first candidate.

A conditional logit over the candidates and one more option, "no procedure": each candidate's score is
its standardised features times the learned weights, the option's score is its own features times its
weights, and a softmax turns them into probabilities. The first candidate is linked when its
probability reaches `link_threshold`; when it does not but the first two together do, they are too
close to call and the citizen is asked which one. Both thresholds are chosen on development data.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from functools import cached_property
from operator import mul
from pathlib import Path
from typing import Any

from knowledge.search.features import CANDIDATE_FEATURES, NONE_FEATURES

log = logging.getLogger(__name__)
FORMAT = 1


@dataclass(frozen=True)
class Ranker:
    features: tuple[str, ...]
    none_features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    none_weights: tuple[float, ...]
    link_threshold: float
    fingerprint: str
    about: dict[str, Any]

    @cached_property
    def _linear(self) -> tuple[tuple[float, ...], float]:
        """Weights per raw feature unit and the constant they imply (standardisation folded in)."""
        coefficients = tuple(w / s for w, s in zip(self.weights, self.scale, strict=True))
        return coefficients, -sum(c * m for c, m in zip(coefficients, self.mean, strict=True))

    def probabilities(self, rows: list[list[float]], none: list[float]) -> tuple[list[float], float]:
        """P(candidate) for each row, and P(no procedure), summing to one."""
        coefficients, constant = self._linear
        logits = [constant + sum(map(mul, coefficients, row)) for row in rows]
        none_logit = sum(w * x for w, x in zip(self.none_weights, none, strict=True))
        top = max([none_logit, *logits])
        exps = [math.exp(z - top) for z in logits]
        none_exp = math.exp(none_logit - top)
        total = sum(exps) + none_exp
        return [e / total for e in exps], none_exp / total

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "features": list(self.features),
            "none_features": list(self.none_features),
            "mean": [round(v, 6) for v in self.mean],
            "scale": [round(v, 6) for v in self.scale],
            "weights": [round(v, 6) for v in self.weights],
            "none_weights": [round(v, 6) for v in self.none_weights],
            "link_threshold": round(self.link_threshold, 4),
            "fingerprint": self.fingerprint,
            "about": self.about,
        }


def read(path: Path) -> Ranker:
    """The ranker stored at `path`; ValueError when it is not one this code can use."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(
            f"{path}: no readable ranker ({error}); train one: python -m knowledge train-ranker"
        ) from error
    if data.get("format") != FORMAT:
        raise ValueError(f"{path}: ranker format {data.get('format')!r}, expected {FORMAT}")
    if tuple(data["features"]) != CANDIDATE_FEATURES or tuple(data["none_features"]) != NONE_FEATURES:
        raise ValueError(f"{path}: trained on other features than this code computes; retrain it")
    return Ranker(
        features=tuple(data["features"]),
        none_features=tuple(data["none_features"]),
        mean=tuple(float(v) for v in data["mean"]),
        scale=tuple(float(v) or 1.0 for v in data["scale"]),
        weights=tuple(float(v) for v in data["weights"]),
        none_weights=tuple(float(v) for v in data["none_weights"]),
        link_threshold=float(data["link_threshold"]),
        fingerprint=str(data.get("fingerprint", "")),
        about=dict(data.get("about", {})),
    )


def write(ranker: Ranker, path: Path) -> None:
    path.write_text(json.dumps(ranker.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
