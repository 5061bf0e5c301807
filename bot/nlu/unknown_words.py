"""Guards against confident nonsense: a message made mostly of words never seen in training or in any
procedure name ("asdkjh qwe zxc") gets intent confidence 0, so the FallbackClassifier after it asks the
citizen to rephrase instead of DIET answering a guess with high confidence.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from knowledge.base import load, on_reload
from knowledge.text import strip_diacritics

VOCABULARY_FILE = "vocabulary.json"


@lru_cache(maxsize=1)
def procedure_words() -> frozenset[str]:
    """Every syllable of every procedure name and everyday name, without diacritics."""
    words: set[str] = set()
    for procedure in load():
        for name in (procedure.name, procedure.short_name, *procedure.everyday_names):
            words.update(strip_diacritics(name).lower().split())
    return frozenset(w.strip(".,;:()\"'") for w in words)


on_reload(procedure_words.cache_clear)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class UnknownWordsGuard(GraphComponent):
    """Zeroes the intent confidence when too few of a message's words are known."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"min_known_share": 0.5}

    def __init__(
        self, config: dict[str, Any], storage: ModelStorage, resource: Resource, vocabulary: set[str]
    ) -> None:
        self._config = config
        self._storage = storage
        self._resource = resource
        self._vocabulary = vocabulary

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UnknownWordsGuard:
        return cls(config, model_storage, resource, set())

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> UnknownWordsGuard:
        try:
            with model_storage.read_from(resource) as directory:
                vocabulary = set(json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8")))
        except (ValueError, FileNotFoundError):
            vocabulary = set()
        return cls(config, model_storage, resource, vocabulary)

    def train(self, training_data: TrainingData) -> Resource:
        for example in training_data.training_examples:
            for token in example.get(TOKENS_NAMES[TEXT]) or []:
                self._vocabulary.update(token.text.split("_"))
        with self._storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(json.dumps(sorted(self._vocabulary)), encoding="utf-8")
        return self._resource

    def known_share(self, message: Message) -> float:
        syllables = [s for t in message.get(TOKENS_NAMES[TEXT]) or [] for s in t.text.split("_") if s]
        if not syllables:
            return 1.0
        known = self._vocabulary | procedure_words()
        return sum(1 for s in syllables if s in known or s.isdigit()) / len(syllables)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT)
            if intent and self.known_share(message) < self._config["min_known_share"]:
                message.set(INTENT, {**intent, PREDICTED_CONFIDENCE_KEY: 0.0}, add_to_output=True)
        return messages
