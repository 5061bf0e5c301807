"""Stages 1 and 2 of the search: normalise a message and rewrite it with the vocabulary.

normalise (NFC, tone placement, lower case, chat abbreviations, spelling repair) → words → rewrite:
question phrases weigh next to nothing, everyday words add the official words they stand for, a word
with several senses ("mất") is read from its neighbours, and the cues a message gives (the action, the
subject, the level, the variant it asks for) are collected for the ranker. Everything phrase-specific
comes from knowledge/vocabulary/*.yml.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from knowledge.search import vocabulary_tables as tables
from knowledge.search.phrases import Word
from knowledge.search.spelling import Speller
from knowledge.text import expand_abbreviations, normalize, strip_diacritics

QUESTION_WEIGHT = 0.08  # a question word: kept for pairs that may be a name ("can cuoc"), no content
EVERYDAY_WEIGHT = 0.9  # the official words an everyday word stands for
WEAK_WEIGHT = 0.5  # a generic everyday hint, or a sense of "mất"
COPIED_WEIGHT = 0.3  # a document named as what to copy or certify
MAX_SYLLABLES = 120  # a pasted essay is cut: latency stays flat
_SENTENCE = re.compile(r"[.?!;\n]+")
STORY_WORDS = 12  # a message shorter than this is all question, however it is punctuated


class Token(NamedTuple):
    plain: str
    written: str
    weight: float


BREAK = Token("", "", 0.0)  # separates added words from the message: no syllable pair across it


@dataclass
class Query:
    """A message as the later stages see it."""

    text: str  # normalised, abbreviations expanded, spelling repaired
    tokens: list[Token]  # the message's words with their weights, then the words the vocabulary added
    question: list[Token]  # the words of the sentence that asks, for a message that tells a story first
    plain: str  # the message without diacritics
    content: list[str]  # its words without diacritics and without question words
    actions: dict[str, float]  # the actions it asks for, with strengths
    subjects: frozenset[str]  # the subjects (and channel) it names
    levels: int  # bits of the levels it names
    asks: frozenset[str]  # what it asks about (fee, documents ...)
    variants: tuple[bool, ...]  # which variants it asks for
    give_way: tuple[int, ...]  # variants whose absence makes a name give way
    ambiguous: list[tuple[str, float, str]] = field(default_factory=list)
    repairs: list[tuple[str, str]] = field(default_factory=list)
    rewrites: list[tuple[str, str]] = field(default_factory=list)  # (phrase, what it was read as)
    sentences: int = 1


def words(text: str) -> tuple[list[str], list[str]]:
    """The words of normalised text as written and without diacritics."""
    written = re.findall(r"[^\W_]+", text)
    return written, [strip_diacritics(w) for w in written]


def tokens(text: str, weight: float = 1.0) -> list[Token]:
    written, plain = words(text)
    return [Token(p, w, weight) for p, w in zip(plain, written, strict=True)]


def _as_words(items: list[Token]) -> list[Word]:
    return [Word(t.plain, t.written) for t in items]


def _levels_named(items: list[Token]) -> tuple[int, set[int]]:
    """The levels a message names ("công an tỉnh", "ở xã"), and where its words only name a level."""
    table = tables.load()
    found = 0
    places: set[int] = set()
    for start, end, entry in table.level_cues.scan(_as_words(items)):
        for name in entry.value:
            found |= table.level_bits[name]
        if entry.value:
            places.update(j for j in range(start, end) if items[j].plain in table.level_only)
    return found, places


def _cues(items: list[Token], table: tables.PhraseCues) -> dict[str, float]:
    found: dict[str, float] = {}
    for _, _, entry in table.scan(_as_words(items)):
        for name, strength in entry.value.items():
            found[name] = max(found.get(name, 0.0), strength)
    return found


def sense_of(items: list[Token], i: int, sense: tables.SenseRule) -> str:
    """Which sense of an ambiguous word (e.g. "mất") its neighbours show at position i."""
    before = items[i - 1].plain if i > 0 else ""
    after = items[i + 1].plain if i + 1 < len(items) else ""
    for name, rule in sense.rules:
        if before in rule.after:
            return name
        if after in rule.before:
            written = items[i + 1].written
            later = items[i + 2].plain if i + 2 < len(items) else ""
            if written == after:  # no diacritics: this sense unless the next word shows another
                if (after, later) not in rule.not_before:
                    return name
            elif written == rule.written.get(after, written):  # "mất chừng", not "mất chứng chỉ"
                return name
        if rule.after_kin:
            j = i - 1
            while j >= 0 and i - j <= rule.kin_window and items[j].plain in rule.kin_fillers:
                j -= 1
            if j >= 0 and i - j <= rule.kin_window and items[j].plain in rule.after_kin:
                return name
        if before in rule.after_time_word and (not after or after in rule.followed_by_or_end):
            return name
    return sense.default


def _longest(items: list[Token], i: int) -> tuple[int, tables.Phrase] | None:
    """The longest vocabulary phrase starting at position i: (its length, what it is)."""
    table = tables.load()
    for size in range(min(table.phrases.longest + 1, len(items) - i), 0, -1):
        window = items[i : i + size]
        entry = table.phrases.match(_as_words(window)) if size <= table.phrases.longest else None
        if entry is None and size > 2:  # "tiền bị rách" is "tiền rách": a filler slipped inside
            inner = [t for t in window[1:-1] if t.plain not in table.fillers]
            if len(inner) == size - 3:
                entry = table.phrases.match(_as_words([window[0], *inner, window[-1]]))
                if entry is not None and entry.value.official is None:
                    entry = None
        if entry is not None:
            return size, entry.value
    return None


def _rewrite(
    items: list[Token], copying: bool, rewrites: list[tuple[str, str]]
) -> tuple[list[Token], dict[str, float]]:
    """Weigh question phrases down and add official words for everyday names.

    Phrases may overlap ("làm giấy chứng tử" holds both "làm giấy" and "giấy chứng tử"): each adds its
    words, but one inside a longer everyday phrase adds nothing of its own ("hộ khẩu" in "sổ hộ khẩu").
    A word with senses ("mất") is read from its neighbours first.
    """
    table = tables.load()
    weights = [t.weight for t in items]
    everyday: list[tuple[int, int, tables.Phrase]] = []
    question: set[int] = set()
    sensed: set[int] = set()
    added: list[Token] = []
    actions: dict[str, float] = {}
    for i, token in enumerate(items):
        sense = table.senses.get(token.plain)
        if sense is not None and token.written in (sense.written, token.plain):
            name = sense_of(items, i, sense)
            rule = sense.rule(name)
            weights[i] = QUESTION_WEIGHT if rule.question else token.weight
            sensed.add(i)
            if rule.adds:
                added += [BREAK, *tokens(rule.adds, WEAK_WEIGHT)]
            if rule.action:
                actions[rule.action] = 1.0
            rewrites.append((token.written, f"{sense.written} ({name})"))
            continue
        found = _longest(items, i)
        if found is None:
            continue
        size, phrase = found
        if phrase.official is None:
            question.update(range(i, i + size))
        elif not any(s <= i and i + size <= e for s, e, _ in everyday):
            everyday.append((i, i + size, phrase))
    covered = {j for s, e, _ in everyday for j in range(s, e)}
    for j in question - covered - sensed:
        weights[j] = QUESTION_WEIGHT
    for start, end, phrase in everyday:
        words = tuple(t.written for t in items[start:end])
        if copying and words in table.copied:
            for j in range(start, end):
                weights[j] = COPIED_WEIGHT
            continue
        assert phrase.official is not None
        added += [BREAK, *tokens(phrase.official, phrase.weight)]
        rewrites.append((" ".join(words), phrase.official))
    out = [Token(t.plain, t.written, w) for t, w in zip(items, weights, strict=True)]
    return out + added, actions


def rewrite_content(text: str) -> str:
    """Normalised text without its question words (everyday names such as "làm hộ chiếu" are indexed so)."""
    kept = []
    for token in _rewrite(tokens(text), False, [])[0]:
        if token is BREAK:
            break
        if token.weight > QUESTION_WEIGHT:
            kept.append(token.written)
    return " ".join(kept)


def _ambiguous_pairs(rewritten: list[Token]) -> list[tuple[str, float, str]]:
    """Pairs a question word written without diacritics forms with its neighbours ("can cuoc")."""
    found: list[tuple[str, float, str]] = []
    for i, token in enumerate(rewritten):
        if token is BREAK:
            break
        if token.weight != QUESTION_WEIGHT or token.written != token.plain or len(token.plain) < 2:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(rewritten) and rewritten[j] is not BREAK and rewritten[j].weight >= 0.5:
                other = rewritten[j]
                pair = f"b{other.plain} {token.plain}" if j < i else f"b{token.plain} {other.plain}"
                found.append((pair, other.weight, "u" + token.plain))
    return found


def question_span(text: str) -> tuple[int, int, int]:
    """Where in a normalised message its question is: (start, end, number of sentences).

    The question is the last sentence (or clause) holding a question phrase, else the last one; a
    message of one sentence is all question.
    """
    table = tables.load()
    spans, start = [], 0
    for match in _SENTENCE.finditer(text):
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    if len(spans) < 2 or len(text.split()) < STORY_WORDS:
        return 0, len(text), min(1, len(spans))
    for begin, end in reversed(spans):
        items = tokens(text[begin:end])
        if any(e.value.asks not in (None, "nothing") for _, _, e in table.phrases.scan(_as_words(items))):
            return begin, end, len(spans)
    return spans[-1][0], spans[-1][1], len(spans)


def asked_kinds(text: str) -> list[str]:
    """What the question phrases of normalised text ask about (fee, documents ...), in order, once each."""
    table = tables.load()
    found: list[str] = []
    for _, _, entry in table.phrases.scan(_as_words(tokens(text))):
        kind = entry.value.asks
        if kind not in (None, "nothing") and kind not in found:
            found.append(kind)
    return found


def _question_part(text: str) -> tuple[str, int]:
    start, end, sentences = question_span(text)
    return text[start:end], sentences


@lru_cache(maxsize=4096)
def _prepared(text: str) -> str:
    # Cut after composing: NFD input is longer, and must read exactly as its NFC form.
    return expand_abbreviations(normalize(unicodedata.normalize("NFC", text[:4000])[:2000]))


def analyse(text: str, speller: Speller | None = None) -> Query:
    """The message as the retrieval and ranking stages see it."""
    table = tables.load()
    normalized = _prepared(text)
    repairs: list[tuple[str, str]] = []
    if speller is not None:
        normalized, repairs = speller.repair(normalized)
    items = tokens(normalized)[:MAX_SYLLABLES]
    levels, places = _levels_named(items)
    # A word that only names the level ("tỉnh" in "công an tỉnh") is no content: siblings are told
    # apart by their recorded level, and other names holding "cấp tỉnh" are no closer for it.
    items = [Token(t.plain, t.written, QUESTION_WEIGHT) if i in places else t for i, t in enumerate(items)]
    plain = " ".join(t.plain for t in items)
    copying = table.copying.search(plain) is not None
    rewrites: list[tuple[str, str]] = []
    rewritten, sensed_actions = _rewrite(items, copying, rewrites)
    content = []
    for token in rewritten:
        if token is BREAK:
            break
        if token.weight > QUESTION_WEIGHT:
            content.append(token.plain)
    actions = _cues(items, table.action_cues)
    for name, strength in sensed_actions.items():
        actions[name] = max(actions.get(name, 0.0), strength)
    subjects = set(_cues(items, table.subject_cues))
    if "child" not in subjects and "adult" not in subjects:
        for match in table.age.finditer(plain):
            subjects.add("child" if int(match.group(1)) < table.child_below else "adult")
    asks = frozenset(
        e.value.asks
        for _, _, e in table.phrases.scan(_as_words(items))
        if e.value.asks not in (None, "nothing")
    )
    message_words = _as_words(items)
    countries = table.countries.spans(message_words)
    asked = tuple(variant.asked(message_words, countries) for variant in table.variants)
    # A variant asked for in other words ("vợ tôi người Philippines") adds its mark ("nước ngoài"): the
    # names that carry it are retrieved even from a long story.
    for variant, wanted in zip(table.variants, asked, strict=True):
        if wanted and variant.asks is not None and variant.variant.marks[0].phrase not in normalized:
            rewritten += [BREAK, *tokens(normalize(variant.variant.marks[0].phrase), WEAK_WEIGHT)]
    give_way = tuple(
        i for i, variant in enumerate(table.variants) if variant.others_give_way(message_words, asked[i])
    )
    question_text, sentences = _question_part(normalized)
    question = _rewrite(tokens(question_text), copying, [])[0] if sentences > 1 else []
    return Query(
        text=normalized,
        tokens=rewritten,
        question=question,
        plain=plain,
        content=content,
        actions=actions,
        subjects=frozenset(subjects),
        levels=levels,
        asks=asks,
        variants=asked,
        give_way=give_way,
        ambiguous=_ambiguous_pairs(rewritten),
        repairs=repairs,
        rewrites=rewrites,
        sentences=sentences,
    )
