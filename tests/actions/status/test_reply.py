"""The status answers: each stage in plain Vietnamese, and nothing about the applicant."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from actions.status import reply
from actions.status.record import (
    IN_PROGRESS,
    OVERDUE,
    RECEIVED,
    RESULT_READY,
    SUPPLEMENT_REQUIRED,
    ApplicationRecord,
    parse_date,
)

TODAY = date(2025, 11, 24)
RECORD = ApplicationRecord(
    code="000.00.17.H12-251120-0042",
    status=RECEIVED,
    procedure_name="Đăng ký khai sinh",
    received_on=date(2025, 11, 20),
    due_on=date(2025, 11, 25),
    agency="UBND phường Quy Nhơn",
    pickup_place="Bộ phận một cửa UBND phường Quy Nhơn",
    pickup_method="Nhận trực tiếp hoặc qua bưu chính công ích",
    contact="Bộ phận một cửa, điện thoại 0256 3822 000",
)


def test_received() -> None:
    text = reply.status_reply(RECORD, TODAY)
    assert "Đã được tiếp nhận ngày 20/11/2025" in text
    assert "Ngày hẹn trả kết quả: 25/11/2025" in text
    assert "Cơ quan giải quyết: UBND phường Quy Nhơn" in text
    assert "Đăng ký khai sinh" in text


def test_in_progress() -> None:
    assert "Đang được giải quyết" in reply.status_reply(replace(RECORD, status=IN_PROGRESS), TODAY)


def test_supplement_lists_what_is_needed() -> None:
    record = replace(
        RECORD, status=SUPPLEMENT_REQUIRED, supplement_items=("Bản sao giấy chứng sinh", "Tờ khai")
    )
    text = reply.status_reply(record, TODAY)
    assert "Cần bổ sung" in text
    assert "- Bản sao giấy chứng sinh" in text and "- Tờ khai" in text
    assert "Nộp bổ sung tại: Bộ phận một cửa UBND phường Quy Nhơn" in text


def test_result_ready_says_where_and_how() -> None:
    text = reply.status_reply(replace(RECORD, status=RESULT_READY), TODAY)
    assert "Đã có kết quả" in text
    assert "Nơi nhận kết quả: Bộ phận một cửa UBND phường Quy Nhơn" in text
    assert "Hình thức nhận: Nhận trực tiếp hoặc qua bưu chính công ích" in text
    assert "Ngày hẹn" not in text


@pytest.mark.parametrize("status", [RECEIVED, IN_PROGRESS, OVERDUE])
def test_overdue_apologises_and_says_whom_to_contact(status: str) -> None:
    text = reply.status_reply(replace(RECORD, status=status), date(2025, 11, 26))
    assert "Xin lỗi bạn" in text and "quá hạn" in text
    assert "liên hệ Bộ phận một cửa, điện thoại 0256 3822 000" in text


def test_due_today_is_not_overdue() -> None:
    assert "quá hạn" not in reply.status_reply(RECORD, date(2025, 11, 25))


def test_a_result_past_its_date_is_not_overdue() -> None:
    assert "quá hạn" not in reply.status_reply(replace(RECORD, status=RESULT_READY), date(2026, 1, 1))


def test_missing_facts_are_left_out_not_invented() -> None:
    bare = ApplicationRecord(code="000.00.17.H12-251120-0042", status=IN_PROGRESS)
    text = reply.status_reply(bare, TODAY)
    assert "Ngày hẹn" not in text
    assert "Cơ quan giải quyết: cơ quan đã tiếp nhận hồ sơ" in text


def test_the_record_cannot_hold_an_applicant() -> None:
    fields = set(ApplicationRecord.__dataclass_fields__)
    assert not fields & {"name", "applicant", "applicant_name", "address", "phone", "id_number"}


def test_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError):
        ApplicationRecord(code="x", status="lost")


@pytest.mark.parametrize("typed", ["2025-11-20", "20/11/2025", "20-11-2025", "2025-11-20T08:00:00"])
def test_dates(typed: str) -> None:
    assert parse_date(typed) == date(2025, 11, 20)
