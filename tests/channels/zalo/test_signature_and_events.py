"""The webhook's signature and event parsing, without a server."""

from __future__ import annotations

import hashlib
import json

import pytest

from channels.delivery import FIXED_REPLY
from channels.zalo.events import POLITE_NON_TEXT, WELCOME, BadEvent, parse
from channels.zalo.signature import sign, verify
from tests.channels.zalo.webhook_client import event

TEXT = {"event_name": "user_send_text", "timestamp": "1"}
RAW = b'{"event_name":"user_send_text","timestamp":"1732600000000"}'


def test_the_signature_is_sha256_of_app_id_body_timestamp_and_oa_secret() -> None:
    expected = hashlib.sha256(b"app" + RAW + b"1732600000000" + b"secret").hexdigest()
    assert sign("app", RAW, "1732600000000", "secret") == f"mac={expected}"
    assert verify(f"mac={expected.upper()}", "app", RAW, "1732600000000", "secret")


@pytest.mark.parametrize(
    ("app_id", "raw", "timestamp", "secret"),
    [
        ("app", RAW + b" ", "1732600000000", "secret"),  # one byte more in the body
        ("app", RAW, "1732600000001", "secret"),
        ("other-app", RAW, "1732600000000", "secret"),
        ("app", RAW, "1732600000000", "other-secret"),
    ],
    ids=["body", "timestamp", "app-id", "secret"],
)
def test_any_change_breaks_the_signature(app_id: str, raw: bytes, timestamp: str, secret: str) -> None:
    header = sign("app", RAW, "1732600000000", "secret")
    assert not verify(header, app_id, raw, timestamp, secret)


def test_a_text_becomes_a_message_for_rasa_with_the_zalo_user_in_its_metadata() -> None:
    parsed = parse(event("user_send_text", "84123", "làm hộ chiếu", msg_id="m-1"), 2000)
    message = parsed.message
    assert message is not None
    assert (message.channel, message.conversation_id, message.message_id) == ("zalo", "84123", "m-1")
    assert message.text == "làm hộ chiếu"
    assert message.sender == "zalo-84123"
    assert message.metadata == {"channel": "zalo", "zalo_user_id": "84123"}


@pytest.mark.parametrize(
    "name",
    [
        "user_send_image",
        "user_send_sticker",
        "user_send_file",
        "user_send_location",
        "user_send_gif",
        "user_send_audio",
        "user_send_video",
    ],
)
def test_anything_but_text_gets_the_polite_reply(name: str) -> None:
    message = parse(event(name, "84123", msg_id="m-2"), 2000).message
    assert message is not None and message.message_id == "m-2"
    assert message.metadata[FIXED_REPLY] == POLITE_NON_TEXT
    assert message.metadata["zalo_user_id"] == "84123"


def test_a_new_follower_gets_the_welcome_once_per_follow_event() -> None:
    body = event("follow", "84123")
    message = parse(body, 2000).message
    assert message is not None and message.metadata[FIXED_REPLY] == WELCOME
    assert message.message_id == f"follow-{body['timestamp']}"


@pytest.mark.parametrize("name", ["unfollow", "oa_send_text", "oa_send_image", "user_seen_message"])
def test_unfollow_and_the_oas_own_messages_are_ignored(name: str) -> None:
    parsed = parse(event(name, "84123", "staff wrote this"), 2000)
    assert parsed.message is None and parsed.ignored


def test_a_text_over_the_limit_gets_a_fixed_reply_instead_of_reaching_rasa() -> None:
    message = parse(event("user_send_text", "84123", "a" * 2001), 2000).message
    assert message is not None and "dài quá" in message.metadata[FIXED_REPLY]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"timestamp": "1"}, "no event_name"),
        ({"event_name": "user_send_text"}, "no timestamp"),
        ({**TEXT, "message": {"msg_id": "m", "text": "x"}}, "sender.id"),
        ({**TEXT, "sender": {"id": "1"}}, "no message object"),
        ({**TEXT, "sender": {"id": "1"}, "message": {"text": "x"}}, "msg_id"),
        ({**TEXT, "sender": {"id": "1/../x"}, "message": {}}, "not a Zalo"),
        ({"event_name": "follow", "timestamp": "1"}, "follower.id"),
    ],
)  # fmt: skip
def test_events_missing_what_they_need_are_refused_with_the_reason(body: dict, reason: str) -> None:
    with pytest.raises(BadEvent) as refused:
        parse(json.loads(json.dumps(body)), 2000)
    assert refused.value.status == 422 and reason in refused.value.detail
