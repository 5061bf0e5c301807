"""Every vocabulary entry's example is a test: the message reads the way the entry says it should.

An everyday word adds its official words, a question phrase asks what it says, an abbreviation expands,
a cue names its action, subject or level, a variant is asked for, a sense is read. How the search then
ranks the examples is tested as a whole in test_vocabulary.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from knowledge import vocabulary
from knowledge.search import default_index
from knowledge.search import vocabulary_tables as tables
from knowledge.search.analysis import QUESTION_WEIGHT, Query, analyse
from knowledge.search.phrases import compatible, words_of
from knowledge.text import expand_abbreviations, normalize, strip_diacritics

VOCABULARY = vocabulary.load()


def query(text: str) -> Query:
    return analyse(text, default_index().speller)


def holds(text: str, phrase: str) -> bool:
    """The message writes the phrase (diacritics it wrote must agree)."""
    words = words_of(expand_abbreviations(normalize(text)))
    target = words_of(phrase)
    plain = [strip_diacritics(w) for w in words]
    wanted = [strip_diacritics(w) for w in target]
    return any(
        plain[i : i + len(wanted)] == wanted and compatible(words[i : i + len(wanted)], target)
        for i in range(len(plain) - len(wanted) + 1)
    )


def cases() -> list[tuple[str, Any, vocabulary.Example]]:
    found: list[tuple[str, Any, vocabulary.Example]] = []
    for kind, entries in (
        ("abbreviation", VOCABULARY.abbreviations),
        ("everyday", VOCABULARY.everyday),
        ("question", VOCABULARY.questions),
        ("action", VOCABULARY.action_cues),
        ("subject", VOCABULARY.subject_cues),
        ("level", VOCABULARY.level_cues),
        ("variant", VOCABULARY.variants),
        ("sense", VOCABULARY.senses),
    ):
        for entry in entries:
            for example in entry.examples:
                found.append((kind, entry, example))
    return found


CASES = cases()


@pytest.mark.parametrize(
    ("kind", "entry", "example"), CASES, ids=[f"{k}: {e.key} | {x.text}" for k, e, x in CASES]
)
def test_the_example_reads_as_the_entry_says(kind: str, entry: Any, example: vocabulary.Example) -> None:
    read = query(example.text)
    if kind == "abbreviation":
        assert normalize(entry.means) in expand_abbreviations(normalize(example.text))
    elif kind == "everyday":
        assert normalize(entry.means) in {meaning for _, meaning in read.rewrites}, read.rewrites
    elif kind == "question":
        said = [p for p in entry.says if holds(example.text, p)]
        assert said, "the example writes none of the entry's phrases"
        if entry.asks == "nothing":
            plain = {strip_diacritics(w) for p in said for w in words_of(p)}
            assert any(t.plain in plain and t.weight == QUESTION_WEIGHT for t in read.tokens)
        else:
            assert entry.asks in read.asks
    elif kind == "action":
        assert any(holds(example.text, p) for p in entry.says)
        assert set(entry.values) <= set(read.actions), read.actions
    elif kind == "subject":
        assert any(holds(example.text, p) for p in entry.says)
        assert set(entry.values) <= set(read.subjects), read.subjects
    elif kind == "level":
        assert any(holds(example.text, p) for p in entry.says)
        bits = tables.load().level_bits
        assert all(read.levels & bits[level] for level in entry.values)
    elif kind == "variant":
        index = [rule.variant for rule in tables.load().variants].index(entry)
        assert read.variants[index]
    else:  # a sense: the examples show the senses in the file's order
        name = list(entry.senses)[entry.examples.index(example)]
        assert f"{normalize(entry.word)} ({name})" in {meaning for _, meaning in read.rewrites}
