"""The status answers in plain Vietnamese: what stage, when, who handles it; never who applied."""

from __future__ import annotations

from datetime import date, datetime

from actions.status.record import (
    IN_PROGRESS,
    OVERDUE,
    RECEIVED,
    RESULT_READY,
    SUPPLEMENT_REQUIRED,
    VIETNAM,
    ApplicationRecord,
)

RETRY_BUTTON = {"title": "Tra cứu lại", "payload": "/check_status"}

# The same words whether the code is unknown or the digits do not match: a guesser learns nothing.
NOT_FOUND = (
    "Không tìm thấy hồ sơ khớp với mã hồ sơ và 4 số xác minh bạn đã nhập. Bạn vui lòng kiểm tra lại mã"
    " hồ sơ (in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả) và 4 số cuối của số điện thoại hoặc số"
    " giấy tờ tùy thân đã khai khi nộp hồ sơ, rồi tra cứu lại."
)
LOCKED = (
    "Bạn đã nhập sai thông tin tra cứu {limit} lần trong vòng 1 giờ. Để bảo vệ thông tin hồ sơ, việc tra"
    " cứu tình trạng hồ sơ tạm khóa đến {until}. Nếu cần gấp, bạn liên hệ nơi đã tiếp nhận hồ sơ (số"
    " điện thoại có trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả) hoặc tra cứu trên Cổng Dịch vụ công"
    " quốc gia (dichvucong.gov.vn). Tôi vẫn trả lời được các câu hỏi về thủ tục."
)
UNAVAILABLE = (
    "Xin lỗi bạn, hệ thống tra cứu hồ sơ của tỉnh đang không phản hồi nên tôi chưa tra cứu được. Tôi"
    " chuyển cuộc trò chuyện cho nhân viên hỗ trợ để kiểm tra giúp bạn, bạn vui lòng chờ trong giây lát."
)
ASK_CODE = (
    "Bạn cho tôi mã hồ sơ (in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, dạng"
    " 000.00.17.H12-251120-0042) nhé."
)
ASK_VERIFICATION = (
    "Để bảo vệ thông tin hồ sơ, bạn cho tôi 4 số cuối của số điện thoại hoặc của số căn cước/giấy tờ"
    " tùy thân đã khai khi nộp hồ sơ."
)
BAD_CODE = (
    "Mã hồ sơ chưa đúng dạng. Mã hồ sơ gồm mã cơ quan tiếp nhận, ngày nộp và số thứ tự, ví dụ"
    " 000.00.17.H12-251120-0042 (viết thường hay có dấu cách cũng được)."
)
TWO_CODES = "Tin nhắn có nhiều mã hồ sơ; mỗi lần tôi tra cứu được một mã. Bạn gửi lại một mã thôi nhé."
BAD_VERIFICATION = (
    "Bạn chỉ cần nhập đúng 4 chữ số cuối (ví dụ: 5678) của số điện thoại hoặc số giấy tờ tùy thân."
)


def day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def locked(until: float, limit: int) -> str:
    return LOCKED.format(
        limit=limit, until=datetime.fromtimestamp(until, VIETNAM).strftime("%H:%M ngày %d/%m")
    )


def status_reply(record: ApplicationRecord, today: date) -> str:
    """Stage, due date and handling agency of one application."""
    status = record.effective_status(today)
    agency = record.agency or "cơ quan đã tiếp nhận hồ sơ"
    subject = f"Hồ sơ {record.code}"
    if record.procedure_name:
        subject += f" ({record.procedure_name})"
    lines = [subject + ":"]
    if status == RECEIVED:
        received = f" ngày {day(record.received_on)}" if record.received_on else ""
        lines.append(f"• Đã được tiếp nhận{received} và đang chờ chuyển bộ phận giải quyết.")
    elif status == IN_PROGRESS:
        lines.append("• Đang được giải quyết.")
    elif status == SUPPLEMENT_REQUIRED:
        lines.append("• Cần bổ sung giấy tờ. Hồ sơ tạm dừng cho đến khi bạn nộp bổ sung:")
        lines += [f"  - {item}" for item in record.supplement_items] or ["  - (liên hệ cơ quan giải quyết)"]
        place = record.pickup_place or agency
        lines.append(f"• Nộp bổ sung tại: {place}.")
    elif status == RESULT_READY:
        lines.append("• Đã có kết quả.")
        lines.append(f"• Nơi nhận kết quả: {record.pickup_place or agency}.")
        if record.pickup_method:
            lines.append(f"• Hình thức nhận: {record.pickup_method}.")
        lines.append(
            "• Khi đi nhận, bạn mang theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả, cùng giấy tờ tùy thân."
        )
    elif status == OVERDUE:
        contact = record.contact or agency
        lines.append(
            "• Xin lỗi bạn: hồ sơ đã quá hạn giải quyết mà chưa có kết quả. Bạn vui lòng liên hệ"
            f" {contact} để được giải thích và hẹn lại ngày trả kết quả."
        )
    if record.due_on and status != RESULT_READY:
        lines.append(f"• Ngày hẹn trả kết quả: {day(record.due_on)}.")
    lines.append(f"• Cơ quan giải quyết: {agency}.")
    return "\n".join(lines)
