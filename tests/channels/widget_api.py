"""The widget's HTTP API as the tests use it."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx


def new_conversation() -> str:
    return uuid.uuid4().hex


def post(base_url: str, conversation_id: str, text: str, message_id: str | None = None) -> httpx.Response:
    body = {"message_id": message_id or uuid.uuid4().hex, "text": text}
    return httpx.post(f"{base_url}/api/web/{conversation_id}/messages", json=body, timeout=10)


def entries(base_url: str, conversation_id: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{base_url}/api/web/{conversation_id}/messages", timeout=10)
    response.raise_for_status()
    return list(response.json()["entries"])


def wait_answered(base_url: str, conversation_id: str, count: int, seconds: float) -> list[dict[str, Any]]:
    """The transcript once `count` messages are answered; fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        found = entries(base_url, conversation_id)
        if sum(entry["kind"] == "answered" for entry in found) >= count:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not {count} answers after {seconds} s: {found}")
        time.sleep(0.2)


def answers_by_message(transcript: list[dict[str, Any]]) -> dict[str, str]:
    """message_id -> the assistant's text in reply to it (all its messages joined)."""
    texts: dict[str, list[str]] = {}
    for entry in transcript:
        if entry["kind"] == "bot":
            texts.setdefault(entry["reply_to"], []).append(entry["text"])
    return {message_id: "\n".join(parts) for message_id, parts in texts.items()}
