from __future__ import annotations

import pytest

from channels.message import InboundMessage
from channels.web.channel import BadMessage, parse


def test_typed_text_goes_to_rasa_as_typed() -> None:
    message = parse('{"message_id": "m1", "text": "  làm hộ chiếu  "}'.encode(), "abcdefgh", 2000)
    assert message == InboundMessage("web", "abcdefgh", "m1", "làm hộ chiếu", shown="làm hộ chiếu")


def test_a_quick_reply_sends_its_payload_and_shows_its_title() -> None:
    raw = '{"message_id": "m2", "text": "Lệ phí", "payload": "/ask_fee{\\"procedure\\":\\"1.001456\\"}"}'
    message = parse(raw, "abcdefgh", 2000)
    assert message.text == '/ask_fee{"procedure":"1.001456"}'
    assert message.shown == "Lệ phí"


@pytest.mark.parametrize(
    ("raw", "conversation", "status", "reason"),
    [
        (b'{"message_id": "m1", "text": "\xff\xfe"}', "abcdefgh", 400, "not valid UTF-8"),
        (b'{"message_id": "m1", "text": ', "abcdefgh", 400, "not valid JSON"),
        (b"[1, 2]", "abcdefgh", 422, "invalid message"),
        ('{"text": "xin chào"}', "abcdefgh", 422, "message_id: Field required"),
        ('{"message_id": "m 1", "text": "xin chào"}', "abcdefgh", 422, "message_id: String should match"),
        (b'{"message_id": "m1", "text": "hi", "html": "<b>"}', "abcdefgh", 422, "html: Extra inputs"),
        (b'{"message_id": "m1", "text": "   "}', "abcdefgh", 422, "text is empty"),
        (b'{"message_id": "m1", "text": 42}', "abcdefgh", 422, "text: Input should be a valid string"),
        ('{"message_id": "m1", "text": "Lệ phí", "payload": "ask_fee"}', "abcdefgh", 422, "payload must"),
        ('{"message_id": "m1", "text": "xin chào"}', "short", 422, "conversation id"),
        ('{"message_id": "m1", "text": "xin chào"}', "../../etc", 422, "conversation id"),
    ],
)
def test_bad_messages_are_refused_with_the_reason(
    raw: bytes | str, conversation: str, status: int, reason: str
) -> None:
    with pytest.raises(BadMessage) as refused:
        parse(raw, conversation, 2000)
    assert refused.value.status == status
    assert reason in refused.value.detail


def test_text_over_the_limit_is_refused() -> None:
    with pytest.raises(BadMessage, match="2001 characters; at most 2000"):
        parse('{"message_id": "m1", "text": "' + "a" * 2001 + '"}', "abcdefgh", 2000)
