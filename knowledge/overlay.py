"""The curated overlay: everyday names, popularity and maintainer notes, kept apart from imports."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import yaml

from knowledge.model import Procedure


def read_overlay(directory: Path) -> dict[str, dict[str, Any]]:
    """Read every overlay YAML file; each is a list of entries keyed by `code`."""
    entries: dict[str, dict[str, Any]] = {}
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for entry in data:
            code = str(entry["code"])
            if code in entries:
                raise ValueError(f"{path}: procedure {code} is curated twice")
            entries[code] = entry
    return entries


def apply_overlay(procedures: list[Procedure], overlay: dict[str, dict[str, Any]]) -> list[Procedure]:
    """Return procedures with their curated fields filled in."""
    merged = []
    for procedure in procedures:
        entry = overlay.get(procedure.code)
        if entry is None:
            merged.append(procedure)
            continue
        merged.append(
            dataclasses.replace(
                procedure,
                everyday_names=tuple(entry.get("everyday_names", ())),
                maintainer_notes=tuple(entry.get("notes", ())),
                popularity=float(entry.get("popularity", 1.0)),
            )
        )
    return merged
