"""ProcedureLinker on the NLU development set (tests/nlu/dev_procedures.yml), with each message's intent.

The bench (`make bench-nlu`, which prints this set too) measures the same with the trained
model's intents; this floor catches a regression in the linker or the knowledge base without a model.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.normalizer import VietnameseNormalizer
from bot.nlu.procedure_linker import ProcedureLinker

DEV = Path(__file__).resolve().parents[2] / "nlu" / "dev_procedures.yml"
ENTITY = re.compile(r"\[([^\]]+)\]\{([^}]*)\}")
LINKER = ProcedureLinker(ProcedureLinker.get_default_config())


def examples() -> list[tuple[str, str, str]]:
    found = []
    for block in yaml.safe_load(DEV.read_text(encoding="utf-8"))["nlu"]:
        for line in block["examples"].splitlines():
            match = ENTITY.search(line)
            if match:
                found.append(
                    (match.group(1), block["intent"], json.loads("{" + match.group(2) + "}")["value"])
                )
    return found


def test_the_dev_set_is_large_enough() -> None:
    assert len(examples()) >= 150


def test_top1_on_the_dev_set() -> None:
    # The ranker is fitted on this set: a floor that catches a broken linker, not a measure of how it
    # generalises (the benches measure that on the blind sets).
    right = wrong = 0
    for text, intent, code in examples():
        message = Message(data={"text": text, "intent": {"name": intent, "confidence": 1.0}})
        VietnameseNormalizer().process([message])
        found = [e["value"] for e in LINKER.extract(message)]
        right += bool(found) and found[0] == code
        wrong += bool(found) and found[0] != code
    total = len(examples())
    assert right / total >= 0.89
    assert wrong / total <= 0.10
