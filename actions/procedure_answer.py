"""action_answer_procedure: answers any question about a procedure, keeping the thread across turns."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import answer, button, title
from actions.questions import QUESTION_BY_INTENT
from knowledge.base import load
from knowledge.model import Procedure

WEAK_LINK = 0.6


def _entity(tracker: Tracker, name: str) -> dict[str, Any] | None:
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == name:
            return entity
    return None


def _page(tracker: Tracker) -> int:
    entity = _entity(tracker, "page")
    try:
        return max(1, int(str(entity["value"]))) if entity else 1
    except ValueError:
        return 1


def _question(tracker: Tracker) -> str:
    intent = (tracker.latest_message.get("intent") or {}).get("name", "")
    if intent in QUESTION_BY_INTENT:
        return QUESTION_BY_INTENT[intent]
    # A bare answer ("hộ chiếu") answers the question the bot asked about, else gets an overview.
    return tracker.get_slot("pending_question") or "overview"


def _short(procedure: Procedure) -> str:
    name = procedure.short_name or title(procedure)
    return name if len(name) <= 60 else name[:59] + "…"


class ActionAnswerProcedure(Action):
    """Finds the procedure (this message, or the one the conversation is about) and answers."""

    def name(self) -> str:
        return "action_answer_procedure"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        knowledge = load()
        question = _question(tracker)
        linked = _entity(tracker, "procedure")
        province = _entity(tracker, "province")
        current = tracker.get_slot("procedure")
        # A follow-up ("mất bao lâu") may brush a weak match; the thread's procedure wins then.
        # (Entities from a button payload carry no extractor: the citizen chose them.)
        if (
            linked is not None
            and current
            and linked.get("extractor") == "ProcedureLinker"
            and float(linked.get("confidence") or 0) < WEAK_LINK
        ):
            linked = None
        if linked is not None:
            candidates = [c for c in linked.get("candidates", []) if c in knowledge]
            if linked.get("too_close") and len(candidates) > 1:
                dispatcher.utter_message(
                    text="Bạn hỏi về thủ tục nào dưới đây ạ?",
                    buttons=[button(_short(knowledge[c]), question, c) for c in candidates],
                )
                return [SlotSet("pending_question", question), SlotSet("offer", "candidates")]
            code = str(linked.get("value"))
        else:
            code = current

        procedure = knowledge.get(code) if code else None
        if procedure is None:
            prefix = ""
            if province is not None:
                prefix = f"Tôi đã ghi nhận bạn ở {province['value']}. "
            dispatcher.utter_message(
                text=prefix + "Bạn muốn hỏi về thủ tục nào ạ? Ví dụ: làm hộ chiếu, đăng ký khai sinh,"
                " đổi bằng lái xe, đăng ký thường trú."
            )
            return [SlotSet("pending_question", question)]

        reply = answer(procedure, question, _page(tracker))
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None)
        return [
            SlotSet("procedure", procedure.code),
            SlotSet("pending_question", None),
            SlotSet("misunderstood", 0.0),
            SlotSet("offer", None),
        ]
