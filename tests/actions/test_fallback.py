"""action_fallback on recorded trackers: rephrase first, then hand over to a person."""

from __future__ import annotations

from actions.fallback import REPHRASE, STILL_NOT_UNDERSTOOD, ActionFallback
from tests.actions.conftest import SlotSet, run

ACTION = ActionFallback()


def test_first_misunderstanding_asks_to_rephrase() -> None:
    messages, events = run(ACTION, "fallback_first")
    [message] = messages
    assert message["text"] == REPHRASE
    assert "làm hộ chiếu cần giấy tờ gì" in message["text"]
    assert not message["buttons"]
    assert events == [SlotSet("misunderstood", 1.0)]


def test_second_misunderstanding_hands_over_to_a_person() -> None:
    messages, events = run(ACTION, "fallback_second")
    said, handoff = messages
    assert said["text"] == STILL_NOT_UNDERSTOOD
    assert handoff["custom"]["handoff"]["reason"] == "misunderstood"
    assert {"event": "pause"} in [{"event": e["event"]} for e in events]
    assert SlotSet("misunderstood", 0.0) in events
