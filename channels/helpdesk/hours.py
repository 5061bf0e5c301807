"""The help desk's working hours, and what the citizen is told while waiting for a person."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from channels.settings import Settings

WEEKDAYS = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]


class WorkingHours:
    """Open on the configured days between the opening and closing times, in the office's time zone."""

    def __init__(self, settings: Settings) -> None:
        self.zone = ZoneInfo(settings.helpdesk_timezone)
        self.days = sorted(set(settings.helpdesk_days))
        self.opens = settings.helpdesk_opens
        self.closes = settings.helpdesk_closes
        self.closed_dates = set(settings.helpdesk_closed_dates)

    def _working(self, day: date) -> bool:
        return day.weekday() in self.days and day not in self.closed_dates

    def next_opening(self, now: datetime) -> datetime | None:
        """None while open; else when the help desk opens next (in the office's time zone)."""
        local = now.astimezone(self.zone)
        if self._working(local.date()) and self.opens <= local.time() < self.closes:
            return None
        # A week always holds a working day; closed dates (Tết is up to 9 days) can push past it.
        for ahead in range(8 + len(self.closed_dates)):
            day = (local + timedelta(days=ahead)).date()
            opening = datetime.combine(day, self.opens, tzinfo=self.zone)
            if self._working(day) and opening > local:
                return opening
        raise AssertionError("a week plus the closed dates always holds an opening")

    def described(self) -> str:
        """'thứ Hai đến thứ Sáu, 07:30–17:00'."""
        if self.days == list(range(self.days[0], self.days[-1] + 1)) and len(self.days) > 2:
            days = f"{WEEKDAYS[self.days[0]]} đến {WEEKDAYS[self.days[-1]]}"
        else:
            days = ", ".join(WEEKDAYS[day] for day in self.days)
        return f"{days}, {self.opens:%H:%M}–{self.closes:%H:%M}"


def waiting_notice(hours: WorkingHours, now: datetime, position: int | None, minutes_each: float) -> str:
    """The gateway's own message after the bot's handoff: the expected wait, or when someone will answer."""
    opening = hours.next_opening(now)
    keep = "Trong lúc chờ, bạn cứ nhắn thêm: nhân viên sẽ đọc được mọi tin nhắn của bạn."
    if opening is not None:
        when = f"{opening:%H:%M} {WEEKDAYS[opening.weekday()]}, ngày {opening:%d/%m}"
        return (
            f"Hiện đang ngoài giờ làm việc của bộ phận hỗ trợ ({hours.described()}). "
            f"Nhân viên sẽ trả lời bạn từ {when}. {keep}"
        )
    if position is None:  # already claimed by the time the notice is written
        return f"Nhân viên hỗ trợ đã nhận cuộc trò chuyện và sẽ trả lời bạn ngay. {keep}"
    minutes = max(1, math.ceil(position * minutes_each))
    return (
        f"Bạn đang ở vị trí số {position} trong hàng chờ; thời gian chờ dự kiến khoảng {minutes} phút. {keep}"
    )
