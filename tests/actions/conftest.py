"""Runs a rasa-sdk action on a recorded tracker (tests/actions/trackers/*.json)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import failure_log

TRACKERS = Path(__file__).parent / "trackers"
# The fallback and handoff actions record the message for maintainers: here, in a test stream of db 9.
FAILURES_DB, FAILURES_KEY = 9, "tests:actions:failures"


@pytest.fixture(autouse=True)
def failures(monkeypatch: pytest.MonkeyPatch) -> Iterator[redis.Redis]:
    """The failure stream the actions write to during a test, empty at its start."""
    monkeypatch.setenv("FAILURE_LOG_DB", str(FAILURES_DB))
    monkeypatch.setenv("FAILURE_LOG_KEY", FAILURES_KEY)
    monkeypatch.setattr(failure_log, "_redis", None)
    client = redis.Redis(port=6379, db=FAILURES_DB, decode_responses=True)
    client.delete(FAILURES_KEY)
    yield client
    client.delete(FAILURES_KEY)
    client.close()


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
