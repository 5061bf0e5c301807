"""The web widget as a channel: what the widget sends, parsed and checked; how replies reach it.

The widget's outbox is the conversation transcript itself: the WebSocket and the HTTP fallback both
stream transcript entries after the last one the page has shown, so `send` has nothing left to do.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from channels.message import InboundMessage, OutgoingMessage
from channels.payload import UnreadableBody, read_json

NAME = "web"
CONVERSATION_ID = r"^[A-Za-z0-9_-]{8,64}$"
_CONVERSATION_ID = re.compile(CONVERSATION_ID)


class BadMessage(Exception):
    """A widget message the gateway refuses, with the reason shown to the sender."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class WidgetMessage(BaseModel):
    """What the widget posts: typed `text`, or a quick reply's `payload` with its title as `text`."""

    model_config = ConfigDict(extra="forbid")

    message_id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    text: str
    payload: str | None = Field(default=None, max_length=1000)


def parse(raw: bytes | str, conversation_id: str, max_text_chars: int) -> InboundMessage:
    """The widget's JSON as an inbound message; raises BadMessage (4xx) with the reason."""
    if not _CONVERSATION_ID.match(conversation_id):
        raise BadMessage(422, "conversation id must be 8–64 letters, digits, '-' or '_'")
    try:
        data = read_json(raw)
    except UnreadableBody as error:
        raise BadMessage(400, error.detail) from error
    try:
        message = WidgetMessage.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in error.errors())
        raise BadMessage(422, f"invalid message: {problems}") from error
    text = message.text.strip()
    if not text:
        raise BadMessage(422, "text is empty")
    if len(text) > max_text_chars:
        raise BadMessage(422, f"text is {len(text)} characters; at most {max_text_chars} are accepted")
    payload = (message.payload or "").strip()
    if message.payload is not None and not payload.startswith("/"):
        raise BadMessage(422, "payload must be a quick reply's payload (starting with '/')")
    return InboundMessage(
        channel=NAME,
        conversation_id=conversation_id,
        message_id=message.message_id,
        text=payload or text,
        shown=text,
    )


class WebChannel:
    """Outbound half of the widget channel (see the module docstring)."""

    name = NAME

    async def send(self, message: InboundMessage, replies: list[OutgoingMessage]) -> None:
        return None
