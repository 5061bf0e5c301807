"""The delivery worker: reads the inbox stream, asks Rasa, records the answer, hands it to the channel.

- In order per conversation (one queue and one task per Rasa sender), in parallel across them.
- Never drops a message: Rasa is retried with backoff until it answers, and an entry is acknowledged
  (XACK) only after its answer is stored and sent.
- A restarted gateway first takes back its own pending entries, then claims those another consumer
  left idle (XAUTOCLAIM); an answer already stored is not asked of Rasa again.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from redis.asyncio import Redis
from redis.exceptions import RedisError

from channels.channel import Channel
from channels.conversation import Conversations
from channels.helpdesk.escalation import Escalation
from channels.inbox import DEAD_LETTERS, GROUP, STREAM, Inbox, decode
from channels.message import InboundMessage, OutgoingMessage, links_in
from channels.rasa_client import RasaAnswer, RasaClient
from channels.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")

READ_BATCH = 100
READ_BLOCK_MS = 1000
# Entries read but not yet answered; past this the worker stops reading until some are done.
MAX_IN_FLIGHT = 2000
# A message queued with its answer already decided by the channel (Zalo's "please type your question"
# to a sticker, its welcome to a new follower) carries it in this metadata key; Rasa is not asked.
FIXED_REPLY = "gateway_fixed_reply"


class Delivery:
    """Started and stopped with the app (see `channels.app`)."""

    def __init__(
        self,
        redis: Redis,
        inbox: Inbox,
        rasa: RasaClient,
        conversations: Conversations,
        channels: dict[str, Channel],
        settings: Settings,
        escalation: Escalation | None = None,
    ) -> None:
        self.redis = redis
        self.escalation = escalation
        self.inbox = inbox
        self.rasa = rasa
        self.conversations = conversations
        self.channels = channels
        self.settings = settings
        self.consumer = settings.consumer_name
        self._queues: dict[str, deque[tuple[str, InboundMessage]]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._in_flight: set[str] = set()
        self._rasa_slots = asyncio.Semaphore(settings.max_parallel_deliveries)

    async def run(self) -> None:
        """Runs until cancelled; Redis errors are logged and retried, never fatal."""
        await self._retry("redis", self.inbox.ensure_group)
        await self._retry("redis", self._take_back_own_pending)
        loop = asyncio.get_running_loop()
        next_claim = loop.time()
        try:
            while True:
                try:
                    if loop.time() >= next_claim:
                        await self._claim_idle()
                        next_claim = loop.time() + max(self.settings.claim_idle_seconds / 2, 0.5)
                    if len(self._in_flight) >= MAX_IN_FLIGHT:
                        await asyncio.sleep(0.1)
                        continue
                    found: Any = await self.redis.xreadgroup(
                        GROUP, self.consumer, {STREAM: ">"}, count=READ_BATCH, block=READ_BLOCK_MS
                    )
                    for _, entries in found or []:
                        await self._dispatch(entries)
                except RedisError as error:
                    log.warning("delivery: Redis error, retrying in 1 s: %s", error)
                    await asyncio.sleep(1)
        finally:
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _take_back_own_pending(self) -> None:
        """Entries this consumer read before a restart but never acknowledged, oldest first."""
        start = "0"
        while True:
            found: Any = await self.redis.xreadgroup(GROUP, self.consumer, {STREAM: start}, count=READ_BATCH)
            entries = found[0][1] if found else []
            if not entries:
                return
            await self._dispatch(entries)
            start = entries[-1][0]

    async def _claim_idle(self) -> None:
        """Entries other consumers (a gateway that died under another name) left pending too long."""
        cursor = "0-0"
        idle_ms = int(self.settings.claim_idle_seconds * 1000)
        while True:
            claimed: Any = await self.redis.xautoclaim(
                STREAM, GROUP, self.consumer, min_idle_time=idle_ms, start_id=cursor, count=READ_BATCH
            )
            cursor, entries = claimed[0], claimed[1]
            await self._dispatch(entries)
            if cursor in ("0-0", b"0-0"):
                return

    async def _dispatch(self, entries: list[tuple[str, dict[str, Any]]]) -> None:
        for entry_id, fields in entries:
            if entry_id in self._in_flight:
                continue
            if fields is None:  # trimmed from the stream while pending: nothing left to deliver
                await self.redis.xack(STREAM, GROUP, entry_id)
                continue
            try:
                message = decode(fields)
            except (KeyError, TypeError, ValueError):
                log.error("delivery: entry %s is unreadable; moved to %s", entry_id, DEAD_LETTERS)
                async with self.redis.pipeline(transaction=True) as pipe:
                    pipe.xadd(DEAD_LETTERS, {k: str(v) for k, v in fields.items()} or {"empty": "1"})
                    pipe.xack(STREAM, GROUP, entry_id)
                    await pipe.execute()
                continue
            self._in_flight.add(entry_id)
            queue = self._queues.get(message.sender)
            if queue is not None:
                queue.append((entry_id, message))
                continue
            self._queues[message.sender] = deque([(entry_id, message)])
            task = asyncio.create_task(self._drain(message.sender))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _drain(self, sender: str) -> None:
        """Delivers one conversation's entries one after another, in stream order."""
        queue = self._queues[sender]
        try:
            while queue:
                entry_id, message = queue[0]
                await self._deliver(entry_id, message)
                queue.popleft()
                self._in_flight.discard(entry_id)
        finally:
            # Cancelled mid-way (shutdown): the entries stay pending in the stream for the next start.
            for entry_id, _ in queue:
                self._in_flight.discard(entry_id)
            del self._queues[sender]

    async def _deliver(self, entry_id: str, message: InboundMessage) -> None:
        replies = await self._retry("redis", lambda: self.conversations.answer_of(message))
        if replies is None:
            fixed = message.metadata.get(FIXED_REPLY)
            if isinstance(fixed, str) and fixed:
                replies = [OutgoingMessage(text=fixed, links=links_in(fixed))]
            else:
                replies = await self._ask_rasa(entry_id, message)
            answer = replies
            await self._retry("redis", lambda: self.conversations.record_answer(message, answer))
        channel = self.channels.get(message.channel)
        if channel is not None:
            answer = replies
            await self._retry(message.channel, lambda: channel.send(message, answer))
        else:
            log.error("delivery: no channel %r for %s; answer kept in transcript", message.channel, entry_id)
        await self._retry("redis", lambda: self.redis.xack(STREAM, GROUP, entry_id))

    async def _ask_rasa(self, entry_id: str, message: InboundMessage) -> list[OutgoingMessage]:
        """Rasa's answer; with the help desk, the message also reaches an open ticket's feed and a
        handoff in the answer opens a ticket (each step retried on its own, so Rasa is asked once)."""
        escalation = self.escalation
        if escalation is not None:
            await self._retry("redis", lambda: escalation.before_rasa(message))
        answer = await self._retry("rasa", lambda: self._converse(entry_id, message))
        if escalation is None:
            return answer.messages
        return await self._retry("redis", lambda: escalation.after_rasa(message, answer))

    async def _converse(self, entry_id: str, message: InboundMessage) -> RasaAnswer:
        async with self._rasa_slots:
            log.debug("delivery: entry %s (%s) to Rasa", entry_id, message.message_id)
            return await self.rasa.converse(message)

    async def _retry(self, what: str, attempt: Callable[[], Awaitable[T]]) -> T:
        """Calls `attempt` until it succeeds, with capped exponential backoff and jitter."""
        delay = self.settings.retry_initial_seconds
        failures = 0
        while True:
            try:
                return await attempt()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                failures += 1
                if failures == 1 or failures % 10 == 0:
                    log.warning("delivery: %s failed %d time(s), retrying: %s", what, failures, error)
                await asyncio.sleep(delay * random.uniform(0.8, 1.2))
                delay = min(delay * 2, self.settings.retry_max_seconds)
