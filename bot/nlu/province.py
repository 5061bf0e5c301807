"""Finds the province a message names, old or new, and gives it as one of the 34 current ones."""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.extractor import RuleExtractor
from knowledge.province import find_province


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ProvinceExtractor(RuleExtractor):
    """Entity `province`, value = the province's name since 1 July 2025."""

    def extract(self, message: Message) -> list[dict[str, Any]]:
        mention = find_province(message.get(TEXT))
        if mention is None:
            return []
        return [
            {
                "entity": "province",
                "value": mention.province.name,
                "start": mention.start,
                "end": mention.end,
                "confidence": 1.0,
                "matched": mention.province.matched,
            }
        ]
