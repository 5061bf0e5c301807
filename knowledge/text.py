"""Vietnamese text normalisation shared by search, province lookup and the NLU pipeline.

`normalize` gives the canonical form (NFC, traditional tone placement hóa/thủy, lower case, no
emoji or control characters, single spaces); `normalize_with_offsets` gives the same string plus,
for every character, the span of the original text it came from.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "Normalized",
    "expand_abbreviations",
    "expand_with_offsets",
    "has_diacritics",
    "normalize",
    "normalize_with_offsets",
    "strip_diacritics",
    "syllables",
    "tone_position",
    "with_tone",
]

# --- diacritics -----------------------------------------------------------------------------------

_TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng
_VOWELS = frozenset("aăâeêioôơuưy")
_QUALITY_VOWELS = frozenset("ăâêôơư")


def _build_tables() -> tuple[dict[str, tuple[str, int]], dict[tuple[str, int], str], dict[int, str]]:
    """Tone tables for the Vietnamese vowels and a translate table that drops all diacritics."""
    split: dict[str, tuple[str, int]] = {}
    join: dict[tuple[str, int], str] = {}
    for base in "aăâeêioôơuưy":
        join[(base, 0)] = base
        for tone, mark in enumerate(_TONE_MARKS, start=1):
            toned = unicodedata.normalize("NFC", base + mark)
            split[toned] = (base, tone)
            join[(base, tone)] = toned
    plain: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0xC0, 0x250):
        _add_plain(plain, chr(code))
    for code in range(0x1E00, 0x1F00):
        _add_plain(plain, chr(code))
    for code in range(0x300, 0x370):  # stray combining marks, e.g. in NFD input
        plain[code] = ""
    return split, join, plain


def _add_plain(table: dict[int, str], char: str) -> None:
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    if base and base != char and base.isascii():
        table[ord(char)] = base


_SPLIT_TONE, _JOIN_TONE, _PLAIN = _build_tables()


def strip_diacritics(text: str) -> str:
    """Remove every diacritic, đ→d included: "Đăng ký hộ chiếu" → "Dang ky ho chieu"."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text).translate(_PLAIN)


def has_diacritics(text: str) -> bool:
    """True when the text holds any Vietnamese (or other Latin) diacritic."""
    return strip_diacritics(text) != text


# --- tone placement ---------------------------------------------------------------------------------


@lru_cache(maxsize=20000)
def _place_tone(word: str) -> str:
    """Move the tone mark of one lower-case syllable to its traditional place (hoá→hóa, thuỷ→thủy)."""
    tones = [(i, _SPLIT_TONE[c]) for i, c in enumerate(word) if c in _SPLIT_TONE]
    if len(tones) != 1 or len(word) > 7:
        return word
    at, (_, tone) = tones[0]
    bare = word[:at] + _SPLIT_TONE[word[at]][0] + word[at + 1 :]
    target = tone_position(bare)
    if target is None or target == at:
        return word
    chars = list(bare)
    chars[target] = _JOIN_TONE[(chars[target], tone)]
    return "".join(chars)


def tone_position(bare: str) -> int | None:
    """Index of the vowel that carries the tone in a toneless syllable, or None if it is not one."""
    start = 0
    if bare.startswith(("qu", "gi")) and len(bare) > 2 and bare[2] in _VOWELS:
        start = 2  # qu and gi before a vowel are consonants
    while start < len(bare) and bare[start] not in _VOWELS:
        start += 1
    end = start
    while end < len(bare) and bare[end] in _VOWELS:
        end += 1
    if start == end or any(c in _VOWELS for c in bare[end:]):
        return None
    nucleus = bare[start:end]
    quality = [i for i, c in enumerate(nucleus) if c in _QUALITY_VOWELS]
    if quality:
        return start + quality[-1]
    if len(nucleus) == 1:
        return start
    if end < len(bare):  # closed syllable: hoàng, thuyết
        return end - 1
    return start + (1 if len(nucleus) == 3 else 0)  # open: hóa, của, thủy; ngoài, khuỷu


def with_tone(bare: str, tone: int) -> str | None:
    """A toneless syllable with tone 1..5 (huyền, sắc, hỏi, ngã, nặng) at its place, or None."""
    at = tone_position(bare)
    if at is None:
        return None
    return bare[:at] + _JOIN_TONE[(bare[at], tone)] + bare[at + 1 :]


# --- character classes -----------------------------------------------------------------------------

# Characters outside these ranges are looked at one by one; plain Vietnamese text never is.
_UNUSUAL = re.compile("[^\x20-\x7e\u00a0-\u024f\u0300-\u036f\u1e00-\u1eff]")
_DROP_CATEGORIES = frozenset({"So", "Sk", "Cc", "Cf", "Co", "Cs", "Cn", "Me"})
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+")
_TONED_WORD = re.compile(r"[^\W\d_]*[" + "".join(_SPLIT_TONE) + r"][^\W\d_]*")


def _replace_unusual(char: str) -> str:
    """What an unusual character becomes: a space, nothing (emoji, controls) or itself."""
    if char.isspace():
        return " "
    if unicodedata.category(char) in _DROP_CATEGORIES or 0xFE00 <= ord(char) <= 0xFE0F:
        return ""
    return char


def normalize(text: str) -> str:
    """Canonical form for matching: NFC, traditional tone placement, lower case, no emoji, single spaces."""
    text = unicodedata.normalize("NFC", text).lower()
    text = _UNUSUAL.sub(lambda m: _replace_unusual(m.group()), text)
    text = _TONED_WORD.sub(lambda m: _place_tone(m.group()), text)
    return _SPACES.sub(" ", text).strip()


def syllables(text: str) -> list[str]:
    """The syllables (words of letters or digits) of the normalised text, punctuation dropped."""
    return _WORD.findall(normalize(text))


# --- offsets ---------------------------------------------------------------------------------------


class Normalized(str):
    """A normalised string that remembers, for each character, its (start, end) span in the original."""

    spans: tuple[tuple[int, int], ...]
    original: str

    def __new__(cls, text: str, spans: list[tuple[int, int]], original: str) -> Normalized:
        self = super().__new__(cls, text)
        self.spans = tuple(spans)
        self.original = original
        return self

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text behind normalised characters start..end (end exclusive)."""
        if start >= end:
            at = self.spans[start][0] if start < len(self.spans) else len(self.original)
            return at, at
        return self.spans[start][0], self.spans[end - 1][1]


def normalize_with_offsets(text: str) -> Normalized:
    """`normalize(text)` with a map from each normalised character back to the original text."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    i = 0
    n = len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):  # a letter and its combining marks
            j += 1
        for char in unicodedata.normalize("NFC", text[i:j]).lower():
            out = _replace_unusual(char) if _UNUSUAL.match(char) else char
            if out == " " and (not chars or chars[-1] == " "):
                continue
            for c in out:
                chars.append(c)
                spans.append((i, j))
        i = j
    while chars and chars[-1] == " ":
        chars.pop()
        spans.pop()
    joined = "".join(chars)
    # Tone placement keeps each word's length, so the spans stay aligned.
    joined = _TONED_WORD.sub(lambda m: _place_tone(m.group()), joined)
    return Normalized(joined, spans, text)


# --- abbreviations ---------------------------------------------------------------------------------


class _Abbreviations(NamedTuple):
    means: dict[str, str]
    chat: re.Pattern[str]
    official: re.Pattern[str]
    unless_after_number: frozenset[str]
    only_after: dict[str, re.Pattern[str]]


@lru_cache(maxsize=1)
def _abbreviations() -> _Abbreviations:
    """The chat abbreviations and acronyms of knowledge/vocabulary/abbreviations.yml, compiled."""
    from knowledge import vocabulary

    entries = vocabulary.load().abbreviations
    means = {short: entry.means for entry in entries for short in entry.short}
    official = sorted((s for entry in entries for s in entry.official), key=len, reverse=True)
    only_after = {
        short: re.compile(r"(?:^|\s)(?:" + "|".join(map(re.escape, entry.only_after)) + r")$")
        for entry in entries
        if entry.only_after
        for short in entry.short
    }
    return _Abbreviations(
        means=means,
        chat=re.compile(
            r"(?<!\w)(?<!\w\.)("
            + "|".join(re.escape(k) for k in sorted(means, key=len, reverse=True))
            + r")(?!\w|\.\w)"
        ),
        official=re.compile(r"(?<!\w)(" + "|".join(map(re.escape, official)) + r")(?!\w)"),
        unless_after_number=frozenset(
            s for entry in entries if entry.unless_after_number for s in entry.short
        ),
        only_after=only_after,
    )


def _expansion(text: str, match: re.Match[str]) -> str | None:
    """The expansion of one matched abbreviation, or None where its neighbours say it is not one."""
    table = _abbreviations()
    word = match.group(1)
    before = text[: match.start()].rstrip()
    if word in table.unless_after_number and before[-1:].isdigit():  # 50 k, 8 h, 2 v: units
        return None
    rule = table.only_after.get(word)
    if rule is not None and not rule.search(before):
        return None
    return table.means[word]


def expand_abbreviations(text: str, domain_only: bool = False) -> str:
    """Expand chat abbreviations in normalised text: "lam cccd het bn tien" → "... căn cước công dân ...".

    With `domain_only`, only acronyms that official texts use too (BHYT, UBND ...) are expanded.
    """
    table = _abbreviations()
    if domain_only:
        return table.official.sub(lambda m: table.means[m.group()], text)
    return table.chat.sub(lambda m: _expansion(text, m) or m.group(), text)


def expand_with_offsets(text: Normalized) -> Normalized:
    """`expand_abbreviations` that keeps each character's span in the original text."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    last = 0
    for match in _abbreviations().chat.finditer(text):
        replacement = _expansion(text, match)
        if replacement is None:
            continue
        chars.append(text[last : match.start()])
        spans.extend(text.spans[last : match.start()])
        span = text.original_span(match.start(), match.end())
        chars.append(replacement)
        spans.extend([span] * len(replacement))
        last = match.end()
    chars.append(text[last:])
    spans.extend(text.spans[last:])
    return Normalized("".join(chars), spans, text.original)
