"""Judged message sets: citizen messages labelled with the procedures (and intents) they are about.

Three formats are read: search phrasings (`- text, codes, style`), single messages with an intent
(`- text, intent, codes, style`), and Rasa NLU files whose examples annotate a `procedure` entity.
Conversations (`- id, about, turns: [text, intent, codes]`) are read by `conversations`. The
benches, the tests, the ranker's training and the maintainers' deploy gate all read sets through here.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_ENTITY = re.compile(r"\[([^\]]+)\]\{([^}]*)\}")


@dataclass(frozen=True)
class Judged:
    """One labelled message: `codes` empty when it is about no procedure; `intent` may be unknown."""

    text: str
    codes: tuple[str, ...]
    style: str = ""
    intent: str = ""
    source: str = ""


@dataclass(frozen=True)
class Turn:
    text: str
    intent: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Conversation:
    id: str
    about: str
    turns: tuple[Turn, ...] = field(default_factory=tuple)


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _text(item: dict[str, Any]) -> str:
    text = str(item["text"])
    return unicodedata.normalize("NFD", text) if item.get("style") == "nfd" else text


def messages(path: Path) -> list[Judged]:
    """The messages of a set in any of the three formats; ValueError when the file is none of them."""
    data = _yaml(path)
    if isinstance(data, dict) and "nlu" in data:
        return _nlu(data, path)
    if not isinstance(data, list):
        raise ValueError(f"{path}: not a judged message set")
    out = []
    for i, item in enumerate(data, 1):
        if not isinstance(item, dict) or "text" not in item or "codes" not in item:
            raise ValueError(f"{path}: item {i} needs `text` and `codes`")
        out.append(
            Judged(_text(item), tuple(item["codes"] or ()), str(item.get("style", "")),
                   str(item.get("intent", "")), path.name)
        )  # fmt: skip
    return out


def _nlu(data: dict[str, Any], path: Path) -> list[Judged]:
    out = []
    for block in data["nlu"]:
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if not line.startswith("- "):
                continue
            raw = line[2:]
            codes = tuple(
                str(json.loads("{" + m.group(2) + "}").get("value"))
                for m in _ENTITY.finditer(raw)
                if json.loads("{" + m.group(2) + "}").get("entity") == "procedure"
            )
            out.append(
                Judged(_ENTITY.sub(lambda m: m.group(1), raw), codes, "", str(block["intent"]), path.name)
            )
    return out


def conversations(path: Path) -> list[Conversation]:
    data = _yaml(path)
    if not isinstance(data, list):
        raise ValueError(f"{path}: not a conversation set")
    out = []
    for item in data:
        turns = tuple(
            Turn(str(t["text"]), str(t["intent"]), tuple(t.get("codes") or ())) for t in item["turns"]
        )
        out.append(Conversation(str(item["id"]), str(item.get("about", "")), turns))
    return out
