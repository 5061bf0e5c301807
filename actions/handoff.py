"""action_request_human: the citizen asks for a person (interim answer until the help desk is connected)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

# Honest until the help-desk console exists: no promise that a person will answer here.
NO_HELP_DESK_YET = (
    "Hiện kênh trò chuyện này chưa kết nối được với nhân viên hỗ trợ, nên tôi chưa thể chuyển bạn"
    " sang người thật. Bạn có thể liên hệ trực tiếp Trung tâm Phục vụ hành chính công cấp xã hoặc"
    " cấp tỉnh nơi bạn nộp hồ sơ. Trong lúc đó, tôi vẫn có thể trả lời về giấy tờ, lệ phí, thời gian"
    " và nơi nộp của thủ tục bạn cần."
)


class ActionRequestHuman(Action):
    def name(self) -> str:
        return "action_request_human"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(text=NO_HELP_DESK_YET)
        return [SlotSet("offer", None), SlotSet("misunderstood", 0.0)]
