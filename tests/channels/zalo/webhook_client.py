"""Signed Zalo webhook events as the tests and the bench post them."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import httpx

from channels.zalo.signature import sign
from tests.channels.zalo.fake_zalo import APP_ID, OA_SECRET_KEY


def event(name: str, user_id: str, text: str | None = None, msg_id: str | None = None) -> dict[str, Any]:
    """A webhook body shaped like Zalo's (follow and unfollow name the user as `follower`)."""
    body: dict[str, Any] = {"app_id": APP_ID, "event_name": name, "timestamp": str(int(time.time() * 1000))}
    if name in ("follow", "unfollow"):
        return {**body, "oa_id": "oa-1", "follower": {"id": user_id}, "source": "oa_profile"}
    message: dict[str, Any] = {"msg_id": msg_id or uuid.uuid4().hex}
    if text is not None:
        message["text"] = text
    if name == "user_send_image":
        message["attachments"] = [{"type": "image", "payload": {"url": "https://example.invalid/a.jpg"}}]
    sender, recipient = {"id": user_id}, {"id": "oa-1"}
    if name.startswith("oa_send_"):
        sender, recipient = recipient, sender
    return {**body, "sender": sender, "recipient": recipient, "message": message}


def signed(body: dict[str, Any] | bytes, timestamp: str | None = None) -> tuple[bytes, dict[str, str]]:
    """The raw bytes and headers Zalo would send for this body."""
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    if timestamp is None:
        timestamp = str(json.loads(raw)["timestamp"])
    headers = {
        "content-type": "application/json",
        "X-ZEvent-Signature": sign(APP_ID, raw, timestamp, OA_SECRET_KEY),
    }
    return raw, headers


def post(
    gateway_url: str, body: dict[str, Any] | bytes, headers: dict[str, str] | None = None
) -> httpx.Response:
    """Posts a body signed with the test OA's secret (or with the given headers as they are)."""
    if headers is None:
        raw, headers = signed(body)
    else:
        raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    return httpx.post(f"{gateway_url}/webhooks/zalo", content=raw, headers=headers, timeout=10)
