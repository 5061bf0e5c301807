"""Loads the knowledge base (imported procedures plus the curated overlay) and looks procedures up.

`load()` caches (knowledge.cache) where each procedure's line is in the procedures file, and the
overlay: once cached, the knowledge base loads without parsing the 20 MB file, and each procedure
is parsed the first time it is looked up. It follows the files: when an import replaces them (or the
overlay changes), the next call at least RELOAD_INTERVAL seconds later loads the new knowledge base
and swaps it in whole, so a caller holding the previous one finishes its answer with it.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from knowledge import cache, paths
from knowledge.model import Procedure

log = logging.getLogger(__name__)

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


RELOAD_INTERVAL = 1.0  # seconds between two looks at the files: a stat each, cheap but not free


def procedures_path() -> Path:
    """The procedures file load() reads: $KNOWLEDGE_PROCEDURES, else the project's."""
    return cache.procedures_file(paths.PROCEDURES)


def version_stamp(procedures: Path, overlay_dir: Path | None) -> tuple[Any, ...]:
    """What changes whenever an import replaces the procedures file or an overlay file changes."""
    parts: list[Any] = []
    for path in (procedures, *cache.overlay_files(overlay_dir)):
        try:
            stat = path.stat()
        except OSError:
            parts.append((str(path), None))
            continue
        parts.append((str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns))
    return tuple(parts)


class _Loaded:
    """The knowledge base in use, the files' stamp it was loaded from, and when they were last looked at."""

    def __init__(self, knowledge: KnowledgeBase, stamp: tuple[Any, ...], checked: float) -> None:
        self.knowledge, self.stamp, self.checked = knowledge, stamp, checked


_loaded: _Loaded | None = None
_reload_lock = threading.Lock()
_reload_callbacks: list[Callable[[], None]] = []


def on_reload(callback: Callable[[], None]) -> None:
    """Call `callback` whenever load() swaps in a new knowledge base (to drop what was built from it)."""
    _reload_callbacks.append(callback)


def _drop_derived() -> None:
    for callback in _reload_callbacks:
        try:
            callback()
        except Exception:  # one broken listener must not keep the new knowledge out
            log.exception("knowledge reload callback %r failed", callback)


def load() -> KnowledgeBase:
    """The project's knowledge base: loaded once, then again whenever its files are replaced."""
    global _loaded
    current, now = _loaded, time.monotonic()
    if current is not None and now - current.checked < RELOAD_INTERVAL:
        return current.knowledge
    with _reload_lock:  # one thread reloads; the others wait for it rather than load it again
        current = _loaded
        if current is not None and now - current.checked < RELOAD_INTERVAL:
            return current.knowledge
        procedures = procedures_path()
        stamp = version_stamp(procedures, paths.OVERLAY_DIR)
        if current is not None and stamp == current.stamp:
            current.checked = time.monotonic()
            return current.knowledge
        try:
            knowledge = load_from(procedures, paths.OVERLAY_DIR, use_cache=True)
        except (OSError, ValueError) as error:
            if current is None:
                raise
            # A file caught half-written by a copy that was not atomic: keep answering from the old one.
            log.warning(
                "knowledge base not reloaded from %s (%s); keeping the previous one", procedures, error
            )
            current.checked = time.monotonic()
            return current.knowledge
        if current is not None:
            log.info("knowledge base reloaded from %s: %d procedures", procedures, len(knowledge))
        _loaded = _Loaded(knowledge, stamp, time.monotonic())
        if current is not None:
            _drop_derived()
        return knowledge


def reset() -> None:
    """Forget the loaded knowledge base (tests): the next load() reads the files again."""
    global _loaded
    with _reload_lock:
        _loaded = None
    _drop_derived()
