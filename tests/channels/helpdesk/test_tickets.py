"""The ticket store against the real Redis (db 10): escalation keyed by message, the feed, the claim race."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
import redis
from redis.asyncio import Redis

from channels.helpdesk.tickets import Conflict, TicketMissing, TicketStore
from channels.message import Handoff, InboundMessage
from tests.channels.conftest import GATEWAY_DB

URL = f"redis://127.0.0.1:6379/{GATEWAY_DB}"

HANDOFF = Handoff(
    reason="request_human",
    question="đăng ký khai sinh cho con cần gì",
    procedure_code="1.001234",
    procedure_name="Đăng ký khai sinh",
    recent=(
        ("user", "đăng ký khai sinh cho con cần gì"),
        ("bot", "Bạn cần tờ khai…"),
        ("user", "gặp nhân viên"),
    ),
)


def message(
    message_id: str, conversation: str = "conversation-1", text: str = "cho tôi gặp nhân viên"
) -> InboundMessage:
    return InboundMessage("web", conversation, message_id, text)


def with_store(test: Callable[[TicketStore], Awaitable[None]]) -> None:
    """Runs `test` with a store on its own connection to the tests' database."""

    async def run() -> None:
        client = Redis.from_url(URL, decode_responses=True)
        try:
            await test(TicketStore(client, 3600))
        finally:
            await client.aclose()

    asyncio.run(run())


def test_an_escalation_makes_one_ticket_however_often_its_message_is_delivered(
    redis_client: redis.Redis,
) -> None:
    async def test(store: TicketStore) -> None:
        first = await store.escalate(message("m1"), HANDOFF)
        again = await store.escalate(message("m1"), HANDOFF)
        assert first.created and not again.created
        assert again.ticket_id == first.ticket_id
        assert await store.escalated_by(message("m1")) == first.ticket_id
        # A second handoff while the ticket is open joins it.
        assert (await store.escalate(message("m2"), HANDOFF)).ticket_id == first.ticket_id

        ticket = await store.get(first.ticket_id)
        assert ticket["status"] == "waiting"
        assert ticket["sender"] == "web-conversation-1"
        assert ticket["procedure_name"] == "Đăng ký khai sinh"
        assert ticket["recent"][0] == {"from": "user", "text": "đăng ký khai sinh cho con cần gì"}
        assert [t["id"] for t in await store.listed("waiting", "lan")] == [first.ticket_id]
        assert await store.position(first.ticket_id) == 1

    with_store(test)


def test_the_queue_position_follows_the_order_of_escalation(redis_client: redis.Redis) -> None:
    async def test(store: TicketStore) -> None:
        ids = [(await store.escalate(message("m", f"conversation-{n}"), HANDOFF)).ticket_id for n in range(3)]
        assert [await store.position(ticket_id) for ticket_id in ids] == [1, 2, 3]
        await store.claim(ids[0], "lan")
        assert [await store.position(ticket_id) for ticket_id in ids] == [None, 1, 2]

    with_store(test)


def test_what_the_citizen_writes_while_a_ticket_is_open_reaches_its_feed_once(
    redis_client: redis.Redis,
) -> None:
    async def test(store: TicketStore) -> None:
        assert await store.follow_up(message("before")) is None  # no ticket yet: nothing to add to
        ticket_id = (await store.escalate(message("m1"), HANDOFF)).ticket_id
        assert await store.follow_up(message("m2", text="tôi còn thiếu giấy chứng sinh")) == ticket_id
        assert await store.follow_up(message("m2", text="tôi còn thiếu giấy chứng sinh")) == ticket_id
        feed = await store.feed(ticket_id)
        assert [(f["from"], f["text"]) for f in feed] == [("citizen", "tôi còn thiếu giấy chứng sinh")]

    with_store(test)


def test_two_agents_claiming_at_once_one_wins(redis_client: redis.Redis) -> None:
    async def test(store: TicketStore) -> None:
        ticket_id = (await store.escalate(message("m1"), HANDOFF)).ticket_id
        # Each agent on a connection of its own, all at once.
        clients = [Redis.from_url(URL, decode_responses=True) for _ in range(10)]
        stores = [TicketStore(client, 3600) for client in clients]
        results = await asyncio.gather(
            *(s.claim(ticket_id, f"agent{n}") for n, s in enumerate(stores)), return_exceptions=True
        )
        for client in clients:
            await client.aclose()
        winners = [f"agent{n}" for n, result in enumerate(results) if result is None]
        assert len(winners) == 1, results
        losers = [result for result in results if result is not None]
        assert all(isinstance(loser, Conflict) and loser.agent == winners[0] for loser in losers)
        assert all(f"đang do {winners[0]} xử lý" in str(loser) for loser in losers)
        assert (await store.get(ticket_id))["agent"] == winners[0]
        assert [t["id"] for t in await store.listed("mine", winners[0])] == [ticket_id]
        assert await store.listed("waiting", winners[0]) == []

    with_store(test)


def test_transfer_and_close_are_for_the_holder_or_a_supervisor(redis_client: redis.Redis) -> None:
    async def test(store: TicketStore) -> None:
        ticket_id = (await store.escalate(message("m1"), HANDOFF)).ticket_id
        with pytest.raises(Conflict):
            await store.transfer(ticket_id, "lan", "an", supervisor=False)  # nobody holds it yet
        await store.claim(ticket_id, "lan")
        with pytest.raises(Conflict):
            await store.transfer(ticket_id, "binh", "binh", supervisor=False)  # not theirs
        assert await store.transfer(ticket_id, "lan", "an", supervisor=False) == "lan"
        assert await store.listed("mine", "lan") == []
        assert [t["id"] for t in await store.listed("mine", "an")] == [ticket_id]
        assert (
            await store.transfer(ticket_id, "chi", "lan", supervisor=True) == "an"
        )  # a supervisor reassigns
        with pytest.raises(Conflict):
            await store.close(ticket_id, "an", supervisor=False, outcome="closed")
        await store.close(ticket_id, "lan", supervisor=False, outcome="resumed")
        ticket = await store.get(ticket_id)
        assert (ticket["status"], ticket["outcome"], ticket["closed_by"]) == ("closed", "resumed", "lan")
        assert await store.listed("active", "lan") == []
        assert [t["id"] for t in await store.listed("history", "lan")] == [ticket_id]
        with pytest.raises(Conflict, match="đã đóng"):
            await store.claim(ticket_id, "an")
        # Closed: the citizen's next message is the bot's again, and a new handoff makes a new ticket.
        assert await store.follow_up(message("m3")) is None
        assert (await store.escalate(message("m4"), HANDOFF)).created
        with pytest.raises(TicketMissing):
            await store.claim("999", "lan")

    with_store(test)


def test_the_wait_estimate_uses_measured_handling_times_once_there_are_enough(
    redis_client: redis.Redis,
) -> None:
    async def test(store: TicketStore) -> None:
        assert await store.minutes_per_conversation(5.0) == 5.0
        await store.redis.lpush("helpdesk:durations", *[12 * 60_000] * 5)
        assert await store.minutes_per_conversation(5.0) == pytest.approx(12.0)

    with_store(test)
