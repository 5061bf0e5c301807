"""ProcedureLinker on real messages against the real knowledge base."""

from __future__ import annotations

import unicodedata

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.normalizer import VietnameseNormalizer
from bot.nlu.procedure_linker import ProcedureLinker
from knowledge.base import load
from knowledge.text import strip_diacritics

LINKER = ProcedureLinker({"min_score": ProcedureLinker.get_default_config()["min_score"]})


def linked(text: str) -> list[dict]:
    message = Message(data={"text": text})
    VietnameseNormalizer().process([message])
    LINKER.process([message])
    return [e for e in message.get("entities") or [] if e["entity"] == "procedure"]


def vocabulary(code: str) -> set[str]:
    procedure = load()[code]
    names = " ".join((procedure.name, procedure.short_name, *procedure.everyday_names))
    return set(strip_diacritics(names).lower().replace("(", " ").replace(")", " ").replace(",", " ").split())


@pytest.mark.parametrize(
    ("text", "code", "mention"),
    [
        ("làm hộ chiếu hết bao nhiêu tiền", "1.001456", "hộ chiếu"),
        ("lam ho chieu het bao nhieu tien", "1.001456", "ho chieu"),
        ("Làm hộ chiếu cần giấy tờ gì?", "1.001456", "hộ chiếu"),
        ("Làm CCCD hết bn tiền?", "1.014061", "CCCD"),
        ("đổi bằng lái xe hết bao nhiêu", "3.000347", "đổi bằng lái xe"),
        ("đăng ký thường trú", "1.004222", "đăng ký thường trú"),
        ("tách thửa hết bao nhiêu tiền", "1.012784", "tách thửa"),
    ],
)
def test_links_the_procedure_with_its_mention(text: str, code: str, mention: str) -> None:
    [entity] = linked(text)
    assert entity["value"] == code
    assert text[entity["start"] : entity["end"]] == mention
    assert entity["confidence"] >= LINKER._config["min_score"]


def test_entity_dict() -> None:
    text = "làm hộ chiếu hết bao nhiêu tiền"
    [entity] = linked(text)
    keys = {"entity", "value", "start", "end", "confidence", "candidates", "too_close", "extractor"}
    assert set(entity) == keys
    assert entity["extractor"] == "ProcedureLinker"
    assert entity["too_close"] is False
    candidates = entity["candidates"]
    assert candidates[0] == "1.001456"
    assert 1 <= len(candidates) <= 3 and len(set(candidates)) == len(candidates)
    assert all(code in load() for code in candidates)
    # every word of the span is a word of the procedure's names
    words = strip_diacritics(text[entity["start"] : entity["end"]]).lower().split()
    assert words and set(words) <= vocabulary("1.001456")


def test_span_into_nfd_text() -> None:
    text = unicodedata.normalize("NFD", "Làm hộ chiếu hết bao nhiêu tiền")
    [entity] = linked(text)
    assert entity["value"] == "1.001456"
    assert unicodedata.normalize("NFC", text[entity["start"] : entity["end"]]) == "hộ chiếu"


def test_an_application_code_is_not_part_of_a_procedure_mention() -> None:
    text = "hồ sơ 000.00.17.H12-251120-0042 đến đâu rồi"
    for entity in linked(text):
        assert entity["start"] >= 31 or entity["end"] <= 6


@pytest.mark.parametrize("text", ["ok", "có", "", "😀", "123"])
def test_no_procedure(text: str) -> None:
    assert linked(text) == []


# Chit-chat shares a rare syllable with some procedure ("chào" / "Đăng ký chào mua công khai"); one shared
# word is not evidence enough, even without the intent that would mark it as small talk.
@pytest.mark.parametrize("text", ["xin chào", "đúng thế", "không phải đâu"])
def test_chit_chat_links_no_procedure(text: str) -> None:
    assert linked(text) == []
