"""The vocabulary compiled for matching: phrase tables, sense rules, variant rules, name marks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from knowledge import vocabulary
from knowledge.search.phrases import Marks, PhraseTable, Word, words_of
from knowledge.text import normalize, strip_diacritics
from knowledge.vocabulary import Variant

PhraseCues = PhraseTable[dict[str, float]]


class Phrase(NamedTuple):
    official: str | None  # words to add, or None for a question phrase
    weight: float  # weight of the added words
    asks: str | None  # what a question phrase asks for


@dataclass(frozen=True)
class Rule:
    after: frozenset[str]
    before: frozenset[str]
    written: dict[str, str]
    not_before: frozenset[tuple[str, str]]
    after_kin: frozenset[str]
    kin_fillers: frozenset[str]
    kin_window: int
    after_time_word: frozenset[str]
    followed_by_or_end: frozenset[str]
    action: str | None
    adds: str | None
    question: bool


@dataclass(frozen=True)
class SenseRule:
    written: str  # the word with its diacritics
    default: str
    rules: tuple[tuple[str, Rule], ...]

    def rule(self, name: str) -> Rule:
        return dict(self.rules)[name]


def _plain_set(items: Any) -> frozenset[str]:
    return frozenset(strip_diacritics(normalize(str(item))) for item in items or ())


def _rule(spec: dict[str, Any]) -> Rule:
    written = {strip_diacritics(normalize(w)): normalize(w) for w in spec.get("written", ())}
    pairs = set()
    for phrase in spec.get("not_before", ()):
        first, _, second = strip_diacritics(normalize(phrase)).partition(" ")
        pairs.add((first, second))
    return Rule(
        after=_plain_set(spec.get("after")),
        before=_plain_set(spec.get("before")),
        written=written,
        not_before=frozenset(pairs),
        after_kin=_plain_set(spec.get("after_kin")),
        kin_fillers=_plain_set(spec.get("kin_fillers")),
        kin_window=int(spec.get("kin_window", 0)),
        after_time_word=_plain_set(spec.get("after_time_word")),
        followed_by_or_end=_plain_set(spec.get("followed_by_or_end")),
        action=spec.get("action"),
        adds=normalize(spec["adds"]) if spec.get("adds") else None,
        question=bool(spec.get("question")),
    )


def _any_phrase(phrases: tuple[str, ...] | list[str]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    parts = sorted({re.escape(strip_diacritics(normalize(p))) for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


def _table(phrases: Iterable[str], value: bool = True, single_exact: bool = True) -> PhraseTable[bool]:
    table: PhraseTable[bool] = PhraseTable()
    for phrase in phrases:
        table.add(phrase, value, single_exact=single_exact)
    return table


def _said(table: PhraseTable[bool] | None, words: Sequence[Word]) -> bool:
    return table is not None and any(entry.value for _, _, entry in table.scan(words))


class Countries:
    """Where a message names another country, and the words before it ("lấy chồng", "đang ở")."""

    def __init__(self, countries: tuple[str, ...], not_before: frozenset[str]) -> None:
        self.table = _table(countries)
        self.not_before = _plain_set(not_before)

    def spans(self, words: Sequence[Word]) -> list[tuple[int, int]]:
        # One-syllable names are ordinary words too ("mỹ phẩm", "pháp luật"): not before those words.
        return [
            (start, end)
            for start, end, _ in self.table.scan(words)
            if end >= len(words) or words[end].plain not in self.not_before
        ]


def _after_country(
    triggers: tuple[tuple[str, ...], ...], words: Sequence[Word], spans: list[tuple[int, int]]
) -> bool:
    for start, _ in spans:
        before = tuple(w.plain for w in words[:start])
        if any(before[len(before) - len(t) :] == t for t in triggers if len(before) >= len(t)):
            return True
    return False


class VariantRule:
    """A specialised variant: the marks of its names and what in a message asks for it.

    A message's words are matched with their diacritics ("bố" is not "bộ", "bỏ" is not "bố").
    """

    def __init__(self, variant: Variant) -> None:
        self.variant = variant
        self.marks = Marks(variant.marks, plain=True)
        self.asks: PhraseTable[bool] | None = None
        if variant.asks:
            # One syllable without diacritics counts too ("huyen", "chau"): the diacritics a message did
            # write must still agree ("bố" is not "bộ").
            self.asks = _table((m.phrase for m in variant.asks), single_exact=False)
            for mark in variant.asks:
                for exception in mark.exceptions:
                    self.asks.add(exception, False)
        self.with_country = tuple(
            tuple(strip_diacritics(w) for w in words_of(t)) for t in variant.asks_with_country
        )
        self.unless = _table(variant.asked_unless) if variant.asked_unless else None
        self.unless_country = tuple(
            tuple(strip_diacritics(w) for w in words_of(t)) for t in variant.asked_unless_country_after
        )
        give_way = variant.others_give_way
        self.give_way_words = _table(give_way) if isinstance(give_way, tuple) else None
        self.always_give_way = give_way is True
        self.hints = tuple(strip_diacritics(normalize(m.phrase)) for m in variant.marks)

    def asked(self, words: Sequence[Word], countries: list[tuple[int, int]]) -> bool:
        if self.asks is not None:
            return _said(self.asks, words) or _after_country(self.with_country, words, countries)
        return not (_said(self.unless, words) or _after_country(self.unless_country, words, countries))

    def others_give_way(self, words: Sequence[Word], asked: bool) -> bool:
        if self.always_give_way:
            return asked
        return _said(self.give_way_words, words)

    def in_name(self, plain_name: str) -> bool:
        return any(h in plain_name for h in self.hints) and self.marks.found(plain_name)


@dataclass(frozen=True)
class Tables:
    phrases: PhraseTable[Phrase]
    fillers: frozenset[str]
    copying: re.Pattern[str]
    copied: frozenset[tuple[str, ...]]
    senses: dict[str, SenseRule]
    level_cues: PhraseTable[tuple[str, ...]]
    level_bits: dict[str, int]
    level_only: frozenset[str]
    action_cues: PhraseCues
    subject_cues: PhraseCues
    age: re.Pattern[str]
    child_below: int
    variants: tuple[VariantRule, ...]
    countries: Countries
    action_bits: dict[str, int]
    subject_bits: dict[str, int]
    action_marks: dict[str, Marks]
    subject_marks: dict[str, Marks]
    level_marks: dict[str, Marks]
    topic_words: re.Pattern[str]
    sibling_words: re.Pattern[str]
    parties: dict[str, dict[str, float]]
    portal_levels: dict[str, str]
    name_abbreviations: re.Pattern[str] | None
    name_abbreviation_words: dict[str, str]
    question_words: frozenset[str]  # words that only address, link or fill (tôi, ạ, làm ...), plain


def _cue_table(cues: tuple[vocabulary.Cue, ...]) -> PhraseCues:
    table: PhraseCues = PhraseTable()
    for cue in cues:
        for phrase in cue.says:
            # Actions and subjects: one syllable without diacritics counts too ("doi" is đổi).
            table.add(phrase, cue.values, single_exact=False)
    return table


@lru_cache(maxsize=1)
def load() -> Tables:
    voc = vocabulary.load()
    phrases: PhraseTable[Phrase] = PhraseTable()
    for question in voc.questions:
        for phrase in question.says:
            phrases.add(phrase, Phrase(None, 0.0, question.asks), single_exact=False)
    for everyday in voc.everyday:
        weight = 0.5 if everyday.weak else 0.9
        for phrase in everyday.says:
            phrases.add(phrase, Phrase(normalize(everyday.means), weight, None), exact=everyday.exact)
    level_cues: PhraseTable[tuple[str, ...]] = PhraseTable()
    for cue in voc.level_cues:
        for phrase in cue.says:
            level_cues.add(phrase, tuple(cue.values))
    senses = {}
    for sense in voc.senses:
        word = normalize(sense.word)
        rules = tuple((name, _rule(spec)) for name, spec in sense.senses.items())
        # The default sense is tried last: it holds what no neighbour shows.
        rules = tuple(sorted(rules, key=lambda item: item[0] == sense.default))
        senses[strip_diacritics(word)] = SenseRule(word, sense.default, rules)
    copying = _any_phrase(voc.copying_cues)
    assert copying is not None, "everyday.yml: copying.cues must not be empty"
    age_word = re.escape(strip_diacritics(normalize(voc.age_word)))
    age_short = "".join(f"|(?<=\\d){re.escape(s)}" for s in voc.age_short)
    names = voc.name_abbreviations
    return Tables(
        phrases=phrases,
        fillers=_plain_set(voc.fillers),
        copying=copying,
        copied=frozenset(words_of(d) for d in voc.copied_documents),
        senses=senses,
        level_cues=level_cues,
        level_bits={level: 1 << i for i, level in enumerate(voc.levels)},
        level_only=_plain_set(voc.level_only),
        action_cues=_cue_table(voc.action_cues),
        subject_cues=_cue_table(voc.subject_cues),
        age=re.compile(r"(?<!\w)(\d{1,2})(?: " + age_word + age_short + r")(?!\w)"),
        child_below=voc.child_below,
        variants=tuple(VariantRule(v) for v in voc.variants),
        countries=Countries(voc.countries, voc.not_before_country),
        action_bits={a: 1 << i for i, a in enumerate(voc.actions)},
        subject_bits={s: 1 << i for i, s in enumerate(voc.subjects)},
        action_marks={a: Marks(m) for a, m in voc.action_names.items()},
        subject_marks={s: Marks(m) for s, m in voc.subject_names.items()},
        level_marks={level: Marks(m) for level, m in voc.level_names.items()},
        topic_words=_words_pattern(voc.topic_words),
        sibling_words=_words_pattern(voc.sibling_words),
        parties=voc.parties,
        portal_levels=voc.portal_levels,
        name_abbreviations=re.compile(r"(?<!\w)(" + "|".join(map(re.escape, names)) + r")(?!\w)")
        if names
        else None,
        name_abbreviation_words={normalize(k): normalize(v) for k, v in names.items()},
        question_words=frozenset(
            strip_diacritics(w)
            for q in voc.questions
            for phrase in q.says
            if q.asks == "nothing" or len(words_of(phrase)) == 1
            for w in words_of(phrase)
        ),
    )


def _words_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    pattern = _any_phrase(phrases)
    return pattern if pattern is not None else re.compile(r"(?!)")
