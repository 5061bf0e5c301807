"""The Zalo channel, outbound: the assistant's replies as Zalo text messages.

Buttons are rendered as numbered lines under the text ("1. Gặp nhân viên"), with a hint to answer by
number: plain text works in every Zalo client and within the OA's reply window, while Zalo's own
button templates depend on the OA's tier. The choices offered last are kept in Redis for a day, so a
citizen answering "1" is read as the first button's payload by the webhook (`choice_for`).

A long reply is sent in pieces of at most 2,000 characters (Zalo's limit). The pieces already sent for
a message are counted in Redis, so a send retried after a failure (or after a restart) resumes after
the last piece Zalo accepted instead of repeating the answer.
"""

from __future__ import annotations

import json
import re

from redis.asyncio import Redis

from channels.message import Button, InboundMessage, OutgoingMessage
from channels.settings import Settings
from channels.zalo.api import MAX_TEXT_CHARS, ZaloApi, split_text
from channels.zalo.events import NAME

CHOICE_HINT = "(Bạn trả lời bằng số để chọn)"
CHOICES_SECONDS = 24 * 3600
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def choices_key(user_id: str) -> str:
    return f"channels:zalo:choices:{user_id}"


def progress_key(message: InboundMessage) -> str:
    return f"channels:zalo:sent:{message.conversation_id}:{message.message_id}"


def render(replies: list[OutgoingMessage]) -> tuple[list[str], list[Button]]:
    """The replies as texts, buttons numbered across the whole answer; and the buttons in order."""
    texts, buttons = [], []
    for reply in replies:
        lines = [reply.text.strip()] if reply.text.strip() else []
        for button in reply.buttons:
            buttons.append(button)
            lines.append(f"{len(buttons)}. {button.title}")
        if reply.buttons:
            lines.append(CHOICE_HINT)
        if lines:
            texts.append("\n".join(lines))
    return texts, buttons


class ZaloChannel:
    """Implements `channels.channel.Channel` for Zalo."""

    name = NAME

    def __init__(self, redis: Redis, settings: Settings, api: ZaloApi | None = None) -> None:
        self.redis = redis
        self.api = api or ZaloApi(redis, settings)
        self.ttl_seconds = settings.duplicate_window_seconds

    async def send(self, message: InboundMessage, replies: list[OutgoingMessage]) -> None:
        user_id = message.conversation_id
        texts, buttons = render(replies)
        pieces = [piece for text in texts for piece in split_text(text, MAX_TEXT_CHARS)]
        key = progress_key(message)
        done = int(await self.redis.get(key) or 0)
        if done == 0:
            await self._offer(user_id, buttons)
        for index in range(done, len(pieces)):
            await self.api.send_text(user_id, pieces[index])
            await self.redis.set(key, index + 1, ex=self.ttl_seconds)

    async def _offer(self, user_id: str, buttons: list[Button]) -> None:
        """Remembers the numbered choices of this answer (none: a number is just a number again)."""
        if buttons:
            offered = [{"title": b.title, "payload": b.payload} for b in buttons]
            choices = json.dumps(offered, ensure_ascii=False)
            await self.redis.set(choices_key(user_id), choices, ex=CHOICES_SECONDS)
        else:
            await self.redis.delete(choices_key(user_id))

    async def aclose(self) -> None:
        await self.api.aclose()


async def choice_for(redis: Redis, user_id: str, text: str) -> Button | None:
    """The button a bare number ("1", "2.") picks among the choices offered last to this user."""
    number = _NUMBER.match(text)
    if number is None:
        return None
    stored = await redis.get(choices_key(user_id))
    if not stored:
        return None
    choices = json.loads(stored)
    index = int(number.group(1)) - 1
    if not 0 <= index < len(choices):
        return None
    return Button(str(choices[index]["title"]), str(choices[index]["payload"]))
