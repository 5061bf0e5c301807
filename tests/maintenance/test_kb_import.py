"""kb import of procedures exported from the portal, then kb diff: on a copy of the knowledge base."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from knowledge import paths
from knowledge.base import read_procedures
from maintenance import kb_history
from maintenance.cli import app
from maintenance.settings import Settings
from tests.maintenance.conftest import EXAMPLE, KnowledgeCopy

runner = CliRunner()


def _fees(procedures: Path, code: str) -> dict[str, int | None]:
    (procedure,) = [p for p in read_procedures(procedures) if p.code == code]
    return {c.label: c.fee.amount if c.fee else None for c in procedure.channels}


def _snapshot_record(snapshot: Path, code: str) -> dict:
    with gzip.open(snapshot, "rt", encoding="utf-8") as lines:
        return next(r for r in map(json.loads, lines) if r["ma_thu_tuc"] == code)


def test_import_of_two_changed_records_gives_the_right_diff(knowledge_copy: KnowledgeCopy) -> None:
    before = read_procedures(knowledge_copy.procedures)
    imported = runner.invoke(app, ["kb", "import", "--procedure", str(EXAMPLE), "--snapshot-date", "2026-08"])
    assert imported.exit_code == 0, imported.output
    assert "0 thủ tục mới, 0 thủ tục bị bỏ, 2 thủ tục thay đổi." in imported.output

    shown = runner.invoke(app, ["kb", "diff"])
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    fee = lines.index("1.001456  Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại cấp tỉnh)")
    assert lines[fee + 1] == "  Lệ phí (Trực tiếp): 200.000 đồng → 250.000 đồng"
    assert lines[fee + 2 : fee + 3] in ([], [""])  # the online and post fees did not change
    document = lines.index("1.001193  Thủ tục đăng ký khai sinh")
    assert lines[document + 1] == (
        "  Giấy tờ (thêm): (không có) → Bản sao Giấy chứng nhận kết hôn của cha, mẹ trẻ"
        " (nếu cha, mẹ đã đăng ký kết hôn). (1 bản sao)"
    )
    assert lines[document + 2] == ""

    after = read_procedures(knowledge_copy.procedures)
    assert len(after) == len(before)
    assert _fees(knowledge_copy.procedures, "1.001456")["Trực tiếp"] == 250000
    assert {p.code: p for p in after}["1.001456"].snapshot_date == "2026-08"
    untouched = [p for p in after if p.code not in ("1.001456", "1.001193")]
    assert untouched == [p for p in before if p.code not in ("1.001456", "1.001193")]
    assert {p.code for p in after} == {p.code for p in before}
    # The stored snapshot holds the exported records, so a later full import keeps them.
    record = _snapshot_record(knowledge_copy.snapshot, "1.001456")
    assert "250,000 Việt Nam Đồng" in record["cach_thuc_thuc_hien"]


def test_a_git_revision_of_the_committed_knowledge_base_is_read() -> None:
    committed = kb_history.at_revision(Settings(procedures=paths.PROCEDURES), "HEAD")
    assert {p.code for p in committed} == {p.code for p in read_procedures(paths.PROCEDURES)}
    with pytest.raises(ValueError, match="no-such-revision"):
        kb_history.at_revision(Settings(procedures=paths.PROCEDURES), "no-such-revision")


def test_diff_refuses_what_it_cannot_compare(knowledge_copy: KnowledgeCopy) -> None:
    runner.invoke(app, ["kb", "import", "--procedure", str(EXAMPLE)])
    shown = runner.invoke(app, ["kb", "diff", "--previous", str(knowledge_copy.directory / "none.jsonl")])
    assert shown.exit_code != 0  # a missing file is an error, not an empty diff
    # The copy lives outside the repository: --against names the reason instead of guessing.
    against = runner.invoke(app, ["kb", "diff", "--against", "HEAD"])
    assert against.exit_code == 1
    assert "not inside the repository" in against.output


def test_a_bad_export_changes_nothing_and_says_why(knowledge_copy: KnowledgeCopy, tmp_path: Path) -> None:
    original = knowledge_copy.procedures.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"ten_thu_tuc": "Thủ tục không mã"}, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["kb", "import", "--procedure", str(bad)])
    assert result.exit_code == 1
    assert "nothing imported" in result.output and "ma_thu_tuc" in result.output
    assert knowledge_copy.procedures.read_bytes() == original

    both = runner.invoke(app, ["kb", "import"])
    assert both.exit_code == 1 and "--snapshot FILE or --procedure FILE" in both.output


def test_one_record_as_a_json_object(knowledge_copy: KnowledgeCopy, tmp_path: Path) -> None:
    record = json.loads(EXAMPLE.read_text(encoding="utf-8").splitlines()[1])
    assert record["ma_thu_tuc"] == "1.001456"
    single = tmp_path / "1.001456.json"
    single.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    result = runner.invoke(app, ["kb", "import", "--procedure", str(single)])
    assert result.exit_code == 0, result.output
    assert "1 thủ tục thay đổi" in result.output
    assert _fees(knowledge_copy.procedures, "1.001456") == {
        "Trực tuyến": 160000,
        "Dịch vụ bưu chính": 160000,
        "Trực tiếp": 250000,
    }


def test_a_whole_snapshot_import_reports_what_changed(knowledge_copy: KnowledgeCopy, tmp_path: Path) -> None:
    snapshot = tmp_path / "new.jsonl.gz"
    exported = {
        json.loads(line)["ma_thu_tuc"]: line for line in EXAMPLE.read_text(encoding="utf-8").splitlines()
    }
    with (
        gzip.open(knowledge_copy.snapshot, "rt", encoding="utf-8") as old,
        gzip.open(snapshot, "wt", encoding="utf-8") as new,
    ):
        for line in old:
            code = json.loads(line)["ma_thu_tuc"]
            if code != "1.000005":  # one procedure dropped by the portal
                new.write(exported.get(code, line.rstrip("\n")) + "\n")
    result = runner.invoke(app, ["kb", "import", "--snapshot", str(snapshot)])
    assert result.exit_code == 0, result.output
    assert "0 thủ tục mới, 1 thủ tục bị bỏ, 2 thủ tục thay đổi." in result.output
    assert "  1.000005  " in result.output
    assert knowledge_copy.snapshot.read_bytes() == snapshot.read_bytes()


def test_validate_reports_on_the_copy(knowledge_copy: KnowledgeCopy) -> None:
    result = runner.invoke(app, ["kb", "validate"])
    assert "2642 procedures" in result.output
    assert result.exit_code == 0, result.output[-500:]
