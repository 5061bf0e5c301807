"""Cleans the free-text sections: steps, conditions, result (minus page furniture) and related procedures."""

from __future__ import annotations

import re

from knowledge.parsing import Parsed, clean, squash

# "Bước 1:", "- Bước 2.", "Bước 3 -" at the start of a line or right after a sentence ends.
STEP = re.compile(r"(?:^|\n|(?<=[.;:]))[ \t]*[-–+*•]?[ \t]*Bước[ \t]*\d+[ \t]*[:.\-–)]?[ \t]*", re.IGNORECASE)
# Everything the crawler captured after the result proper: its code, keywords and the portal's
# "choose an agency … submit" widget.
RESULT_CODE = re.compile(r"Mã: ?(?:KQ\.G\d+\.\d{6}|\d{3}\.\d{2}\.\d{2}\.G\d+-KQ\d+|\d+)")
FURNITURE = re.compile(r"Từ khóa|Chọn cơ quan thực hiện|Hệ thống chỉ hiển thị|Nộp hồ sơ$")


def parse_steps(source: str | None) -> Parsed[str]:
    """Steps split on "Bước N"; without such markers, one step per line."""
    text = clean(source)
    if not text:
        return Parsed()
    parts = STEP.split(text)
    pieces = parts if len(parts) > 1 else text.splitlines()
    steps = [squash(piece) for piece in pieces]
    return Parsed(tuple(s for s in steps if s))


def parse_conditions(source: str | None) -> Parsed[str]:
    """Conditions, one per line as the portal wrote them."""
    text = clean(source)
    return Parsed(tuple(squash(text).splitlines())) if text else Parsed()


def parse_result(source: str | None) -> Parsed[str]:
    """The result documents, one per line, without codes and page furniture."""
    text = clean(source)
    if not text:
        return Parsed()
    if furniture := FURNITURE.search(text):
        text = text[: furniture.start()]
    items = [squash(part) for part in RESULT_CODE.split(text)]
    items = [item for item in items if item and clean(item)]
    if not items:
        return Parsed(issues=("result: empty after removing page furniture",))
    return Parsed(("\n".join(items),))


def parse_related(source: str | None) -> Parsed[str]:
    """Related procedures, kept as text."""
    text = squash(clean(source))
    return Parsed((text,)) if text else Parsed()
