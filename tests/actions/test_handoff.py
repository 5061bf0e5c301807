"""Escalation on recorded trackers: the citizen is told, the gateway gets a masked summary, the bot pauses."""

from __future__ import annotations

from typing import Any

import redis

from actions.handoff import HANDING_OFF, ActionRequestHuman
from actions.offer import ActionReplyToOffer
from tests.actions.conftest import FAILURES_KEY, SlotSet, recorded, run


def handoff_item(messages: list[dict[str, Any]]) -> dict[str, Any]:
    [item] = [m["custom"]["handoff"] for m in messages if m.get("custom")]
    return item


def test_request_human_tells_the_citizen_and_pauses() -> None:
    messages, events = run(ActionRequestHuman(), "fallback_second")
    assert messages[0]["text"] == HANDING_OFF
    pause = {"event": "pause", "timestamp": None}
    assert events == [SlotSet("offer", None), SlotSet("misunderstood", 0.0), pause]


def test_the_summary_names_the_procedure_the_question_and_the_last_messages() -> None:
    messages, _ = run(ActionRequestHuman(), "followup_time_passport")
    item = handoff_item(messages)
    assert item["reason"] == "request_human"
    assert item["procedure"]["code"] == recorded("followup_time_passport").get_slot("procedure")
    assert "hộ chiếu" in item["procedure"]["name"].lower()
    texts = [m["text"] for m in item["recent"]]
    assert item["question"] in texts
    assert {m["from"] for m in item["recent"]} <= {"user", "bot"}
    assert len(item["recent"]) <= 8


def test_the_summary_masks_codes_and_phone_numbers() -> None:
    messages, _ = run(ActionRequestHuman(), "check_status_with_code")
    item = handoff_item(messages)
    written = " ".join([item["question"], *(m["text"] for m in item["recent"])])
    assert "[mã hồ sơ]" in written
    tracker_text = recorded("check_status_with_code").latest_message["text"]
    assert tracker_text not in written


def test_a_no_to_an_offer_does_not_hand_off() -> None:
    messages, events = run(ActionReplyToOffer(), "deny_after_handoff_offer")
    assert not [m for m in messages if m.get("custom")]
    assert not [e for e in events if e["event"] == "pause"]


def test_a_handoff_keeps_the_message_masked_for_maintainers(failures: redis.Redis) -> None:
    run(ActionRequestHuman(), "check_status_with_code")
    [(_, kept)] = failures.xrange(FAILURES_KEY)
    assert kept["reason"] == "handoff"
    assert "[mã hồ sơ]" in kept["text"] and "251120" not in kept["text"]
