"""Finds application codes (mã hồ sơ) such as 000.00.17.H12-251120-0042, however they were typed."""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.application_code_pattern import APPLICATION_CODE, canonical, find_application_codes
from bot.nlu.extractor import RuleExtractor

__all__ = ["APPLICATION_CODE", "ApplicationCodeExtractor", "canonical", "find_application_codes"]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ApplicationCodeExtractor(RuleExtractor):
    """Entity `application_code`, value in canonical form."""

    def extract(self, message: Message) -> list[dict[str, Any]]:
        return [
            {"entity": "application_code", "value": code, "start": start, "end": end,
             "confidence": 1.0}
            for code, start, end in find_application_codes(message.get(TEXT))
        ]  # fmt: skip
