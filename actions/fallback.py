"""action_fallback: the bot did not understand; ask to rephrase, and the second time hand over to a person."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.failure_log import record_failure
from actions.handoff import escalate

REPHRASE = (
    "Xin lỗi, tôi chưa hiểu ý bạn. Bạn có thể nói rõ tên thủ tục và điều muốn biết không ạ?"
    ' Ví dụ: "làm hộ chiếu cần giấy tờ gì", "đổi bằng lái hết bao nhiêu tiền".'
)
STILL_NOT_UNDERSTOOD = (
    "Xin lỗi, tôi vẫn chưa hiểu ý bạn. Tôi chuyển cuộc trò chuyện cho nhân viên hỗ trợ để giúp bạn"
    " nhanh hơn, bạn vui lòng chờ trong giây lát nhé."
)


class ActionFallback(Action):
    """Counts misunderstandings in a row (an answer resets the count)."""

    def name(self) -> str:
        return "action_fallback"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        record_failure(tracker, "fallback")
        count = int(tracker.get_slot("misunderstood") or 0) + 1
        if count < 2:
            dispatcher.utter_message(text=REPHRASE)
            return [SlotSet("misunderstood", float(count))]
        return escalate(dispatcher, tracker, "misunderstood", STILL_NOT_UNDERSTOOD)
