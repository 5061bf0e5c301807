"""CSV import: the demo file, atomic refusal of bad files, and nothing personal reaching the store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from actions.status.csv_import import CsvImportError, import_csv, read_applications, write_csv
from actions.status.record import SUPPLEMENT_REQUIRED
from actions.status.sql_store import SqlStatusStore

ROOT = Path(__file__).parents[3]
DEMO = ROOT / "data" / "demo_applications.csv"

ROW = {
    "code": "000 00 17 h12 251120 0042",
    "status": "supplement_required",
    "procedure_code": "1.001193",
    "procedure_name": "Đăng ký khai sinh",
    "received_on": "20/11/2025",
    "due_on": "2025-11-25",
    "agency": "UBND phường Quy Nhơn",
    "supplement_items": "Bản sao giấy chứng sinh; Tờ khai ",
    "phone": "0912 345 678",
    "id_number": "079201001234",
}


def test_the_demo_file_is_marked_and_imports(store: SqlStatusStore) -> None:
    text = DEMO.read_text(encoding="utf-8")
    assert text.startswith("# DEMO DATA")
    applications = read_applications(DEMO)
    assert applications and all("(DEMO)" in a.record.agency for a in applications)
    assert import_csv(DEMO, store).imported == len(applications)
    assert store.lookup("000.00.17.H12-261118-0042", "5678") is not None


def test_a_row_is_read_canonically(tmp_path: Path, store: SqlStatusStore) -> None:
    path = tmp_path / "export.csv"
    write_csv(path, [ROW])
    import_csv(path, store)
    record = store.lookup("000.00.17.H12-251120-0042", "5678")
    assert record is not None
    assert record.status == SUPPLEMENT_REQUIRED
    assert record.supplement_items == ("Bản sao giấy chứng sinh", "Tờ khai")
    assert record.received_on is not None and record.received_on.isoformat() == "2025-11-20"
    assert store.lookup("000.00.17.H12-251120-0042", "1234") == record


def test_names_addresses_and_full_numbers_never_reach_the_store(
    tmp_path: Path, store: SqlStatusStore
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "code,status,applicant_name,address,phone,id_number\n"
        "000.00.17.H12-251120-0042,in_progress,Nguyễn Văn An,12 Lê Lợi,0912345678,079201001234\n",
        encoding="utf-8",
    )
    import_csv(path, store)
    with store.engine.connect() as connection:
        stored = str([dict(row) for row in connection.execute(select(store.table)).mappings()])
    for personal in ("Nguyễn", "Lê Lợi", "0912345678", "079201001234", "5678", "1234"):
        assert personal not in stored


def test_a_bad_file_imports_nothing_and_names_each_bad_row(tmp_path: Path, store: SqlStatusStore) -> None:
    path = tmp_path / "export.csv"
    write_csv(
        path,
        [
            ROW,
            {**ROW, "code": "not a code"},
            {**ROW, "code": "000.00.17.H12-251120-0043", "status": "lost"},
            {**ROW, "code": "000.00.17.H12-251120-0044", "due_on": "tomorrow"},
            {**ROW, "code": "000.00.17.H12-251120-0045", "phone": "", "id_number": ""},
        ],
    )
    with pytest.raises(CsvImportError) as raised:
        import_csv(path, store)
    message = str(raised.value)
    assert all(f"row {n}" in message for n in (3, 4, 5, 6)) and "row 2" not in message
    assert store.count() == 0


def test_missing_columns_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("code,phone\n000.00.17.H12-251120-0042,0912345678\n", encoding="utf-8")
    with pytest.raises(CsvImportError, match="status"):
        read_applications(path)


def test_the_command_line_imports_once_with_if_empty(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nested' / 'status.sqlite3'}"
    command = [sys.executable, "-m", "actions.status", "import-csv", str(DEMO), "--db", url]
    first = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    assert "imported 5" in first.stdout
    again = subprocess.run([*command, "--if-empty"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "nothing imported" in again.stdout


def test_the_command_line_fails_on_a_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("code,status\nnope,received\n", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "actions.status",
        "import-csv",
        str(path),
        "--db",
        f"sqlite:///{tmp_path}/s.db",
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "row 2" in result.stderr
