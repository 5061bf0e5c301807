"""The console's sign-in, sessions, CSRF, lock-out, roles and input checks, over HTTP against a real gateway
(uvicorn, the tests' Redis db 10). No Rasa is needed here: nothing is asked of it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import redis
from redis.asyncio import Redis

from channels.helpdesk.staff import StaffDirectory, staff_key
from channels.helpdesk.tickets import TicketStore
from channels.message import Handoff, InboundMessage
from channels.settings import Settings
from tests.channels.conftest import GATEWAY_DB
from tests.channels.helpdesk.console_client import PASSWORD, Staff, add_staff
from tests.channels.servers import GatewayServer, free_port

ROOT = Path(__file__).resolve().parents[3]
URL = f"redis://127.0.0.1:6379/{GATEWAY_DB}"


@pytest.fixture
def gateway(make_settings: Callable[..., Settings]) -> Iterator[GatewayServer]:
    nowhere = f"http://127.0.0.1:{free_port()}"  # no Rasa: these tests never reach it
    with GatewayServer(make_settings(rasa_url=nowhere, helpdesk_session_seconds=2)) as server:
        yield server


def escalate(conversation: str) -> str:
    async def run() -> str:
        client = Redis.from_url(URL, decode_responses=True)
        try:
            message = InboundMessage("web", conversation, "m1", "cho tôi gặp nhân viên")
            handoff = Handoff("request_human", question="<b>khai sinh</b>")
            return (await TicketStore(client, 3600).escalate(message, handoff)).ticket_id
        finally:
            await client.aclose()

    return asyncio.run(run())


def cli(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "channels.helpdesk", *arguments]


def test_an_account_is_made_with_the_cli_and_its_password_is_an_argon2id_hash(
    redis_client: redis.Redis,
) -> None:
    env = {**os.environ, "GATEWAY_REDIS_URL": URL, "HELPDESK_PASSWORD": PASSWORD, "PYTHONPATH": str(ROOT)}
    made = subprocess.run(
        cli("add-staff", "--username", "lan", "--name", "Nguyễn Thị Lan", "--role", "supervisor"),
        env=env, cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    stored = redis_client.hgetall(staff_key("lan"))
    assert stored["role"] == "supervisor" and stored["name"] == "Nguyễn Thị Lan"
    assert stored["password"].startswith("$argon2id$") and PASSWORD not in stored["password"]
    again = subprocess.run(
        cli("add-staff", "--username", "lan", "--name", "X", "--role", "agent"),
        env=env, cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert again.returncode == 2 and "exists" in again.stderr
    short = subprocess.run(
        cli("add-staff", "--username", "an", "--name", "An", "--role", "agent"),
        env={**env, "HELPDESK_PASSWORD": "short"}, cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert short.returncode == 2 and "at least 10" in short.stderr

    async def verify(password: str) -> bool:
        client = Redis.from_url(URL, decode_responses=True)
        try:
            return await StaffDirectory(client).verify("lan", password) is not None
        finally:
            await client.aclose()

    assert asyncio.run(verify(PASSWORD))
    assert not asyncio.run(verify(PASSWORD + "x"))


def test_signing_in_sets_a_strict_httponly_session_cookie(gateway: GatewayServer) -> None:
    add_staff("lan", "Nguyễn Thị Lan", "agent")
    page = httpx.get(f"{gateway.url}/helpdesk")
    assert page.status_code == 200 and "Bộ phận hỗ trợ" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    signed = httpx.post(f"{gateway.url}/helpdesk/api/session", json={"username": "lan", "password": PASSWORD})
    assert signed.status_code == 200
    assert signed.json()["name"] == "Nguyễn Thị Lan" and signed.json()["csrf"]
    cookie = signed.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/helpdesk" in cookie
    assert "secure" not in cookie  # local mode serves plain http; production adds Secure
    assert httpx.get(f"{gateway.url}/helpdesk/api/tickets").status_code == 401


def test_every_state_changing_request_needs_the_sessions_csrf_token(gateway: GatewayServer) -> None:
    add_staff("lan", "Nguyễn Thị Lan", "agent")
    ticket_id = escalate("conversation-csrf")
    lan = Staff(gateway.url, "lan")
    missing = lan.http.post(f"/tickets/{ticket_id}/claim")
    wrong = lan.http.post(f"/tickets/{ticket_id}/claim", headers={"X-CSRF-Token": "x" * 43})
    assert (missing.status_code, wrong.status_code) == (403, 403)
    assert "CSRF" in missing.json()["detail"]
    assert lan.get("/tickets?view=waiting").json()["tickets"][0]["status"] == "waiting"
    assert lan.post(f"/tickets/{ticket_id}/claim").status_code == 200
    # Another session's token is no good either.
    other = Staff(gateway.url, "lan")
    assert lan.http.post("/session/end", headers={"X-CSRF-Token": other.csrf}).status_code == 403
    lan.close()
    other.close()


def test_repeated_failures_lock_the_account_and_say_for_how_long(gateway: GatewayServer) -> None:
    add_staff("lan", "Nguyễn Thị Lan", "agent")
    sign_in = f"{gateway.url}/helpdesk/api/session"
    answers = [httpx.post(sign_in, json={"username": "lan", "password": f"wrong-{n}"}) for n in range(5)]
    assert [a.status_code for a in answers] == [401, 401, 401, 401, 429]
    assert answers[0].json()["detail"] == "Sai tên đăng nhập hoặc mật khẩu."
    assert "Thử lại sau 15 phút" in answers[4].json()["detail"]
    right = httpx.post(sign_in, json={"username": "lan", "password": PASSWORD})
    assert right.status_code == 429  # locked: even the right password waits
    unknown = httpx.post(sign_in, json={"username": "nobody", "password": PASSWORD})
    assert unknown.status_code == 401 and unknown.json()["detail"] == answers[0].json()["detail"]


def test_a_session_expires_when_unused(gateway: GatewayServer) -> None:
    add_staff("lan", "Nguyễn Thị Lan", "agent")
    lan = Staff(gateway.url, "lan")
    assert lan.get("/session").status_code == 200
    time.sleep(3)  # the test gateway's sessions last 2 s without use
    expired = lan.get("/session")
    assert expired.status_code == 401 and "hết hạn" in expired.json()["detail"]
    lan.close()


def test_bad_input_gets_a_4xx_with_the_reason(gateway: GatewayServer) -> None:
    add_staff("lan", "Nguyễn Thị Lan", "agent")
    sign_in = f"{gateway.url}/helpdesk/api/session"
    not_json = httpx.post(sign_in, content=b"username=lan", headers={"content-type": "application/json"})
    assert not_json.status_code == 400 and "not valid JSON" in not_json.json()["detail"]
    form = httpx.post(sign_in, data={"username": "lan"})
    assert form.status_code == 415
    extra = httpx.post(sign_in, json={"username": "lan", "password": "x", "role": "supervisor"})
    assert extra.status_code == 422 and "role" in extra.json()["detail"]
    lan = Staff(gateway.url, "lan")
    ticket_id = escalate("conversation-bad")
    assert lan.post(f"/tickets/{ticket_id}/reply", {"reply_id": "r1234567", "text": "x"}).status_code == 409
    assert lan.post(f"/tickets/{ticket_id}/claim").status_code == 200
    empty = lan.post(f"/tickets/{ticket_id}/reply", {"reply_id": "r1234567", "text": "   "})
    assert empty.status_code == 422 and "empty" in empty.json()["detail"]
    long = lan.post(f"/tickets/{ticket_id}/reply", {"reply_id": "r1234567", "text": "x" * 2001})
    assert long.status_code == 422 and "2000" in long.json()["detail"]
    assert lan.post(f"/tickets/{ticket_id}/transfer", {"to": "nobody"}).status_code == 422
    assert lan.get("/tickets/999").status_code == 404
    assert lan.get("/tickets/abc").status_code == 422
    assert lan.get("/tickets?view=everything").status_code == 422
    lan.close()


def test_only_supervisors_read_the_audit_log_and_others_tickets(gateway: GatewayServer) -> None:
    add_staff("lan", "Nguyễn Thị Lan", "agent")
    add_staff("an", "Trần Văn An", "agent")
    add_staff("chi", "Lê Thị Chi", "supervisor")
    ticket_id = escalate("conversation-roles")
    lan, an, chi = Staff(gateway.url, "lan"), Staff(gateway.url, "an"), Staff(gateway.url, "chi")
    assert lan.post(f"/tickets/{ticket_id}/claim").status_code == 200
    assert an.get(f"/tickets/{ticket_id}").status_code == 403
    assert chi.get(f"/tickets/{ticket_id}").status_code == 200
    assert an.get("/audit").status_code == 403
    # A supervisor reassigns.
    assert chi.post(f"/tickets/{ticket_id}/transfer", {"to": "an"}).status_code == 200
    assert an.get("/tickets?view=mine").json()["tickets"][0]["id"] == ticket_id
    audit = chi.get("/audit").json()["audit"]
    acts = {(a["actor"], a["action"], a["ticket"]) for a in audit}
    assert {("lan", "claim", ticket_id), ("chi", "transfer", ticket_id), ("lan", "sign_in", "")} <= acts
    for member in (lan, an, chi):
        member.close()


def test_two_agents_claiming_at_once_one_wins_and_the_other_gets_a_409(gateway: GatewayServer) -> None:
    add_staff("lan", "Nguyễn Thị Lan", "agent")
    add_staff("an", "Trần Văn An", "agent")
    lan, an = Staff(gateway.url, "lan"), Staff(gateway.url, "an")
    for round_ in range(5):
        ticket_id = escalate(f"conversation-race-{round_}")
        start = threading.Barrier(2)

        def claim(
            member: Staff, claimed: str = ticket_id, barrier: threading.Barrier = start
        ) -> httpx.Response:
            barrier.wait()
            return member.post(f"/tickets/{claimed}/claim")

        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(claim, [lan, an]))
        assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
        winner = next(a for a in answers if a.status_code == 200).json()["agent"]
        loser = next(a for a in answers if a.status_code == 409)
        assert loser.json()["detail"] == f"cuộc trò chuyện này đang do {winner} xử lý"
    lan.close()
    an.close()


def test_in_production_the_session_cookie_is_secure_too(make_settings: Callable[..., Settings]) -> None:
    production = make_settings(
        mode="production",
        rasa_url=f"http://127.0.0.1:{free_port()}",
        rasa_token="a-real-secret-token",
        allowed_origins=["https://dichvucong.example.gov.vn"],
        zalo_app_id="1234567890",
        zalo_oa_secret_key="oa-secret-from-the-console",
        zalo_app_secret="app-secret-from-the-console",
        zalo_refresh_token="refresh-token-from-the-console",
        zalo_api_base=f"http://127.0.0.1:{free_port()}",
    )
    add_staff("lan", "Nguyễn Thị Lan", "agent")
    with GatewayServer(production) as gateway:
        signed = httpx.post(
            f"{gateway.url}/helpdesk/api/session", json={"username": "lan", "password": PASSWORD}
        )
    assert signed.status_code == 200
    assert "secure" in signed.headers["set-cookie"].lower().split("; ")
    with pytest.raises(ValueError, match="GATEWAY_RASA_TOKEN, not a placeholder"):
        make_settings(**{**production.model_dump(), "rasa_token": "local-dev-token"})
