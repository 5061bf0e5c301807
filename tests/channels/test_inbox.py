"""The inbox against the real Redis (the tests' own database)."""

from __future__ import annotations

import asyncio

import redis
from redis.asyncio import Redis

from channels.conversation import Conversations, transcript_key
from channels.inbox import STREAM, Inbox, decode
from channels.message import InboundMessage, OutgoingMessage
from tests.channels.conftest import GATEWAY_DB

URL = f"redis://127.0.0.1:6379/{GATEWAY_DB}"


def test_a_message_is_queued_and_shown_once_and_its_copy_is_recognised(redis_client: redis.Redis) -> None:
    message = InboundMessage("web", "abcdefgh", "m1", '/ask_fee{"procedure":"1.001456"}', shown="Lệ phí")

    async def run() -> list[bool]:
        client = Redis.from_url(URL, decode_responses=True)
        inbox = Inbox(client, duplicate_window_seconds=60, transcript_ttl_seconds=60)
        try:
            return [await inbox.append(message), await inbox.append(message)]
        finally:
            await client.aclose()

    assert asyncio.run(run()) == [True, False]
    [(_, fields)] = redis_client.xrange(STREAM)
    assert decode(fields) == message
    [(_, entry)] = redis_client.xrange(transcript_key("web", "abcdefgh"))
    assert '"text": "Lệ phí"' in entry["entry"]
    assert 0 < redis_client.ttl(transcript_key("web", "abcdefgh")) <= 60


def test_the_same_message_id_in_another_conversation_is_not_a_duplicate(redis_client: redis.Redis) -> None:
    async def run() -> list[bool]:
        client = Redis.from_url(URL, decode_responses=True)
        inbox = Inbox(client, duplicate_window_seconds=60, transcript_ttl_seconds=60)
        try:
            first = await inbox.append(InboundMessage("web", "aaaaaaaa", "m1", "xin chào"))
            second = await inbox.append(InboundMessage("web", "bbbbbbbb", "m1", "xin chào"))
            return [first, second]
        finally:
            await client.aclose()

    assert asyncio.run(run()) == [True, True]
    assert redis_client.xlen(STREAM) == 2


def test_recorded_answers_close_with_an_answered_entry_and_are_kept_for_redelivery(
    redis_client: redis.Redis,
) -> None:
    message = InboundMessage("web", "abcdefgh", "m1", "làm hộ chiếu")
    replies = [OutgoingMessage("Lệ phí 200.000 đồng"), OutgoingMessage("Còn gì nữa không?")]

    async def run() -> tuple[list[dict], list[OutgoingMessage] | None, list[dict]]:
        client = Redis.from_url(URL, decode_responses=True)
        conversations = Conversations(client, ttl_seconds=60)
        try:
            await conversations.record_answer(message, replies)
            everything = await conversations.entries("web", "abcdefgh")
            after_first = await conversations.entries("web", "abcdefgh", after=everything[0]["id"])
            return everything, await conversations.answer_of(message), after_first
        finally:
            await client.aclose()

    everything, stored, after_first = asyncio.run(run())
    assert [(e["kind"], e.get("text")) for e in everything] == [
        ("bot", "Lệ phí 200.000 đồng"),
        ("bot", "Còn gì nữa không?"),
        ("answered", None),
    ]
    assert all(e["reply_to"] == "m1" for e in everything)
    assert stored == replies
    assert after_first == everything[1:]
