"""The importer on real records: parsed fields, agency rewrite, issues and deterministic output."""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path

from knowledge import paths
from knowledge.base import read_procedures
from knowledge.importer import import_snapshot, to_procedure, write_procedures
from knowledge.parsing.agency import modern_agency

CODES = ("1.001456", "1.001193", "1.004222", "1.001521", "1.000894", "3.000347")


@lru_cache(maxsize=1)
def records() -> dict[str, dict[str, str]]:
    with gzip.open(paths.SNAPSHOT, "rt", encoding="utf-8") as lines:
        return {r["ma_thu_tuc"]: r for r in map(json.loads, lines)}


def small_snapshot(tmp_path: Path) -> Path:
    path = tmp_path / "snapshot.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for code in reversed(CODES):
            out.write(json.dumps(records()[code], ensure_ascii=False) + "\n")
    return path


def test_passport_procedure() -> None:
    procedure = to_procedure(records()["1.001456"], "2026-07")
    assert procedure.agency == "Công an cấp tỉnh"
    assert procedure.agency_source == "Công an cấp Tỉnh"
    assert len(procedure.channels) == 3
    assert procedure.steps[0] == "Chuẩn bị hồ sơ theo quy định của pháp luật."
    assert procedure.result == (
        "Hộ chiếu phổ thông không gắn chíp điện tử hoặc hộ chiếu phổ thông có gắn chíp điện tử."
    )
    assert procedure.conditions == ()
    assert procedure.related == ""
    assert procedure.issues == ()


def test_several_results_lose_their_codes_and_page_furniture() -> None:
    record = dict(records()["1.001456"])
    record["ket_qua_xu_ly"] = (
        "Văn bản xác nhậnMã: KQ.G19.000185Văn bản từ chốiMã: KQ.G19.000379Từ khóaKhông có thông tin"
        "Mô tảKhông có thông tinChọn cơ quan thực hiệnTỉnh/ Thành phốNộp hồ sơ"
    )
    assert to_procedure(record, "2026-07").result == "Văn bản xác nhận\nVăn bản từ chối"


def test_district_level_is_rewritten_and_reported() -> None:
    procedure = to_procedure(records()["1.001521"], "2026-07")
    assert procedure.agency_source == "Bảo hiểm xã hội cấp Tỉnh, Bảo hiểm xã hội cấp huyện"
    assert procedure.agency == "Bảo hiểm xã hội cấp tỉnh"
    assert any(i.startswith("agency: source names bodies abolished") for i in procedure.issues)


def test_township_is_dropped_from_commune_agency() -> None:
    procedure = to_procedure(records()["1.000894"], "2026-07")
    assert procedure.agency_source == "Ủy ban Nhân dân xã, phường, thị trấn."
    assert procedure.agency == "Ủy ban nhân dân xã, phường"


def test_district_rewrite_follows_the_levels() -> None:
    assert modern_agency("UBND cấp huyện", ["Cấp xã"])[0] == "UBND cấp xã"
    assert modern_agency("UBND cấp huyện", ["Cấp tỉnh"])[0] == "UBND cấp tỉnh"
    assert modern_agency("Công an huyện", ["Cấp tỉnh", "Cấp xã"])[0] == "Công an cấp xã"
    assert modern_agency("Chủ tịch ủy ban nhân dân cấp tỉnh", ["Cấp tỉnh"]) == (
        "Chủ tịch Ủy ban nhân dân cấp tỉnh",
        (),
    )


def test_bad_record_gives_issues_not_exceptions() -> None:
    record = {
        "ma_thu_tuc": "9.999999",
        "cach_thuc_thuc_hien": "garbage",
        "thanh_phan_ho_so": "more garbage",
        "can_cu_phap_ly": "Không có thông tin",
        "ket_qua_xu_ly": "",
    }
    procedure = to_procedure(record, "2026-07")
    assert procedure.channels == () and procedure.documents == () and procedure.legal_basis == ()
    assert procedure.issues == (
        "channels: unparsed text 'garbage' (no table header)",
        "documents: unparsed text 'more garbage' (no table header)",
    )


def test_import_is_sorted_and_byte_identical(tmp_path: Path) -> None:
    snapshot = small_snapshot(tmp_path)
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_procedures(import_snapshot(snapshot, "2026-07"), first)
    write_procedures(import_snapshot(snapshot, "2026-07"), second)
    assert first.read_bytes() == second.read_bytes()
    procedures = read_procedures(first)
    assert [p.code for p in procedures] == sorted(CODES)
    assert procedures == import_snapshot(snapshot, "2026-07")  # round trip through from_dict
