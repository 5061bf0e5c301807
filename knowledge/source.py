"""Reads the national procedure database snapshot (one JSON object per line, gzipped or not)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def read_snapshot(path: Path) -> Iterator[dict[str, Any]]:
    """Yield the snapshot's raw records in file order."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:  # type: ignore[operator]
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: not a JSON object: {error}") from error
            if not isinstance(record, dict) or not record.get("ma_thu_tuc"):
                raise ValueError(f"{path}:{number}: record without ma_thu_tuc")
            yield record
