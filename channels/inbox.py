"""The durable inbox: every citizen message is appended to a Redis Stream before it is acknowledged.

Appending is one Lua script, so a message is either wholly accepted (marked seen, queued for the
delivery worker, shown in its transcript) or not at all; a second copy with the same message id is
recognised and not queued again.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from channels.conversation import transcript_key, user_entry
from channels.message import InboundMessage
from channels.notifier import notify_channel

STREAM = "channels:inbox"
GROUP = "delivery"
DEAD_LETTERS = "channels:inbox:unreadable"

_APPEND = """
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  return 0
end
redis.call('XADD', KEYS[2], '*', 'message', ARGV[2])
redis.call('XADD', KEYS[3], '*', 'entry', ARGV[3])
redis.call('EXPIRE', KEYS[3], ARGV[4])
redis.call('PUBLISH', ARGV[5], '1')
return 1
"""


def seen_key(message: InboundMessage) -> str:
    return f"channels:seen:{message.channel}:{message.conversation_id}:{message.message_id}"


def encode(message: InboundMessage) -> str:
    return json.dumps(asdict(message), ensure_ascii=False)


def decode(fields: dict[str, Any]) -> InboundMessage:
    return InboundMessage(**json.loads(fields["message"]))


class Inbox:
    """Appends citizen messages to the stream the delivery worker reads."""

    def __init__(self, redis: Redis, duplicate_window_seconds: int, transcript_ttl_seconds: int) -> None:
        self.redis = redis
        self.duplicate_window_seconds = duplicate_window_seconds
        self.transcript_ttl_seconds = transcript_ttl_seconds
        self._append = redis.register_script(_APPEND)

    async def append(self, message: InboundMessage) -> bool:
        """Queues the message; False when this message id was already queued (a duplicate)."""
        queued = await self._append(
            keys=[seen_key(message), STREAM, transcript_key(message.channel, message.conversation_id)],
            args=[
                self.duplicate_window_seconds,
                encode(message),
                json.dumps(user_entry(message), ensure_ascii=False),
                self.transcript_ttl_seconds,
                notify_channel(transcript_key(message.channel, message.conversation_id)),
            ],
        )
        return bool(queued)

    async def ensure_group(self) -> None:
        """Creates the stream and the delivery group once; later calls leave them as they are."""
        try:
            await self.redis.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
        except ResponseError as error:
            if "BUSYGROUP" not in str(error):
                raise
