"""action_reply_to_offer and action_request_human on recorded trackers."""

from __future__ import annotations

from actions.handoff import NO_HELP_DESK_YET, ActionRequestHuman
from actions.offer import ActionReplyToOffer
from tests.actions.conftest import SlotSet, run


def test_yes_to_the_handoff_offer_gives_the_handoff_answer() -> None:
    messages, events = run(ActionReplyToOffer(), "affirm_after_handoff_offer")
    assert [m["text"] for m in messages] == [NO_HELP_DESK_YET]
    assert "chưa kết nối được với nhân viên" in messages[0]["text"]
    assert events == [SlotSet("offer", None), SlotSet("misunderstood", 0.0)]


def test_no_to_the_handoff_offer_does_not_hand_off() -> None:
    messages, events = run(ActionReplyToOffer(), "deny_after_handoff_offer")
    [message] = messages
    assert message["text"] != NO_HELP_DESK_YET
    assert message["text"].startswith("Vâng ạ.")
    assert events == [SlotSet("offer", None), SlotSet("misunderstood", 0.0)]


def test_request_human_is_honest_and_resets_the_count() -> None:
    messages, events = run(ActionRequestHuman(), "fallback_second")
    assert [m["text"] for m in messages] == [NO_HELP_DESK_YET]
    assert events == [SlotSet("offer", None), SlotSet("misunderstood", 0.0)]
