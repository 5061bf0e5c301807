"""Tokenizer component: underthesea word segmentation on normalised text, offsets into the original.

Token texts are written without diacritics and with the syllables of a word joined by "_"
(căn cước → can_cuoc), so features are the same whether or not the citizen typed the accents, and a
multi-syllable word stays one feature for CountVectorsFeaturizer. An application code becomes one
placeholder token and a number the token "so": their digits say nothing about the intent, and as
features they would only be noise. Of a long message only the question is tokenised (knowledge.search's
question_span): the story before it is read by the procedure linker, not by the intent classifier.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message
from underthesea import word_tokenize

from bot.nlu.application_code import APPLICATION_CODE
from bot.nlu.normalizer import normalized_of
from knowledge import vocabulary
from knowledge.search.analysis import asked_kinds, question_span
from knowledge.text import strip_diacritics

CODE_TOKEN = "ma_ho_so"
NUMBER_TOKEN = "so"
CUE_PREFIX = "hoi_"  # a question kind the vocabulary reads in the message
_NUMBER = re.compile(r"[\d.,:/\-]*\d[\d.,:/\-]*")


def words_and_codes(text: str) -> list[tuple[str, int, int, bool]]:
    """Words of normalised text as (word, start, end, is_code): application codes are one word."""
    words: list[tuple[str, int, int, bool]] = []
    cursor = 0
    for match in APPLICATION_CODE.finditer(text):
        words += [(w, cursor + s, cursor + e, False) for w, s, e in segment(text[cursor : match.start()])]
        words.append((match.group(), match.start(), match.end(), True))
        cursor = match.end()
    words += [(w, cursor + s, cursor + e, False) for w, s, e in segment(text[cursor:])]
    return words


def segment(text: str) -> list[tuple[str, int, int]]:
    """Words of normalised text with their (start, end) in it; punctuation-only words are dropped."""
    words: list[tuple[str, int, int]] = []
    cursor = 0
    for word in word_tokenize(text) if text.strip() else []:
        start = text.find(word, cursor)
        if start < 0:  # underthesea changed the word; fall back to its syllables
            for syllable in word.split():
                found = text.find(syllable, cursor)
                if found >= 0:
                    words.append((syllable, found, found + len(syllable)))
                    cursor = found + len(syllable)
            continue
        cursor = start + len(word)
        if any(char.isalnum() for char in word):
            words.append((word, start, cursor))
    return words


def token_text(word: str) -> str:
    """The feature form of a word: no diacritics, syllables joined by "_"."""
    return "_".join(strip_diacritics(word).split())


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class VietnameseTokenizer(Tokenizer):
    """Splits Vietnamese text into words with underthesea."""

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        # Reads the vocabulary (abbreviations, question phrases): an edit there retrains the model.
        return vocabulary.digest()

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"intent_tokenization_flag": False, "intent_split_symbol": "_", "token_pattern": None}

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        normalized = normalized_of(message, attribute)
        # A story before the question says little about what is asked: the intent is read from the
        # question alone (the procedure linker still reads the whole message).
        first, last, _ = question_span(str(normalized))
        tokens = []
        for word, start, end, is_code in words_and_codes(str(normalized)):
            if start < first or end > last:
                continue
            original_start, original_end = normalized.original_span(start, end)
            if is_code:
                text = lemma = CODE_TOKEN
            elif _NUMBER.fullmatch(word):
                text = lemma = NUMBER_TOKEN
            else:
                text, lemma = token_text(word), word.replace(" ", "_")
            tokens.append(Token(text, original_start, original_end, lemma=lemma))
        # What the vocabulary's question phrases ask about (knowledge/vocabulary/questions.yml) becomes a
        # token of its own ("hoi_fee"): the classifier learns from the vocabulary, not only from examples.
        end = tokens[-1].end if tokens else 0
        for kind in asked_kinds(str(normalized)[first:last]):
            tokens.append(Token(f"{CUE_PREFIX}{kind}", end, end, lemma=f"{CUE_PREFIX}{kind}"))
        if not tokens:  # only emoji or punctuation: one token so featurizers still see the message
            text = message.get(attribute) or ""
            token = Token("_", 0, len(text))
            token.end = len(text)  # Token reads end=0 as "not given" and would make it 1 past an empty text
            tokens = [token]
        return self._apply_token_pattern(tokens)
