"""Records the messages the bot fell back on or handed over, masked, for maintainers to learn from.

Each entry of the Redis stream `$FAILURE_LOG_KEY` (default `learning:failures`, database
`$FAILURE_LOG_DB`, default 2, capped at `$FAILURE_LOG_MAXLEN` entries) holds the citizen's last message
with personal data masked, the predicted intent ranking, the reason and the time.
`python -m maintenance failures export` turns them into candidate training examples.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import unicodedata
from typing import Any

import redis
from rasa_sdk import Tracker

from actions.privacy import mask

log = logging.getLogger(__name__)

NAME_MASK = "[tên]"
RANKING_SIZE = 5
# "tên tôi là X", "tôi tên là X", "mình tên X", "em là X" ...: the name is masked.
_NAME_CUE = re.compile(
    r"(?i)\b(?:t[eê]n\s+(?:t[oô]i|m[iì]nh|em|ch[aá]u)\s+l[aà]|(?:t[oô]i|m[iì]nh|em|ch[aá]u)\s+t[eê]n(?:\s+l[aà])?)\s+"
)
# "tôi là X" also introduces "tôi là sinh viên": there only a capitalised word or a surname is a name.
_SELF_CUE = re.compile(r"(?i)\b(?:t[oô]i|m[iì]nh|em|ch[aá]u)\s+l[aà]\s+")
_SURNAMES = frozenset(
    [
        "nguyen",
        "tran",
        "le",
        "pham",
        "hoang",
        "huynh",
        "phan",
        "vu",
        "vo",
        "dang",
        "bui",
        "do",
        "ho",
        "ngo",
        "duong",
        "ly",
        "dinh",
        "trinh",
        "truong",
        "mai",
        "lam",
        "cao",
        "luong",
        "ta",
        "ha",
        "kieu",
        "quach",
        "chu",
        "thai",
        "tong",
        "la",
        "van",
    ]
)
# Words that end a name: what follows it in a sentence ("tôi là Lan, ở Huế", "tôi là Lan muốn hỏi").
_AFTER_NAME = frozenset(
    [
        "o",
        "muon",
        "can",
        "hoi",
        "xin",
        "va",
        "nha",
        "sinh",
        "den",
        "tu",
        "dang",
        "lam",
        "nhe",
        "a",
        "ah",
        "oi",
        "voi",
        "de",
        "vua",
        "moi",
    ]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
MAX_NAME_WORDS = 5


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def _name_end(text: str, start: int, strict: bool) -> int:
    """Where the name starting at `start` ends (== start when there is none)."""
    end, words = start, 0
    for match in _WORD.finditer(text, start):
        gap = text[end : match.start()]
        if words and (gap.strip() or "\n" in gap):  # punctuation between words: the name ended
            break
        if not words and text[start : match.start()].strip():
            break
        plain = _plain(match.group())
        if (words and plain in _AFTER_NAME) or words >= MAX_NAME_WORDS:
            break
        if not words and strict and not (match.group()[0].isupper() or plain in _SURNAMES):
            return start
        end, words = match.end(), words + 1
    return end


def mask_names(text: str) -> str:
    """The text with the name after "tên tôi là", "tôi tên", "tôi là" ... replaced by [tên]."""
    for cue, strict in ((_NAME_CUE, False), (_SELF_CUE, True)):
        pieces, last = [], 0
        for match in cue.finditer(text):
            if match.start() < last:
                continue
            end = _name_end(text, match.end(), strict)
            if end > match.end():
                pieces += [text[last : match.end()], NAME_MASK]
                last = end
        text = "".join(pieces) + text[last:]
    return text


def mask_personal_data(text: str) -> str:
    """Application codes, phone and ID numbers (as in the action server's logs), and names."""
    return mask_names(mask(text))


def _client() -> redis.Redis:
    global _redis
    if _redis is None:
        _redis = redis.Redis(
            host=os.environ.get("REDIS_HOST", "127.0.0.1"),
            port=int(os.environ.get("REDIS_PORT", "6379")),
            db=int(os.environ.get("FAILURE_LOG_DB", "2")),
            socket_timeout=1,
            socket_connect_timeout=1,
        )
    return _redis


_redis: redis.Redis | None = None


def entry(tracker: Tracker, reason: str) -> dict[str, str]:
    """The stream entry for the tracker's last message."""
    message: dict[str, Any] = tracker.latest_message or {}
    intent = message.get("intent") or {}
    ranking = [
        {"name": str(item.get("name")), "confidence": round(float(item.get("confidence") or 0.0), 4)}
        for item in (message.get("intent_ranking") or [])[:RANKING_SIZE]
    ]
    return {
        "text": mask_personal_data(str(message.get("text") or "")),
        "intent": str(intent.get("name") or ""),
        "confidence": str(round(float(intent.get("confidence") or 0.0), 4)),
        "ranking": json.dumps(ranking, ensure_ascii=False),
        "reason": reason,
        "timestamp": str(round(time.time(), 3)),
    }


def record_failure(tracker: Tracker, reason: str) -> None:
    """Append the last message (masked) to the failure stream; never raises into the action."""
    try:
        fields = entry(tracker, reason)
        if not fields["text"].strip() or fields["text"].startswith("/"):
            return  # an empty message or a button's payload: nothing to learn from
        maxlen = int(os.environ.get("FAILURE_LOG_MAXLEN", "10000"))
        key = os.environ.get("FAILURE_LOG_KEY", "learning:failures")
        _client().xadd(key, fields, maxlen=maxlen, approximate=True)  # type: ignore[arg-type]
    except Exception as error:  # Redis down, a malformed tracker ...: the citizen's answer goes on
        log.warning("failure not recorded (%s): %s", reason, type(error).__name__)
