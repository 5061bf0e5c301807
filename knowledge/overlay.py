"""The curated overlay: everyday names, popularity and maintainer notes, kept apart from imports.

Each `knowledge/overlay/*.yml` file is a list of entries, one per national procedure code:

    - code: "1.001193"            # national code (mã thủ tục), quoted
      name: Đăng ký khai sinh     # short everyday title used in answers
      everyday_names: [...]       # how citizens write it (≥ 1 non-empty strings)
      popularity: 1.0             # prior in [0, 1]
      notes: [...]                # maintainer notes where the source is doubtful (optional)

An import never writes these files. `read_overlay` rejects malformed files with a ValueError
that names the file, so a typo fails loudly instead of silently dropping a curated entry.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import yaml

from knowledge.model import Procedure

# The C loader (libyaml) when PyYAML was built with it: several times quicker on a cold start.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

REQUIRED_KEYS = frozenset({"code", "name", "everyday_names", "popularity"})
OPTIONAL_KEYS = frozenset({"notes"})
CODE_PATTERN = re.compile(r"^\d\.\d{6}$")


def _string_list(value: Any, key: str, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ValueError(f"{where}: `{key}` must be a list of non-empty strings")
    return [item.strip() for item in value]


def validate_entry(entry: Any, where: str) -> dict[str, Any]:
    """Check one overlay entry and return it normalised; raise ValueError naming `where`."""
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: an entry must be a mapping, got {type(entry).__name__}")
    unknown = set(entry) - REQUIRED_KEYS - OPTIONAL_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}")
    missing = REQUIRED_KEYS - set(entry)
    if missing:
        raise ValueError(f"{where}: missing key(s) {sorted(missing)}")
    code = entry["code"]
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        raise ValueError(f'{where}: code {code!r} must be a quoted string like "1.001193"')
    where = f"{where} ({code})"
    name = entry["name"]
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{where}: `name` must be a non-empty string")
    popularity = entry["popularity"]
    is_number = isinstance(popularity, (int, float)) and not isinstance(popularity, bool)
    if not is_number or not 0.0 <= popularity <= 1.0:
        raise ValueError(f"{where}: popularity {popularity!r} must be a number between 0 and 1")
    everyday = _string_list(entry["everyday_names"], "everyday_names", where)
    if not everyday:
        raise ValueError(f"{where}: `everyday_names` must not be empty")
    notes = entry.get("notes") or []
    return {
        "code": code,
        "name": name.strip(),
        "everyday_names": everyday,
        "popularity": float(popularity),
        "notes": _string_list(notes, "notes", where),
    }


def read_overlay_file(path: Path) -> list[dict[str, Any]]:
    """Read and validate one overlay file (an empty file is an empty list)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # a safe loader
    except yaml.YAMLError as error:
        raise ValueError(f"{path}: not valid YAML: {error}") from error
    if data is None:
        return []
    if not isinstance(data, list):
        raise ValueError(f"{path}: an overlay file must be a list of entries")
    return [validate_entry(entry, f"{path}: entry {index}") for index, entry in enumerate(data, start=1)]


def read_overlay(directory: Path) -> dict[str, dict[str, Any]]:
    """Read every overlay YAML file; each is a list of entries keyed by `code`."""
    entries: dict[str, dict[str, Any]] = {}
    origin: dict[str, Path] = {}
    for path in sorted([*directory.glob("*.yml"), *directory.glob("*.yaml")]):
        for entry in read_overlay_file(path):
            code = entry["code"]
            if code in entries:
                raise ValueError(f"{path}: procedure {code} is curated twice (also in {origin[code]})")
            entries[code] = entry
            origin[code] = path
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
                short_name=str(entry.get("name", "")),
            )
        )
    return merged
