"""ProvinceExtractor: a province named old or new is given as one of the 34 provinces since 1 July 2025.

(Named test_province_extractor.py: tests/knowledge/test_province.py exists and test directories have no
__init__.py, so two test_province.py files would clash in one pytest run.)
"""

from __future__ import annotations

import unicodedata

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.province import ProvinceExtractor


def provinces(text: str) -> list[dict]:
    message = Message(data={"text": text})
    ProvinceExtractor({}).process([message])
    return [e for e in message.get("entities") or [] if e["entity"] == "province"]


@pytest.mark.parametrize(
    ("text", "value", "mentioned", "matched"),
    [
        ("tôi ở Bình Định", "Gia Lai", "Bình Định", "Bình Định"),  # merged into Gia Lai
        ("toi o binh dinh", "Gia Lai", "binh dinh", "Bình Định"),
        ("tp hcm", "Hồ Chí Minh", "tp hcm", "Hồ Chí Minh"),
        ("Tôi ở tp hcm muốn làm hộ chiếu", "Hồ Chí Minh", "tp hcm", "Hồ Chí Minh"),
        ("tôi ở Hà Nội", "Hà Nội", "Hà Nội", "Hà Nội"),
    ],
)
def test_province_value_and_span(text: str, value: str, mentioned: str, matched: str) -> None:
    [entity] = provinces(text)
    assert entity["value"] == value
    assert entity["matched"] == matched
    assert text[entity["start"] : entity["end"]] == mentioned
    assert entity["extractor"] == "ProvinceExtractor"


def test_span_into_nfd_text() -> None:
    text = unicodedata.normalize("NFD", "tôi ở Bình Định")
    [entity] = provinces(text)
    assert entity["value"] == "Gia Lai"
    assert unicodedata.normalize("NFC", text[entity["start"] : entity["end"]]) == "Bình Định"


@pytest.mark.parametrize("text", ["làm hộ chiếu hết bao nhiêu tiền", "xin chào", "", "😀"])
def test_no_province_no_entity(text: str) -> None:
    assert provinces(text) == []
