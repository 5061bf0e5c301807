"""`deploy` and `rollback`: swap the model of the running Rasa (PUT /model), behind evaluation gates.

Rasa loads the new model beside the old one and swaps it in when it is ready; conversations live in the
tracker store, so none is lost. models/deployed.json records the deployed model, its scores and the
models deployed before it.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from knowledge.importer import replacing
from maintenance.evaluation import Evaluation
from maintenance.settings import Settings

DEFAULT_TOLERANCE = 0.01
SWAP_TIMEOUT = 300  # seconds: loading a model on a busy 2-CPU machine


class DeployError(RuntimeError):
    """The running Rasa could not be asked, or refused the model."""


@dataclass(frozen=True)
class GateResult:
    """One gate: the candidate's figure against the running model's minus the tolerance."""

    figure: str
    candidate: float
    running: float
    tolerance: float

    @property
    def passed(self) -> bool:
        return self.candidate >= self.running - self.tolerance

    def line(self) -> str:
        verdict = "ok" if self.passed else "BLOCKED"
        return (
            f"{verdict:<8}{self.figure}: {self.candidate:.3f} (running model {self.running:.3f},"
            f" at least {self.running - self.tolerance:.3f} needed)"
        )


def gates(
    candidate: Evaluation, running: Evaluation, tolerance: float = DEFAULT_TOLERANCE
) -> list[GateResult]:
    """The gates on every figure both evaluations have (conversation tests only when both ran them)."""
    ours, theirs = candidate.gated(), running.gated()
    return [GateResult(name, ours[name], theirs[name], tolerance) for name in ours if name in theirs]


class RasaServer:
    """The running Rasa's HTTP API (token from RASA_AUTH_TOKEN)."""

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url.rstrip("/"), token

    def _params(self) -> dict[str, str]:
        return {"token": self.token} if self.token else {}

    def running_model(self) -> str:
        """The path of the model file the server has loaded."""
        try:
            response = requests.get(f"{self.url}/status", params=self._params(), timeout=30)
        except requests.RequestException as error:
            raise DeployError(f"Rasa at {self.url} does not answer: {error}") from error
        if response.status_code != 200:
            raise DeployError(f"Rasa at {self.url} answered {response.status_code} to GET /status")
        return str(response.json().get("model_file") or "")

    def load(self, model: Path) -> None:
        """PUT /model: Rasa loads the file (a path on its own machine) and swaps it in."""
        try:
            response = requests.put(
                f"{self.url}/model",
                params=self._params(),
                json={"model_file": str(model.resolve())},
                timeout=SWAP_TIMEOUT,
            )
        except requests.RequestException as error:
            raise DeployError(f"Rasa at {self.url} did not load {model}: {error}") from error
        if response.status_code != 204:
            raise DeployError(f"Rasa refused {model}: {response.status_code} {response.text[:300]}")


def read_record(settings: Settings) -> dict[str, Any]:
    """models/deployed.json: {"current": entry or null, "history": [older entries, newest last]}."""
    try:
        record = json.loads(settings.deployed_record.read_text(encoding="utf-8"))
        if isinstance(record, dict):
            return {**record, "current": record.get("current"), "history": list(record.get("history") or [])}
    except (OSError, ValueError):
        pass
    return {"current": None, "history": []}


def write_record(settings: Settings, record: dict[str, Any]) -> None:
    with replacing(settings.deployed_record) as out:
        out.write(json.dumps(record, indent=2, ensure_ascii=False) + "\n")


def running_scores(settings: Settings, running_model: str) -> Evaluation | None:
    """The recorded scores of the running model, when it is the one deployed.json says is deployed."""
    current = read_record(settings)["current"]
    if current and Path(current["model"]).name == Path(running_model).name and current.get("scores"):
        return Evaluation.from_dict(current["scores"])
    return None


def record_deployment(
    settings: Settings, model: Path, scores: Evaluation | None, action: str
) -> dict[str, Any]:
    """Make `model` the current entry; the previous current goes to the history."""
    record = read_record(settings)
    entry = {
        "model": str(model.resolve()),
        "deployed_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "action": action,
        "scores": scores.to_dict() if scores else None,
    }
    if record["current"]:
        record["history"].append(record["current"])
    record["current"] = entry
    write_record(settings, record)
    return entry


def keep_copy(settings: Settings, model: Path) -> Path:
    """A timestamped copy of a model file in models/ that no training overwrites (model-*.tar.gz stay)."""
    if model.name.startswith(("model-", "deployed-")):
        return model
    copy = settings.models_dir / f"deployed-{time.strftime('%Y%m%d-%H%M%S')}-{model.name}"
    shutil.copy2(model, copy)
    return copy


def previous_deployment(settings: Settings) -> dict[str, Any] | None:
    history = read_record(settings)["history"]
    return history[-1] if history else None


def record_rollback(settings: Settings) -> dict[str, Any]:
    """The previous entry becomes current again; the rolled-back one is kept as the newest history entry."""
    record = read_record(settings)
    if not record["history"]:
        raise DeployError("no earlier deployment to roll back to")
    back = record["history"].pop()
    rolled_back = record["current"]
    back = {**back, "deployed_at": time.strftime("%Y-%m-%d %H:%M:%S"), "action": "rollback"}
    record["current"] = back
    if rolled_back:
        record.setdefault("rolled_back", []).append(rolled_back)
    write_record(settings, record)
    return back
