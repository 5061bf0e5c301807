"""Reads a request body as JSON, with the reason when it cannot be read; every channel uses it."""

from __future__ import annotations

import json
from typing import Any


class UnreadableBody(ValueError):
    """The body is not UTF-8 or not JSON; `detail` says where."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def read_json(raw: bytes | str) -> Any:
    """The decoded JSON value of a body."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise UnreadableBody(f"body is not valid UTF-8 (byte {error.start})") from error
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise UnreadableBody(f"body is not valid JSON: {error.msg} at {where}") from error
