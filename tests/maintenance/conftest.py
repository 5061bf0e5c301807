"""A temporary copy of the knowledge base (the committed one is never changed) and Redis database 4."""

from __future__ import annotations

import shutil
import subprocess
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
