"""Vietnamese normalisation: literal input → output pairs."""

from __future__ import annotations

import time
import unicodedata

import pytest

from knowledge.text import (
    expand_abbreviations,
    expand_with_offsets,
    has_diacritics,
    normalize,
    normalize_with_offsets,
    strip_diacritics,
    syllables,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đăng Ký  Khai Sinh", "đăng ký khai sinh"),
        ("lam ho chieu het bao nhieu tien", "lam ho chieu het bao nhieu tien"),
        ("Hoá đơn", "hóa đơn"),
        ("THUỶ LỢI", "thủy lợi"),
        ("khoẻ", "khỏe"),
        ("Uỷ ban nhân dân", "ủy ban nhân dân"),
        ("quý khách", "quý khách"),  # qu + y: the tone stays on y
        ("hoàng", "hoàng"),  # closed syllable: the tone stays on the last vowel
        ("ngoài", "ngoài"),
        ("khuỷu tay", "khuỷu tay"),
        ("baì tập", "bài tập"),  # misplaced tone
        ("gìn giữ", "gìn giữ"),
        ("Đăng ký 👶🏻 khai sinh\u200b!!", "đăng ký khai sinh!!"),
        ("dòng 1\n\tdòng 2\x00", "dòng 1 dòng 2"),
        ("", ""),
        ("😀🎉", ""),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_normalize_nfd_equals_nfc() -> None:
    text = "Đăng ký hộ chiếu, thẻ căn cước, giấy phép lái xe"
    assert normalize(unicodedata.normalize("NFD", text)) == normalize(text) == text.lower()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đăng ký hộ chiếu", "Dang ky ho chieu"),
        ("đường thủy nội địa", "duong thuy noi dia"),
        (unicodedata.normalize("NFD", "Thừa Thiên Huế"), "Thua Thien Hue"),
        ("plain ascii", "plain ascii"),
    ],
)
def test_strip_diacritics(text: str, expected: str) -> None:
    assert strip_diacritics(text) == expected


def test_has_diacritics() -> None:
    assert has_diacritics("hộ chiếu")
    assert not has_diacritics("ho chieu")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lam cccd het bn tien", "lam căn cước công dân het bao nhiêu tien"),
        ("doi gplx can giay to j", "doi giấy phép lái xe can giay to gì"),
        ("đk tạm trú online dc ko", "đăng ký tạm trú online được không"),
        ("mk muốn nhập hk", "mình muốn nhập hộ khẩu"),
        ("xin lltp và mst", "xin lý lịch tư pháp và mã số thuế"),
        ("làm ntn vs ubnd", "làm như thế nào với ủy ban nhân dân"),
        ("được ko.", "được không."),
        ("phí 50 k thôi", "phí 50 k thôi"),  # k after a number is a unit, not không
        ("8 h sáng", "8 h sáng"),
        ("kho khăn", "kho khăn"),  # only whole words
        ("hok bít", "không biết"),
    ],
)
def test_expand_abbreviations(text: str, expected: str) -> None:
    assert expand_abbreviations(text) == expected


def test_expand_domain_only_leaves_chat_words() -> None:
    assert expand_abbreviations("cấp lại thẻ bhyt ko", domain_only=True) == "cấp lại thẻ bảo hiểm y tế ko"


def test_syllables() -> None:
    assert syllables("Làm hộ chiếu, hết bao nhiêu tiền?") == [
        "làm",
        "hộ",
        "chiếu",
        "hết",
        "bao",
        "nhiêu",
        "tiền",
    ]
    assert syllables("") == []


@pytest.mark.parametrize(
    "text",
    [
        "Đăng  ký KHAI sinh 👶🏻 cho con\u200b!!",
        unicodedata.normalize("NFD", "Thủ tục đăng ký kết hôn thuỷ"),
        "  \t leading and trailing \n ",
        "😀",
        "İstanbul ﬁle",  # lower() and ligatures that change length
    ],
)
def test_offsets_agree_with_normalize(text: str) -> None:
    normalized = normalize_with_offsets(text)
    assert str(normalized) == normalize(text)
    assert len(normalized.spans) == len(normalized)
    for i, (start, end) in enumerate(normalized.spans):
        assert 0 <= start < end <= len(text)
        original = unicodedata.normalize("NFC", text[start:end]).lower()
        assert strip_diacritics(normalized[i]) in strip_diacritics(original) or normalized[i] == " "


def test_offsets_point_into_the_original() -> None:
    text = unicodedata.normalize("NFD", "Tôi ở Bình Định")
    normalized = normalize_with_offsets(text)
    start = normalized.index("bình định")
    span = normalized.original_span(start, start + len("bình định"))
    assert unicodedata.normalize("NFC", text[span[0] : span[1]]) == "Bình Định"


def test_expansion_offsets_cover_the_abbreviation() -> None:
    text = "Làm CCCD hết bn tiền"
    expanded = expand_with_offsets(normalize_with_offsets(text))
    assert str(expanded) == "làm căn cước công dân hết bao nhiêu tiền"
    start = expanded.index("căn cước công dân")
    span = expanded.original_span(start, start + len("căn cước công dân"))
    assert text[span[0] : span[1]] == "CCCD"
    start = expanded.index("tiền")
    assert text[slice(*expanded.original_span(start, start + 4))] == "tiền"


def test_long_text_is_fast() -> None:
    text = "Tôi muốn làm hộ chiếu 😀 hết bn tiền ạ? " * 250  # 10,000 characters
    started = time.perf_counter()
    normalized = normalize(text)
    expanded = expand_abbreviations(normalized)
    with_offsets = normalize_with_offsets(text)
    elapsed = time.perf_counter() - started
    assert str(with_offsets) == normalized
    assert "bao nhiêu" in expanded
    assert elapsed < 1.0
