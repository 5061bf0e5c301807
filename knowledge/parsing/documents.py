"""Parses `thanh_phan_ho_so`: groups of documents, each row `name[form file]quantity`.

Flattened shape: `<group heading>Tên giấy tờMẫu đơn, tờ khaiSố lượng<name><form.doc>1 bản chính,1 bản sao
<name>0 bản chính…<next heading>Tên giấy tờ…`; a heading of `--` means "no heading".
"""

from __future__ import annotations

import re

from knowledge.model import Document
from knowledge.parsing import Parsed, clean, snippet, squash

FIELD = "documents"
HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
# The quantity cell closes a row. Inside a name the same words are followed by a space or
# punctuation ("01 bản chính hoặc …") or by the real cell ("…: 01 bản chính1 bản chính"),
# while the next row starts right after the cell.
QUANTITY = re.compile(r"(\d+) bản chính(?:,(\d+) bản sao)?(?=[^\s;.,:)]|$)(?!\d+ bản)")
FORM_EXT = re.compile(r"\.(?:docx?|xlsx?|pdf|odt|rar|zip)", re.IGNORECASE)
# Form file names usually start with one of these words, glued to what precedes them.
FORM_WORD = re.compile(r"(?=mẫu|mau|phụ lục|phu luc)", re.IGNORECASE)
BULLET = re.compile(r"^[\s\-–+*•]+")
NO_HEADING = re.compile(r"^[\s\-–]*$")


def parse_documents(source: str | None) -> Parsed[Document]:
    """Read every document row of every group; text that fits no row becomes an issue."""
    text = clean(source)
    if NO_HEADING.match(text):
        return Parsed()
    parts = text.split(HEADER)
    if len(parts) == 1:
        return Parsed(issues=(f"{FIELD}: unparsed text '{snippet(text)}' (no table header)",))
    documents: list[Document] = []
    issues: list[str] = []
    group = _heading(parts[0])
    for index, part in enumerate(parts[1:], start=1):
        rows, leftover = _rows(part, group)
        if not rows:
            issues.append(f"{FIELD}: unparsed table '{snippet(part)}' (no quantity cell)")
        documents.extend(rows)
        last = index == len(parts) - 1
        if last and not NO_HEADING.match(leftover):
            issues.append(f"{FIELD}: unparsed trailing text '{snippet(leftover)}'")
        group = _heading(leftover)
    if any(not d.name for d in documents):
        # The portal has a few rows with only a count; they carry nothing to tell a citizen.
        issues.append(f"{FIELD}: row without a document name skipped")
    return Parsed(tuple(d for d in documents if d.name), tuple(issues))


def _heading(text: str) -> str:
    return squash(BULLET.sub("", text).rstrip("- "))


def _rows(table: str, group: str) -> tuple[list[Document], str]:
    """The rows of one table and the text after its last row (the next group's heading)."""
    rows = []
    position = 0
    for match in QUANTITY.finditer(table):
        originals, copies = match.group(1), match.group(2)
        cell = table[position : match.start()]
        # Digits glued to the name ("…năm 2025" + "1 bản chính") run into the count: the
        # portal's counts are single digits, so only the last digit is the count.
        if len(originals) > 1:
            cell += originals[:-1]
            originals = originals[-1]
        name, form = _split_form(cell)
        rows.append(
            Document(
                name=squash(BULLET.sub("", name)),
                originals=int(originals),
                # The portal always shows the originals count but omits ",0 bản sao".
                copies=int(copies) if copies is not None else 0,
                form=form,
                group=group,
            )
        )
        position = match.end()
    return rows, table[position:]


def _split_form(cell: str) -> tuple[str, str]:
    """Split trailing form file names (`Mẫu 01.docx`) off a document name."""
    cell = cell.strip()
    if not (ends := list(FORM_EXT.finditer(cell))) or ends[-1].end() != len(cell):
        return cell, ""
    strong, weak = _form_starts(cell, ends[0].start())
    if not strong and not weak:
        # No visible join: keep everything as the name rather than guess where the file starts.
        return cell, ""
    start = (strong or weak)[-1]
    return cell[:start].strip(), squash(cell[start:])


def _form_starts(cell: str, limit: int) -> tuple[list[int], list[int]]:
    """Where a glued file name may start: strong joins ("nướcMau", "CP;Mẫu") and weak ones ("CP.Mẫu")."""
    strong, weak = [], []
    for i in range(2, limit):
        before, char = cell[i - 1], cell[i]
        if before.isspace() or char.isspace():
            continue
        glued_word = (before.isalpha() or before in ".;)") and FORM_WORD.match(cell, i)
        if (before.islower() and char.isupper()) or before in ";)" or glued_word:
            strong.append(i)
        elif before == "." and cell[i - 2].isalpha() and char.isupper():
            weak.append(i)
    return strong, weak
