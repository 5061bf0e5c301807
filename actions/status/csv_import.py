"""Imports a province's CSV export into the status store, keeping only what answers need.

Columns (header row; lines starting with # are comments): code, status, procedure_code, procedure_name,
received_on, due_on, agency, supplement_items (separated by ";"), pickup_place, pickup_method, contact,
phone, id_number. Phone and ID numbers may be full or just their last 4 digits: only a hash of the last 4
digits is stored. Any other column (a name, an address …) is ignored and never stored.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from actions.status.record import ApplicationRecord, parse_date
from actions.status.sql_store import SqlStatusStore, StoredApplication, last4
from bot.nlu.application_code_pattern import APPLICATION_CODE, canonical

REQUIRED = ("code", "status")


class CsvImportError(ValueError):
    """The file has rows that cannot be imported; nothing was imported."""


@dataclass(frozen=True)
class ImportResult:
    imported: int
    store_total: int


def _lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line in handle:
            if not line.lstrip().startswith("#"):
                yield line


def read_applications(path: Path) -> list[StoredApplication]:
    """Every row as a stored application; raises CsvImportError listing each bad row (by line)."""
    reader = csv.DictReader(_lines(path))
    missing = [name for name in REQUIRED if name not in (reader.fieldnames or [])]
    if missing:
        raise CsvImportError(f"{path}: missing column(s) {', '.join(missing)}")
    applications, errors = [], []
    for number, row in enumerate(reader, start=2):
        try:
            applications.append(_application(row))
        except ValueError as error:
            errors.append(f"row {number}: {error}")
    if errors:
        raise CsvImportError(f"{path}: {len(errors)} bad row(s), nothing imported:\n" + "\n".join(errors))
    return applications


def _application(row: dict[str, str | None]) -> StoredApplication:
    def text(name: str) -> str:
        return (row.get(name) or "").strip()

    match = APPLICATION_CODE.fullmatch(text("code"))
    if match is None:
        raise ValueError("code is not an application code like 000.00.17.H12-251120-0042")
    items = tuple(item.strip() for item in text("supplement_items").split(";") if item.strip())
    record = ApplicationRecord(
        code=canonical(match),
        status=text("status"),
        procedure_code=text("procedure_code"),
        procedure_name=text("procedure_name"),
        received_on=parse_date(text("received_on")),
        due_on=parse_date(text("due_on")),
        agency=text("agency"),
        supplement_items=items,
        pickup_place=text("pickup_place"),
        pickup_method=text("pickup_method"),
        contact=text("contact"),
    )
    phone, id_number = last4(text("phone")), last4(text("id_number"))
    if not phone and not id_number:
        raise ValueError("neither phone nor id_number has 4 digits to verify with")
    return StoredApplication(record, phone, id_number)


def import_csv(path: Path, store: SqlStatusStore, *, if_empty: bool = False) -> ImportResult:
    """Creates the table if needed and upserts every row; with if_empty, only into an empty store."""
    store.create()
    if if_empty and store.count() > 0:
        return ImportResult(0, store.count())
    imported = store.upsert(read_applications(path))
    return ImportResult(imported, store.count())


def write_csv(path: Path, rows: Iterable[dict[str, str]]) -> None:
    """Writes rows in the import format (tests and benches make their data with it)."""
    columns = [
        "code", "status", "procedure_code", "procedure_name", "received_on", "due_on", "agency",
        "supplement_items", "pickup_place", "pickup_method", "contact", "phone", "id_number",
    ]  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
