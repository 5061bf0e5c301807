"""action_reply_to_offer: a yes or no, read against what the bot offered last."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher


class ActionReplyToOffer(Action):
    def name(self) -> str:
        return "action_reply_to_offer"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        offer = tracker.get_slot("offer")
        if offer == "candidates":
            dispatcher.utter_message(text="Bạn vui lòng bấm chọn một thủ tục ở trên, hoặc gõ tên thủ tục ạ.")
            return []
        elif intent == "affirm":
            dispatcher.utter_message(text="Vâng. Bạn cần hỏi gì thêm về thủ tục cứ nhắn cho tôi nhé.")
        else:
            dispatcher.utter_message(text="Vâng ạ. Khi cần hỏi về thủ tục nào, bạn cứ nhắn cho tôi.")
        return [SlotSet("offer", None), SlotSet("misunderstood", 0.0)]
