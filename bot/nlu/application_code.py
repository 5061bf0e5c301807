"""Finds application codes (mã hồ sơ) such as 000.00.17.H12-251120-0042, however they were typed."""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.extractor import RuleExtractor

# receiving agency (3.2.2 digits + letter and two digits) - yymmdd - sequence; separators optional,
# because citizens type spaces, lower case, or leave the dots out.
_SEP = r"[\s.\-_/]*"
APPLICATION_CODE = re.compile(
    rf"(?<![\w.])(\d{{3}}){_SEP}(\d{{2}}){_SEP}(\d{{2}}){_SEP}([a-zA-Z]\d{{2}}){_SEP}"
    rf"(\d{{6}}){_SEP}(\d{{4}})(?![\w])"
)


def canonical(match: re.Match[str]) -> str:
    """The code in the form the one-stop systems print: 000.00.17.H12-251120-0042."""
    a, b, c, agency, day, sequence = match.groups()
    return f"{a}.{b}.{c}.{agency.upper()}-{day}-{sequence}"


def find_application_codes(text: str) -> list[tuple[str, int, int]]:
    """Every application code in a text as (canonical code, start, end)."""
    return [(canonical(m), m.start(), m.end()) for m in APPLICATION_CODE.finditer(text)]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ApplicationCodeExtractor(RuleExtractor):
    """Entity `application_code`, value in canonical form."""

    def extract(self, message: Message) -> list[dict[str, Any]]:
        return [
            {"entity": "application_code", "value": code, "start": start, "end": end,
             "confidence": 1.0}
            for code, start, end in find_application_codes(message.get(TEXT))
        ]  # fmt: skip
