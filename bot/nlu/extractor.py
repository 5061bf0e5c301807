"""A base for the project's rule-based entity extractors (no training, one entity type each)."""

from __future__ import annotations

import abc
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


class RuleExtractor(GraphComponent, EntityExtractorMixin):
    """Adds the entities `extract` finds in each message's text."""

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = config

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config)

    @abc.abstractmethod
    def extract(self, message: Message) -> list[dict[str, Any]]:
        """The entities this extractor finds in the message's text."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if not isinstance(message.get(TEXT), str):
                continue
            found = [self.add_extractor_name([entity])[0] for entity in self.extract(message)]
            if found:
                message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages
