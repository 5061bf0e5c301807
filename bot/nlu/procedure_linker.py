"""Links a message to the procedure it is about: entity `procedure`, value = the national code.

Procedures are data, not intents: the linker searches the whole knowledge base, so a procedure added
by an import is understood without retraining.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.application_code import APPLICATION_CODE
from bot.nlu.extractor import RuleExtractor
from bot.nlu.normalizer import normalized_of
from knowledge.base import load
from knowledge.model import Procedure
from knowledge.search import search
from knowledge.text import strip_diacritics

CANDIDATES = 3
# Small talk never names a procedure, whatever rare word it shares with one ("chào" / chào mua); a
# status question or a call for a person is answered without one ("tra cứu hồ sơ" is no procedure).
NO_PROCEDURE_INTENTS = frozenset(
    {"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "out_of_scope", "check_status",
     "request_human"}
)  # fmt: skip

# Words that ask, address or link; they may sit inside a procedure's name ("hết hạn", "cấp lại")
# but are no evidence that the message is about that procedure.
QUESTION_WORDS = frozenset(
    {
        "thu", "tuc", "lam", "gi", "can", "bao", "nhieu", "the", "nao", "o", "dau", "cua", "va", "cho",
        "het", "tien", "mat", "lau", "may", "ngay", "nop", "muon", "xin", "toi", "minh", "em", "anh",
        "chi", "a", "ak", "ha", "nhe", "vay", "khong", "duoc", "co", "la", "thi", "se", "da", "tai", "ve",
        "voi", "giay", "to", "nhu", "phi", "le", "thoi", "gian", "online", "truc", "tuyen", "ai", "nguoi",
        "nay", "kia", "do", "roi", "chua",
    }
)  # fmt: skip
# Verbs every other procedure name has: fine inside a mention ("đổi bằng lái"), no evidence alone.
NOT_EVIDENCE = QUESTION_WORDS | {"cap", "doi", "lai", "moi", "dang", "ky", "xac", "nhan", "giay"}
_WORD = re.compile(r"[0-9a-z]+")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ProcedureLinker(RuleExtractor):
    """Entity `procedure` with the best match, its close rivals and whether they are too close."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # A score is the share of the message's content words that matched a procedure.
        return {"min_score": 0.35}

    def extract(self, message: Message) -> list[dict[str, Any]]:
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if intent in NO_PROCEDURE_INTENTS:
            return []
        text = APPLICATION_CODE.sub(" ", message.get(TEXT))  # a code's letters are not a procedure
        ranking = search(text, limit=CANDIDATES)
        if not ranking or ranking[0].score < self._config["min_score"]:
            return []
        normalized = normalized_of(message)
        plain = strip_diacritics(str(normalized))
        knowledge = load()
        best = knowledge.get(ranking[0].code)
        if best is None or not _evidence(plain, best):
            return []
        start, end = _span(plain, normalized, best, len(message.get(TEXT)))
        candidates = [
            hit.code
            for hit in ranking
            if hit.score >= self._config["min_score"] and hit.code in knowledge
            and _evidence(plain, knowledge[hit.code])
        ]  # fmt: skip
        return [
            {
                "entity": "procedure",
                "value": best.code,
                "start": start,
                "end": end,
                "confidence": ranking[0].score,
                "candidates": candidates,
                "too_close": ranking.too_close and len(candidates) > 1,
            }
        ]


def _names(procedure: Procedure) -> list[str]:
    names = (procedure.name, procedure.short_name, *procedure.everyday_names)
    return [strip_diacritics(n).lower() for n in names if n]


def _vocabulary(procedure: Procedure) -> set[str]:
    return {word for name in _names(procedure) for word in _WORD.findall(name)}


def _evidence(plain: str, procedure: Procedure) -> bool:
    """The message names the procedure: one of its everyday names, or two of its content words."""
    padded = f" {' '.join(_WORD.findall(plain))} "
    everyday = (strip_diacritics(n).lower() for n in (procedure.short_name, *procedure.everyday_names) if n)
    if any(f" {' '.join(_WORD.findall(name))} " in padded for name in everyday):
        return True
    content = {w for w in _WORD.findall(plain) if w not in NOT_EVIDENCE}
    return len(content & _vocabulary(procedure)) >= 2


def _span(plain: str, normalized: Any, procedure: Procedure, length: int) -> tuple[int, int]:
    """The stretch of the message whose words occur in the procedure's names (whole text if none)."""
    vocabulary = _vocabulary(procedure)
    hits = [(m.start(), m.group()) for m in _WORD.finditer(plain) if m.group() in vocabulary]
    # Question words may sit inside a procedure's name ("hết hạn"), but never start or end the span.
    while hits and hits[0][1] in QUESTION_WORDS:
        hits.pop(0)
    while hits and hits[-1][1] in QUESTION_WORDS:
        hits.pop()
    if not hits:
        return 0, length
    start, end = normalized.original_span(hits[0][0], hits[-1][0] + len(hits[-1][1]))
    return int(start), int(end)
