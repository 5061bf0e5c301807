"""action_check_status: looks the application up, answers its stage, or refuses without saying why."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import escalate
from actions.status.connector import StatusUnavailable
from actions.status.form import metadata
from actions.status.lockout import subjects
from actions.status.record import today_in_vietnam
from actions.status.reply import NOT_FOUND, RETRY_BUTTON, UNAVAILABLE, locked, status_reply
from actions.status.runtime import status_connector, status_lockout

logger = logging.getLogger(__name__)


class ActionCheckStatus(Action):
    def name(self) -> str:
        return "action_check_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # The code and the digits are forgotten after every attempt, whatever its outcome.
        events: list[EventType] = [
            SlotSet("application_code", None),
            SlotSet("verification", None),
            SlotSet("misunderstood", 0.0),
        ]
        try:
            await self._answer(dispatcher, tracker)
        except Exception as error:  # a fault anywhere ends with a person taking over, never in a crash
            if isinstance(error, StatusUnavailable):
                logger.error("status lookup failed: %s", error)
            else:
                logger.exception("status lookup failed unexpectedly")
            return [*events, *escalate(dispatcher, tracker, "status_fault", UNAVAILABLE)]
        return [*events, SlotSet("offer", None)]

    async def _answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        lockout = status_lockout()
        who = subjects(tracker.sender_id, metadata(tracker))
        until = lockout.locked_until(who)
        if until is not None:
            dispatcher.utter_message(text=locked(until, lockout.limit))
            return
        code, verification = tracker.get_slot("application_code"), tracker.get_slot("verification")
        if not code or not verification:
            raise StatusUnavailable("the form ended without a code and a verification item")
        record = await asyncio.to_thread(status_connector().lookup, code, verification)
        if record is None:
            until = lockout.record_failure(who)
            dispatcher.utter_message(text=NOT_FOUND, buttons=[RETRY_BUTTON])
            if until is not None:
                dispatcher.utter_message(text=locked(until, lockout.limit))
            return
        dispatcher.utter_message(text=status_reply(record, today_in_vietnam()))
