"""Loads the knowledge base (imported procedures plus the curated overlay) and looks procedures up."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from knowledge import paths
from knowledge.model import Procedure


class KnowledgeBase:
    """All procedures by national code, in code order."""

    def __init__(self, procedures: list[Procedure]) -> None:
        self._by_code = {p.code: p for p in sorted(procedures, key=lambda p: p.code)}

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Procedure]:
        return iter(self._by_code.values())

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Procedure | None:
        return self._by_code.get(code)

    def __getitem__(self, code: str) -> Procedure:
        return self._by_code[code]


def read_procedures(path: Path) -> list[Procedure]:
    """Read the imported procedures file (JSON lines)."""
    with path.open(encoding="utf-8") as lines:
        return [Procedure.from_dict(json.loads(line)) for line in lines if line.strip()]


def load_from(procedures_path: Path, overlay_dir: Path | None) -> KnowledgeBase:
    """Load procedures from a file and merge the curated overlay, if any."""
    procedures = read_procedures(procedures_path)
    if overlay_dir is not None and overlay_dir.exists():
        from knowledge.overlay import apply_overlay, read_overlay

        procedures = apply_overlay(procedures, read_overlay(overlay_dir))
    return KnowledgeBase(procedures)


@lru_cache(maxsize=1)
def load() -> KnowledgeBase:
    """The project's knowledge base, loaded once per process."""
    return load_from(paths.PROCEDURES, paths.OVERLAY_DIR)
