"""The vocabulary files: validated on load, and every entry's example is a test of the search."""

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


@pytest.mark.parametrize(("where", "example"), EXAMPLES, ids=[f"{w} | {e.text}" for w, e in EXAMPLES])
def test_example_is_among_the_candidates(where: str, example: vocabulary.Example) -> None:
    # What the citizen is shown when the first is not certain: the right procedure is among them.
    assert set(search(example.text, limit=3).codes) & set(example.codes), where


def test_examples_rank_first() -> None:
    right = sum(1 for _, e in EXAMPLES if search(e.text, limit=1).top in e.codes)
    assert right / len(EXAMPLES) >= 0.9


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
