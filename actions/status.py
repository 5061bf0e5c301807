"""action_check_status: where an application stands (interim answer until a status system is connected)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

NO_STATUS_SYSTEM_YET = (
    "Hiện tôi chưa được kết nối với hệ thống giải quyết thủ tục hành chính của tỉnh, nên chưa tra cứu"
    " được tình trạng hồ sơ{code}. Bạn có thể tra cứu bằng mã hồ sơ trên Cổng Dịch vụ công quốc gia"
    " (dichvucong.gov.vn, mục Tra cứu hồ sơ) hoặc hỏi nơi đã tiếp nhận hồ sơ (thông tin có trên giấy"
    " tiếp nhận và hẹn trả kết quả)."
)


class ActionCheckStatus(Action):
    def name(self) -> str:
        return "action_check_status"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        code = tracker.get_slot("application_code")
        # The code is the citizen's own; echoing its receiving-agency part is enough to confirm it.
        shown = f" có mã bắt đầu bằng {code.split('-')[0]}" if code else ""
        dispatcher.utter_message(text=NO_STATUS_SYSTEM_YET.format(code=shown))
        return []
