"""The delivery worker with the real Rasa: outages, restarts and duplicates lose and repeat nothing."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import httpx
import pytest
import redis

from channels.inbox import GROUP, STREAM
from channels.settings import Settings
from tests.channels import widget_api
from tests.channels.servers import GatewayServer, RasaSwitch
from tests.e2e.services import Stack

OUTAGE_SECONDS = 30
# One thread, in this order: the third only makes sense after the second (it names no procedure).
QUESTIONS = [
    "xin chào",
    "làm hộ chiếu hết bao nhiêu tiền",
    "thế còn thời gian giải quyết mất bao lâu?",
    "cảm ơn",
]


@pytest.fixture
def rasa_switch(stack: Stack) -> Iterator[RasaSwitch]:
    switch = RasaSwitch(int(stack.rasa_url.rsplit(":", 1)[1]))
    yield switch
    switch.off()


def user_texts_in_rasa(stack: Stack, conversation_id: str) -> list[str]:
    tracker = httpx.get(
        f"{stack.rasa_url}/conversations/web-{conversation_id}/tracker",
        params={"token": stack.token},
        timeout=30,
    ).json()
    return [event["text"] for event in tracker["events"] if event["event"] == "user"]


def pending(redis_client: redis.Redis) -> int:
    return int(redis_client.xpending(STREAM, GROUP)["pending"])


def assert_answered_once_in_order(transcript: list[dict], message_ids: list[str]) -> None:
    answered = [entry["reply_to"] for entry in transcript if entry["kind"] == "answered"]
    assert answered == message_ids
    asked = [entry["message_id"] for entry in transcript if entry["kind"] == "user"]
    assert asked == message_ids


def test_rasa_down_and_back_every_message_is_answered_in_order(
    stack: Stack,
    rasa_switch: RasaSwitch,
    make_settings: Callable[..., Settings],
    redis_client: redis.Redis,
) -> None:
    conversation = widget_api.new_conversation()
    with GatewayServer(make_settings(rasa_url=rasa_switch.url)) as gateway:
        ids = []
        for text in QUESTIONS:
            response = widget_api.post(gateway.url, conversation, text)
            assert response.status_code == 202, response.text
            ids.append(response.json()["message_id"])
        time.sleep(OUTAGE_SECONDS)
        assert [e["kind"] for e in widget_api.entries(gateway.url, conversation)] == ["user"] * len(QUESTIONS)
        assert pending(redis_client) >= 1

        rasa_switch.on()
        transcript = widget_api.wait_answered(gateway.url, conversation, len(QUESTIONS), 90)

    assert_answered_once_in_order(transcript, ids)
    answers = widget_api.answers_by_message(transcript)
    assert "200.000 đồng" in answers[ids[1]]
    assert "Thời hạn giải quyết" in answers[ids[2]] and "1.001456" in answers[ids[2]]
    assert user_texts_in_rasa(stack, conversation) == QUESTIONS
    assert pending(redis_client) == 0


@pytest.mark.parametrize("consumer", ["gateway", "gateway-new-host"], ids=["same-name", "new-name"])
def test_gateway_restarted_mid_stream_loses_nothing(
    stack: Stack,
    rasa_switch: RasaSwitch,
    make_settings: Callable[..., Settings],
    redis_client: redis.Redis,
    consumer: str,
) -> None:
    conversation = widget_api.new_conversation()
    rasa_switch.on()
    with GatewayServer(make_settings(rasa_url=rasa_switch.url)) as first:
        ids = [widget_api.post(first.url, conversation, QUESTIONS[0]).json()["message_id"]]
        widget_api.wait_answered(first.url, conversation, 1, 60)
        rasa_switch.off()
        for text in QUESTIONS[1:]:
            ids.append(widget_api.post(first.url, conversation, text).json()["message_id"])
        deadline = time.monotonic() + 10
        while pending(redis_client) < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert pending(redis_client) >= 1, "the first gateway never took the messages"
        time.sleep(1)
        assert [e["kind"] for e in widget_api.entries(first.url, conversation)][-3:] == ["user"] * 3
    # The first gateway is gone with messages read but unanswered; Rasa comes back; a new gateway starts.
    rasa_switch.on()
    settings = make_settings(rasa_url=rasa_switch.url, consumer_name=consumer, claim_idle_seconds=1)
    with GatewayServer(settings) as second:
        transcript = widget_api.wait_answered(second.url, conversation, len(QUESTIONS), 90)
        time.sleep(1.5)  # a second claim round must not deliver anything twice
        transcript = widget_api.entries(second.url, conversation)

    assert_answered_once_in_order(transcript, ids)
    assert user_texts_in_rasa(stack, conversation) == QUESTIONS
    assert pending(redis_client) == 0


def test_a_duplicate_message_is_answered_once(
    stack: Stack, make_settings: Callable[..., Settings], redis_client: redis.Redis
) -> None:
    conversation = widget_api.new_conversation()
    with GatewayServer(make_settings(rasa_url=stack.rasa_url)) as gateway:
        first = widget_api.post(gateway.url, conversation, "làm hộ chiếu hết bao nhiêu tiền", "same-id")
        again = widget_api.post(gateway.url, conversation, "làm hộ chiếu hết bao nhiêu tiền", "same-id")
        assert (first.status_code, first.json()["duplicate"]) == (202, False)
        assert (again.status_code, again.json()["duplicate"]) == (200, True)
        widget_api.wait_answered(gateway.url, conversation, 1, 60)
        time.sleep(1)
        transcript = widget_api.entries(gateway.url, conversation)

    assert [e["kind"] for e in transcript if e["kind"] != "bot"] == ["user", "answered"]
    assert user_texts_in_rasa(stack, conversation) == ["làm hộ chiếu hết bao nhiêu tiền"]
    assert redis_client.xlen(STREAM) == 1
