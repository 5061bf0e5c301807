"""Citizens talking to the real Rasa (REST channel) while something changes underneath."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field

import requests


@dataclass
class Reply:
    sent_at: float
    status: int
    text: str


@dataclass
class Load:
    """`users` threads, each a conversation sending `message` again and again until stopped."""

    rasa_url: str
    message: str
    users: int = 4
    replies: list[Reply] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._talk, daemon=True) for _ in range(self.users)]

    def _talk(self) -> None:
        session = requests.Session()
        sender = f"maintenance-{uuid.uuid4().hex[:8]}"
        while not self._stop.is_set():
            sent = time.monotonic()
            try:
                response = session.post(
                    f"{self.rasa_url}/webhooks/rest/webhook",
                    json={"sender": sender, "message": self.message},
                    timeout=180,
                )
                text = "\n".join(m.get("text", "") for m in response.json()) if response.ok else response.text
                reply = Reply(sent, response.status_code, text)
            except (requests.RequestException, ValueError) as error:
                with self._lock:
                    self.errors.append(f"{type(error).__name__}: {error}")
                continue
            with self._lock:
                self.replies.append(reply)

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=200)

    def wait_for(self, text: str, seconds: float) -> Reply | None:
        """The first reply containing `text`, waiting up to `seconds`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with self._lock:
                found = next((r for r in self.replies if text in r.text), None)
            if found:
                return found
            time.sleep(0.1)
        return None

    def wait_for_replies(self, count: int, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while len(self.replies) < count and time.monotonic() < deadline:
            time.sleep(0.1)
