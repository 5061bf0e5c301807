"""An on-disk cache of what is slow to build from the knowledge base's files (the search index ...).

An optimisation only: an entry is plain data (dicts, lists, tuples, strings, numbers, bytes) written
with `marshal`, keyed by a fingerprint of everything it is built from: the procedures file's and the
overlay files' bytes, the code that builds it (`CODE_FILES`) and the Python version. A missing, stale,
corrupt or unreadable entry is rebuilt and rewritten atomically; a cache directory that cannot be
written is simply not used. `marshal` rather than `pickle`: reading an entry never runs code.

The directory is `$KNOWLEDGE_CACHE_DIR`, by default `.cache/knowledge/` in the project; an empty
`KNOWLEDGE_CACHE_DIR` turns the cache off.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from knowledge import paths

__all__ = ["CODE_FILES", "cache_dir", "cached", "fingerprint", "read_entry", "write_entry"]

log = logging.getLogger(__name__)

T = TypeVar("T")

ENV = "KNOWLEDGE_CACHE_DIR"
PROCEDURES_ENV = "KNOWLEDGE_PROCEDURES"  # another procedures file (tests, a staging copy): knowledge.base
DEFAULT_DIR = paths.PACKAGE_DIR.parent / ".cache" / "knowledge"
FORMAT = 1  # bump when the layout of an entry changes without any of CODE_FILES changing
# What the cached data is computed by: a change to any of them invalidates every entry.
CODE_FILES = ("base.py", "cache.py", "model.py", "overlay.py", "text.py", "search/*.py", "vocabulary/*")
_PYTHON = f"py{sys.version_info[0]}{sys.version_info[1]}"  # marshal's format may differ between versions

# Digests of files already read in this process, by (path, size, mtime): each file is hashed once.
_digests: dict[tuple[str, int, int], str] = {}


def cache_dir() -> Path | None:
    """The cache directory, or None when caching is turned off."""
    value = os.environ.get(ENV)
    if value is None:
        return DEFAULT_DIR
    return Path(value) if value.strip() else None


def file_digest(path: Path, data: bytes | None = None) -> str:
    """A hash of a file's bytes (given `data`, those bytes, already read)."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    digest = _digests.get(key)
    if digest is None:
        digest = hashlib.sha1(path.read_bytes() if data is None else data, usedforsecurity=False).hexdigest()
        if time.time_ns() - stat.st_mtime_ns > 2_000_000_000:  # a file just written may change again
            _digests[key] = digest  # within the clock's resolution, keeping its size and mtime
    return digest


def code_version() -> str:
    """A hash of the source of the code that computes cached entries, and of the Python that wrote them."""
    return hashlib.sha1(
        f"{FORMAT} {_PYTHON} {sys.byteorder} {source_digest()}".encode(), usedforsecurity=False
    ).hexdigest()


def source_digest() -> str:
    """A hash of the source of the code that computes cached entries (whatever Python runs it)."""
    digest = hashlib.sha1(usedforsecurity=False)
    for pattern in CODE_FILES:
        for path in sorted(paths.PACKAGE_DIR.glob(pattern)):
            if path.is_file():
                name = str(path.relative_to(paths.PACKAGE_DIR))
                digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def overlay_files(directory: Path | None) -> list[Path]:
    """The overlay files `read_overlay` reads, in its order."""
    if directory is None or not directory.exists():
        return []
    return sorted([*directory.glob("*.yml"), *directory.glob("*.yaml")])


def procedures_file(procedures: Path) -> Path:
    """The file really read for `procedures`: $KNOWLEDGE_PROCEDURES stands in for the project's file."""
    override = os.environ.get(PROCEDURES_ENV, "").strip()
    return Path(override) if override and procedures == paths.PROCEDURES else procedures


def fingerprint(procedures: Path, overlay_dir: Path | None, procedures_bytes: bytes | None = None) -> str:
    """What an entry built from these files by this code is keyed by."""
    procedures = procedures_file(procedures)  # an index built from a copy is keyed by the copy
    parts = [code_version(), "procedures", file_digest(procedures, procedures_bytes)]
    for path in overlay_files(overlay_dir):
        parts += ["overlay", path.name, file_digest(path)]
    return hashlib.sha1("\0".join(parts).encode(), usedforsecurity=False).hexdigest()


def _entry_path(directory: Path, name: str) -> Path:
    return directory / f"{name}-{_PYTHON}.marshal"


def read_entry(name: str, key: str) -> Any | None:
    """The cached data under `name` if it was stored with fingerprint `key`; None otherwise."""
    directory = cache_dir()
    if directory is None:
        return None
    path = _entry_path(directory, name)
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        stored = marshal.loads(raw)
        if isinstance(stored, tuple) and len(stored) == 3 and stored[0] == name and stored[1] == key:
            return stored[2]
    except Exception:  # a corrupt entry (truncated write, other Python ...) is rebuilt
        log.warning("knowledge cache %s is unreadable; rebuilding it", path)
    return None


def write_entry(name: str, key: str, data: Any) -> None:
    """Store data under `name` atomically (a temporary file, then a rename); errors are only logged."""
    directory = cache_dir()
    if directory is None:
        return
    path = _entry_path(directory, name)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        import tempfile  # only when writing: slow to import

        raw = marshal.dumps((name, key, data))
        handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(raw)
            os.chmod(temporary, 0o644)  # mkstemp makes it private; other services' users read it too
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except (OSError, ValueError) as error:  # read-only checkout, full disk, unmarshallable value
        log.warning("knowledge cache %s not written: %s", path, error)


def cached(
    name: str, key: str, build: Callable[[], T], dump: Callable[[T], Any], restore: Callable[[Any], T]
) -> T:
    """`restore` of the entry cached under `name` and `key`, else `build()` (then cached via `dump`).

    An entry that `restore` rejects (any exception) counts as corrupt: it is rebuilt and rewritten.
    """
    data = read_entry(name, key)
    if data is not None:
        try:
            return restore(data)
        except Exception:
            log.warning("knowledge cache entry %s is malformed; rebuilding it", name)
    value = build()
    write_entry(name, key, dump(value))
    return value
