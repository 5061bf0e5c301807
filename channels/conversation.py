"""A conversation's transcript in Redis: what the citizen wrote and what the assistant answered.

One Redis Stream per conversation; its entry ids (`1732600000000-0`) are what the widget passes as
`after` to fetch what it has not shown yet, so a reloaded page shows the whole conversation again.
"""

from __future__ import annotations

import asyncio
import json
import re
from contextlib import nullcontext, suppress
from typing import Any

from redis.asyncio import Redis

from channels.message import InboundMessage, OutgoingMessage
from channels.notifier import TranscriptNotifier, notify_channel

ENTRY_ID = re.compile(r"^\d{1,20}-\d{1,20}$")
HISTORY_LIMIT = 200
# Without a notifier (tests of this module alone), waiting is polling at this interval.
POLL_SECONDS = 0.5


def transcript_key(channel: str, conversation_id: str) -> str:
    return f"channels:conversation:{channel}:{conversation_id}"


def answer_key(message: InboundMessage) -> str:
    return f"channels:answer:{message.channel}:{message.conversation_id}:{message.message_id}"


def user_entry(message: InboundMessage) -> dict[str, Any]:
    return {"kind": "user", "message_id": message.message_id, "text": message.shown or message.text}


class Conversations:
    """Reads and writes transcripts; the delivery worker records answers here."""

    def __init__(self, redis: Redis, ttl_seconds: int, notifier: TranscriptNotifier | None = None) -> None:
        self.redis = redis
        self.ttl_seconds = ttl_seconds
        self.notifier = notifier

    async def entries(
        self, channel: str, conversation_id: str, after: str | None = None, wait_seconds: float = 0
    ) -> list[dict[str, Any]]:
        """Entries after `after` (the latest ones when None), waiting up to `wait_seconds` for one."""
        key = transcript_key(channel, conversation_id)
        if after is None:
            latest: Any = await self.redis.xrevrange(key, count=HISTORY_LIMIT)
            return [_decode(entry_id, fields) for entry_id, fields in reversed(latest)]
        if wait_seconds <= 0:
            return await self._after(key, after)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_seconds
        while True:
            with self.notifier.waiting(key) if self.notifier else nullcontext(asyncio.Event()) as written:
                found = await self._after(key, after)
                left = deadline - loop.time()
                if found or left <= 0:
                    return found
                timeout = left if self.notifier else min(left, POLL_SECONDS)
                with suppress(TimeoutError):
                    await asyncio.wait_for(written.wait(), timeout)

    async def _after(self, key: str, after: str) -> list[dict[str, Any]]:
        items: Any = await self.redis.xrange(key, min=f"({after}", count=HISTORY_LIMIT)
        return [_decode(entry_id, fields) for entry_id, fields in items]

    async def answer_of(self, message: InboundMessage) -> list[OutgoingMessage] | None:
        """The replies already recorded for this message (a redelivery after a crash), if any."""
        stored = await self.redis.get(answer_key(message))
        if stored is None:
            return None
        return [OutgoingMessage.from_dict(item) for item in json.loads(stored)]

    async def record_answer(self, message: InboundMessage, replies: list[OutgoingMessage]) -> None:
        """Stores the replies and appends them to the transcript, all or nothing.

        The closing `answered` entry tells the widget to stop its typing indicator, even when the
        assistant had nothing to say.
        """
        key = transcript_key(message.channel, message.conversation_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(
                answer_key(message),
                json.dumps([reply.as_dict() for reply in replies], ensure_ascii=False),
                ex=self.ttl_seconds,
            )
            for reply in replies:
                entry = {"kind": "bot", "reply_to": message.message_id, **reply.as_dict()}
                pipe.xadd(key, {"entry": json.dumps(entry, ensure_ascii=False)})
            answered = {"kind": "answered", "reply_to": message.message_id}
            pipe.xadd(key, {"entry": json.dumps(answered)})
            pipe.expire(key, self.ttl_seconds)
            pipe.publish(notify_channel(key), "1")
            await pipe.execute()


def _decode(entry_id: str, fields: dict[str, str]) -> dict[str, Any]:
    return {"id": entry_id, **json.loads(fields["entry"])}
