"""Parsers that turn the portal's flattened tables back into knowledge-model records.

Each parser returns a `Parsed`: the values read plus issues. An issue reads "<field>: <message>";
messages starting with "unparsed" or "empty" mean the field was not read completely (validation
counts those), any other message is a warning about a value that was read but looks doubtful.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")

EMPTY = "Không có thông tin"
FAILURE_PREFIXES = ("unparsed", "empty")
SNIPPET = 80


@dataclass(frozen=True)
class Parsed(Generic[T]):
    """Values read from one source field, and what went wrong while reading it."""

    values: tuple[T, ...] = ()
    issues: tuple[str, ...] = field(default=())


def clean(value: str | None) -> str:
    """Source text with the portal's "no information" placeholder and stray whitespace removed."""
    text = (value or "").replace("\xa0", " ").strip()
    return "" if text == EMPTY else text


def squash(text: str) -> str:
    """Collapse runs of spaces and tabs (not newlines) and trim each line."""
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in text.replace("\xa0", " ").splitlines())
    return "\n".join(line for line in lines if line)


def snippet(text: str) -> str:
    """A short, single-line excerpt for an issue message."""
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET else flat[: SNIPPET - 1] + "…"


def is_failure(issue: str) -> bool:
    """Whether an issue says a field was not read completely (as opposed to a warning)."""
    _, _, message = issue.partition(": ")
    return message.startswith(FAILURE_PREFIXES)


def issue_field(issue: str) -> str:
    return issue.partition(": ")[0]


def table_body(source: str | None, header: str, field_name: str) -> tuple[str, tuple[str, ...]]:
    """The rows of a flattened portal table after its header; an issue when the header is missing."""
    text = clean(source)
    if not text:
        return "", ()
    if not text.startswith(header):
        return "", (f"{field_name}: unparsed text '{snippet(text)}' (no table header)",)
    body = text[len(header) :]
    return (body if body.strip() else ""), ()
