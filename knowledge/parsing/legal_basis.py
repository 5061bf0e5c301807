"""Parses `can_cu_phap_ly`: rows of (title, number) flattened as `TitleNumberTitleNumber…`.

Example: `Tên văn bản pháp lýMã văn bảnLuật 54/2014/QH1354/2014/QH13Thông tư 92/2015/TT-BTC92/2015/TT-BTC`.
A row ends where a document number is followed directly (no space) by the next title or the end.
"""

from __future__ import annotations

import re

from knowledge.model import LegalDoc
from knowledge.parsing import Parsed, snippet, squash, table_body

FIELD = "legal_basis"
HEADER = "Tên văn bản pháp lýMã văn bản"
# 54/2014/QH13, 66.7/2025/NQ-CP, 14/2022/QĐ-TTg, 46/2005/TTLT/BQP-BTC, 73/NĐ-CP. The issuer code is
# capitals joined by "-" or "/"; "TTg" is the one lower-case code; National Assembly codes carry
# their term (QH13) and only those take trailing digits, so "QH1354/2014/…" splits after QH13.
# The code stops where the next title starts ("TT-BTCThông tư …", "TT-BTCQUY ĐỊNH …").
TITLE_START = r"Thông|Luật|Nghị|Quyết|Quy|Pháp|Chỉ|Hướng|Hiến|Bộ|Văn|Sửa|Ban|Về|Hiệp|Số|THÔNG|LUẬT|NGHỊ|QUY"
NUMBER = re.compile(
    r"(?P<num>\d+(?:\.\d+)?(?:/\d{4})?/(?:[A-ZĐ]+ ?[-/])*"
    rf"(?:TTg|UBTVQH\d{{2}}|QH\d{{2}}|[A-ZĐ]+?(?={TITLE_START}|[^A-ZĐ]|$))"
    r"|\d+/\d{4}(?![/\d]))"
)
# "…tại Việt NamLuật 47/2014/QH13…": the number cell sometimes carries the kind of document.
KIND_PREFIX = re.compile(
    r"(?:Luật|Bộ luật|Nghị định|Nghị quyết|Thông tư(?: liên tịch)?|Quyết định|Pháp lệnh|Lệnh|Chỉ thị)"
    r"(?: số)? ?$"
)
MAX_LEADING_DIGITS = 3


def parse_legal_basis(source: str | None) -> Parsed[LegalDoc]:
    """Split the table into (title, number) rows; text without a closing number becomes an issue."""
    body, problems = table_body(source, HEADER, FIELD)
    if not body:
        return Parsed(issues=problems)
    docs: list[LegalDoc] = []
    issues: list[str] = []
    ends = [m for m in NUMBER.finditer(body) if _closes_row(body, m.end())]
    position = 0
    for index, match in enumerate(ends):
        glued = index + 1 < len(ends) and ends[index + 1].start() == match.end()
        if glued and ends[index + 1].group("num") == match.group("num"):
            continue  # "Luật 54/2014/QH13" + "54/2014/QH13": the first copy belongs to the title
        title, number = _split(body[position : match.start()], match.group("num"))
        docs.append(LegalDoc(title=title or number, number=number))
        position = match.end()
    leftover = body[position:].strip()
    if leftover:
        issues.append(f"{FIELD}: unparsed text '{snippet(leftover)}' (no document number)")
    if not docs and not issues:
        issues.append(f"{FIELD}: empty although the source has text")
    return Parsed(tuple(docs), tuple(issues))


def _closes_row(body: str, end: int) -> bool:
    # The next title starts with a capital or a digit; inside a title a number is followed by a
    # space, punctuation or a glued lower-case word ("… số 53/2025/TT-BCAngày 01/7/2025 …").
    following = body[end : end + 1]
    return not following or following.isupper() or following.isdigit()


def _split(title: str, number: str) -> tuple[str, str]:
    """Tidy one row: digits of the title glued to the number go back to the title."""
    lead, _, rest = number.partition("/")
    if len(lead.split(".")[0]) > MAX_LEADING_DIGITS:
        # "…năm 202344/2023/TT-BTC", "…năm 2001.22/2025/TT-BXD": prefer the split whose number the
        # title itself cites, else cut off a glued year.
        cuts = [cut for cut in range(1, len(lead)) if lead[cut].isdigit()]
        for cut in cuts:
            candidate = f"{lead[cut:]}/{rest}"
            if candidate in title or re.match(r"(?:19|20)\d\d\.?$", lead[:cut]):
                title, number = title + lead[:cut], candidate
                break
    # Only strip a kind word glued to the title's end ("Việt NamLuật"), not a title that is
    # just "Luật" + number.
    prefix = KIND_PREFIX.search(title)
    if prefix and prefix.start() > 0 and not title[prefix.start() - 1].isspace():
        title = title[: prefix.start()]
    return squash(title), number
