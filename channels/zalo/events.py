"""Zalo webhook events, parsed: a citizen's text to ask Rasa, a fixed reply to queue, or nothing to do.

Shapes (see /work/shared/NOTES.md): `{"app_id", "event_name", "sender": {"id"}, "recipient": {"id"},
"message": {"text", "msg_id"}, "timestamp"}`; `follow` / `unfollow` name the user in `follower.id`.

- `user_send_text` → an `InboundMessage` for Rasa, deduplicated by `msg_id`.
- other `user_send_*` (image, sticker, file, location, gif, audio, video, link, business card) → the
  polite "please type your question"; `follow` → the welcome. Both are queued like any message, with
  their reply fixed in advance (`FIXED_REPLY`), so they survive a restart and keep the user's order.
- `unfollow`, `oa_send_*` (the OA's own messages, e.g. staff typing in Zalo's console) and any other
  event (`user_seen_message`, `user_received_message`, ...) → nothing to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from channels.delivery import FIXED_REPLY
from channels.message import InboundMessage

NAME = "zalo"
# Zalo user ids are digits; they become part of Redis keys and of Rasa's sender id, so nothing odd passes.
_USER_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

POLITE_NON_TEXT = (
    "Xin lỗi, tôi chỉ đọc được tin nhắn chữ, bạn vui lòng gõ câu hỏi. "
    "Ví dụ: “làm hộ chiếu hết bao nhiêu tiền” hoặc “đăng ký khai sinh cần giấy tờ gì”."
)
WELCOME = (
    "Xin chào, cảm ơn bạn đã quan tâm! Tôi là trợ lý hướng dẫn thủ tục hành chính. Bạn cần hỏi về thủ tục "
    "nào (ví dụ: làm hộ chiếu, đăng ký khai sinh, đổi bằng lái)? Tôi có thể cho biết giấy tờ cần chuẩn bị, "
    "lệ phí, thời gian giải quyết, nơi nộp và cách nộp trực tuyến."
)
TOO_LONG = "Xin lỗi, tin nhắn của bạn dài quá. Bạn vui lòng gõ câu hỏi ngắn gọn hơn (dưới {limit} ký tự)."

# What the transcript shows for events that carry no text.
_LABELS = {
    "image": "[hình ảnh]",
    "sticker": "[nhãn dán]",
    "file": "[tệp]",
    "location": "[vị trí]",
    "gif": "[ảnh động]",
    "audio": "[tin nhắn thoại]",
    "video": "[video]",
    "link": "[liên kết]",
    "business_card": "[danh thiếp]",
}


class BadEvent(Exception):
    """An event the webhook refuses (4xx), with the reason."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class Event:
    """A parsed event: `message` to queue, or None when there is nothing to do (`ignored` says why)."""

    name: str
    message: InboundMessage | None = None
    ignored: str = ""


def timestamp_of(data: dict[str, Any]) -> str:
    """The event's `timestamp` as Zalo wrote it (a string of milliseconds; a number is accepted)."""
    value = data.get("timestamp")
    if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
        raise BadEvent(422, "event has no timestamp")
    return str(value)


def parse(data: dict[str, Any], max_text_chars: int) -> Event:
    """One verified webhook body as an Event; raises BadEvent (422) when a field it needs is missing."""
    name = data.get("event_name")
    if not isinstance(name, str) or not name:
        raise BadEvent(422, "event has no event_name")
    timestamp = timestamp_of(data)
    if name == "follow":
        user_id = _user_id(data, "follower") or _user_id(data, "sender")
        if user_id is None:
            raise BadEvent(422, "follow event has no follower.id")
        return Event(name, _fixed(user_id, f"follow-{timestamp}", "[quan tâm OA]", WELCOME))
    if not name.startswith("user_send_"):
        return Event(name, ignored="not a citizen's message")
    user_id = _user_id(data, "sender")
    if user_id is None:
        raise BadEvent(422, f"{name} event has no sender.id")
    message = data.get("message")
    if not isinstance(message, dict):
        raise BadEvent(422, f"{name} event has no message object")
    msg_id = message.get("msg_id")
    if msg_id is not None and (not isinstance(msg_id, str | int) or not str(msg_id).strip()):
        raise BadEvent(422, "message.msg_id must be a non-empty string")
    if name != "user_send_text":
        label = _LABELS.get(name.removeprefix("user_send_"), "[tin nhắn không phải chữ]")
        return Event(name, _fixed(user_id, str(msg_id or f"{name}-{timestamp}"), label, POLITE_NON_TEXT))
    if msg_id is None:
        raise BadEvent(422, "user_send_text event has no message.msg_id")
    text = message.get("text")
    if not isinstance(text, str):
        raise BadEvent(422, "user_send_text event has no message.text")
    text = text.strip()
    if not text:
        return Event(name, ignored="empty text")
    if len(text) > max_text_chars:
        shown = text[:200] + "…"
        return Event(name, _fixed(user_id, str(msg_id), shown, TOO_LONG.format(limit=max_text_chars)))
    return Event(name, text_message(user_id, str(msg_id), text))


def metadata(user_id: str) -> dict[str, Any]:
    """What Rasa gets as metadata: the status lock-out counts attempts per Zalo user."""
    return {"channel": NAME, "zalo_user_id": user_id}


def text_message(user_id: str, msg_id: str, text: str, shown: str = "") -> InboundMessage:
    return InboundMessage(NAME, user_id, msg_id, text, shown or text, metadata(user_id))


def _fixed(user_id: str, message_id: str, shown: str, reply: str) -> InboundMessage:
    return InboundMessage(NAME, user_id, message_id, shown, shown, {**metadata(user_id), FIXED_REPLY: reply})


def _user_id(data: dict[str, Any], key: str) -> str | None:
    holder = data.get(key)
    user_id = holder.get("id") if isinstance(holder, dict) else None
    if isinstance(user_id, bool) or not isinstance(user_id, str | int) or not str(user_id).strip():
        return None
    user_id = str(user_id).strip()
    if not _USER_ID.match(user_id):
        raise BadEvent(422, f"{key}.id is not a Zalo user id")
    return user_id
