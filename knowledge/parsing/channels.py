"""Parses `cach_thuc_thuc_hien`: the submission table (channel, time limit, fee, description).

The portal flattened the table to `Hình thức nộpThời gianPhí, lệ phíMô tả` followed by rows glued
together: `Trực tuyến8 Ngày làm việc160,000 Việt Nam Đồng(note)descriptionTrực tiếp…`.
"""

from __future__ import annotations

import re
from itertools import pairwise

from knowledge.model import Channel, ChannelKind, Fee, TimeLimit, TimeUnit
from knowledge.parsing import EMPTY, Parsed, snippet, squash, table_body

FIELD = "channels"
HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
KINDS: dict[str, ChannelKind] = {
    "Trực tiếp": "in_person",
    "Trực tuyến": "online",
    "Dịch vụ bưu chính": "post",
}
LABEL = re.compile("|".join(map(re.escape, KINDS)))
UNITS: dict[str, TimeUnit] = {
    "ngày làm việc": "working_days",
    "ngày": "days",
    "giờ": "hours",
    "tháng": "months",
    "năm": "years",
}
NUMBER = r"\d+(?:[.,]\d+)*"
CURRENCY = r"Việt Nam Đồng|VNĐ|VND|đồng|Đồng|USD|EUR"
TIME = re.compile(rf"({NUMBER})\s*(ngày làm việc|ngày|giờ|tháng|năm|phút|tuần)", re.IGNORECASE)
SAME_DAY = re.compile(r"trong ngày", re.IGNORECASE)
AMOUNT = re.compile(rf"({NUMBER})\s*({CURRENCY})")
# A free-text time cell ("Không quy định", "Hệ thống … phản hồi tự động") runs until the fee cell.
FEE_START = re.compile(rf"Miễn phí|{EMPTY}|{NUMBER}\s*(?:{CURRENCY})")
FREE_TIME_MAX = 300
# Below this an amount in đồng is not a real fee: the portal sometimes stores thousands (20 = 20.000 đ).
MIN_DONG = 1000


def parse_channels(source: str | None) -> Parsed[Channel]:
    """Read every row of the submission table; unknown text becomes an issue, never an exception."""
    body, problems = table_body(source, HEADER, FIELD)
    if not body:
        return Parsed(issues=problems)
    starts = _row_starts(body)
    issues: list[str] = []
    if not starts or starts[0] > 0:
        lead = body[: starts[0]] if starts else body
        issues.append(f"{FIELD}: unparsed text '{snippet(lead)}' before the first row")
    channels: list[Channel] = []
    for start, end in pairwise([*starts, len(body)]) if starts else ():
        channel, row_issues = _parse_row(body[start:end])
        issues.extend(row_issues)
        if channel is not None:
            channels.append(channel)
    if not channels and not issues:
        issues.append(f"{FIELD}: empty although the source has text")
    return Parsed(tuple(channels), tuple(issues))


def _row_starts(body: str) -> list[int]:
    # A row's label is glued to its time cell (a digit or a capital); inside a description the
    # same words are followed by a space or colon ("Trực tiếp tại …", "Trực tuyến: …").
    starts = []
    for match in LABEL.finditer(body):
        following = body[match.end() : match.end() + 1]
        if following and (following.isdigit() or following.isupper()):
            starts.append(match.start())
    return starts


def _parse_row(row: str) -> tuple[Channel | None, list[str]]:
    label = LABEL.match(row)
    assert label is not None  # rows are cut at label positions
    kind = KINDS[label.group(0)]
    rest = row[label.end() :]
    issues: list[str] = []

    time_limit, after_time, time_issue = _time(rest)
    if time_issue:
        issues.append(f"{FIELD}: {time_issue} ({kind})")
    if after_time is None:
        return None, [f"{FIELD}: unparsed row '{snippet(row)}'"]

    fee, after_fee, fee_issue = _fee(after_time)
    if fee_issue:
        issues.append(f"{FIELD}: {fee_issue} ({kind})")
    if after_fee is None:
        return None, [*issues, f"{FIELD}: unparsed fee in row '{snippet(row)}'"]

    channel = Channel(
        kind=kind,
        label=label.group(0),
        time_limit=time_limit,
        fee=fee,
        note=_note(after_fee),
    )
    return channel, issues


def _time(rest: str) -> tuple[TimeLimit | None, str | None, str]:
    """Read the time cell; returns (time limit, text after it or None if unreadable, warning)."""
    if rest.startswith(EMPTY):
        return None, rest[len(EMPTY) :], ""
    if match := TIME.match(rest):
        value, unit_text = match.groups()
        unit = UNITS.get(unit_text.lower(), "other")
        warning = "" if unit != "other" else f"time unit '{unit_text}' has no model unit"
        return TimeLimit(_number(value), unit, match.group(0)), rest[match.end() :], warning
    if match := SAME_DAY.match(rest):
        return TimeLimit(None, "same_day", match.group(0)), rest[match.end() :], ""
    if match := re.match(r"(\d+)(?=Miễn phí|Không)", rest):
        digits = match.group(1)
        warning = f"time limit '{digits}' has no unit"
        return TimeLimit(float(digits), "other", digits), rest[match.end() :], warning
    if match := re.match(rf"(\d)(?=\d[\d.,]*\s*(?:{CURRENCY}))", rest):
        # The time cell and the fee amount ran together ("1100 VNĐ"); the notes of these rows
        # confirm a one-digit time ("1") followed by the amount ("100"), so split after one digit.
        digit = match.group(1)
        warning = f"time '{digit}' without unit split from a run of digits '{snippet(rest[:12])}'"
        return TimeLimit(float(digit), "other", digit), rest[match.end() :], warning
    if (match := FEE_START.search(rest)) and 0 < match.start() <= FREE_TIME_MAX:
        free_text = squash(rest[: match.start()])
        return TimeLimit(None, "other", free_text), rest[match.start() :], ""
    return None, None, ""


def _fee(rest: str) -> tuple[Fee | None, str | None, str]:
    """Read the fee cell; returns (fee, text after it or None if unreadable, warning)."""
    if rest.startswith("Miễn phí"):
        return Fee(0, True, "Miễn phí"), rest[len("Miễn phí") :], ""
    if rest.startswith(EMPTY):
        return None, rest[len(EMPTY) :], ""
    if rest.startswith("Không") and not rest.startswith("Không có"):
        return Fee(0, True, "Không"), rest[len("Không") :], ""
    if match := AMOUNT.match(rest):
        number, currency = match.groups()
        text = match.group(0)
        amount = _amount(number)
        if currency in ("USD", "EUR"):
            return Fee(None, False, text), rest[match.end() :], ""
        if amount is None:
            return Fee(None, False, text), rest[match.end() :], f"fee amount '{text}' not a whole number"
        if amount == 0:
            return Fee(0, True, text), rest[match.end() :], ""
        if amount < MIN_DONG:
            warning = f"fee '{text}' below {MIN_DONG} đồng (probably thousands), amount left out"
            return Fee(None, False, text), rest[match.end() :], warning
        return Fee(amount, False, text), rest[match.end() :], ""
    if not rest.strip():
        return None, "", ""
    return None, None, ""


def _note(rest: str) -> str:
    """The fee remark in parentheses and the description cell, one per line."""
    rest = rest.strip()
    parts = []
    if rest.startswith("("):
        close = _closing_paren(rest)
        parts.append(rest[1:close])
        rest = rest[close + 1 :].lstrip(") ")
    parts.append(rest)
    return squash("\n".join(parts))


def _closing_paren(text: str) -> int:
    depth = 0
    for index, char in enumerate(text):
        depth += char == "("
        depth -= char == ")"
        if depth == 0:
            return index
    return len(text)  # unclosed: the remark runs to the end


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _amount(text: str) -> int | None:
    """An amount written with "," or "." thousands separators (160,000 / 160.000), or None."""
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+|\d+", text):
        return int(re.sub(r"[.,]", "", text))
    return None
