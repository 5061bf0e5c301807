"""Normaliser component: NFC, tone placement, lower case, chat abbreviations expanded.

It runs first and stores the normalised text with a map back to the original characters; the
tokenizer reads it, so tokens are normalised while their offsets still point into what was typed.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from knowledge import vocabulary
from knowledge.text import Normalized, expand_with_offsets, normalize_with_offsets

NORMALIZED_TEXT = "vi_normalized_text"
NORMALIZED_SPANS = "vi_normalized_spans"


def normalize_message(text: str) -> Normalized:
    """The text a Vietnamese citizen typed, normalised, with abbreviations and teencode expanded."""
    return expand_with_offsets(normalize_with_offsets(text))


def normalized_of(message: Message, attribute: str = TEXT) -> Normalized:
    """The normalised text stored on a message, or computed now for other attributes."""
    text = message.get(attribute) or ""
    stored = message.get(NORMALIZED_TEXT) if attribute == TEXT else None
    if stored is not None:
        return Normalized(stored, [tuple(span) for span in message.get(NORMALIZED_SPANS)], text)
    return normalize_message(text)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class VietnameseNormalizer(GraphComponent):
    """Stores each message's normalised text for the components after it."""

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        # Reads the vocabulary (abbreviations, question phrases): an edit there retrains the model.
        return vocabulary.digest()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> VietnameseNormalizer:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str):
                normalized = normalize_message(text)
                message.set(NORMALIZED_TEXT, str(normalized))
                message.set(NORMALIZED_SPANS, [list(span) for span in normalized.spans])
        return messages
