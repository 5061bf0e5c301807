"""What staff write reaches the citizen on their own channel and is recorded in Rasa's tracker.

Each step is done once per reply id (a marker in Redis after it succeeded), so a reply retried after a
failure (Zalo or Rasa down) resumes where it stopped instead of repeating itself to the citizen.
"""

from __future__ import annotations

import json
import time
from typing import Any

from redis.asyncio import Redis

from channels.channel import Channel
from channels.conversation import transcript_key
from channels.message import InboundMessage, OutgoingMessage, links_in
from channels.notifier import notify_channel
from channels.rasa_client import RasaClient

BACK_TO_BOT = (
    "Nhân viên hỗ trợ đã chuyển bạn lại cho trợ lý tự động. Bạn có thể tiếp tục hỏi về giấy tờ, lệ phí,"
    " thời gian và nơi nộp của thủ tục bạn cần."
)
CLOSED = (
    "Nhân viên hỗ trợ đã kết thúc cuộc trò chuyện. Cảm ơn bạn! Nếu cần, bạn cứ hỏi tiếp: trợ lý tự động"
    " sẽ trả lời."
)


class Undelivered(Exception):
    """The citizen's channel or Rasa did not take the reply; retrying the same reply is safe."""


def shown_as(agent_name: str, text: str) -> str:
    """'Nhân viên Lan: …': the given name (the last word of a Vietnamese name) before the text."""
    given = agent_name.split()[-1] if agent_name.split() else agent_name
    return f"Nhân viên {given}: {text}"


def marker_key(reply_id: str, step: str) -> str:
    return f"helpdesk:reply:{reply_id}:{step}"


class CitizenReplies:
    """Sends a staff reply or a notice to the citizen of a ticket."""

    def __init__(
        self, redis: Redis, rasa: RasaClient, channels: dict[str, Channel], ttl_seconds: int
    ) -> None:
        self.redis = redis
        self.rasa = rasa
        self.channels = channels
        self.ttl_seconds = ttl_seconds

    async def send(
        self, ticket: dict[str, Any], reply_id: str, text: str, agent: dict[str, str] | None = None
    ) -> str:
        """Delivers `text` (as the agent's, with their name, or as the assistant's notice); what was shown."""
        shown = shown_as(agent["name"], text) if agent else text
        steps = [
            ("transcript", lambda: self._to_transcript(ticket, reply_id, shown, agent)),
            ("channel", lambda: self._to_channel(ticket, reply_id, shown)),
            ("tracker", lambda: self._to_tracker(ticket, shown, agent)),
        ]
        for step, run in steps:
            if await self.redis.exists(marker_key(reply_id, step)):
                continue
            try:
                await run()
            except Exception as error:
                raise Undelivered(f"{step}: {error}") from error
            await self.redis.set(marker_key(reply_id, step), "1", ex=self.ttl_seconds)
        return shown

    async def _to_transcript(
        self, ticket: dict[str, Any], reply_id: str, shown: str, agent: dict[str, str] | None
    ) -> None:
        """Into the conversation's transcript, which the widget streams (and a reload shows again)."""
        key = transcript_key(ticket["channel"], ticket["conversation_id"])
        entry = {"kind": "bot", "reply_to": "", "text": shown, "buttons": [], "links": list(links_in(shown))}
        if agent:
            entry["agent"] = agent["name"]
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xadd(key, {"entry": json.dumps(entry, ensure_ascii=False)})
            pipe.expire(key, self.ttl_seconds)
            pipe.publish(notify_channel(key), "1")
            await pipe.execute()

    async def _to_channel(self, ticket: dict[str, Any], reply_id: str, shown: str) -> None:
        """Through the channel's own API (Zalo); the widget's channel has nothing more to do."""
        channel = self.channels.get(ticket["channel"])
        if channel is None:
            raise RuntimeError(f"channel {ticket['channel']!r} is not configured in this gateway")
        as_message = InboundMessage(ticket["channel"], ticket["conversation_id"], f"helpdesk-{reply_id}", "")
        await channel.send(as_message, [OutgoingMessage(text=shown, links=links_in(shown))])

    async def _to_tracker(self, ticket: dict[str, Any], shown: str, agent: dict[str, str] | None) -> None:
        event: dict[str, Any] = {"event": "bot", "text": shown, "timestamp": time.time()}
        event["metadata"] = {"agent": agent["name"], "helpdesk_ticket": ticket["id"]} if agent else {}
        await self.rasa.append_event(ticket["sender"], event)
