"""Earlier versions of the knowledge base: a copy kept before each import, or a git revision."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from knowledge.base import read_procedures
from knowledge.model import Procedure
from maintenance.settings import Settings

KEEP = 10  # copies kept; each is ~20 MB


def save_previous(settings: Settings) -> Path | None:
    """Copy the procedures file aside before an import replaces it; None when there is none yet."""
    if not settings.procedures.exists():
        return None
    settings.history_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = settings.history_dir / f"procedures-{stamp}.jsonl"
    counter = 1
    while target.exists():  # two imports within a second
        target = settings.history_dir / f"procedures-{stamp}-{counter}.jsonl"
        counter += 1
    shutil.copy2(settings.procedures, target)
    for old in saved(settings)[:-KEEP]:
        old.unlink(missing_ok=True)
    return target


def saved(settings: Settings) -> list[Path]:
    """The kept copies, oldest first."""
    if not settings.history_dir.exists():
        return []
    return sorted(settings.history_dir.glob("procedures-*.jsonl"), key=lambda p: p.stat().st_mtime_ns)


def previous(settings: Settings) -> Path | None:
    """The copy kept by the last import."""
    copies = saved(settings)
    return copies[-1] if copies else None


def at_revision(settings: Settings, ref: str) -> list[Procedure]:
    """The procedures file as committed at a git revision (a commit, a tag, HEAD~1 ...)."""
    try:
        relative = settings.procedures.resolve().relative_to(settings.root)
    except ValueError as error:
        raise ValueError(f"{settings.procedures} is not inside the repository {settings.root}") from error
    shown = subprocess.run(
        ["git", "show", f"{ref}:{relative.as_posix()}"], cwd=settings.root, capture_output=True, check=False
    )
    if shown.returncode != 0:
        raise ValueError(f"git has no {relative} at {ref!r}: {shown.stderr.decode(errors='replace').strip()}")
    with tempfile.TemporaryDirectory() as directory:
        copy = Path(directory) / "procedures.jsonl"
        copy.write_bytes(shown.stdout)
        return read_procedures(copy)
