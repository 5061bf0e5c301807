"""`train`: a new timestamped model in models/ from config.yml, the domain and nlu_data/.

scripts/train.sh first retrains the search ranker when the knowledge base, the overlay or the
vocabulary changed (knowledge/data/ranker.json, seconds), and rewrites DIET's generated citizen language
(nlu_data/nlu/generated.yml) from them. A changed fee, document or agency needs no retraining: answers
and the procedure linker read the knowledge base when a message arrives (knowledge.base.load follows an
import). Each model gets a sidecar JSON naming the knowledge base it was trained beside, for the record.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from maintenance.settings import Settings

# DIET's progress line: "Epochs:  45%|████▌     | 27/60 [00:10<00:12, ...]"
_EPOCHS = re.compile(r"Epochs:\s*\d+%\|[^|]*\|\s*(\d+)/(\d+)")


def model_name() -> str:
    return time.strftime("model-%Y%m%d-%H%M%S")


def file_sha1(path: Path) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def train(
    settings: Settings,
    *,
    force: bool = False,
    on_line: Callable[[str], None] = lambda line: None,
    on_epoch: Callable[[int, int], None] = lambda done, total: None,
    extra: tuple[str, ...] = (),
) -> Path | None:
    """Run scripts/train.sh into models/<timestamp>.tar.gz; None when Rasa found nothing changed."""
    name = model_name()
    command = [
        str(settings.root / "scripts" / "train.sh"),
        "--out",
        str(settings.models_dir),
        "--fixed-model-name",
        name,
    ]
    if force:
        command.append("--force")
    log_path = settings.models_dir / f"{name}.log"
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with (
        log_path.open("w", encoding="utf-8") as log,
        subprocess.Popen(
            [*command, *extra], cwd=settings.root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as process,
    ):
        assert process.stdout is not None
        buffer = ""
        while chunk := process.stdout.read(256):
            log.write(chunk)
            buffer += chunk
            *lines, buffer = re.split(r"[\r\n]", buffer)  # tqdm redraws with \r
            for line in lines:
                if match := _EPOCHS.search(line):
                    on_epoch(int(match.group(1)), int(match.group(2)))
                elif line.strip():
                    on_line(line.strip())
        code = process.wait()
    if code != 0:
        raise RuntimeError(f"training failed (exit {code}); see {log_path}")
    model = settings.models_dir / f"{name}.tar.gz"
    if not model.exists():
        return None
    sidecar = {
        "model": model.name,
        "trained_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "training_seconds": round(time.monotonic() - started, 1),
        "knowledge_base": {"file": str(settings.procedures), "sha1": file_sha1(settings.procedures)},
    }
    (settings.models_dir / f"{name}.json").write_text(json.dumps(sidecar, indent=2), encoding="utf-8")
    return model


def latest_model(settings: Settings) -> Path | None:
    """The newest timestamped model in models/ (models/current.tar.gz, built by make train, otherwise)."""
    models = sorted(settings.models_dir.glob("model-*.tar.gz"))
    if models:
        return models[-1]
    current = settings.models_dir / "current.tar.gz"
    return current if current.exists() else None
