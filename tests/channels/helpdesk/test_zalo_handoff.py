"""A Zalo citizen asks for a person through the signed webhook; the real bot hands off; the agent's reply and
the hand-back go out through the Zalo OA API (a local fake of it, never the real Zalo)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import httpx
import pytest

from channels.helpdesk.replies import BACK_TO_BOT
from channels.settings import Settings
from tests.channels.helpdesk.console_client import Staff, add_staff
from tests.channels.servers import GatewayServer
from tests.channels.zalo import webhook_client
from tests.channels.zalo.fake_zalo import (
    FakeZalo,
)
from tests.channels.zalo.webhook_client import event
from tests.e2e.services import Stack

ALWAYS_OPEN = {"helpdesk_days": list(range(7)), "helpdesk_opens": "00:00", "helpdesk_closes": "23:59:59.999"}


@pytest.fixture
def fake_zalo() -> Iterator[FakeZalo]:
    with FakeZalo() as server:
        yield server


@pytest.fixture
def gateway(
    stack: Stack, make_settings: Callable[..., Settings], fake_zalo: FakeZalo
) -> Iterator[GatewayServer]:
    zalo = fake_zalo.gateway_settings()
    settings = make_settings(rasa_url=stack.rasa_url, rasa_token=stack.token, **zalo, **ALWAYS_OPEN)
    with GatewayServer(settings) as server:
        yield server


def test_a_reply_to_a_zalo_citizen_goes_out_through_the_zalo_api(
    gateway: GatewayServer, fake_zalo: FakeZalo, stack: Stack
) -> None:
    add_staff("lan", "Nguyễn Thị Lan", "agent")
    user = str(random.randrange(10**15, 10**16))
    asked = event("user_send_text", user, "cho toi gap nhan vien", msg_id="zalo-handoff-1")
    assert webhook_client.post(gateway.url, asked).status_code == 200
    told = "\n".join(fake_zalo.wait_sent(user, 2, 90))
    assert "nhân viên hỗ trợ" in told and "vị trí số 1 trong hàng chờ" in told
    # Zalo retries the webhook: no second ticket, nothing sent twice.
    assert webhook_client.post(gateway.url, asked).json()["duplicate"] is True

    lan = Staff(gateway.url, "lan")
    [ticket] = lan.get("/tickets?view=waiting").json()["tickets"]
    assert (ticket["channel"], ticket["conversation_id"], ticket["reason"]) == ("zalo", user, "request_human")
    assert lan.post(f"/tickets/{ticket['id']}/claim").status_code == 200
    sent_before = len(fake_zalo.sent_to(user))
    reply = {"reply_id": "reply-zalo-1", "text": "Chào anh/chị, em là Lan, em hỗ trợ ngay ạ."}
    answered = lan.post(f"/tickets/{ticket['id']}/reply", reply)
    assert answered.status_code == 200, answered.text
    # The same reply sent again (the agent clicked twice, a retry): it reaches the citizen once.
    assert lan.post(f"/tickets/{ticket['id']}/reply", reply).status_code == 200
    texts = fake_zalo.wait_sent(user, sent_before + 1, 10)
    assert texts[sent_before:] == ["Nhân viên Lan: Chào anh/chị, em là Lan, em hỗ trợ ngay ạ."]
    assert [f["from"] for f in lan.get(f"/tickets/{ticket['id']}").json()["feed"]] == ["agent"]

    assert lan.post(f"/tickets/{ticket['id']}/resume").json()["warning"] is None
    assert fake_zalo.wait_sent(user, sent_before + 2, 10)[-1] == BACK_TO_BOT
    tracker = httpx.get(
        f"{stack.rasa_url}/conversations/zalo-{user}/tracker", params={"token": stack.token}, timeout=30
    ).json()
    [recorded] = [e for e in tracker["events"] if (e.get("metadata") or {}).get("agent")]
    assert recorded["event"] == "bot" and recorded["metadata"]["agent"] == "Nguyễn Thị Lan"

    # The bot answers again, on Zalo.
    question = event("user_send_text", user, "lam ho chieu het bao nhieu tien", msg_id="zalo-handoff-2")
    assert webhook_client.post(gateway.url, question).status_code == 200
    assert "200.000 đồng" in "\n".join(fake_zalo.wait_sent(user, sent_before + 3, 90)[sent_before + 2 :])
    lan.close()
