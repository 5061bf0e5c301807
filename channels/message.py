"""The messages crossing the gateway: what a citizen sent, and the one outgoing model channels render."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, TypedDict

# Links are only ever http(s); anything else in a reply (javascript:, data:) stays plain text.
_LINK = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]}]")


class RasaReply(TypedDict, total=False):
    """One item of the list Rasa's REST channel answers with."""

    recipient_id: str
    text: str
    buttons: list[dict[str, str]]
    image: str
    custom: dict[str, Any]


@dataclass(frozen=True)
class Button:
    """A quick reply: the citizen sees `title`; the assistant receives `payload`."""

    title: str
    payload: str


@dataclass(frozen=True)
class OutgoingMessage:
    """One message of the assistant, before a channel renders it."""

    text: str
    buttons: tuple[Button, ...] = ()
    links: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "buttons": [{"title": b.title, "payload": b.payload} for b in self.buttons],
            "links": list(self.links),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutgoingMessage:
        return cls(
            text=str(data.get("text", "")),
            buttons=tuple(Button(str(b["title"]), str(b["payload"])) for b in data.get("buttons", [])),
            links=tuple(str(link) for link in data.get("links", [])),
        )


def links_in(text: str) -> tuple[str, ...]:
    """The http(s) addresses in a text, in order, each once."""
    return tuple(dict.fromkeys(_LINK.findall(text)))


def from_rasa(replies: list[RasaReply]) -> list[OutgoingMessage]:
    """Rasa's REST replies as outgoing messages; items with neither text nor buttons are dropped."""
    messages = []
    for reply in replies:
        text = str(reply.get("text") or "")
        if not text and reply.get("image"):
            text = str(reply["image"])
        buttons = tuple(
            Button(str(b.get("title") or b.get("payload")), str(b["payload"]))
            for b in reply.get("buttons") or []
            if b.get("payload")
        )
        if text or buttons:
            messages.append(OutgoingMessage(text=text, buttons=buttons, links=links_in(text)))
    return messages


@dataclass(frozen=True)
class InboundMessage:
    """A citizen's message as a channel parsed it, before it is queued.

    `text` goes to Rasa; `shown` is what the transcript shows (the button title when a quick reply
    was clicked, its payload going to Rasa).
    """

    channel: str
    conversation_id: str
    message_id: str
    text: str
    shown: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def sender(self) -> str:
        """The sender id Rasa keeps the conversation under: one per channel and conversation."""
        return f"{self.channel}-{self.conversation_id}"
