"""action_fallback on recorded trackers: rephrase first, then offer a person."""

from __future__ import annotations

from actions.fallback import OFFER_PERSON, REPHRASE, ActionFallback
from tests.actions.conftest import SlotSet, run

ACTION = ActionFallback()


def test_first_misunderstanding_asks_to_rephrase() -> None:
    messages, events = run(ACTION, "fallback_first")
    [message] = messages
    assert message["text"] == REPHRASE
    assert "làm hộ chiếu cần giấy tờ gì" in message["text"]
    assert not message["buttons"]
    assert events == [SlotSet("misunderstood", 1.0)]


def test_second_misunderstanding_offers_a_person() -> None:
    messages, events = run(ACTION, "fallback_second")
    [message] = messages
    assert message["text"] == OFFER_PERSON
    assert {"title": "Gặp nhân viên", "payload": "/request_human"} in message["buttons"]
    assert [b["payload"] for b in message["buttons"]] == ["/request_human", "/deny"]
    assert events == [SlotSet("misunderstood", 2.0), SlotSet("offer", "handoff")]
