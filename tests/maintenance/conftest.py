"""A temporary copy of the knowledge base (the committed one is never changed) and Redis database 4."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from knowledge import paths

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "maintenance" / "examples" / "portal-export-2026-08.jsonl"
REDIS_DB = 4


@dataclass
class KnowledgeCopy:
    directory: Path
    procedures: Path
    snapshot: Path

    @property
    def env(self) -> dict[str, str]:
        """What points a service or the CLI at this copy."""
        return {
            "KNOWLEDGE_PROCEDURES": str(self.procedures),
            "KNOWLEDGE_SNAPSHOT": str(self.snapshot),
            "KNOWLEDGE_CACHE_DIR": str(self.directory / "cache"),
            "MAINTENANCE_HISTORY_DIR": str(self.directory / "history"),
        }


def copy_knowledge(directory: Path) -> KnowledgeCopy:
    directory.mkdir(parents=True, exist_ok=True)
    procedures = directory / "procedures.jsonl"
    snapshot = directory / "dvc_procedures.jsonl.gz"
    shutil.copy2(paths.PROCEDURES, procedures)
    shutil.copy2(paths.SNAPSHOT, snapshot)
    return KnowledgeCopy(directory, procedures, snapshot)


@pytest.fixture
def knowledge_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KnowledgeCopy]:
    """A copy of the knowledge base in tmp_path, with the environment pointing at it."""
    copy = copy_knowledge(tmp_path / "kb")
    for name, value in copy.env.items():
        monkeypatch.setenv(name, value)
    committed = paths.PROCEDURES.stat().st_mtime_ns, paths.SNAPSHOT.stat().st_mtime_ns
    yield copy
    assert (paths.PROCEDURES.stat().st_mtime_ns, paths.SNAPSHOT.stat().st_mtime_ns) == committed


@pytest.fixture
def redis_db4() -> Iterator[redis.Redis]:
    subprocess.run([str(ROOT / "scripts" / "redis.sh")], cwd=ROOT, check=True)
    client = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    client.flushdb()
    yield client
    client.flushdb()


RASA_PORT, ACTIONS_PORT = 19005, 19055


@dataclass
class LiveStack:
    """Rasa and the action server on the test ports, reading `knowledge` (a copy)."""

    rasa_url: str
    actions_url: str
    token: str
    knowledge: KnowledgeCopy

    @property
    def env(self) -> dict[str, str]:
        """What points the CLI at this stack and this knowledge base copy."""
        return {**self.knowledge.env, "RASA_URL": self.rasa_url, "RASA_AUTH_TOKEN": self.token}

    def cli(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """`python -m maintenance ARGS` as a maintainer runs it, against this stack."""
        return subprocess.run(
            [sys.executable, "-m", "maintenance", *args],
            cwd=ROOT,
            env={**os.environ, **self.env, "PYTHONPATH": str(ROOT), **(env or {})},
            capture_output=True,
            text=True,
            timeout=600,
        )


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """One stack for the session: trackers and locks in Redis database 4."""
    from tests.e2e.services import running_stack

    copy = copy_knowledge(tmp_path_factory.mktemp("live") / "kb")
    subprocess.run([str(ROOT / "scripts" / "redis.sh")], cwd=ROOT, check=True)
    redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB).flushdb()
    env = {**copy.env, "REDIS_LOCK_DB": str(REDIS_DB)}
    with running_stack(rasa_port=RASA_PORT, actions_port=ACTIONS_PORT, redis_db=REDIS_DB, env=env) as stack:
        yield LiveStack(stack.rasa_url, stack.actions_url, stack.token, copy)
    redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB).flushdb()
