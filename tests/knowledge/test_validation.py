"""The validation report: failures versus warnings, coverage figure and exit status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from knowledge.__main__ import main
from knowledge.model import Channel, Document, Procedure
from knowledge.validation import coverage, report

CHANNEL = Channel(kind="online", label="Trực tuyến", time_limit=None, fee=None)
DOCUMENT = Document(name="Tờ khai", originals=1, copies=0)


def procedure(code: str, issues: tuple[str, ...] = (), **fields: Any) -> Procedure:
    return Procedure(
        code=code, name=f"Thủ tục {code}", url="", snapshot_date="2026-07", issues=issues, **fields
    )


def test_coverage_counts_only_procedures_whose_source_has_the_table() -> None:
    procedures = [
        procedure("1", channels=(CHANNEL,)),
        procedure("2", ("channels: unparsed row 'x'",)),
        procedure("3"),  # the source had no table: not counted
        procedure("4", ("channels: time limit '1' has no unit (online)",), channels=(CHANNEL,)),
    ]
    result = coverage(procedures, "channels")
    assert (result.with_source, result.parsed) == (3, 2)
    assert round(result.percent, 1) == 66.7


def test_report_lists_only_procedures_with_problems_unless_all() -> None:
    complete: dict[str, Any] = dict(
        channels=(CHANNEL,), documents=(DOCUMENT,), steps=("a",), legal_basis=(), agency="UBND", result="r"
    )
    fine = procedure("1", **complete)
    broken = procedure("2", ("documents: unparsed table 'x'",), channels=(CHANNEL,))
    lines, ok = report([fine, broken])
    text = "\n".join(lines)
    assert "2 Thủ tục 2" in text and "FAIL documents: unparsed table 'x'" in text
    assert "1 Thủ tục 1" in text  # legal_basis is empty, which is reported
    assert not ok
    assert "document lists parsed for 50.0% of procedures whose source has them (1/2)" in text
    all_lines, _ = report([fine, broken], show_all=True)
    assert len(all_lines) >= len(lines)


def test_validate_command_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "procedures.jsonl"
    good = procedure("1", channels=(CHANNEL,), documents=(DOCUMENT,))
    path.write_text(json.dumps(good.to_dict(), ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    assert "channel rows parsed for 100.0%" in capsys.readouterr().out
    bad = procedure("2", ("channels: unparsed row 'x'",))
    path.write_text(json.dumps(bad.to_dict(), ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 1
