"""End to end: the conversation keeps its procedure, moves when asked, and an opener hands nothing over.

Played over the REST channel with the real action server and the trained model; the procedure the
conversation is about is read from Rasa's tracker after each turn.
"""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.e2e.services import Stack

BIRTH, MARRIAGE, FOREIGN_MARRIAGE, PASSPORT, DRIVING = (
    "1.001193",
    "1.000894",
    "2.000806",
    "1.001456",
    "3.000347",
)
ID_CARD_FROM_14, ID_CARD_UNDER_14 = "1.014061", "1.014062"


def say(stack: Stack, sender: str, text: str) -> tuple[list[dict], str | None, list[dict]]:
    """The bot's replies, the conversation's procedure afterwards, and the tracker's events."""
    response = requests.post(
        f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
    )
    response.raise_for_status()
    tracker = requests.get(
        f"{stack.rasa_url}/conversations/{sender}/tracker", params={"token": stack.token}, timeout=30
    )
    tracker.raise_for_status()
    data = tracker.json()
    return response.json(), (data.get("slots") or {}).get("procedure"), data.get("events") or []


def text_of(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


@pytest.mark.parametrize(
    "follow_up", ["theo nghị định nào vậy", "thế nộp ở đâu", "làm trên vneid được không"]
)
def test_a_follow_up_that_names_no_procedure_keeps_the_thread(stack: Stack, follow_up: str) -> None:
    sender = f"thread-{uuid.uuid4()}"
    _, procedure, _ = say(stack, sender, "đăng ký khai sinh cho con cần giấy tờ gì")
    assert procedure == BIRTH
    replies, procedure, _ = say(stack, sender, follow_up)
    assert procedure == BIRTH
    assert BIRTH in text_of(replies)


def test_the_conversation_moves_to_the_procedure_named_next(stack: Stack) -> None:
    sender = f"thread-{uuid.uuid4()}"
    say(stack, sender, "đổi bằng lái xe hết bao nhiêu tiền")
    replies, procedure, _ = say(stack, sender, "thế còn làm hộ chiếu thì sao")
    assert procedure == PASSPORT
    assert "Phí, lệ phí" in text_of(replies) or "phí" in text_of(replies).lower()  # the same question of it


@pytest.mark.parametrize(
    ("question", "before", "detail", "after"),
    [
        ("đăng ký kết hôn cần giấy tờ gì", MARRIAGE, "chồng em là người Nhật Bản", FOREIGN_MARRIAGE),
        # an age, against a name that states another age
        ("làm căn cước lần đầu cho con 15 tuổi mất bao lâu", ID_CARD_FROM_14,
         "còn đứa em nó mới 7 tuổi thì sao", ID_CARD_UNDER_14),
    ],
)  # fmt: skip
def test_a_detail_moves_to_the_variant_and_says_so(
    stack: Stack, question: str, before: str, detail: str, after: str
) -> None:
    sender = f"thread-{uuid.uuid4()}"
    _, procedure, _ = say(stack, sender, question)
    assert procedure == before
    replies, procedure, _ = say(stack, sender, detail)
    assert procedure == after
    assert "Với trường hợp bạn nêu" in text_of(replies)


@pytest.mark.parametrize("opener", ["ad ơi", "ad ơi cho em hỏi", "alo ad", "cho em hỏi với"])
def test_an_opener_is_a_greeting_and_the_question_after_it_is_answered(stack: Stack, opener: str) -> None:
    sender = f"thread-{uuid.uuid4()}"
    replies, _, events = say(stack, sender, opener)
    assert replies, "the opener got no answer"
    assert not any(e.get("event") == "pause" for e in events), "an opener handed the conversation over"
    replies, procedure, _ = say(stack, sender, "làm hộ chiếu hết bao nhiêu tiền")
    assert procedure == PASSPORT
    assert PASSPORT in text_of(replies)


def test_an_explicit_ask_for_a_person_still_hands_over(stack: Stack) -> None:
    sender = f"thread-{uuid.uuid4()}"
    _, _, events = say(stack, sender, "cho tôi nói chuyện với nhân viên")
    assert any(e.get("event") == "pause" for e in events)


def test_a_question_typed_instead_of_a_choice_offers_the_choice_again_for_it(stack: Stack) -> None:
    sender = f"thread-{uuid.uuid4()}"
    replies, procedure, _ = say(stack, sender, "cấp giấy chứng nhận khả năng chuyên môn thì nộp ở đâu")
    offered = [b["payload"] for r in replies for b in r.get("buttons") or []]
    assert procedure is None and len(offered) > 1, "the first message should be a choice to make"
    replies, procedure, _ = say(stack, sender, "le phi bao nhieu")
    again = [b["payload"] for r in replies for b in r.get("buttons") or []]
    assert procedure is None
    assert again and all(p.startswith("/ask_fee{") for p in again), again
