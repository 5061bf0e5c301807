"""Training the search ranker: judged messages → candidate features → a fitted conditional logit.

Reproducible (fixed seeds, deterministic optimiser) and quick (seconds): `python -m knowledge
train-ranker` reads knowledge/search/training.yml, fits the weights on the development sets, the
vocabulary's examples and generated citizen language, chooses the link threshold on the calibration
sets and writes knowledge/data/ranker.json with the fingerprint of what it was trained from.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from scipy.optimize import minimize

from knowledge import citizen_language, paths, vocabulary
from knowledge.base import load
from knowledge.judged import Judged, messages
from knowledge.search import SearchIndex, default_index, score
from knowledge.search.decision import confidence
from knowledge.search.features import CANDIDATE_FEATURES, NONE_FEATURES
from knowledge.search.ranker import Ranker

PLAN = Path(__file__).resolve().parent / "training.yml"
ROOT = paths.PACKAGE_DIR.parent
FOLDS = 2  # for honest probabilities of the written messages, on which the threshold is chosen
GENERATED = frozenset({"generated", "contrast"})


@dataclass
class Sample:
    """One judged message as the optimiser sees it."""

    rows: np.ndarray  # candidate features
    none: np.ndarray  # the "no procedure" option's features
    correct: np.ndarray  # which candidates are right (all False: the right answer is no procedure)
    docs: list[int]  # the candidates (for the decision, which reads sibling groups)
    weight: float
    judged: Judged


def plan() -> dict[str, Any]:
    return dict(yaml.safe_load(PLAN.read_text(encoding="utf-8")))


def fingerprint() -> str:
    """What a trained ranker depends on: knowledge base, overlay, vocabulary, generator, plan and sets."""
    from knowledge import cache

    # The project's own files, whatever $KNOWLEDGE_PROCEDURES points a test or a staging copy at: the
    # committed ranker belongs to the committed knowledge base.
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(cache.source_digest().encode() + cache.file_digest(paths.PROCEDURES).encode())
    for path in cache.overlay_files(paths.OVERLAY_DIR):
        digest.update(path.name.encode() + cache.file_digest(path).encode())
    for path in [PLAN, *vocabulary.files(), *sorted(Path(citizen_language.__file__).parent.glob("*"))]:
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    for name in plan()["fit"] + plan()["calibrate"] + (plan().get("no_procedure") or []):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def judged_sets(config: dict[str, Any]) -> tuple[list[tuple[Judged, float]], list[Judged]]:
    """(message, weight) to fit on, and the calibration messages."""
    fit: list[tuple[Judged, float]] = []
    for name in config["fit"]:
        fit += [(item, 1.0) for item in messages(ROOT / name)]
    for name in config.get("no_procedure") or []:
        fit += [(Judged(item.text, (), "", item.intent, item.source), 1.0) for item in messages(ROOT / name)]
    examples_weight = float(config.get("vocabulary_weight", 1.0))
    for where, example in vocabulary.examples() if config.get("vocabulary_examples", True) else []:
        fit.append((Judged(example.text, example.codes, "", "", where), examples_weight))
    generated = config["generated"]
    procedures = list(load())
    weight = float(generated["weight"])
    for item in citizen_language.generate(
        procedures,
        int(generated["per_procedure"]),
        int(generated["seed"]),
        int(generated.get("per_curated", 0)),
    ):
        fit.append((item, weight))
    for item in citizen_language.contrasts(
        procedures, int(generated.get("contrast_pairs", 0)), int(generated["seed"]) + 2
    ):
        fit.append((item, weight))
    for item in citizen_language.follow_ups(int(generated["follow_ups"]), int(generated["seed"]) + 1):
        fit.append((item, weight))
    calibrate = [
        item
        for name in config["calibrate"]
        for item in messages(ROOT / name)
        if not item.intent or item.intent.startswith("ask_") or item.intent == "inform"
    ]
    return fit, calibrate


def sample(index: SearchIndex, item: Judged, weight: float) -> Sample | None:
    """The message's candidates and which are right; None when no right one was retrieved."""
    scored = score(index, None, item.text)
    codes = set(item.codes)
    correct = np.array([index.codes[d] in codes for d in scored.retrieved.docs], dtype=bool)
    if codes and not correct.any():
        return None  # retrieval missed it: nothing for the ranker to learn
    rows = np.array(scored.rows, dtype=float).reshape(len(scored.rows), len(CANDIDATE_FEATURES))
    return Sample(
        rows, np.array(scored.none_row, dtype=float), correct, list(scored.retrieved.docs), weight, item
    )


def _objective(theta: np.ndarray, data: dict[str, Any], l2: float) -> tuple[float, np.ndarray]:
    features = data["X"].shape[1]
    w, v = theta[:features], theta[features:]
    logits = data["X"] @ w
    none = data["Z"] @ v
    groups, starts = data["group"], data["starts"]
    top = np.maximum(np.maximum.reduceat(logits, starts) if len(logits) else none, none)
    exp = np.exp(logits - top[groups])
    exp_none = np.exp(none - top)
    total = np.add.reduceat(exp, starts) + exp_none
    right = np.add.reduceat(exp * data["correct"], starts) + exp_none * data["none_right"]
    weights = data["weights"]
    loss = -np.sum(weights * (np.log(right) - np.log(total)))
    # d loss / d logit = weight * (p_all - p_right), p_right over the right options only
    p_all = exp / total[groups]
    p_right = exp * data["correct"] / right[groups]
    g_rows = weights[groups] * (p_all - p_right)
    g_none = weights * (exp_none / total - exp_none * data["none_right"] / right)
    grad = np.concatenate([data["X"].T @ g_rows, data["Z"].T @ g_none])
    loss += 0.5 * l2 * float(theta @ theta)
    return float(loss), grad + l2 * theta


def _stack(samples: list[Sample], mean: np.ndarray, scale: np.ndarray) -> dict[str, Any]:
    kept = [s for s in samples if len(s.rows)]
    sizes = np.array([len(s.rows) for s in kept])
    return {
        "X": (np.vstack([s.rows for s in kept]) - mean) / scale,
        "Z": np.vstack([s.none for s in kept]),
        "correct": np.concatenate([s.correct for s in kept]).astype(float),
        "none_right": np.array([0.0 if s.correct.any() else 1.0 for s in kept]),
        "weights": np.array([s.weight for s in kept]),
        "group": np.repeat(np.arange(len(kept)), sizes),
        "starts": np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int),
    }


def fit(samples: list[Sample], l2: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Standardisation (mean, scale) and the weights of the candidates and of the "no procedure" option."""
    rows = np.vstack([s.rows for s in samples if len(s.rows)])
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale < 1e-9] = 1.0
    data = _stack(samples, mean, scale)
    theta = np.zeros(data["X"].shape[1] + data["Z"].shape[1])
    options = {"maxiter": 500, "ftol": 1e-6}
    result = minimize(_objective, theta, args=(data, l2), jac=True, method="L-BFGS-B", options=options)
    features = data["X"].shape[1]
    return mean, scale, result.x[:features], result.x[features:]


def decisions(ranker: Ranker, samples: list[Sample], index: SearchIndex) -> list[tuple[float, bool, bool]]:
    """(confidence in the first candidate, whether it is right, whether any procedure was meant)."""
    out = []
    for s in samples:
        if not len(s.rows):
            out.append((0.0, False, bool(s.judged.codes)))
            continue
        probabilities, _ = ranker.probabilities(s.rows.tolist(), s.none.tolist())
        best = int(np.argmax(probabilities))
        mass, _ = confidence(index, s.docs, probabilities, best)
        out.append((mass, bool(s.correct[best]), bool(s.judged.codes)))
    return out


def choose_threshold(found: list[tuple[float, bool, bool]], max_wrong: float) -> float:
    """The lowest threshold whose confident wrong links stay within `max_wrong` of all messages."""
    for threshold in np.arange(0.05, 0.96, 0.01):
        wrong = sum(1 for p, right, _ in found if p >= threshold and not right)
        if wrong <= max_wrong * len(found):
            return float(round(threshold, 2))
    return 0.95


_INDEX: SearchIndex | None = None  # the index the worker processes read (inherited through fork)


def _sample_one(item: tuple[Judged, float]) -> Sample | None:
    assert _INDEX is not None
    return sample(_INDEX, *item)


def _fit_one(job: tuple[list[Sample], float]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    return fit(*job)


def _pool() -> Any:
    """Worker processes for the slow parts (fork: they share the index already in memory)."""
    import multiprocessing

    return multiprocessing.get_context("fork").Pool(min(3, os.cpu_count() or 1))


def _ranker(fitted: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]) -> Ranker:
    mean, scale, weights, none_weights = fitted
    return Ranker(
        features=CANDIDATE_FEATURES,
        none_features=NONE_FEATURES,
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        weights=tuple(float(v) for v in weights),
        none_weights=tuple(float(v) for v in none_weights),
        link_threshold=0.5,
        fingerprint="",
        about={},
    )


def _fold(item: Judged) -> int:
    return int(hashlib.sha1(item.text.encode(), usedforsecurity=False).hexdigest(), 16) % FOLDS


def _asks_procedure(item: Judged) -> bool:
    """Whether the NLU would link a procedure at all (small talk and status questions link none)."""
    return not item.intent or item.intent.startswith("ask_") or item.intent == "inform"


def stale(path: Path | None = None) -> bool:
    """Whether the ranker at `path` was trained from other data than the project has now."""
    from knowledge.search import ranker as ranker_file

    try:
        return ranker_file.read(path or paths.RANKER).fingerprint != fingerprint()
    except ValueError:
        return True


def train(
    out: Path | None = None, index: SearchIndex | None = None, config: dict[str, Any] | None = None
) -> tuple[Ranker, dict[str, Any]]:
    """Fit the ranker, choose its threshold, write it to `out` (default knowledge/data/ranker.json).

    The threshold is chosen on honest probabilities: those of the calibration sets (never fitted on) and
    those each written (not generated) message gets from a model fitted without its fold.
    """
    from knowledge.search import ranker as ranker_file

    global _INDEX
    started = time.perf_counter()
    config = config or plan()
    l2 = float(config["l2"])
    _INDEX = index or default_index()
    fit_items, calibration_items = judged_sets(config)
    with _pool() as pool:
        fit_samples = [s for s in pool.map(_sample_one, fit_items, chunksize=64) if s is not None]
        calibration = pool.map(_sample_one, [(item, 1.0) for item in calibration_items], chunksize=16)
        written = [s for s in fit_samples if s.judged.source not in GENERATED]
        jobs = [(fit_samples, l2)]
        for k in range(FOLDS):
            jobs.append(
                ([s for s in fit_samples if s.judged.source in GENERATED or _fold(s.judged) != k], l2)
            )
        fitted = pool.map(_fit_one, jobs)
    ranker = _ranker(fitted[0])
    honest = decisions(ranker, [s for s in calibration if s is not None], _INDEX)
    for k in range(FOLDS):
        held = [s for s in written if _fold(s.judged) == k and _asks_procedure(s.judged)]
        honest += decisions(_ranker(fitted[k + 1]), held, _INDEX)
    threshold = choose_threshold(honest, float(config["max_wrong_links"]))
    linked = [(p, right) for p, right, _ in honest if p >= threshold]
    calibration_found = decisions(ranker, [s for s in calibration if s is not None], _INDEX)
    meant = [right for _, right, m in calibration_found if m]
    report = {
        "fitted_on": len(fit_samples),
        "not_retrieved": len(fit_items) - len(fit_samples),
        "calibration": len(calibration_items),
        "calibration_top1": round(sum(meant) / max(1, len(meant)), 4),
        "threshold_chosen_on": len(honest),
        "link_threshold": threshold,
        "linked_right": round(sum(1 for _, r in linked if r) / max(1, len(honest)), 4),
        "linked_wrong": round(sum(1 for _, r in linked if not r) / max(1, len(honest)), 4),
        "seconds": round(time.perf_counter() - started, 1),
    }
    about = {k: v for k, v in report.items() if k != "seconds"}
    ranker = dataclasses.replace(ranker, link_threshold=threshold, fingerprint=fingerprint(), about=about)
    ranker_file.write(ranker, out or paths.RANKER)
    return ranker, report
