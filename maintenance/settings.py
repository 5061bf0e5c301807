"""The one settings object of the maintainers' CLI: paths in the project and services from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from knowledge import paths
from knowledge.base import procedures_path

ROOT = paths.PACKAGE_DIR.parent


def _env(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


@dataclass(frozen=True)
class Settings:
    """Where things are; every field can be set from the environment (tests point them at copies)."""

    root: Path = ROOT
    # The knowledge base: the stored snapshot, the imported procedures, and earlier versions of it.
    snapshot: Path = field(default_factory=lambda: Path(_env("KNOWLEDGE_SNAPSHOT", str(paths.SNAPSHOT))))
    procedures: Path = field(default_factory=procedures_path)
    history_dir: Path = field(
        default_factory=lambda: Path(
            _env("MAINTENANCE_HISTORY_DIR", str(ROOT / ".cache" / "maintenance" / "kb"))
        )
    )
    models_dir: Path = field(
        default_factory=lambda: Path(_env("MAINTENANCE_MODELS_DIR", str(ROOT / "models")))
    )
    reports_dir: Path = field(
        default_factory=lambda: Path(_env("MAINTENANCE_REPORTS_DIR", str(ROOT / "results" / "evaluations")))
    )
    heldout: Path = ROOT / "tests" / "nlu" / "heldout.yml"
    conversations: Path = ROOT / "tests" / "conversations"
    # The running Rasa, whose model `deploy` swaps.
    rasa_url: str = field(default_factory=lambda: _env("RASA_URL", "http://127.0.0.1:5005").rstrip("/"))
    rasa_token: str = field(default_factory=lambda: os.environ.get("RASA_AUTH_TOKEN", ""))
    # Where the actions record the messages the bot could not handle (actions/failure_log.py).
    redis_host: str = field(default_factory=lambda: _env("REDIS_HOST", "127.0.0.1"))
    redis_port: int = field(default_factory=lambda: int(_env("REDIS_PORT", "6379")))
    failures_db: int = field(default_factory=lambda: int(_env("FAILURE_LOG_DB", "2")))
    failures_key: str = field(default_factory=lambda: _env("FAILURE_LOG_KEY", "learning:failures"))

    @property
    def deployed_record(self) -> Path:
        """Which model is deployed, with its scores, and the ones before it."""
        return self.models_dir / "deployed.json"
