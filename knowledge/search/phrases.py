"""Finding vocabulary phrases in a message's words, and marks in an official name.

A message's phrase is matched on its words without diacritics; the diacritics the message did write
must agree with the phrase's own ("cuối" is not "cưới"), and a one-syllable phrase written with
diacritics only counts written so ("chở", not "cho"). The longest phrase at a place wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

from knowledge.text import normalize, strip_diacritics
from knowledge.vocabulary import Mark

T = TypeVar("T")


class Word(NamedTuple):
    plain: str  # without diacritics
    written: str  # as written, normalised


def words_of(phrase: str) -> tuple[str, ...]:
    """A phrase's words as written, normalised (punctuation dropped)."""
    return tuple(re.findall(r"[^\W_]+", normalize(phrase)))


def compatible(written: Sequence[str], accented: Sequence[str]) -> bool:
    """Words written with diacritics must be the phrase's own ("cuối" is not "cưới")."""
    return all(w == a or w == strip_diacritics(w) for w, a in zip(written, accented, strict=True))


@dataclass(frozen=True)
class Entry(Generic[T]):
    words: tuple[str, ...]  # with diacritics
    value: T
    exact: bool  # must be written with its own diacritics


class PhraseTable(Generic[T]):
    """Phrases keyed by their words without diacritics, for longest-match scanning of a message."""

    def __init__(self) -> None:
        self._table: dict[tuple[str, ...], list[Entry[T]]] = {}
        self._first: set[str] = set()  # first words of the phrases: most places start none
        self.longest = 0

    def add(self, phrase: str, value: T, exact: bool = False, single_exact: bool = True) -> None:
        """Add a phrase; with `single_exact`, one syllable written with diacritics only counts written so."""
        words = words_of(phrase)
        if not words:
            return
        exact = exact or (single_exact and len(words) == 1 and strip_diacritics(words[0]) != words[0])
        key = tuple(strip_diacritics(w) for w in words)
        self._first.add(key[0])
        entries = self._table.setdefault(key, [])
        entries[:] = [e for e in entries if e.words != words]  # a later entry for the same words wins
        entries.insert(0 if exact else len(entries), Entry(words, value, exact))
        self.longest = max(self.longest, len(words))

    def match(self, window: Sequence[Word]) -> Entry[T] | None:
        """The entry a window of words spells, if any."""
        entries = self._table.get(tuple(w.plain for w in window))
        if not entries:
            return None
        written = tuple(w.written for w in window)
        for entry in entries:
            if entry.exact and written != entry.words:
                continue
            if compatible(written, entry.words):
                return entry
        return None

    def scan(self, words: Sequence[Word]) -> Iterable[tuple[int, int, Entry[T]]]:
        """(start, end, entry) of the phrases in the words, longest first at each place, none overlapping."""
        i = 0
        first = self._first
        while i < len(words):
            if words[i].plain not in first:
                i += 1
                continue
            for size in range(min(self.longest, len(words) - i), 0, -1):
                entry = self.match(words[i : i + size])
                if entry is not None:
                    yield i, i + size, entry
                    i += size
                    break
            else:
                i += 1


class Marks:
    """Compiled name marks: which of them an official name (normalised, or without diacritics) holds."""

    def __init__(self, marks: Iterable[Mark], plain: bool = False) -> None:
        self._plain = plain
        parts, exceptions = [], []
        for mark in marks:
            phrase = strip_diacritics(mark.phrase) if plain else normalize(mark.phrase)
            pattern = re.escape(phrase)
            pattern = ("^" if mark.start else r"(?<!\w)") + pattern + ("$" if mark.end else r"(?!\w)")
            parts.append(pattern)
            for exception in mark.exceptions:
                exceptions.append(re.escape(strip_diacritics(exception) if plain else normalize(exception)))
        self._pattern = re.compile("|".join(parts)) if parts else None
        self._exceptions = re.compile("|".join(exceptions)) if exceptions else None

    def remove(self, text: str) -> str:
        """The text without the marks it holds (outside the exceptions)."""
        if self._pattern is None:
            return text
        spans = [m.span() for m in self._exceptions.finditer(text)] if self._exceptions else []
        return self._pattern.sub(
            lambda m: m.group() if any(s <= m.start() and m.end() <= e for s, e in spans) else " ", text
        )

    def found(self, text: str) -> bool:
        """True when the text holds one of the marks outside every exception."""
        if self._pattern is None:
            return False
        if self._plain:
            text = strip_diacritics(text)
        spans = [m.span() for m in self._exceptions.finditer(text)] if self._exceptions else []
        for match in self._pattern.finditer(text):
            start, end = match.span()
            if not any(s <= start and end <= e for s, e in spans):
                return True
        return False


def flags(text: str, marks: dict[str, Marks], bits: dict[str, int]) -> int:
    """The bits of the labels whose marks the text holds."""
    found = 0
    for label, compiled in marks.items():
        if compiled.found(text):
            found |= bits[label]
    return found
