"""Answers about one procedure, written from the knowledge base only and always with their source.

Every answer fits one Zalo message (2,000 characters); a long document list is cut at a whole item
and offers the next page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from actions.questions import INTENT_BY_QUESTION, QUESTION_LABELS
from knowledge.model import Channel, Document, Procedure

MAX_MESSAGE = 2000
ITEM_LIMIT = 220  # characters per listed item; the portal link has the full text


@dataclass
class Answer:
    """A message and its quick-reply buttons (title, payload)."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)


def money(amount: int) -> str:
    """200000 → "200.000 đồng"."""
    return f"{amount:,}".replace(",", ".") + " đồng"


def shorten(text: str, limit: int = ITEM_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def title(procedure: Procedure) -> str:
    name = procedure.name.removeprefix("Thủ tục ").strip()
    return name[:1].upper() + name[1:]


def source_line(procedure: Procedure) -> str:
    date = procedure.snapshot_date
    return (
        f"Nguồn: Cơ sở dữ liệu quốc gia về thủ tục hành chính, mã thủ tục {procedure.code}"
        f" (dữ liệu {date}): {procedure.url}"
    )


def button(title_: str, question: str, code: str, **extra: str) -> dict[str, str]:
    entities = {"procedure": code, **extra}
    payload = ",".join(f'"{key}":"{value}"' for key, value in entities.items())
    return {"title": title_, "payload": f"/{INTENT_BY_QUESTION[question]}{{{payload}}}"}


def _missing(procedure: Procedure, question: str) -> Answer:
    return Answer(
        f"{title(procedure)}: Cơ sở dữ liệu quốc gia chưa có thông tin về {QUESTION_LABELS[question]}"
        f" của thủ tục này. Bạn xem trang của thủ tục trên Cổng Dịch vụ công hoặc hỏi nơi tiếp nhận hồ"
        f" sơ.\n{source_line(procedure)}"
    )


def _compose(procedure: Procedure, heading: str, lines: list[str], tail: list[str] | None = None) -> str:
    """Heading, lines and the source, cut so the whole stays within one message."""
    footer = "\n".join([*(tail or []), source_line(procedure)])
    budget = MAX_MESSAGE - len(heading) - len(footer) - 4  # 2 newlines and room for a final "\n…"
    body: list[str] = []
    for line in lines:
        if sum(len(x) + 1 for x in body) + len(line) + 1 > budget:
            body.append("…")
            break
        body.append(line)
    return "\n".join([heading, *body, footer])


def time_text(channel: Channel) -> str | None:
    limit = channel.time_limit
    if limit is None:
        return None
    if limit.unit == "same_day":
        return "trong ngày"
    if limit.value is not None and limit.unit not in ("other",):
        from knowledge.model import TIME_UNIT_LABELS

        value = f"{limit.value:g}".replace(".", ",")
        return f"{value} {TIME_UNIT_LABELS[limit.unit]}"
    return f"{limit.text} (Cổng Dịch vụ công không ghi rõ đơn vị)" if limit.text.isdigit() else limit.text


def fee_text(channel: Channel) -> str | None:
    fee = channel.fee
    if fee is None:
        return None
    if fee.is_free:
        return "miễn phí"
    if fee.amount is not None:
        return money(fee.amount)
    return fee.text or None


# Maintainer notes are written for maintainers; citizens get what they mean for them.
DOUBTFUL_SOURCE = (
    "Lưu ý: dữ liệu nguồn của thủ tục này có điểm cần kiểm tra lại (ví dụ ghi chú phí dẫn văn bản đã"
    " hết hiệu lực, hoặc thời hạn không ghi đơn vị); bạn nên xác nhận với nơi tiếp nhận hồ sơ."
)


def caution(procedure: Procedure) -> list[str]:
    return [DOUBTFUL_SOURCE] if procedure.maintainer_notes else []


def fee_answer(procedure: Procedure) -> Answer:
    rows = [(c, fee_text(c)) for c in procedure.channels]
    if not any(text for _, text in rows):
        return _missing(procedure, "fee")
    lines = []
    for channel, text in rows:
        line = f"• {channel.label}: {text or 'chưa có thông tin'}"
        if channel.note:
            line += f" ({shorten(channel.note, 300)})"
        lines.append(line)
    return Answer(
        _compose(procedure, f"Phí, lệ phí — {title(procedure)}:", _dedupe(lines), caution(procedure))
    )


def time_answer(procedure: Procedure) -> Answer:
    rows = [(c, time_text(c)) for c in procedure.channels]
    if not any(text for _, text in rows):
        return _missing(procedure, "time")
    lines = [f"• {c.label}: {text or 'chưa có thông tin'}" for c, text in rows]
    heading = f"Thời hạn giải quyết — {title(procedure)}:"
    return Answer(_compose(procedure, heading, _dedupe(lines), caution(procedure)))


def _dedupe(lines: list[str]) -> list[str]:
    seen: set[str] = set()
    return [line for line in lines if not (line in seen or seen.add(line))]  # type: ignore[func-returns-value]


def _quantity(document: Document) -> str:
    return f" ({document.quantity})" if document.quantity else ""


def documents_answer(procedure: Procedure, page: int = 1) -> Answer:
    # Real documents (with a quantity) before the notes and special cases the portal lists among them.
    documents = sorted(procedure.documents, key=lambda d: not (d.originals or d.copies))
    if not documents:
        return _missing(procedure, "documents")
    heading = f"Giấy tờ cần chuẩn bị — {title(procedure)}"
    per_page: list[list[str]] = [[]]
    used = 0
    # Room for the page number, the "Còn N mục nữa" line and a group heading repeated on a new page.
    budget = MAX_MESSAGE - len(heading) - len(source_line(procedure)) - 300
    group = None
    for document in documents:
        line = f"• {shorten(document.name)}{_quantity(document)}"
        if document.group and document.group != group:
            line = f"{shorten(document.group.rstrip(':'), 160)}:\n{line}"
            group = document.group
        if used + len(line) + 1 > budget and per_page[-1]:
            per_page.append([])
            used = 0
            group = document.group
            line = f"• {shorten(document.name)}{_quantity(document)}"
            if group:  # a new page says which group its items belong to
                line = f"{shorten(group.rstrip(':'), 160)}:\n{line}"
        per_page[-1].append(line)
        used += len(line) + 1
    page = max(1, min(page, len(per_page)))
    lines = per_page[page - 1]
    pages = f" (trang {page}/{len(per_page)})" if len(per_page) > 1 else ""
    buttons = []
    tail = []
    if page < len(per_page):
        remaining = sum(len(p) for p in per_page[page:])
        tail.append(f'Còn {remaining} mục nữa: bấm "Xem tiếp" hoặc xem đầy đủ tại trang thủ tục.')
        buttons.append(button("Xem tiếp", "documents", procedure.code, page=str(page + 1)))
    text = "\n".join([heading + pages + ":", *lines, *tail, source_line(procedure)])
    return Answer(text, buttons)


def agency_answer(procedure: Procedure) -> Answer:
    if not procedure.agency and not procedure.levels:
        return _missing(procedure, "agency")
    lines = []
    if procedure.agency:
        lines.append(f"• Cơ quan thực hiện: {procedure.agency}")
    if procedure.levels:
        lines.append(f"• Cấp thực hiện: {', '.join(procedure.levels)}")
    channels = sorted({c.label for c in procedure.channels})
    if channels:
        lines.append(f"• Cách nộp: {', '.join(channels)}")
    if procedure.agency_source and procedure.agency_source != procedure.agency:
        lines.append(
            f'(Cổng Dịch vụ công ghi "{shorten(procedure.agency_source, 200)}"; từ 01/7/2025 không còn'
            " cấp huyện, nên tên cơ quan được ghi theo chính quyền hai cấp.)"
        )
    return Answer(_compose(procedure, f"Nơi nộp hồ sơ — {title(procedure)}:", lines))


def steps_answer(procedure: Procedure) -> Answer:
    if not procedure.steps:
        return _missing(procedure, "steps")
    lines = [f"{i}. {shorten(step, 400)}" for i, step in enumerate(procedure.steps, 1)]
    return Answer(_compose(procedure, f"Các bước thực hiện — {title(procedure)}:", lines))


def conditions_answer(procedure: Procedure) -> Answer:
    if not procedure.conditions:
        return _missing(procedure, "conditions")
    lines = [f"• {shorten(item, 400)}" for item in procedure.conditions]
    return Answer(_compose(procedure, f"Yêu cầu, điều kiện — {title(procedure)}:", lines))


def legal_basis_answer(procedure: Procedure) -> Answer:
    if not procedure.legal_basis:
        return _missing(procedure, "legal_basis")
    lines = [f"• {doc.number}: {shorten(doc.title, 200)}" for doc in procedure.legal_basis]
    return Answer(_compose(procedure, f"Căn cứ pháp lý — {title(procedure)}:", lines))


def online_answer(procedure: Procedure) -> Answer:
    online = [c for c in procedure.channels if c.kind == "online"]
    if not procedure.channels:
        return _missing(procedure, "online")
    if not online:
        kinds = ", ".join(sorted({c.label.lower() for c in procedure.channels}))
        text = (
            f"{title(procedure)}: theo Cơ sở dữ liệu quốc gia, thủ tục này không có hình thức nộp trực"
            f" tuyến; hình thức nộp: {kinds}."
        )
        return Answer(f"{text}\n{source_line(procedure)}")
    channel = online[0]
    details = [x for x in (time_text(channel), fee_text(channel)) if x]
    lines = [
        "Có, thủ tục này nộp được trực tuyến trên Cổng Dịch vụ công quốc gia (trang thủ tục bên dưới,"
        ' bấm "Nộp hồ sơ").',
    ]
    if details:
        lines.append(f"• Trực tuyến: {', '.join(details)}")
    return Answer(_compose(procedure, f"Nộp trực tuyến — {title(procedure)}:", lines))


def overview_answer(procedure: Procedure) -> Answer:
    lines = [f"Thủ tục: {procedure.name}"]
    if procedure.agency:
        lines.append(f"• Cơ quan thực hiện: {procedure.agency}")
    for channel in procedure.channels:
        details = [x for x in (time_text(channel), fee_text(channel)) if x]
        lines.append(f"• {channel.label}: {', '.join(details) or 'chưa có thông tin'}")
    if procedure.documents:
        counted = sum(1 for d in procedure.documents if d.originals or d.copies)
        lines.append(f"• Hồ sơ: {counted or len(procedure.documents)} loại giấy tờ")
    lines = _dedupe(lines)
    notes = caution(procedure)
    buttons = [
        button("Giấy tờ cần chuẩn bị", "documents", procedure.code),
        button("Lệ phí", "fee", procedure.code),
        button("Thời gian", "time", procedure.code),
        button("Nộp ở đâu", "agency", procedure.code),
    ]
    return Answer(_compose(procedure, "Thông tin chung:", lines, notes), buttons)


def answer(procedure: Procedure, question: str, page: int = 1) -> Answer:
    """The answer to one question type about a procedure."""
    writers = {
        "fee": fee_answer,
        "time": time_answer,
        "agency": agency_answer,
        "steps": steps_answer,
        "conditions": conditions_answer,
        "legal_basis": legal_basis_answer,
        "online": online_answer,
        "overview": overview_answer,
    }
    if question == "documents":
        return documents_answer(procedure, page)
    return writers.get(question, overview_answer)(procedure)
