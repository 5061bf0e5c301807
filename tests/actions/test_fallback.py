"""action_fallback on recorded trackers: rephrase first, then hand over to a person."""

from __future__ import annotations

import redis

from actions.fallback import REPHRASE, STILL_NOT_UNDERSTOOD, ActionFallback
from tests.actions.conftest import FAILURES_KEY, SlotSet, run

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


def test_each_misunderstood_message_is_kept_for_maintainers(failures: redis.Redis) -> None:
    run(ACTION, "fallback_first")
    run(ACTION, "fallback_second")
    kept = [fields for _, fields in failures.xrange(FAILURES_KEY)]
    assert [(f["reason"], f["text"]) for f in kept] == [
        ("fallback", "cái vụ hôm qua í"),
        ("fallback", "thì cái đó đó"),
    ]
