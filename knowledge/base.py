"""Loads the knowledge base (imported procedures plus the curated overlay) and looks procedures up.

`load()` caches (knowledge.cache) where each procedure's line is in the procedures file, and the
overlay: once cached, the knowledge base loads without parsing the 20 MB file, and each procedure
is parsed the first time it is looked up.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from knowledge import cache, paths
from knowledge.model import Procedure

Overlay = dict[str, dict[str, Any]]


class KnowledgeBase:
    """All procedures by national code, in code order."""

    def __init__(self, procedures: Iterable[Procedure]) -> None:
        self._by_code = {p.code: p for p in sorted(procedures, key=lambda p: p.code)}
        self._codes = list(self._by_code)
        # Procedures not parsed yet: their line's span in `_source`, and the overlay to merge into them.
        self._spans: dict[str, tuple[int, int]] = {}
        self._source = b""
        self._overlay: Overlay = {}

    @classmethod
    def lazy(cls, source: bytes, spans: dict[str, tuple[int, int]], overlay: Overlay) -> KnowledgeBase:
        """A knowledge base over a procedures file's bytes, with each line's span by code."""
        knowledge = cls([])
        knowledge._codes = sorted(spans)
        knowledge._spans, knowledge._source, knowledge._overlay = spans, source, overlay
        return knowledge

    def __len__(self) -> int:
        return len(self._codes)

    def __iter__(self) -> Iterator[Procedure]:
        return (self[code] for code in self._codes)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code or code in self._spans

    def get(self, code: str) -> Procedure | None:
        procedure = self._by_code.get(code)
        if procedure is None and code in self._spans:
            start, end = self._spans[code]
            procedure = _merge(Procedure.from_dict(json.loads(self._source[start:end])), self._overlay)
            self._by_code[code] = procedure
        return procedure

    def __getitem__(self, code: str) -> Procedure:
        procedure = self.get(code)
        if procedure is None:
            raise KeyError(code)
        return procedure


def _parse(source: bytes) -> tuple[list[Procedure], dict[str, tuple[int, int]]]:
    """The procedures of a JSON-lines file's bytes, and the span of each one's line by code."""
    procedures: list[Procedure] = []
    spans: dict[str, tuple[int, int]] = {}
    start, size = 0, len(source)
    while start < size:  # line by line, each copy freed at once (no second 20 MB in memory)
        end = source.find(b"\n", start)
        end = size if end < 0 else end
        line = source[start:end]
        if line.strip():
            procedure = Procedure.from_dict(json.loads(line))
            procedures.append(procedure)
            spans[procedure.code] = (start, end)  # a repeated code: the last line wins, as in the index
        start = end + 1
    return procedures, spans


def _merge(procedure: Procedure, overlay: Overlay) -> Procedure:
    entry = overlay.get(procedure.code)
    if entry is None:
        return procedure
    from knowledge.overlay import apply_overlay

    return apply_overlay([procedure], {procedure.code: entry})[0]


def _read_overlay(overlay_dir: Path | None) -> Overlay:
    if overlay_dir is None or not overlay_dir.exists():
        return {}
    from knowledge.overlay import read_overlay

    return read_overlay(overlay_dir)


def read_procedures(path: Path) -> list[Procedure]:
    """Read the imported procedures file (JSON lines)."""
    return _parse(path.read_bytes())[0]


def load_from(procedures_path: Path, overlay_dir: Path | None, *, use_cache: bool = False) -> KnowledgeBase:
    """Load procedures from a file and merge the curated overlay, if any.

    With `use_cache`, the line spans and overlay are taken from (or stored in) `knowledge.cache`.
    """
    source = procedures_path.read_bytes()
    key = cache.fingerprint(procedures_path, overlay_dir, source) if use_cache else ""
    if use_cache:
        stored = cache.read_entry("procedures", key)
        if stored is not None:
            try:
                spans, overlay = stored
                if isinstance(spans, dict) and isinstance(overlay, dict):
                    return KnowledgeBase.lazy(source, spans, overlay)
            except (TypeError, ValueError):
                pass  # malformed: rebuilt below
    procedures, spans = _parse(source)
    overlay = _read_overlay(overlay_dir)
    if overlay:
        from knowledge.overlay import apply_overlay

        procedures = apply_overlay(procedures, overlay)
    if use_cache:
        cache.write_entry("procedures", key, (spans, overlay))
    return KnowledgeBase(procedures)


@lru_cache(maxsize=1)
def load() -> KnowledgeBase:
    """The project's knowledge base, loaded once per process."""
    return load_from(paths.PROCEDURES, paths.OVERLAY_DIR, use_cache=True)
