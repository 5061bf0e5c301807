"""Legal basis rows parsed from real snapshot records."""

from __future__ import annotations

import gzip
import json
from functools import lru_cache

import pytest

from knowledge import paths
from knowledge.model import LegalDoc
from knowledge.parsing.legal_basis import parse_legal_basis


@lru_cache(maxsize=1)
def records() -> dict[str, dict[str, str]]:
    with gzip.open(paths.SNAPSHOT, "rt", encoding="utf-8") as lines:
        return {r["ma_thu_tuc"]: r for r in map(json.loads, lines)}


def legal_basis_of(code: str):
    return parse_legal_basis(records()[code]["can_cu_phap_ly"])


def test_passport_legal_basis() -> None:
    parsed = legal_basis_of("1.001456")
    assert parsed.issues == ()
    assert [d.number for d in parsed.values] == [
        "23/2023/QH15",
        "25/2021/TT-BTC",
        "44/2023/TT-BTC",
        "31/2023/TT-BCA",
        "110/2020/TT-BCA",
        "49/2019/QH14",
    ]
    assert parsed.values[0].title.endswith("tại Việt Nam sửa đổi 2023")
    assert parsed.values[4] == LegalDoc("Thông tư 110/2020/TT-BCA", "110/2020/TT-BCA")
    assert parsed.values[5] == LegalDoc("Luật 49/2019/QH14", "49/2019/QH14")
    # "… năm 2023" + "44/2023/TT-BTC": the year stays in the title.
    assert parsed.values[2].title.endswith("đến hết ngày 31 tháng 12 năm 2023")


def test_decimal_number_and_number_cited_mid_title() -> None:
    parsed = legal_basis_of("1.004222")
    assert parsed.values[0] == LegalDoc(
        "Nghị quyết số 66.7/2025/NQ-CP của Chính phủ: Quy định cắt giảm, đơn giản hóa thủ tục hành chính"
        " dựa trên dữ liệu",
        "66.7/2025/NQ-CP",
    )
    assert parsed.values[1].title.startswith("Thông tư số 53/2025/TT-BCAngày 01/7/2025")
    assert parsed.values[1].number == "53/2025/TT-BCA"


def test_kind_word_glued_to_the_title_goes() -> None:
    parsed = legal_basis_of("1.000253")
    assert parsed.values[0] == LegalDoc(
        "Luật Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài tại Việt Nam", "47/2014/QH13"
    )


def test_code_with_lower_case_and_slashes() -> None:
    numbers = [d.number for d in legal_basis_of("1.001280").values]
    assert "46/2005/TTLT/BQP-BKHĐT-BTC-BLĐTBXH" in numbers


@pytest.mark.parametrize("source", ["", None, "Không có thông tin", "Tên văn bản pháp lýMã văn bản"])
def test_empty_source_gives_nothing(source: str | None) -> None:
    assert parse_legal_basis(source).values == ()
    assert parse_legal_basis(source).issues == ()


@pytest.mark.parametrize("source", ["garbage", "Tên văn bản pháp lýMã văn bảnLuật không số"])
def test_garbage_gives_an_issue_not_an_exception(source: str) -> None:
    parsed = parse_legal_basis(source)
    assert parsed.values == ()
    assert parsed.issues[0].startswith("legal_basis: unparsed")
