"""`POST /webhooks/zalo` on a real gateway (uvicorn, real Redis), replies going to the fake Zalo.

Rasa is down in these tests: only the way in and the fixed replies (which never ask Rasa) are tested.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import redis

from channels.inbox import STREAM, decode
from channels.message import InboundMessage
from channels.settings import Settings
from channels.zalo.events import POLITE_NON_TEXT, WELCOME
from tests.channels.servers import GatewayServer, free_port
from tests.channels.zalo import webhook_client
from tests.channels.zalo.fake_zalo import FakeZalo
from tests.channels.zalo.webhook_client import event, signed

USER = "8412345678"
SIGNATURE = "X-ZEvent-Signature"


@pytest.fixture
def gateway(make_settings: Callable[..., Settings]) -> Iterator[GatewayServer]:
    with GatewayServer(make_settings(rasa_url=f"http://127.0.0.1:{free_port()}")) as server:
        yield server


def queued(redis_client: redis.Redis) -> list[InboundMessage]:
    if not redis_client.exists(STREAM):
        return []
    entries: Any = redis_client.xrange(STREAM)
    return [decode(fields) for _, fields in entries]


def test_a_signed_text_is_queued_for_rasa_with_the_zalo_user(
    gateway: GatewayServer, redis_client: redis.Redis
) -> None:
    response = webhook_client.post(gateway.url, event("user_send_text", USER, "làm hộ chiếu", msg_id="z1"))
    assert response.status_code == 200, response.text
    assert response.json() == {"event": "user_send_text", "message_id": "z1", "duplicate": False}
    [message] = queued(redis_client)
    assert (message.channel, message.conversation_id, message.text) == ("zalo", USER, "làm hộ chiếu")
    assert message.metadata == {"channel": "zalo", "zalo_user_id": USER}


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (lambda raw, headers: (raw, {"content-type": "application/json"}), "missing"),
        (lambda raw, headers: (raw, {**headers, SIGNATURE: "mac=" + "0" * 64}), "does not match"),
        (lambda raw, headers: (raw.replace("hộ".encode(), b"ho"), headers), "does not match"),
    ],
    ids=["missing", "wrong", "body-changed"],
)  # fmt: skip
def test_a_bad_signature_is_401_and_the_event_is_not_processed(
    gateway: GatewayServer, redis_client: redis.Redis, fake_zalo: FakeZalo, tamper: Callable, reason: str
) -> None:
    raw, headers = signed(event("user_send_text", USER, "làm hộ chiếu"))
    raw, headers = tamper(raw, headers)
    response = webhook_client.post(gateway.url, raw, headers)
    assert response.status_code == 401
    assert reason in response.json()["detail"]
    assert queued(redis_client) == []
    # Nor an event that would be answered without Rasa.
    raw, headers = signed(event("follow", USER))
    headers["X-ZEvent-Signature"] = "mac=" + "1" * 64
    assert webhook_client.post(gateway.url, raw, headers).status_code == 401
    assert queued(redis_client) == [] and fake_zalo.state.sent == []


def test_a_duplicate_delivery_is_queued_once(gateway: GatewayServer, redis_client: redis.Redis) -> None:
    body = event("user_send_text", USER, "làm hộ chiếu", msg_id="z-dup")
    first = webhook_client.post(gateway.url, body)
    again = webhook_client.post(gateway.url, body)
    assert (first.status_code, first.json()["duplicate"]) == (200, False)
    assert (again.status_code, again.json()["duplicate"]) == (200, True)
    assert len(queued(redis_client)) == 1


@pytest.mark.parametrize(
    "name", ["user_send_image", "user_send_sticker", "user_send_file", "user_send_location"]
)
def test_non_text_messages_get_the_polite_reply_once(
    gateway: GatewayServer, fake_zalo: FakeZalo, name: str
) -> None:
    body = event(name, USER, msg_id=f"z-{name}")
    assert webhook_client.post(gateway.url, body).status_code == 200
    assert webhook_client.post(gateway.url, body).json()["duplicate"] is True  # Zalo's retry
    assert fake_zalo.wait_sent(USER, 1, 10) == [POLITE_NON_TEXT]
    assert "gõ câu hỏi" in POLITE_NON_TEXT


def test_a_new_follower_gets_the_welcome(gateway: GatewayServer, fake_zalo: FakeZalo) -> None:
    assert webhook_client.post(gateway.url, event("follow", USER)).status_code == 200
    assert fake_zalo.wait_sent(USER, 1, 10) == [WELCOME]


@pytest.mark.parametrize("name", ["unfollow", "oa_send_text", "user_seen_message"])
def test_unfollow_and_the_oas_own_messages_are_acknowledged_and_ignored(
    gateway: GatewayServer, redis_client: redis.Redis, fake_zalo: FakeZalo, name: str
) -> None:
    response = webhook_client.post(gateway.url, event(name, USER, "tin của cán bộ"))
    assert response.status_code == 200 and response.json()["ignored"]
    assert queued(redis_client) == [] and fake_zalo.state.sent == []


def test_zalo_5xx_is_retried_with_backoff_until_it_answers(
    gateway: GatewayServer, fake_zalo: FakeZalo
) -> None:
    fake_zalo.fail_next(4)
    assert webhook_client.post(gateway.url, event("user_send_sticker", USER)).status_code == 200
    assert fake_zalo.wait_sent(USER, 1, 20) == [POLITE_NON_TEXT]
    refused = [why for why, _ in fake_zalo.state.refused]
    assert refused == ["503"] * 4
    attempts = fake_zalo.state.attempts
    gaps = [later - earlier for earlier, later in itertools.pairwise(attempts)]
    assert gaps[-1] > 2 * gaps[0] and sum(gaps) > 1.5  # backing off (0.2 s doubling, jittered), not hammering
    assert len(fake_zalo.sent_to(USER)) == 1


def test_an_expired_token_on_the_way_out_is_refreshed_and_the_reply_arrives(
    gateway: GatewayServer, fake_zalo: FakeZalo, redis_client: redis.Redis
) -> None:
    fake_zalo.expire_token()
    assert webhook_client.post(gateway.url, event("follow", USER)).status_code == 200
    assert fake_zalo.wait_sent(USER, 1, 10) == [WELCOME]
    assert redis_client.get("channels:zalo:refresh_token") == fake_zalo.state.refresh_token == "refresh-2"


def test_a_number_answers_the_buttons_offered_last(gateway: GatewayServer, redis_client: redis.Redis) -> None:
    choices = [{"title": "Gặp nhân viên", "payload": "/request_human"}]
    redis_client.set(f"channels:zalo:choices:{USER}", json.dumps(choices))
    webhook_client.post(gateway.url, event("user_send_text", USER, "1", msg_id="z-choice"))
    [message] = queued(redis_client)
    assert (message.text, message.shown) == ("/request_human", "Gặp nhân viên")


@pytest.mark.parametrize(
    ("raw", "status", "reason"),
    [
        (b'{"event_name": "user_send_text", "timestamp": ', 400, "body is not valid JSON"),
        (b'{"event_name": "user_send_text", "message": {"text": "xin ch\xe0o"}}', 400, "not valid UTF-8"),
        (b'["user_send_text"]', 400, "not an object"),
        (json.dumps(event("user_send_text", USER, "a" * 20_000)).encode(), 413, "larger than 16384 bytes"),
    ],
    ids=["malformed", "not-utf8", "not-an-object", "oversized"],
)
def test_bad_payloads_get_a_4xx_with_the_reason_and_nothing_is_queued(
    gateway: GatewayServer, redis_client: redis.Redis, raw: bytes, status: int, reason: str
) -> None:
    headers = {"content-type": "application/json", "X-ZEvent-Signature": "mac=" + "0" * 64}
    response = webhook_client.post(gateway.url, raw, headers)
    assert response.status_code == status
    assert reason in response.json()["detail"]
    assert queued(redis_client) == []


def test_a_signed_event_missing_a_field_is_422_with_the_reason(
    gateway: GatewayServer, redis_client: redis.Redis
) -> None:
    body = event("user_send_text", USER, "xin chào")
    del body["sender"]
    response = webhook_client.post(gateway.url, body)
    assert response.status_code == 422 and "sender.id" in response.json()["detail"]
    assert queued(redis_client) == []


def test_without_zalo_settings_there_is_no_zalo_webhook(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(zalo_app_id=None, rasa_url=f"http://127.0.0.1:{free_port()}")
    assert not settings.zalo_configured
    with GatewayServer(settings) as gateway:
        assert httpx.get(f"{gateway.url}/widget.js").status_code == 200
        assert webhook_client.post(gateway.url, event("follow", USER)).status_code == 404
