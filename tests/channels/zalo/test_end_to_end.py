"""A signed Zalo webhook → the inbox → the real Rasa and action server → the reply at the fake Zalo."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import httpx
import pytest

from channels.settings import Settings
from tests.channels.servers import GatewayServer
from tests.channels.zalo import webhook_client
from tests.channels.zalo.fake_zalo import FakeZalo
from tests.channels.zalo.webhook_client import event
from tests.e2e.services import Stack, running_stack


@pytest.fixture(scope="module")
def zalo_stack() -> Iterator[Stack]:
    """Rasa and actions of this module's own (ports 18105/18155, trackers in Redis db 7, locks in 8)."""
    with running_stack(rasa_port=18105, actions_port=18155, redis_db=7) as running:
        yield running


def test_a_zalo_question_is_answered_by_the_assistant_through_the_oa_api(
    zalo_stack: Stack, make_settings: Callable[..., Settings], fake_zalo: FakeZalo
) -> None:
    user = str(random.randrange(10**15, 10**16))
    fake_zalo.expire_token()  # and the access token expires on the way: refreshed, nothing lost
    with GatewayServer(make_settings(rasa_url=zalo_stack.rasa_url)) as gateway:
        question = event("user_send_text", user, "lam ho chieu het bao nhieu tien", msg_id="e2e-1")
        assert webhook_client.post(gateway.url, question).status_code == 200
        assert webhook_client.post(gateway.url, question).json()["duplicate"] is True
        replies = fake_zalo.wait_sent(user, 1, 90)

    answer = "\n".join(replies)
    assert "200.000 đồng" in answer, answer
    assert all(len(reply) <= 2000 for reply in replies)
    assert {sent.user_id for sent in fake_zalo.state.sent} == {user}

    tracker = httpx.get(
        f"{zalo_stack.rasa_url}/conversations/zalo-{user}/tracker",
        params={"token": zalo_stack.token},
        timeout=30,
    ).json()
    [asked] = [e for e in tracker["events"] if e["event"] == "user"]
    assert asked["text"] == "lam ho chieu het bao nhieu tien"
    assert asked["metadata"]["channel"] == "zalo"
    assert asked["metadata"]["zalo_user_id"] == user
