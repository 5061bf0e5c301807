"""Turns the national procedure database snapshot into the project's knowledge base file."""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

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


def import_records(records: Iterable[dict[str, Any]], snapshot_date: str) -> list[Procedure]:
    """Parse records exported from the portal (the snapshot's record format), sorted by code."""
    return sorted((to_procedure(r, snapshot_date) for r in records), key=lambda p: p.code)


def read_export(path: Path) -> list[dict[str, Any]]:
    """Records exported from the portal: one JSON object, a JSON list of them, or JSON lines."""
    if path.suffix == ".gz":
        records: list[Any] = list(read_snapshot(path))
    else:
        text = path.read_text(encoding="utf-8").strip()
        try:
            data = json.loads(text) if text else []
            records = data if isinstance(data, list) else [data]
        except json.JSONDecodeError:
            records = list(read_snapshot(path))  # JSON lines, each line checked
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict) or not str(record.get("ma_thu_tuc") or "").strip():
            raise ValueError(f"{path}: record {number} is not a procedure record with ma_thu_tuc")
    if not records:
        raise ValueError(f"{path}: no procedure record")
    return records


def import_changed(
    records: list[dict[str, Any]], snapshot_date: str, snapshot: Path, procedures: Path
) -> list[Procedure]:
    """Import exported records into the stored snapshot and the procedures file; returns them parsed."""
    changed = import_records(records, snapshot_date)  # parse first: a bad record changes nothing
    from knowledge.base import read_procedures

    merged = merge_procedures(read_procedures(procedures), changed)
    patch_snapshot(snapshot, records)
    write_procedures(merged, procedures)
    return changed


def merge_procedures(current: Iterable[Procedure], changed: Iterable[Procedure]) -> list[Procedure]:
    """The current procedures with each changed one replacing the one of the same code (or added)."""
    by_code = {p.code: p for p in current}
    by_code.update((p.code, p) for p in changed)
    return sorted(by_code.values(), key=lambda p: p.code)


@contextmanager
def replacing(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """A temporary file next to `path` that replaces it in one rename once written completely.

    A reader (the action server reloading the knowledge base) sees the old file or the new one, never
    a half-written one; an error leaves the old file as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as raw:
            if mode == "w":
                with open(raw.fileno(), "w", encoding="utf-8", newline="\n", closefd=False) as out:
                    yield out
            else:
                yield raw
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the services' users read it too
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_procedures(procedures: Iterable[Procedure], path: Path) -> int:
    """Write procedures as sorted-key JSON lines so the same input always gives the same bytes.

    The file is replaced atomically (see `replacing`).
    """
    count = 0
    with replacing(path) as out:
        for procedure in sorted(procedures, key=lambda p: p.code):
            out.write(json.dumps(procedure.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    return count


def patch_snapshot(snapshot: Path, records: Iterable[dict[str, Any]]) -> int:
    """Replace (or add) records in the stored snapshot by code, keeping it sorted; returns its size.

    So that a later full import from the snapshot keeps a procedure imported on its own.
    """
    by_code = {str(r["ma_thu_tuc"]).strip(): r for r in read_snapshot(snapshot)}
    by_code.update((str(r["ma_thu_tuc"]).strip(), r) for r in records)
    lines = (json.dumps(by_code[code], ensure_ascii=False) + "\n" for code in sorted(by_code))
    with replacing(snapshot, "wb") as raw:
        if snapshot.suffix == ".gz":
            with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
                packed.writelines(line.encode("utf-8") for line in lines)
        else:
            raw.writelines(line.encode("utf-8") for line in lines)
    return len(by_code)
