"""Document lists parsed from real snapshot records."""

from __future__ import annotations

import gzip
import json
from functools import lru_cache

import pytest

from knowledge import paths
from knowledge.parsing.documents import parse_documents


@lru_cache(maxsize=1)
def records() -> dict[str, dict[str, str]]:
    with gzip.open(paths.SNAPSHOT, "rt", encoding="utf-8") as lines:
        return {r["ma_thu_tuc"]: r for r in map(json.loads, lines)}


def documents_of(code: str):
    return parse_documents(records()[code]["thanh_phan_ho_so"])


def test_passport_documents_quantities_and_form() -> None:
    parsed = documents_of("1.001456")
    assert parsed.issues == ()
    first, second = parsed.values[:2]
    assert first.name.startswith("Bản sao giấy tờ do cơ quan có thẩm quyền của Việt Nam cấp")
    assert (first.originals, first.copies) == (1, 1)
    assert second.form == "Mau TK01a to khai trẻ em cap HCPT ở trong nước TK01a MỚI.doc"
    assert second.name.endswith("người đại diện hợp pháp khai và ký thay.")
    assert (second.originals, second.copies) == (1, 0)
    assert first.group == ""


def test_birth_registration_groups() -> None:
    parsed = documents_of("1.001193")
    groups = [d.group for d in parsed.values]
    assert groups[0] == "Giấy tờ phải nộp:"
    assert "Giấy tờ phải xuất trình:" in groups
    assert parsed.values[0].name == (
        "Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập."
    )


def test_copy_only_quantity() -> None:
    parsed = documents_of("1.000469")
    assert [(d.originals, d.copies) for d in parsed.values] == [(1, 0), (1, 1), (1, 1)]
    assert parsed.values[0].form == "maudondenghi_BCC (1).doc"
    assert parsed.values[0].group == "a) Thành phần hồ sơ:"


def test_certified_copy_single_document() -> None:
    parsed = documents_of("2.000815")
    assert len(parsed.values) == 1
    assert parsed.values[0].name.startswith("Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao")
    assert (parsed.values[0].originals, parsed.values[0].copies) == (1, 0)


def test_quantity_words_inside_a_name_do_not_end_the_row() -> None:
    # "…: 01 bản chính" belongs to the name; the cell that follows it is the quantity.
    parsed = documents_of("1.007659")
    assert not any(i.startswith("documents: row without") for i in parsed.issues)
    assert any(d.name.endswith(": 01 bản chính") for d in parsed.values)


@pytest.mark.parametrize("source", ["", None, "Không có thông tin", "--"])
def test_empty_source_gives_nothing(source: str | None) -> None:
    assert parse_documents(source).values == ()
    assert parse_documents(source).issues == ()


@pytest.mark.parametrize("source", ["garbage", "Tên giấy tờMẫu đơn, tờ khaiSố lượngno quantity here"])
def test_garbage_gives_an_issue_not_an_exception(source: str) -> None:
    parsed = parse_documents(source)
    assert parsed.values == ()
    assert parsed.issues[0].startswith("documents: unparsed")
