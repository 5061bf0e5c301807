"""A local fake of Zalo's OA message API and OAuth token refresh, for tests and the bench.

Never the real Zalo: the gateway is pointed at it with GATEWAY_ZALO_API_BASE / _OAUTH_BASE. It keeps
one valid access token and one valid refresh token at a time, as Zalo does (a refresh rotates both and
the old refresh token stops working), records every request, and can be told to misbehave:
`expire_token()` (the next message call gets -216), `fail_next(n)` (n x HTTP 503), `delay` seconds
before each answer, `error_next(code)` (one Zalo error other than -216).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import parse_qs

import uvicorn
from fastapi import FastAPI, Header, Request
from fastapi.responses import JSONResponse

from tests.channels.servers import free_port

APP_ID = "1234567890"
OA_SECRET_KEY = "oa-secret-key-for-tests"
APP_SECRET = "app-secret-for-tests"
FIRST_ACCESS_TOKEN = "access-1"
FIRST_REFRESH_TOKEN = "refresh-1"
MAX_TEXT_CHARS = 2000
# Zalo's headers are spelled with underscores (`access_token`, `secret_key`).
ExactHeader = Annotated[str, Header(convert_underscores=False)]


@dataclass
class Sent:
    user_id: str
    text: str
    access_token: str
    at: float


@dataclass
class Refresh:
    refresh_token: str
    app_id: str
    grant_type: str
    secret_key: str
    accepted: bool


@dataclass
class FakeZaloState:
    access_token: str = FIRST_ACCESS_TOKEN
    refresh_token: str = FIRST_REFRESH_TOKEN
    issued: int = 1
    delay: float = 0.0
    failures_left: int = 0
    error_code: int | None = None
    # Every accepted message, every refused call (with why), every refresh attempt.
    sent: list[Sent] = field(default_factory=list)
    refused: list[tuple[str, Any]] = field(default_factory=list)
    refreshes: list[Refresh] = field(default_factory=list)
    attempts: list[float] = field(default_factory=list)  # when each message call arrived
    # Called (in the fake's thread) with each accepted message: lets a bench wait instead of polling.
    on_sent: Callable[[Sent], object] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def build_app(state: FakeZaloState) -> FastAPI:
    app = FastAPI()

    @app.post("/v3.0/oa/message/cs")
    async def send_message(request: Request, access_token: ExactHeader = "") -> JSONResponse:
        if state.delay:
            await asyncio.sleep(state.delay)
        body = await request.json()
        with state.lock:
            state.attempts.append(time.monotonic())
            if state.failures_left > 0:
                state.failures_left -= 1
                state.refused.append(("503", body))
                return JSONResponse({"message": "service unavailable"}, status_code=503)
            if access_token != state.access_token:
                state.refused.append(("-216", body))
                return JSONResponse({"error": -216, "message": "Access token is invalid"})
            if state.error_code is not None:
                code, state.error_code = state.error_code, None
                state.refused.append((str(code), body))
                return JSONResponse({"error": code, "message": "User 0912345678 has not interacted"})
            user_id = body.get("recipient", {}).get("user_id")
            text = body.get("message", {}).get("text")
            if not isinstance(user_id, str) or not isinstance(text, str) or not text:
                state.refused.append(("-201", body))
                return JSONResponse({"error": -201, "message": "Parameters are invalid"})
            if len(text) > MAX_TEXT_CHARS:
                state.refused.append(("-201 too long", body))
                return JSONResponse({"error": -201, "message": "text is longer than 2000 characters"})
            sent = Sent(user_id, text, access_token, time.monotonic())
            state.sent.append(sent)
            number = len(state.sent)
            if state.on_sent is not None:
                state.on_sent(sent)
        return JSONResponse({"error": 0, "message": "Success", "data": {"message_id": f"zmsg-{number}"}})

    @app.post("/v4/oa/access_token")
    async def refresh(request: Request, secret_key: ExactHeader = "") -> JSONResponse:
        # Parsed by hand: FastAPI's Form() would need python-multipart, which the gateway does not use.
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        refresh_token, app_id = form.get("refresh_token", ""), form.get("app_id", "")
        grant_type = form.get("grant_type", "")
        if state.delay:
            await asyncio.sleep(state.delay)
        with state.lock:
            accepted = (
                refresh_token == state.refresh_token
                and app_id == APP_ID
                and grant_type == "refresh_token"
                and secret_key == APP_SECRET
            )
            state.refreshes.append(Refresh(refresh_token, app_id, grant_type, secret_key, accepted))
            if not accepted:
                return JSONResponse({"error": -14014, "error_name": "Invalid refresh token"})
            state.issued += 1
            state.access_token = f"access-{state.issued}"
            state.refresh_token = f"refresh-{state.issued}"
            return JSONResponse(
                {
                    "access_token": state.access_token,
                    "refresh_token": state.refresh_token,
                    "expires_in": "90000",
                }
            )

    return app


class FakeZalo:
    """The fake on a free port, served by uvicorn in a thread: `with FakeZalo() as zalo: zalo.url`."""

    def __init__(self) -> None:
        self.state = FakeZaloState()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(build_app(self.state), host="127.0.0.1", port=self.port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> FakeZalo:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the fake Zalo server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def gateway_settings(self) -> dict[str, Any]:
        """The gateway settings of an OA whose API is this fake (its first tokens included)."""
        return {
            "zalo_app_id": APP_ID,
            "zalo_oa_secret_key": OA_SECRET_KEY,
            "zalo_app_secret": APP_SECRET,
            "zalo_access_token": FIRST_ACCESS_TOKEN,
            "zalo_refresh_token": FIRST_REFRESH_TOKEN,
            "zalo_api_base": self.url,
            "zalo_oauth_base": self.url,
        }

    def expire_token(self) -> None:
        """The current access token stops working (the next message call answers -216)."""
        with self.state.lock:
            self.state.access_token = f"access-{self.state.issued}-expired"

    def fail_next(self, times: int) -> None:
        with self.state.lock:
            self.state.failures_left = times

    def error_next(self, code: int) -> None:
        with self.state.lock:
            self.state.error_code = code

    def sent_to(self, user_id: str) -> list[str]:
        with self.state.lock:
            return [sent.text for sent in self.state.sent if sent.user_id == user_id]

    def wait_sent(self, user_id: str, count: int, seconds: float) -> list[str]:
        """The texts sent to `user_id` once there are `count`; fails after `seconds`."""
        deadline = time.monotonic() + seconds
        while True:
            texts = self.sent_to(user_id)
            if len(texts) >= count:
                return texts
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(texts)} of {count} messages reached user {user_id}: {texts}")
            time.sleep(0.05)
