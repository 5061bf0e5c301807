"""validate_application_status_form: reads the code however it was typed and the 4 verification digits."""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.status.connector import StatusUnavailable
from actions.status.lockout import subjects
from actions.status.reply import ASK_CODE, ASK_VERIFICATION, BAD_CODE, BAD_VERIFICATION, TWO_CODES
from actions.status.runtime import status_lockout
from bot.nlu.application_code_pattern import APPLICATION_CODE, find_application_codes

logger = logging.getLogger(__name__)

# A run of digits, possibly grouped by spaces, dots or dashes ("0912 345 678").
_NUMBER = re.compile(r"\d(?:[\s.\-]?\d)+")


def read_verification(text: str) -> str | None:
    """The 4 digits: typed alone, or the end of a whole phone (10) or ID (9 or 12) number."""
    text = APPLICATION_CODE.sub(" ", text)
    for number in reversed(_NUMBER.findall(text)):
        digits = re.sub(r"\D", "", number)
        if len(digits) == 4 or 9 <= len(digits) <= 12:
            return digits[-4:]
    return None


def metadata(tracker: Tracker) -> dict[str, Any]:
    found = tracker.latest_message.get("metadata") or tracker.get_slot("session_started_metadata") or {}
    return found if isinstance(found, dict) else {}


class ValidateApplicationStatusForm(FormValidationAction):
    def name(self) -> str:
        return "validate_application_status_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        # A locked-out conversation is not asked for anything: the form ends, and action_check_status
        # says why. So does a lock-out store that cannot answer (the lookup then apologises).
        try:
            if status_lockout().locked_until(subjects(tracker.sender_id, metadata(tracker))) is None:
                return domain_slots
        except StatusUnavailable as error:
            logger.error("status form: %s", error)
        return []

    def validate_application_code(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        typed = [
            e["value"]
            for e in tracker.latest_message.get("entities", [])
            if e.get("entity") == "application_code"
        ]
        codes = list(
            dict.fromkeys([*typed, *(code for code, _, _ in find_application_codes(str(slot_value or "")))])
        )
        if len(codes) > 1:
            dispatcher.utter_message(text=TWO_CODES)
            return {"application_code": None}
        if not codes:
            dispatcher.utter_message(text=BAD_CODE)
            return {"application_code": None}
        return {"application_code": codes[0]}

    def validate_verification(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        digits = read_verification(str(slot_value or ""))
        if digits is None:
            dispatcher.utter_message(text=BAD_VERIFICATION)
        return {"verification": digits}


class ActionAskApplicationCode(Action):
    def name(self) -> str:
        return "action_ask_application_code"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(text=ASK_CODE)
        return []


class ActionAskVerification(Action):
    def name(self) -> str:
        return "action_ask_verification"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(text=ASK_VERIFICATION)
        return []
