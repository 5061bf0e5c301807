"""Turns the national procedure database snapshot into the project's knowledge base file."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from knowledge.model import Procedure
from knowledge.parsing import clean, squash
from knowledge.parsing.agency import abolished_mentions, agency_source, modern_agency
from knowledge.parsing.channels import parse_channels
from knowledge.parsing.documents import parse_documents
from knowledge.parsing.legal_basis import parse_legal_basis
from knowledge.parsing.sections import parse_conditions, parse_related, parse_result, parse_steps
from knowledge.source import read_snapshot

# Free-text fields checked for bodies abolished on 1/7/2025, by the name the issue uses.
ABOLISHED_CHECKED = {
    "steps": "trinh_tu_thuc_hien",
    "documents": "thanh_phan_ho_so",
    "conditions": "yeu_cau_dieu_kien",
}


def to_procedure(record: dict[str, Any], snapshot_date: str) -> Procedure:
    """Build one procedure from a raw snapshot record; unreadable parts are listed in `issues`."""
    levels = tuple(part.strip() for part in clean(record.get("cap_thuc_hien")).split(",") if part.strip())
    channels = parse_channels(record.get("cach_thuc_thuc_hien"))
    documents = parse_documents(record.get("thanh_phan_ho_so"))
    legal_basis = parse_legal_basis(record.get("can_cu_phap_ly"))
    steps = parse_steps(record.get("trinh_tu_thuc_hien"))
    conditions = parse_conditions(record.get("yeu_cau_dieu_kien"))
    result = parse_result(record.get("ket_qua_xu_ly"))
    related = parse_related(record.get("thu_tuc_lien_quan"))
    source_agency = agency_source(record)
    agency, agency_issues = modern_agency(source_agency, levels)

    issues = [
        *channels.issues,
        *documents.issues,
        *legal_basis.issues,
        *steps.issues,
        *conditions.issues,
        *result.issues,
        *agency_issues,
    ]
    for field, key in ABOLISHED_CHECKED.items():
        issues.extend(abolished_mentions(field, clean(record.get(key))))
    return Procedure(
        code=record["ma_thu_tuc"].strip(),
        name=squash(clean(record.get("ten_thu_tuc"))),
        url=clean(record.get("detail_url")),
        snapshot_date=snapshot_date,
        levels=levels,
        field=clean(record.get("linh_vuc")),
        kind=clean(record.get("loai_thu_tuc")),
        applicants=clean(record.get("doi_tuong_thuc_hien")),
        decision=clean(record.get("so_quyet_dinh")),
        source_group=clean(record.get("source_group")),
        agency=agency,
        agency_source=source_agency,
        documents=documents.values,
        channels=channels.values,
        steps=steps.values,
        conditions=conditions.values,
        legal_basis=legal_basis.values,
        result=result.values[0] if result.values else "",
        related=related.values[0] if related.values else "",
        issues=tuple(issues),
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
