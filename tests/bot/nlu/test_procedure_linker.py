"""ProcedureLinker on real messages against the real knowledge base."""

from __future__ import annotations

import unicodedata

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.normalizer import VietnameseNormalizer
from bot.nlu.procedure_linker import ProcedureLinker
from knowledge.base import load
from knowledge.search import default_ranker, search
from knowledge.text import strip_diacritics

LINKER = ProcedureLinker(ProcedureLinker.get_default_config())


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
    assert entity["confidence"] >= default_ranker().link_threshold  # the ranker's probability


def test_entity_dict() -> None:
    text = "làm hộ chiếu hết bao nhiêu tiền"
    [entity] = linked(text)
    keys = {"entity", "value", "start", "end", "confidence", "candidates", "too_close", "named", "extractor"}
    assert set(entity) == keys
    assert entity["named"] is True  # "hộ chiếu" is written out
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


# Chit-chat shares a rare syllable with some procedure ("chào" / "Đăng ký chào mua công khai"); the
# ranker's "no procedure" option takes it, even without the intent that would mark it as small talk.
@pytest.mark.parametrize("text", ["xin chào", "đúng thế", "không phải đâu"])
def test_chit_chat_links_no_procedure(text: str) -> None:
    assert linked(text) == []


def linked_as(text: str, intent: str) -> list[dict]:
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": 1.0}})
    VietnameseNormalizer().process([message])
    LINKER.process([message])
    return [e for e in message.get("entities") or [] if e["entity"] == "procedure"]


# With diacritics "thẻ" and "căn" are a name's words, not "thế" and "cần"; "mất" here is losing, not cost.
def test_accented_words_that_look_like_question_words_are_evidence() -> None:
    [entity] = linked("em làm mất thẻ căn cước rồi làm lại cần gì")
    assert entity["value"] == "1.014064"


# A story before the question: the procedure is still linked, from the whole message.
def test_a_long_message_links_its_procedure() -> None:
    text = (
        "Nhà em ở Hà Tây cũ, vợ em mới sinh bé được 2 tuần. "
        "Giờ em muốn làm giấy khai sinh cho bé thì cần mang gì ạ?"
    )
    [entity] = linked(text)
    assert entity["value"] == "1.001193"


def test_a_follow_up_that_names_no_procedure_links_none() -> None:
    for text in ("theo nghị định nào", "thế nộp ở đâu", "mất bao lâu vậy ad", "có làm trên vneid được không"):
        assert linked_as(text, "ask_legal_basis") == [], text


# An everyday name with a word slipped in ("đăng ký xe [ô tô] mới") still names the procedure first; the
# ranker is not sure enough to link it, so the citizen is asked.
def test_an_everyday_name_with_a_word_slipped_in() -> None:
    assert search("dang ky xe oto moi le phi bao nhieu").top == "1.013067"


@pytest.mark.parametrize(
    "text", ["tôi ở Hà Nội", "ở Nghệ An", "tinh lam dong", "cái thứ ba", "sđt đuôi 7788"]
)
def test_a_province_or_a_form_answer_is_no_procedure(text: str) -> None:
    assert linked_as(text, "inform") == []


def test_a_status_question_links_only_on_an_everyday_name() -> None:
    assert (
        linked_as("tra het no ngan hang roi xoa the chap so do lam sao", "check_status")[0]["value"]
        == "1.011443"
    )
    assert linked_as("bao gio co ket qua ho so cua toi", "check_status") == []
    assert linked_as("bạn có người yêu chưa", "out_of_scope") == []
    assert linked_as("gặp ad với", "request_human") == []
