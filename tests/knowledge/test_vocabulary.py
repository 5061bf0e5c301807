"""The vocabulary files: validated on load, a word added in one line, the examples found by the search."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge import vocabulary
from knowledge.base import load
from knowledge.search import search

EXAMPLES = vocabulary.examples()


def test_every_entry_has_an_example() -> None:
    voc = vocabulary.load()
    entries = [*voc.abbreviations, *voc.everyday, *voc.questions, *voc.action_cues, *voc.subject_cues,
               *voc.level_cues, *voc.variants, *voc.senses]  # fmt: skip
    assert all(entry.examples for entry in entries)
    assert len(EXAMPLES) >= len(entries) >= 450


def test_example_codes_exist() -> None:
    knowledge = load()
    missing = [
        (where, code) for where, example in EXAMPLES for code in example.codes if code not in knowledge
    ]
    assert missing == []


def test_the_search_finds_the_examples_procedures() -> None:
    # Each example reading as its entry says is tested one by one in test_vocabulary_examples.py; how the
    # whole search then ranks them is measured here (the ranker is fitted on them: a floor, not a target).
    top1 = top3 = 0
    for _, example in EXAMPLES:
        codes = search(example.text, limit=3).codes
        top1 += bool(codes) and codes[0] in example.codes
        top3 += bool(set(codes) & set(example.codes))
    assert top1 / len(EXAMPLES) >= 0.9
    assert top3 / len(EXAMPLES) >= 0.95


def copy(tmp_path: Path) -> Path:
    target = tmp_path / "vocabulary"
    shutil.copytree(vocabulary.DIRECTORY, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("everyday.yml", "means: ", "meaning: ", "unknown key"),
        ("questions.yml", "asks: fee", "asks: money", "asks"),
        ("actions.yml", "asks: {reissue: 1.0}", "asks: {reissue: 2.0}", "strength"),
        ("levels.yml", "names: province", "names: county", "county"),
        ("everyday.yml", 'example: {text: "', 'example: {txt: "', "example"),
    ],
)
def test_a_malformed_file_is_refused_with_its_name(
    tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    directory = copy(tmp_path)
    path = directory / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValueError, match=message) as error:
        vocabulary.read(directory)
    assert file in str(error.value)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    directory = copy(tmp_path)
    (directory / "senses.yml").unlink()
    with pytest.raises(ValueError, match="expected the files"):
        vocabulary.read(directory)


def test_a_word_added_as_one_line_is_understood(tmp_path: Path) -> None:
    # How a maintainer adds a word citizens use: one line in everyday.yml.
    directory = copy(tmp_path)
    path = directory / "everyday.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('- says: ["passport"]', '- says: ["passport", "hộ chiếu xanh"]', 1)
    path.write_text(text, encoding="utf-8")
    voc = vocabulary.read(directory)
    entry = next(e for e in voc.everyday if "hộ chiếu xanh" in e.says)
    assert entry.means == "hộ chiếu"
