"""Application status over the REST channel: the real NLU, form, action server, SQL store and Redis.

The stack's store holds the demo data (data/demo_applications.csv, see tests/e2e/status_data.py).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import requests

from actions.status.reply import ASK_CODE, ASK_VERIFICATION, NOT_FOUND, UNAVAILABLE
from tests.e2e.services import Stack

CODE = "000.00.17.H12-261118-0042"  # received; phone digits 5678, ID digits 1234
READY = "000.00.31.H26-261020-0099"  # result ready; phone digits 3333, ID digits 4444


def say(stack: Stack, sender: str, text: str, metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    body: dict[str, Any] = {"sender": sender, "message": text, "metadata": metadata or {}}
    response = requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", json=body, timeout=60)
    response.raise_for_status()
    return [{k: v for k, v in reply.items() if k != "recipient_id"} for reply in response.json()]


def texts(replies: list[dict[str, Any]]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def new_sender() -> str:
    return f"e2e-status-{uuid.uuid4()}"


def test_a_code_in_the_first_message_is_not_asked_again(stack: Stack) -> None:
    sender = new_sender()
    assert texts(say(stack, sender, f"hồ sơ {CODE} của tôi tới đâu rồi")) == ASK_VERIFICATION
    answer = texts(say(stack, sender, "5678"))
    assert f"Hồ sơ {CODE}" in answer
    assert "Đã được tiếp nhận ngày 18/11/2026" in answer
    assert "Cơ quan giải quyết: UBND phường Quy Nhơn (DEMO)" in answer


def test_a_code_sent_on_its_own_starts_the_lookup(stack: Stack) -> None:
    sender = new_sender()
    assert texts(say(stack, sender, "000.00.23.h01-261101-0456")) == ASK_VERIFICATION
    answer = texts(say(stack, sender, "2222"))
    assert "Cần bổ sung giấy tờ" in answer
    assert "Văn bản đồng ý cho đăng ký thường trú của chủ hộ" in answer


def test_the_code_is_asked_then_given_however_typed(stack: Stack) -> None:
    sender = new_sender()
    assert texts(say(stack, sender, "kiểm tra tình trạng hồ sơ")) == ASK_CODE
    assert texts(say(stack, sender, "000 00 31 h26 261020 0099")) == ASK_VERIFICATION
    answer = texts(say(stack, sender, "4 số cuối cccd là 4444"))
    assert "Đã có kết quả" in answer
    assert "Nơi nhận kết quả: Trung tâm Phục vụ hành chính công tỉnh Khánh Hòa (DEMO)" in answer


def test_a_bad_code_and_bad_digits_are_asked_again(stack: Stack) -> None:
    sender = new_sender()
    say(stack, sender, "tra cứu hồ sơ")
    assert "chưa đúng dạng" in texts(say(stack, sender, "mã là 12345"))
    assert texts(say(stack, sender, CODE)) == ASK_VERIFICATION
    assert "4 chữ số cuối" in texts(say(stack, sender, "123"))
    assert "Đã được tiếp nhận" in texts(say(stack, sender, "1234"))


def attempt(stack: Stack, code: str, digits: str) -> list[dict[str, Any]]:
    sender = new_sender()
    say(stack, sender, f"tra cứu hồ sơ {code}")
    return say(stack, sender, digits)


def test_everything_but_a_match_is_refused_the_same_way(stack: Stack) -> None:
    refusals = [
        attempt(stack, CODE, "0000"),  # wrong digits
        attempt(stack, "000.00.17.H12-261118-0043", "5678"),  # unknown code, someone's digits
        attempt(stack, READY, "5678"),  # a real code with another applicant's digits
        attempt(stack, "000.00.99.H99-250101-0001", "1111"),
    ]
    assert all(refusal == refusals[0] for refusal in refusals)
    assert refusals[0][0]["text"] == NOT_FOUND
    assert refusals[0][0]["buttons"] == [{"title": "Tra cứu lại", "payload": "/check_status"}]
    answer = texts(attempt(stack, READY, "3333"))
    assert "Đã có kết quả" in answer
    assert "3333" not in answer and "4444" not in answer


def test_five_failures_lock_out_the_conversation_and_the_zalo_user(stack: Stack) -> None:
    sender, zalo = new_sender(), {"channel": "zalo", "zalo_user_id": f"zu-{uuid.uuid4()}"}
    for n in range(5):
        say(stack, sender, f"tra cứu hồ sơ {CODE}", zalo)
        replies = say(stack, sender, "9999", zalo)
        assert replies[0]["text"] == NOT_FOUND
        assert ("tạm khóa" in texts(replies)) == (n == 4)
    locked = texts(say(stack, sender, f"tra cứu hồ sơ {CODE}", zalo))
    assert "tạm khóa" in locked and ASK_VERIFICATION not in locked
    elsewhere = new_sender()  # the same Zalo user in a new conversation
    assert "tạm khóa" in texts(say(stack, elsewhere, f"hồ sơ {CODE} tới đâu rồi", zalo))
    assert "tạm khóa" not in texts(say(stack, new_sender(), f"hồ sơ {CODE} tới đâu rồi"))
    # the conversation goes on: other questions are still answered
    assert "1.001456" in texts(say(stack, sender, "làm hộ chiếu hết bao nhiêu tiền"))


def test_a_store_that_fails_gets_an_apology_and_the_conversation_goes_on(
    stack: Stack, status_env: dict[str, str]
) -> None:
    database = Path(status_env["STATUS_DB_URL"].removeprefix("sqlite:///"))
    sender = new_sender()
    say(stack, sender, f"tra cứu hồ sơ {CODE}")
    moved = database.with_suffix(".away")
    database.rename(moved)  # the store's file is gone: the next lookup finds no table
    try:
        replies = say(stack, sender, "5678")
    finally:
        database.unlink(missing_ok=True)
        moved.rename(database)
    assert replies[0]["text"] == UNAVAILABLE
    assert [r["custom"]["handoff"]["reason"] for r in replies if "custom" in r] == ["status_fault"]
    assert say(stack, sender, "alo còn ai không") == []  # the bot is paused: staff answer now
    assert "Đã được tiếp nhận" in texts(attempt(stack, CODE, "5678"))  # other conversations go on


def test_a_person_can_be_asked_for_in_the_middle_of_the_form(stack: Stack) -> None:
    sender = new_sender()
    say(stack, sender, "tra cứu hồ sơ")
    handoff = texts(say(stack, sender, "cho tôi gặp nhân viên"))
    assert "nhân viên" in handoff and ASK_CODE not in handoff
