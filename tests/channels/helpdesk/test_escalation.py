"""The handoff item as Rasa's REST channel sends it (recorded from the bot), and what the citizen is told."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import redis
from pydantic import ValidationError
from redis.asyncio import Redis

from channels.helpdesk.escalation import Escalation
from channels.helpdesk.hours import WorkingHours, waiting_notice
from channels.helpdesk.tickets import TicketStore
from channels.message import InboundMessage, OutgoingMessage, RasaReply, handoff_in
from channels.rasa_client import RasaAnswer
from channels.settings import Settings
from tests.channels.conftest import GATEWAY_DB

URL = f"redis://127.0.0.1:6379/{GATEWAY_DB}"
HANDING_OFF = (
    "Tôi đang chuyển cuộc trò chuyện của bạn cho nhân viên hỗ trợ. Bạn vui lòng chờ trong giây lát nhé."
)
# POST /webhooks/rest/webhook, "cho tôi gặp nhân viên" after a question about birth registration.
RECORDED: list[RasaReply] = [
    {"recipient_id": "web-abc12345", "text": HANDING_OFF},
    {
        "recipient_id": "web-abc12345",
        "custom": {
            "handoff": {
                "reason": "request_human",
                "procedure": {"code": "1.001193", "name": "Đăng ký khai sinh"},
                "question": "đăng ký khai sinh cho con, số điện thoại [số điện thoại]",
                "recent": [
                    {"from": "user", "text": "đăng ký khai sinh cho con, số điện thoại [số điện thoại]"},
                    {"from": "bot", "text": "Thủ tục Đăng ký khai sinh (1.001193): …"},
                    {"from": "user", "text": "cho tôi gặp nhân viên"},
                ],
            }
        },
    },
]
# Hanoi is UTC+7: 03:00 UTC on Wednesday 2 December 2026 is 10:00 there.
WEDNESDAY_10AM = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
FRIDAY_6PM = datetime(2026, 12, 4, 11, 0, tzinfo=UTC)
SUNDAY_NOON = datetime(2026, 12, 6, 5, 0, tzinfo=UTC)
MONDAY_6AM = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
ALWAYS_OPEN = Settings(helpdesk_days=list(range(7)), helpdesk_opens="00:00", helpdesk_closes="23:59:59.999")


def test_the_handoff_is_read_from_the_replies_and_the_text_still_reaches_the_citizen() -> None:
    handoff = handoff_in(RECORDED)
    assert handoff is not None
    assert handoff.reason == "request_human"
    assert (handoff.procedure_code, handoff.procedure_name) == ("1.001193", "Đăng ký khai sinh")
    assert handoff.recent[-1] == ("user", "cho tôi gặp nhân viên")
    assert handoff_in(RECORDED[:1]) is None


def test_a_malformed_handoff_still_escalates_with_what_can_be_read() -> None:
    odd: list[Any] = [
        {"custom": {"handoff": {"reason": "angry", "procedure": None, "recent": [{"x": 1}, "y"]}}}
    ]
    handoff = handoff_in(odd)
    assert handoff is not None
    assert (handoff.reason, handoff.question, handoff.procedure_code, handoff.recent) == (
        "request_human",
        "",
        "",
        (),
    )
    assert handoff_in([{"custom": {"something": "else"}}]) is None


def test_the_wait_is_estimated_within_working_hours() -> None:
    hours = WorkingHours(Settings())
    assert hours.next_opening(WEDNESDAY_10AM) is None
    notice = waiting_notice(hours, WEDNESDAY_10AM, 3, 5.0)
    assert "vị trí số 3" in notice and "khoảng 15 phút" in notice


def test_outside_working_hours_the_citizen_is_told_when_someone_will_answer() -> None:
    hours = WorkingHours(Settings())
    assert "07:30 thứ Hai, ngày 07/12" in waiting_notice(hours, FRIDAY_6PM, 1, 5.0)
    assert "07:30 thứ Hai, ngày 07/12" in waiting_notice(hours, SUNDAY_NOON, 1, 5.0)
    early = waiting_notice(hours, MONDAY_6AM, 1, 5.0)
    assert "07:30 thứ Hai, ngày 30/11" in early
    assert "thứ Hai đến thứ Sáu, 07:30–17:00" in early


def test_working_hours_are_configurable() -> None:
    settings = Settings(helpdesk_days=[5], helpdesk_opens="08:00", helpdesk_closes="11:30")
    hours = WorkingHours(settings)
    assert "08:00 thứ Bảy, ngày 05/12" in waiting_notice(hours, WEDNESDAY_10AM, 1, 5.0)
    assert hours.described() == "thứ Bảy, 08:00–11:30"


def test_closed_dates_are_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    # Friday 4 and Monday 7 December closed: on Friday evening the next answer is on Tuesday.
    monkeypatch.setenv("GATEWAY_HELPDESK_CLOSED_DATES", '["2026-12-04", "2026-12-07"]')
    hours = WorkingHours(Settings())
    assert hours.next_opening(FRIDAY_6PM - timedelta(hours=8)) is not None  # Friday 10:00, closed all day
    assert "07:30 thứ Ba, ngày 08/12" in waiting_notice(hours, FRIDAY_6PM, 1, 5.0)


def test_an_escalating_message_delivered_twice_makes_one_ticket_and_tells_the_wait_both_times(
    redis_client: redis.Redis,
) -> None:
    message = InboundMessage("web", "abc12345", "m1", "cho tôi gặp nhân viên")
    later = InboundMessage("web", "abc12345", "m2", "tôi cần gấp")

    async def run() -> tuple[list[OutgoingMessage], list[OutgoingMessage], list[OutgoingMessage], str]:
        client = Redis.from_url(URL, decode_responses=True)
        try:
            tickets = TicketStore(client, 3600)
            escalation = Escalation(tickets, WorkingHours(ALWAYS_OPEN), 5.0)
            escalating = RasaAnswer(messages=[OutgoingMessage(HANDING_OFF)], handoff=handoff_in(RECORDED))
            first = await escalation.after_rasa(message, escalating)
            # Redelivered after a crash: Rasa, paused, answers nothing this time.
            again = await escalation.after_rasa(message, RasaAnswer(messages=[]))
            await escalation.before_rasa(message)  # the escalating message is the summary, not the feed
            await escalation.before_rasa(later)
            after = await escalation.after_rasa(later, RasaAnswer(messages=[]))
            [ticket] = await tickets.listed("waiting", "")
            feed = await tickets.feed(ticket["id"])
            return first, again, after, " | ".join(f["text"] for f in feed)
        finally:
            await client.aclose()

    first, again, after, feed = asyncio.run(run())
    assert first[0].text == HANDING_OFF
    assert "vị trí số 1" in first[-1].text
    assert [m.text for m in again] == [first[-1].text]
    assert after == []
    assert feed == "tôi cần gấp"


def test_working_hours_that_make_no_sense_are_refused() -> None:
    with pytest.raises(ValidationError, match="time zone"):
        Settings(helpdesk_timezone="Asia/Sai_Gon_Typo")
    with pytest.raises(ValidationError, match="open before it closes"):
        Settings(helpdesk_opens="17:00", helpdesk_closes="07:30")
    with pytest.raises(ValidationError, match="0 \\(Monday\\) to 6"):
        Settings(helpdesk_days=[7])
