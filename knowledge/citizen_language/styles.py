"""The ways citizens write a message: diacritics dropped, chat abbreviations, old names, phone typos."""

from __future__ import annotations

import random
import re
import unicodedata
from functools import lru_cache

from knowledge import vocabulary
from knowledge.text import strip_diacritics

_WORD = re.compile(r"[^\W\d_]+")
_TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng
_TELEX_TONES = dict(zip(_TONE_MARKS, "fsrxj", strict=True))
_TELEX_VOWELS = {"â": "aa", "ă": "aw", "ê": "ee", "ô": "oo", "ơ": "ow", "ư": "uw", "đ": "dd"}
# Initial sounds citizens confuse in writing (tr/ch, s/x, r/d/gi, n/l).
_INITIALS = (("tr", "ch"), ("ch", "tr"), ("s", "x"), ("x", "s"), ("gi", "d"), ("d", "gi"), ("r", "d"),
             ("d", "r"), ("n", "l"), ("l", "n"))  # fmt: skip
_KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


def drop_diacritics(text: str, rng: random.Random, share: float = 1.0) -> str:
    """Diacritics dropped from every word (share 1) or from a share of the words."""
    if share >= 1.0:
        return strip_diacritics(text)
    return _WORD.sub(lambda m: strip_diacritics(m.group()) if rng.random() < share else m.group(), text)


@lru_cache(maxsize=1)
def _short_forms() -> list[tuple[re.Pattern[str], list[str]]]:
    """What each expansion is shortened to in chat ("không" → ko, k, hok ...), longest first."""
    forms: dict[str, list[str]] = {}
    for entry in vocabulary.load().abbreviations:
        if entry.only_after:
            continue
        shorts = [s for s in entry.short if s != strip_diacritics(entry.means)]
        if shorts:
            forms.setdefault(entry.means, []).extend(shorts)
    ordered = sorted(forms.items(), key=lambda item: -len(item[0]))
    return [(re.compile(r"(?<!\w)" + re.escape(means) + r"(?!\w)"), shorts) for means, shorts in ordered]


def abbreviate(text: str, rng: random.Random, share: float = 0.7) -> str:
    """Chat abbreviations for the words that have one, each with probability `share`."""
    for pattern, shorts in _short_forms():

        def short(match: re.Match[str], forms: list[str] = shorts) -> str:
            return rng.choice(forms) if rng.random() < share else match.group()

        text = pattern.sub(short, text)
    return text


def old_names(text: str, rng: random.Random, names: dict[str, list[str]]) -> str:
    """Today's words replaced by the old names citizens still use (thường trú → hộ khẩu)."""
    for today in sorted(names, key=len, reverse=True):
        if today in text:
            return text.replace(today, rng.choice(names[today]), 1)
    return text


def _telex(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tone = next((_TELEX_TONES[c] for c in decomposed if c in _TELEX_TONES), "")
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TELEX_TONES))
    return "".join(_TELEX_VOWELS.get(c, c) for c in bare) + tone


def _retone(word: str, rng: random.Random) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    marks = [c for c in decomposed if c in _TONE_MARKS]
    if not marks:
        return word
    other = rng.choice([m for m in (*_TONE_MARKS, "") if m != marks[0]])
    return unicodedata.normalize("NFC", decomposed.replace(marks[0], other, 1))


def _neighbour(char: str, rng: random.Random) -> str:
    for row in _KEYBOARD:
        if char in row:
            i = row.index(char)
            return rng.choice([row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)])
    return char


def typo(word: str, rng: random.Random) -> str:
    """One realistic phone typo in a word."""
    kind = rng.choice(["initial", "drop", "double", "swap", "tone", "tone", "telex", "key"])
    if kind == "initial":
        for old, new in _INITIALS:
            if strip_diacritics(word).startswith(old):
                return new + word[len(old) :]
        kind = "drop"
    if kind == "tone":
        changed = _retone(word, rng)
        return changed if changed != word else strip_diacritics(word)
    if kind == "telex":
        return _telex(word)
    if len(word) < 3:
        return word + word[-1]
    i = rng.randrange(1, len(word))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap" and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + _neighbour(word[i], rng) + word[i + 1 :]


def typos(text: str, rng: random.Random, count: int) -> str:
    """`count` typos in the longer words of a message (two words may also lose the space between them)."""
    words = text.split(" ")
    places = [i for i, w in enumerate(words) if len(w) >= 2 and _WORD.fullmatch(w)]
    for i in rng.sample(places, min(count, len(places))):
        if not words[i]:  # run into the word before it
            continue
        if rng.random() < 0.12 and i + 1 < len(words):
            words[i] = words[i] + words[i + 1]
            words[i + 1] = ""
        else:
            words[i] = typo(words[i], rng)
    return " ".join(w for w in words if w)
