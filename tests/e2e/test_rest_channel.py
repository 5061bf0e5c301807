"""End to end: the real action server and Rasa with the trained model, asked over the REST channel."""

from __future__ import annotations

import uuid

import requests

from knowledge.base import load
from tests.e2e.services import Stack


def ask(stack: Stack, sender: str, text: str) -> list[dict]:
    response = requests.post(
        f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=30
    )
    response.raise_for_status()
    return response.json()


def test_passport_fee_comes_from_the_knowledge_base_with_its_source(stack: Stack) -> None:
    passport = load()["1.001456"]
    replies = ask(stack, f"e2e-{uuid.uuid4()}", "làm hộ chiếu hết bao nhiêu tiền")
    text = "\n".join(r.get("text", "") for r in replies)
    amounts = {c.fee.amount for c in passport.channels if c.fee and c.fee.amount}
    assert amounts, "the knowledge base lost the passport fees"
    for amount in amounts:
        assert f"{amount:,}".replace(",", ".") + " đồng" in text
    assert "1.001456" in text
    assert passport.url in text
    assert len(text) <= 2000


def test_follow_up_keeps_the_procedure_and_unaccented_input_works(stack: Stack) -> None:
    sender = f"e2e-{uuid.uuid4()}"
    ask(stack, sender, "lam ho chieu het bao nhieu tien")
    replies = ask(stack, sender, "thế còn thời gian giải quyết mất bao lâu?")
    text = "\n".join(r.get("text", "") for r in replies)
    assert "Thời hạn giải quyết" in text
    assert "8 ngày làm việc" in text
    assert "1.001456" in text


def test_parse_returns_intent_and_entities(stack: Stack) -> None:
    response = requests.post(
        f"{stack.rasa_url}/model/parse",
        params={"token": stack.token},
        json={"text": "tôi ở Bình Định, hồ sơ 000.00.17.h12-251120-0042 tới đâu rồi"},
        timeout=30,
    )
    response.raise_for_status()
    parsed = response.json()
    assert parsed["intent"]["name"] == "check_status"
    entities = {e["entity"]: e["value"] for e in parsed["entities"]}
    assert entities["application_code"] == "000.00.17.H12-251120-0042"
    assert entities["province"] == "Gia Lai"


def test_api_refuses_a_wrong_token(stack: Stack) -> None:
    response = requests.post(
        f"{stack.rasa_url}/model/parse", params={"token": "wrong"}, json={"text": "xin chào"}, timeout=30
    )
    assert response.status_code == 401


def test_conversation_is_kept_in_redis(stack: Stack) -> None:
    import redis

    sender = f"e2e-{uuid.uuid4()}"
    ask(stack, sender, "xin chào")
    client = redis.Redis(host="127.0.0.1", port=6379, db=5)
    assert any(sender in key.decode() for key in client.keys("tracker*"))
