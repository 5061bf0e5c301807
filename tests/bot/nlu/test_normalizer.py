"""normalize_message and the VietnameseNormalizer component: literal input → output pairs."""

from __future__ import annotations

import unicodedata

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.normalizer import (
    NORMALIZED_SPANS,
    NORMALIZED_TEXT,
    VietnameseNormalizer,
    normalize_message,
    normalized_of,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Làm CCCD hết bn tiền?", "làm căn cước công dân hết bao nhiêu tiền?"),
        ("lam cccd het bn tien", "lam căn cước công dân het bao nhiêu tien"),
        ("Đăng ký khai sinh cho con", "đăng ký khai sinh cho con"),
        ("Thuỷ hoá", "thủy hóa"),  # old tone placement → the one the knowledge base uses
        ("THUỶ HOÁ", "thủy hóa"),
        ("ko dc mik", "không được mình"),
        ("mik muốn làm hộ chiếu ko dc à", "mình muốn làm hộ chiếu không được à"),
        ("làm hộ chiếu hết 200k", "làm hộ chiếu hết 200k"),  # k after a number is a unit, not "không"
        ("  Xin   chào\tbạn  ", "xin chào bạn"),
        ("Tôi ở Bình Định 😀 muốn làm hộ chiếu", "tôi ở bình định muốn làm hộ chiếu"),
        ("😀🙏", ""),
        ("", ""),
    ],
)
def test_normalize_message(text: str, expected: str) -> None:
    assert str(normalize_message(text)) == expected


def test_nfd_input_normalises_like_nfc() -> None:
    text = "Làm hộ chiếu cần giấy tờ gì?"
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    assert str(normalize_message(nfd)) == "làm hộ chiếu cần giấy tờ gì?"


def test_spans_point_back_into_the_original_text() -> None:
    text = "Làm CCCD hết bn tiền?"
    normalized = normalize_message(text)
    assert len(normalized.spans) == len(normalized)
    expanded = str(normalized).index("căn cước công dân")
    start, end = normalized.original_span(expanded, expanded + len("căn cước công dân"))
    assert text[start:end] == "CCCD"
    at = str(normalized).index("bao nhiêu")
    start, end = normalized.original_span(at, at + len("bao nhiêu"))
    assert text[start:end] == "bn"
    at = str(normalized).index("tiền")
    assert text[slice(*normalized.original_span(at, at + 4))] == "tiền"


def test_spans_into_nfd_text() -> None:
    nfd = unicodedata.normalize("NFD", "Thuỷ hoá")
    normalized = normalize_message(nfd)
    assert str(normalized) == "thủy hóa"
    assert nfd[slice(*normalized.original_span(0, 4))] == unicodedata.normalize("NFD", "Thuỷ")
    assert nfd[slice(*normalized.original_span(5, 8))] == unicodedata.normalize("NFD", "hoá")


def test_long_text_does_not_fail() -> None:
    text = ("làm hộ chiếu hết bn tiền 😀 " * 400)[:10_000]
    normalized = normalize_message(text)
    assert normalized.startswith("làm hộ chiếu hết bao nhiêu tiền làm")
    assert len(normalized.spans) == len(normalized)
    assert all(0 <= start < end <= len(text) for start, end in normalized.spans)


def test_component_stores_normalised_text_and_spans() -> None:
    message = Message(data={"text": "Làm CCCD hết bn tiền?"})
    VietnameseNormalizer().process([message])
    assert message.get(NORMALIZED_TEXT) == "làm căn cước công dân hết bao nhiêu tiền?"
    spans = message.get(NORMALIZED_SPANS)
    assert len(spans) == len(message.get(NORMALIZED_TEXT))
    assert spans[:5] == [[0, 1], [1, 2], [2, 3], [3, 4], [4, 8]]
    # What the component stored is what the tokenizer and the linker read back.
    restored = normalized_of(message)
    assert str(restored) == "làm căn cước công dân hết bao nhiêu tiền?"
    assert restored.original == "Làm CCCD hết bn tiền?"


def test_component_leaves_messages_without_text_alone() -> None:
    message = Message(data={"intent": "greet"})
    VietnameseNormalizer().process([message])
    assert message.get(NORMALIZED_TEXT) is None
