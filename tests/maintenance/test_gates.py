"""The deployment gates, for real: a model trained on a sliver of the data is blocked; an equal one goes
through, is swapped in on the running Rasa and can be rolled back."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from maintenance import training
from maintenance.deployment import RasaServer, read_record
from maintenance.evaluation import evaluate_model
from maintenance.settings import Settings
from tests.maintenance.conftest import ROOT, LiveStack

EXAMPLES_PER_INTENT = 2
EPOCHS = 5


def _sliver(directory: Path) -> tuple[Path, Path]:
    """A config with few DIET epochs and the first examples of each intent (rules unchanged)."""
    config = (ROOT / "config.yml").read_text(encoding="utf-8")
    assert "epochs: 60" in config
    (directory / "config.yml").write_text(config.replace("epochs: 60", f"epochs: {EPOCHS}"), encoding="utf-8")
    nlu = directory / "nlu"
    nlu.mkdir()
    for source in sorted((ROOT / "nlu_data" / "nlu").glob("*.yml")):
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        for block in data["nlu"]:
            if "intent" in block:
                lines = [line for line in block["examples"].splitlines() if line.strip().startswith("- ")]
                block["examples"] = "\n".join(lines[:EXAMPLES_PER_INTENT]) + "\n"
        (nlu / source.name).write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return directory / "config.yml", nlu


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    directory = tmp_path_factory.mktemp("gates")
    return Settings(models_dir=directory / "models", reports_dir=directory / "reports")


@pytest.fixture(scope="module")
def tiny_model(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    config, nlu = _sliver(tmp_path_factory.mktemp("sliver"))
    model = training.train(
        settings,
        force=True,
        extra=("--config", str(config), "--data", str(nlu), str(ROOT / "nlu_data" / "rules")),
    )
    assert model is not None and model.exists()
    return model


def _deploy_cli(stack: LiveStack, settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    models = {
        "MAINTENANCE_MODELS_DIR": str(settings.models_dir),
        "MAINTENANCE_REPORTS_DIR": str(settings.reports_dir),
    }
    return stack.cli(*args, env=models)


def _record_running(settings: Settings, server: RasaServer) -> Path:
    """The running model, evaluated for real and recorded as deployed (as a first `deploy` would)."""
    running = Path(server.running_model())
    path = running if running.is_file() else ROOT / "models" / running.name
    assert path.is_file(), running
    scores = evaluate_model(settings, path, conversations=False)
    record = {"current": {"model": str(path), "action": "deploy", "scores": scores.to_dict()}, "history": []}
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    settings.deployed_record.write_text(json.dumps(record), encoding="utf-8")
    return path


def test_a_worse_model_is_blocked_and_the_running_one_stays(
    live_stack: LiveStack, settings: Settings, tiny_model: Path
) -> None:
    server = RasaServer(live_stack.rasa_url, live_stack.token)
    running = _record_running(settings, server)
    result = _deploy_cli(live_stack, settings, "deploy", str(tiny_model), "--no-conversations")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BLOCKED intent_accuracy" in result.stdout
    assert "not deployed" in result.stdout
    assert Path(server.running_model()).name == running.name
    assert read_record(settings)["current"]["model"] == str(running)
    scores = json.loads(
        (settings.reports_dir / tiny_model.name.removesuffix(".tar.gz") / "scores.json").read_text()
    )
    assert scores["intent_accuracy"] < 0.9  # genuinely worse: measured, not assumed


def test_an_equal_model_is_deployed_and_rolled_back(live_stack: LiveStack, settings: Settings) -> None:
    server = RasaServer(live_stack.rasa_url, live_stack.token)
    running = _record_running(settings, server)
    candidate = settings.models_dir / "model-equal.tar.gz"
    shutil.copy2(ROOT / "models" / "current.tar.gz", candidate)
    result = _deploy_cli(
        live_stack, settings, "deploy", str(candidate), "--no-conversations", "--tolerance", "0.0"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BLOCKED" not in result.stdout
    assert Path(server.running_model()).name == candidate.name
    record = read_record(settings)
    assert record["current"]["model"] == str(candidate.resolve())
    assert record["current"]["scores"]["intent_accuracy"] >= 0.9
    assert [entry["model"] for entry in record["history"]] == [str(running)]

    back = _deploy_cli(live_stack, settings, "rollback")
    assert back.returncode == 0, back.stdout + back.stderr
    assert Path(server.running_model()).name == running.name
    assert read_record(settings)["current"]["model"] == str(running)
