"""Spelling repair against the words the knowledge base and the vocabulary know.

Two general repairs, each applied only to a word nobody knows and only when the result is a known word:
Telex leftovers from a phone keyboard ("ddawng kys" → "đăng ký", "hooj chieeu" → "hộ chiêu") and two
words typed without the space between them ("lamho chieu" → "lam ho chieu"). Other typos (a letter
dropped, doubled or swapped, tr/ch, s/x) are left to the retrieval's sound keys and edit-distance
neighbours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.text import strip_diacritics, with_tone

_TONE_KEYS = {"f": 1, "s": 2, "r": 3, "x": 4, "j": 5}
# Telex vowel keys, longest first: "uow" is ươ; a doubled vowel or a trailing w adds the hat or horn.
_VOWEL_KEYS = (("uow", "ươ"), ("aa", "â"), ("aw", "ă"), ("ee", "ê"), ("oo", "ô"), ("ow", "ơ"), ("uw", "ư"))
_WORD = re.compile(r"[^\W\d_]+")
_MIN_SPLIT = 2
_VOWEL = re.compile("[aeiouy]")  # each half of a run-together pair has at least two letters


def telex(word: str) -> str | None:
    """The syllable a Telex typist meant by `word`, or None when it holds no Telex keys."""
    out = word
    if out.startswith("dd"):
        out = "đ" + out[2:]
    for keys, vowel in _VOWEL_KEYS:
        if keys in out:
            out = out.replace(keys, vowel, 1)
            break
    tone = _TONE_KEYS.get(out[-1]) if len(out) > 1 else None
    if tone is not None and any(c in "aăâeêioôơuưy" for c in out[:-1]):
        toned = with_tone(out[:-1], tone)
        if toned is None:
            return None
        out = toned
    return out if out != word else None


class Speller:
    """Repairs the words of a normalised message that no procedure and no vocabulary entry uses."""

    def __init__(self, written: Iterable[str], plain: Iterable[str]) -> None:
        self.written = frozenset(written)
        self.plain = frozenset(plain)

    def known(self, word: str) -> bool:
        return word in self.written or (word == strip_diacritics(word) and word in self.plain)

    def _split(self, word: str) -> str | None:
        plain = strip_diacritics(word)
        if len(plain) < 2 * _MIN_SPLIT or len(plain) != len(word):
            return None
        for at in range(_MIN_SPLIT, len(word) - _MIN_SPLIT + 1):
            left, right = plain[:at], plain[at:]
            if left in self.plain and right in self.plain and _VOWEL.search(left) and _VOWEL.search(right):
                return word[:at] + " " + word[at:]
        return None

    def repair(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        """The text with unknown words repaired, and the repairs made (typed, read as)."""
        repairs: list[tuple[str, str]] = []

        def fix(match: re.Match[str]) -> str:
            word = match.group()
            if self.known(word) or len(word) < 2:
                return word
            decoded = telex(word)
            if decoded is None and strip_diacritics(word) in self.plain:
                return word  # a known word with other diacritics: a tone slip, matched without them
            if decoded is not None and (decoded in self.written or strip_diacritics(decoded) in self.plain):
                repairs.append((word, decoded))
                return decoded
            split = self._split(word)
            if split is not None:
                repairs.append((word, split))
                return split
            return word

        return _WORD.sub(fix, text), repairs
