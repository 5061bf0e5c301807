"""Province resolution: old and new names, everyday forms, and mentions inside messages."""

from __future__ import annotations

import csv
import unicodedata

import pytest

from knowledge import paths
from knowledge.province import find_province, resolve_province


@pytest.mark.parametrize(
    ("text", "name", "matched", "was_merged"),
    [
        ("Bình Định", "Gia Lai", "Bình Định", True),
        ("binh dinh", "Gia Lai", "Bình Định", True),
        ("tỉnh Bình Định", "Gia Lai", "Bình Định", True),
        ("tinh binh dinh", "Gia Lai", "Bình Định", True),
        ("Gia Lai", "Gia Lai", "Gia Lai", False),
        ("tp hcm", "Hồ Chí Minh", "Hồ Chí Minh", False),
        ("TPHCM", "Hồ Chí Minh", "Hồ Chí Minh", False),
        ("TP. Hồ Chí Minh", "Hồ Chí Minh", "Hồ Chí Minh", False),
        ("Thành phố Hồ Chí Minh", "Hồ Chí Minh", "Hồ Chí Minh", False),
        ("hcm", "Hồ Chí Minh", "Hồ Chí Minh", False),
        ("Sài Gòn", "Hồ Chí Minh", "Hồ Chí Minh", False),
        ("sg", "Hồ Chí Minh", "Hồ Chí Minh", False),
        ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh", "Bà Rịa - Vũng Tàu", True),
        ("vung tau", "Hồ Chí Minh", "Bà Rịa - Vũng Tàu", True),
        ("hn", "Hà Nội", "Hà Nội", False),
        ("Ha Noi", "Hà Nội", "Hà Nội", False),
        ("thừa thiên huế", "Huế", "Huế", False),
        ("hue", "Huế", "Huế", False),
        ("tp đà nẵng", "Đà Nẵng", "Đà Nẵng", False),
        ("Quảng Nam", "Đà Nẵng", "Quảng Nam", True),
        ("Hoà Bình", "Phú Thọ", "Hòa Bình", True),  # old tone placement
        ("daklak", "Đắk Lắk", "Đắk Lắk", False),
        ("Phú Yên", "Đắk Lắk", "Phú Yên", True),
        ("Kiên Giang", "An Giang", "Kiên Giang", True),
    ],
)
def test_resolve(text: str, name: str, matched: str, was_merged: bool) -> None:
    province = resolve_province(text)
    assert province is not None
    assert (province.name, province.matched, province.was_merged) == (name, matched, was_merged)


@pytest.mark.parametrize("text", ["", "   ", "abc", "Huệ", "dn", "Paris", "😀"])
def test_resolve_nothing(text: str) -> None:
    assert resolve_province(text) is None


def test_every_csv_name_resolves() -> None:
    with paths.PROVINCES.open(encoding="utf-8") as rows:
        table = list(csv.DictReader(rows))
    assert len(table) == 63
    assert len({row["new_province"] for row in table}) == 34
    for row in table:
        for written in (row["old_province"], unicodedata.normalize("NFD", row["old_province"])):
            province = resolve_province(written)
            assert province is not None, written
            assert province.name == row["new_province"]


@pytest.mark.parametrize(
    ("message", "name", "span_text"),
    [
        ("tôi ở Bình Định muốn làm hộ chiếu", "Gia Lai", "Bình Định"),
        ("toi o binh dinh muon lam ho chieu", "Gia Lai", "binh dinh"),
        ("em ở Thừa Thiên - Huế ạ", "Huế", "Thừa Thiên - Huế"),
        ("nhà mình ở tp. Đà Nẵng", "Đà Nẵng", "tp. Đà Nẵng"),
        ("toi song o tp hcm", "Hồ Chí Minh", "tp hcm"),
        ("mình ở sg", "Hồ Chí Minh", "sg"),
        ("cô Huệ ở hà nội", "Hà Nội", "hà nội"),
        ("lên tp ct làm giấy tờ", "Cần Thơ", "tp ct"),
    ],
)
def test_find_in_message(message: str, name: str, span_text: str) -> None:
    mention = find_province(message)
    assert mention is not None
    assert mention.province.name == name
    assert message[mention.start : mention.end] == span_text == mention.text


def test_find_span_in_nfd_message() -> None:
    message = unicodedata.normalize("NFD", "Tôi ở Bình Định")
    mention = find_province(message)
    assert mention is not None
    assert unicodedata.normalize("NFC", message[mention.start : mention.end]) == "Bình Định"


@pytest.mark.parametrize(
    "message",
    [
        "không an toàn chút nào",  # "long an" must not match inside "không an"
        "giá lại tăng rồi",  # "gia lai" with other diacritics
        "lên ct làm",  # "ct" alone is too ambiguous
        "hộ chiếu hết hạn",
        "",
        "😀" * 50,
    ],
)
def test_find_nothing(message: str) -> None:
    assert find_province(message) is None
