"""Turns the national procedure database snapshot into the project's knowledge base file."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from knowledge.model import Procedure
from knowledge.source import read_snapshot

EMPTY = "Không có thông tin"


def clean(value: str | None) -> str:
    text = (value or "").strip()
    return "" if text == EMPTY else text


def to_procedure(record: dict[str, Any], snapshot_date: str) -> Procedure:
    """Build one procedure from a raw snapshot record."""
    levels = tuple(part.strip() for part in clean(record.get("cap_thuc_hien")).split(",") if part.strip())
    return Procedure(
        code=record["ma_thu_tuc"].strip(),
        name=clean(record.get("ten_thu_tuc")),
        url=clean(record.get("detail_url")),
        snapshot_date=snapshot_date,
        levels=levels,
        field=clean(record.get("linh_vuc")),
        kind=clean(record.get("loai_thu_tuc")),
        applicants=clean(record.get("doi_tuong_thuc_hien")),
        decision=clean(record.get("so_quyet_dinh")),
        source_group=clean(record.get("source_group")),
    )


def import_snapshot(snapshot: Path, snapshot_date: str) -> list[Procedure]:
    """Parse every record of the snapshot; the result is sorted by code."""
    return sorted((to_procedure(r, snapshot_date) for r in read_snapshot(snapshot)), key=lambda p: p.code)


def write_procedures(procedures: Iterable[Procedure], path: Path) -> int:
    """Write procedures as sorted-key JSON lines so the same input always gives the same bytes."""
    count = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for procedure in sorted(procedures, key=lambda p: p.code):
            out.write(json.dumps(procedure.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    return count
