"""Links a message to the procedure it is about: entity `procedure`, value = the national code.

Procedures are data, not intents: the linker asks the knowledge base's search, whose learned ranker
decides whether the first candidate is probable enough to link, or whether the first two are too
close to call (the citizen is then asked which one). A procedure added by an import is understood
without retraining.
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
from knowledge.province import find_province
from knowledge.search import search, vocabulary_tables
from knowledge.text import strip_diacritics

CANDIDATES = 3
# Small talk never names a procedure, whatever rare word it shares with one ("chào" / chào mua).
NO_PROCEDURE_INTENTS = frozenset({"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge"})
# A status question or a call for a person is answered without one ("tra cứu hồ sơ" is no procedure),
# and so is a question out of scope; but the classifier also puts real procedure questions there, so
# these link only where the message writes out a procedure's everyday name.
NAME_ONLY_INTENTS = frozenset({"check_status", "request_human", "out_of_scope", "nlu_fallback"})
_WORD = re.compile(r"[0-9a-z]+")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ProcedureLinker(RuleExtractor):
    """Entity `procedure` with the best match, its close rivals and whether they are too close."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def extract(self, message: Message) -> list[dict[str, Any]]:
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if intent in NO_PROCEDURE_INTENTS:
            return []
        text = message.get(TEXT)
        # A province says where, not what ("ở Nghệ An", "tỉnh Lâm Đồng"); a code's letters are no procedure.
        province = find_province(text)
        if province is not None:
            text = text[: province.start] + " " * (province.end - province.start) + text[province.end :]
        ranking = search(APPLICATION_CODE.sub(" ", text), limit=CANDIDATES)
        if not ranking or not (ranking.confident or ranking.too_close):
            return []
        if intent in NAME_ONLY_INTENTS and ranking[0].code not in ranking.named:
            return []
        knowledge = load()
        best = knowledge.get(ranking[0].code)
        if best is None:
            return []
        normalized = normalized_of(message)
        start, end = _span(strip_diacritics(str(normalized)), normalized, best, len(message.get(TEXT)))
        candidates = [hit.code for hit in ranking if hit.code in knowledge]
        return [
            {
                "entity": "procedure",
                "value": best.code,
                "start": start,
                "end": end,
                "confidence": ranking[0].score,
                "candidates": candidates if ranking.too_close else [best.code],
                "too_close": ranking.too_close and len(candidates) > 1,
                "named": best.code in ranking.named,  # the message writes out its name
            }
        ]


def _vocabulary(procedure: Procedure) -> set[str]:
    names = (procedure.name, procedure.short_name, *procedure.everyday_names)
    return {w for name in names if name for w in _WORD.findall(strip_diacritics(name).lower())}


def _span(plain: str, normalized: Any, procedure: Procedure, length: int) -> tuple[int, int]:
    """The stretch of the message whose words occur in the procedure's names (whole text if none)."""
    vocabulary = _vocabulary(procedure)
    question_words = vocabulary_tables.load().question_words
    hits = [(m.start(), m.group()) for m in _WORD.finditer(plain) if m.group() in vocabulary]
    # Question words may sit inside a procedure's name ("hết hạn"), but never start or end the span.
    while hits and hits[0][1] in question_words:
        hits.pop(0)
    while hits and hits[-1][1] in question_words:
        hits.pop()
    if not hits:
        return 0, length
    start, end = normalized.original_span(hits[0][0], hits[-1][0] + len(hits[-1][1]))
    return int(start), int(end)
