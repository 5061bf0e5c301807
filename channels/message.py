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


HANDOFF_REASONS = ("request_human", "misunderstood", "status_fault")
RECENT_LIMIT = 8


@dataclass(frozen=True)
class Handoff:
    """The bot's request for a person (a `custom.handoff` item of its replies): why, and a summary."""

    reason: str
    question: str = ""
    procedure_code: str = ""
    procedure_name: str = ""
    recent: tuple[tuple[str, str], ...] = ()  # (from: "user" | "bot", text), oldest first

    def as_dict(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "question": self.question,
            "procedure_code": self.procedure_code,
            "procedure_name": self.procedure_name,
            "recent": [{"from": who, "text": text} for who, text in self.recent],
        }


def handoff_in(replies: list[RasaReply]) -> Handoff | None:
    """The handoff the bot asked for in these replies, if any.

    Read leniently: a malformed summary still escalates (a citizen asking for a person must reach
    one), with what could be read and the reason `request_human` when the bot's reason is unknown.
    """
    for reply in replies:
        custom = reply.get("custom")
        item = custom.get("handoff") if isinstance(custom, dict) else None
        if not isinstance(item, dict):
            continue
        reason = item.get("reason")
        procedure: Any = item.get("procedure")
        procedure = procedure if isinstance(procedure, dict) else {}
        listed: Any = item.get("recent")
        recent = tuple(
            ("user" if r.get("from") == "user" else "bot", str(r["text"]))
            for r in (listed if isinstance(listed, list) else [])
            if isinstance(r, dict) and isinstance(r.get("text"), str) and r["text"].strip()
        )
        return Handoff(
            reason=reason if reason in HANDOFF_REASONS else "request_human",
            question=str(item.get("question") or ""),
            procedure_code=str(procedure.get("code") or ""),
            procedure_name=str(procedure.get("name") or ""),
            recent=recent[-RECENT_LIMIT:],
        )
    return None


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
