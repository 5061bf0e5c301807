"""Runs a rasa-sdk action on a recorded tracker (tests/actions/trackers/*.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

TRACKERS = Path(__file__).parent / "trackers"


def recorded(name: str) -> Tracker:
    return Tracker.from_dict(json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8")))


def run(action: Action, tracker_name: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The messages the action sent and the events it returned."""
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, recorded(tracker_name), {})
    return dispatcher.messages, events


def slots_set(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots the events set, in order (a later event wins)."""
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


__all__ = ["SlotSet", "recorded", "run", "slots_set"]
