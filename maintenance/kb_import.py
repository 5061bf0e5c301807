"""`kb import`: a new snapshot or a few procedures exported from the portal, swapped in atomically.

The previous procedures file is kept (kb_history) so that `kb diff` can show what the import changed.
The action server and Rasa notice the replaced file by themselves (knowledge.base.load) within a second.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from knowledge.base import read_procedures
from knowledge.diff import KnowledgeDiff, diff
from knowledge.importer import (
    import_changed,
    import_records,
    read_export,
    replacing,
    to_procedure,
    write_procedures,
)
from knowledge.model import Procedure
from knowledge.source import read_snapshot
from maintenance import kb_history
from maintenance.settings import Settings

Progress = Callable[[int, int], None]  # (done, total)


def import_snapshot(
    settings: Settings, snapshot: Path, snapshot_date: str, progress: Progress
) -> KnowledgeDiff:
    """Replace the whole knowledge base by a new snapshot (stored in the project as the snapshot)."""
    records = list(read_snapshot(snapshot))  # every line checked before anything changes
    procedures = []
    for number, record in enumerate(records, start=1):
        procedures.append(to_procedure(record, snapshot_date))
        progress(number, len(records))
    before = _current(settings)
    kb_history.save_previous(settings)
    if snapshot.resolve() != settings.snapshot.resolve():
        with snapshot.open("rb") as source, replacing(settings.snapshot, "wb") as out:
            shutil.copyfileobj(source, out)
    write_procedures(procedures, settings.procedures)
    return diff(before, procedures)


def import_procedures(settings: Settings, export: Path, snapshot_date: str) -> KnowledgeDiff:
    """Import procedures exported from the portal (each replaces the one with its code, or is added)."""
    records = read_export(export)
    import_records(records, snapshot_date)  # a record that cannot be read changes nothing
    before = _current(settings)
    kb_history.save_previous(settings)
    import_changed(records, snapshot_date, settings.snapshot, settings.procedures)
    return diff(before, read_procedures(settings.procedures))


def _current(settings: Settings) -> list[Procedure]:
    return read_procedures(settings.procedures) if settings.procedures.exists() else []
