"""Links a message to the procedure it is about: entity `procedure`, value = the national code.

Procedures are data, not intents: the linker searches the whole knowledge base, so a procedure added
by an import is understood without retraining.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.application_code import APPLICATION_CODE
from bot.nlu.extractor import RuleExtractor
from bot.nlu.normalizer import normalized_of
from knowledge.search import search
from knowledge.text import strip_diacritics

CANDIDATES = 3


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ProcedureLinker(RuleExtractor):
    """Entity `procedure` with the best match, its close rivals and whether they are too close."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # A score is the share of the message's content words that matched a procedure.
        return {"min_score": 0.35}

    def extract(self, message: Message) -> list[dict[str, Any]]:
        text = APPLICATION_CODE.sub(" ", message.get(TEXT))  # a code's letters are not a procedure
        ranking = search(text, limit=CANDIDATES)
        if not ranking or ranking[0].score < self._config["min_score"]:
            return []
        start, end = _span(message, ranking.top or "")
        return [
            {
                "entity": "procedure",
                "value": ranking[0].code,
                "start": start,
                "end": end,
                "confidence": ranking[0].score,
                "candidates": [hit.code for hit in ranking if hit.score >= self._config["min_score"]],
                "too_close": ranking.too_close,
            }
        ]


def _span(message: Message, code: str) -> tuple[int, int]:
    """The stretch of the message whose words occur in the procedure's names (whole text if none)."""
    from knowledge.base import load

    procedure = load().get(code)
    text = message.get(TEXT)
    if procedure is None:
        return 0, len(text)
    vocabulary = set(
        strip_diacritics(" ".join((procedure.name, procedure.short_name, *procedure.everyday_names)))
        .lower()
        .split()
    )
    normalized = normalized_of(message)
    plain = strip_diacritics(str(normalized))
    hits = [(start, word) for start, word in _words(plain) if word in vocabulary]
    # Question words may sit inside a procedure's name ("hết hạn"), but never start or end the span.
    while hits and hits[0][1] in _QUESTION_WORDS:
        hits.pop(0)
    while hits and hits[-1][1] in _QUESTION_WORDS:
        hits.pop()
    if not hits:
        return 0, len(text)
    return normalized.original_span(hits[0][0], hits[-1][0] + len(hits[-1][1]))


_QUESTION_WORDS = frozenset(
    """thu tuc lam gi can bao nhieu the nao o dau cua va cho het tien mat lau may ngay nop muon xin
    toi minh em anh chi a ak ha nhe vay khong duoc co la thi se da o tai ve voi giay to
    phi le thoi gian online truc tuyen""".split()
)


def _words(text: str) -> list[tuple[int, str]]:
    out, start = [], None
    for i, char in enumerate(text + " "):
        if char.isalnum() and start is None:
            start = i
        elif not char.isalnum() and start is not None:
            out.append((start, text[start:i]))
            start = None
    return out
