"""actions.answers on real procedures of the knowledge base."""

from __future__ import annotations

import json
import re

import pytest

from actions.answers import MAX_MESSAGE, answer, money
from actions.questions import QUESTION_LABELS
from knowledge.base import load

PASSPORT = "1.001456"
QUESTIONS = list(QUESTION_LABELS)


def curated() -> list[str]:
    return [p.code for p in load() if p.popularity > 0]


def sample() -> list[str]:
    """The curated procedures and every 100th of the others (about 30)."""
    others = [p.code for p in load() if p.popularity <= 0]
    return curated() + others[::100]


def test_passport_fee() -> None:
    procedure = load()[PASSPORT]
    text = answer(procedure, "fee").text
    assert "200.000 đồng" in text
    assert "160.000 đồng" in text
    assert "• Trực tiếp: 200.000 đồng" in text
    assert "• Trực tuyến: 160.000 đồng" in text
    assert PASSPORT in text
    assert procedure.url in text and procedure.url.startswith("https://dichvucong.gov.vn/")
    assert text.startswith("Phí, lệ phí — Cấp hộ chiếu phổ thông")


def test_passport_time() -> None:
    text = answer(load()[PASSPORT], "time").text
    assert "• Trực tiếp: 8 ngày làm việc" in text
    assert PASSPORT in text


def test_there_are_over_ninety_curated_procedures() -> None:
    assert len(curated()) >= 90


@pytest.mark.parametrize("code", sample())
def test_every_answer_fits_one_message_and_names_its_source(code: str) -> None:
    procedure = load()[code]
    for question in QUESTIONS:
        page, seen = 1, set()
        while True:
            reply = answer(procedure, question, page)
            assert len(reply.text) <= MAX_MESSAGE, (question, page, len(reply.text))
            assert procedure.code in reply.text, question
            assert procedure.url in reply.text, question
            if question != "documents" or not reply.buttons:
                break
            assert reply.text not in seen
            seen.add(reply.text)
            page += 1


def test_no_answer_in_the_whole_knowledge_base_is_over_one_message() -> None:
    too_long = []
    for procedure in load():
        for question in QUESTIONS:
            reply = answer(procedure, question)
            if len(reply.text) > MAX_MESSAGE or procedure.url not in reply.text:
                too_long.append((procedure.code, question, len(reply.text)))
    assert too_long == []


def long_document_list() -> str:
    return max(curated(), key=lambda code: sum(len(d.name) for d in load()[code].documents))


def test_a_long_document_list_is_paged() -> None:
    code = long_document_list()
    procedure = load()[code]
    first = answer(procedure, "documents")
    assert first.buttons == [
        {"title": "Xem tiếp", "payload": f'/ask_documents{{"procedure":"{code}","page":"2"}}'}
    ]
    payload = first.buttons[0]["payload"]
    assert json.loads(payload.removeprefix("/ask_documents")) == {"procedure": code, "page": "2"}
    assert "(trang 1/" in first.text and "Xem tiếp" in first.text
    second = answer(procedure, "documents", 2)
    assert "(trang 2/" in second.text
    assert second.text != first.text
    first_items = [line for line in first.text.splitlines() if line.startswith("• ")]
    second_items = [line for line in second.text.splitlines() if line.startswith("• ")]
    # (not disjoint sets: this procedure repeats a document in several groups)
    assert first_items and second_items and first_items != second_items


def test_pages_together_list_every_document_once() -> None:
    procedure = load()[long_document_list()]
    items, page = 0, 1
    while True:
        reply = answer(procedure, "documents", page)
        items += sum(1 for line in reply.text.splitlines() if line.startswith("• "))
        if not reply.buttons:
            break
        assert reply.buttons[0]["payload"].endswith(f'"page":"{page + 1}"}}')
        page += 1
    assert page > 1
    assert items == len(procedure.documents)


def test_a_page_past_the_end_gives_the_last_page() -> None:
    procedure = load()[long_document_list()]
    last = answer(procedure, "documents", 999)
    assert last.buttons == []
    assert re.search(r"\(trang (\d+)/\1\)", last.text)


def test_a_short_document_list_has_no_pages() -> None:
    reply = answer(load()[PASSPORT], "documents")
    assert reply.buttons == []
    assert "trang 1/" not in reply.text
    items = [line for line in reply.text.splitlines() if line.startswith("• ")]
    assert len(items) == len(load()[PASSPORT].documents)


def test_missing_conditions_say_so() -> None:
    procedure = next(p for p in load() if p.popularity > 0 and not p.conditions)
    text = answer(procedure, "conditions").text
    assert "chưa có thông tin" in text
    assert "yêu cầu, điều kiện" in text
    assert procedure.code in text and procedure.url in text
    assert "•" not in text  # nothing listed that the knowledge base does not hold


_AMOUNT = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+) đồng")


@pytest.mark.parametrize("code", curated())
def test_fee_amounts_are_the_parsed_amounts(code: str) -> None:
    procedure = load()[code]
    text = answer(procedure, "fee").text
    parsed = {money(c.fee.amount) for c in procedure.channels if c.fee and c.fee.amount}
    # "• <channel>: <amount>" lines show exactly the parsed amounts
    shown = {m.group(1) for m in re.finditer(r"^• [^:]+: (\d[\d.]* đồng)", text, re.MULTILINE)}
    assert shown <= parsed
    assert parsed <= shown or "…" in text
    # any other amount is quoted from the procedure's own text (channel notes, fee text, notes)
    own = " ".join(
        [c.note for c in procedure.channels]
        + [c.fee.text for c in procedure.channels if c.fee]
        + list(procedure.maintainer_notes)
    )
    for match in _AMOUNT.finditer(text):
        if match.group(0) not in parsed:
            assert match.group(1) in own, match.group(0)


@pytest.mark.parametrize("code", curated())
def test_time_and_overview_facts_come_from_the_channels(code: str) -> None:
    procedure = load()[code]
    labels = {c.label for c in procedure.channels}
    for question in ("time", "overview"):
        for line in answer(procedure, question).text.splitlines():
            match = re.match(r"^• ([^:]+): ", line)
            if match and match.group(1) not in ("Cơ quan thực hiện", "Hồ sơ", "Cấp thực hiện", "Cách nộp"):
                assert match.group(1) in labels, line


def test_overview_buttons() -> None:
    reply = answer(load()[PASSPORT], "overview")
    assert [b["payload"] for b in reply.buttons] == [
        '/ask_documents{"procedure":"1.001456"}',
        '/ask_fee{"procedure":"1.001456"}',
        '/ask_processing_time{"procedure":"1.001456"}',
        '/ask_agency{"procedure":"1.001456"}',
    ]


def test_unknown_question_gets_the_overview() -> None:
    procedure = load()[PASSPORT]
    assert answer(procedure, "nonsense").text == answer(procedure, "overview").text
