"""Escalation to the help desk: the bot pauses and the gateway queues the conversation for staff.

The gateway reads the `handoff` item of the replies (see channels/helpdesk), queues a ticket with its
summary, tells the citizen the expected wait, and later resumes the conversation (Rasa's `resume`).
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.failure_log import record_failure
from actions.privacy import mask
from knowledge.base import load

logger = logging.getLogger(__name__)

Reason = Literal["request_human", "misunderstood", "status_fault"]

HANDING_OFF = (
    "Tôi đang chuyển cuộc trò chuyện của bạn cho nhân viên hỗ trợ. Bạn vui lòng chờ trong giây lát nhé."
)
# Intents that say nothing about what the citizen needs: the summary skips them for "what was asked".
_NOT_A_QUESTION = {"request_human", "affirm", "deny", "greet", "thank", "goodbye", "bot_challenge"}
RECENT_MESSAGES = 8


def escalate(
    dispatcher: CollectingDispatcher, tracker: Tracker, reason: Reason, text: str
) -> list[EventType]:
    """Tells the citizen, hands the summary to the gateway and pauses the bot for this conversation."""
    dispatcher.utter_message(text=text)
    dispatcher.utter_message(json_message={"handoff": summary(tracker, reason)})
    if reason != "misunderstood":  # a misunderstanding is already recorded as a fallback
        record_failure(tracker, "handoff")
    return [SlotSet("offer", None), SlotSet("misunderstood", 0.0), ConversationPaused()]


def summary(tracker: Tracker, reason: Reason) -> dict[str, Any]:
    """What staff see first: why, which procedure, what was asked, and the last messages (masked)."""
    messages = [e for e in tracker.events if e.get("event") in ("user", "bot") and e.get("text")]
    asked = next(
        (
            event["text"]
            for event in reversed(messages)
            if event["event"] == "user"
            and ((event.get("parse_data") or {}).get("intent") or {}).get("name") not in _NOT_A_QUESTION
        ),
        None,
    )
    if asked is None:
        asked = next((event["text"] for event in reversed(messages) if event["event"] == "user"), "")
    recent = [
        {"from": event["event"], "text": mask(str(event["text"]))} for event in messages[-RECENT_MESSAGES:]
    ]
    procedure = _procedure(tracker)
    return {"reason": reason, "procedure": procedure, "question": mask(str(asked)), "recent": recent}


def _procedure(tracker: Tracker) -> dict[str, str] | None:
    code = tracker.get_slot("procedure")
    if not code:
        return None
    try:
        procedure = load().get(str(code))
    except Exception:  # the summary is a courtesy to staff; a knowledge-base fault must not block the handoff
        logger.exception("handoff: procedure %s could not be looked up", code)
        procedure = None
    return {"code": str(code), "name": procedure.name if procedure is not None else ""}


class ActionRequestHuman(Action):
    """The citizen asks for a person (also the yes to the bot's offer of one)."""

    def name(self) -> str:
        return "action_request_human"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return escalate(dispatcher, tracker, "request_human", HANDING_OFF)
