"""The search vocabulary: the YAML files beside this module, read and validated once.

Each file's header says what its entries mean. `load()` returns one `Vocabulary`; a malformed file
raises ValueError naming the file and the entry, so a typo fails loudly instead of dropping a word.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from knowledge.vocabulary.entries import (
    Abbreviation,
    Cue,
    Everyday,
    Example,
    Mark,
    Question,
    Sense,
    Variant,
    read_abbreviations,
    read_cues,
    read_everyday,
    read_marks,
    read_questions,
    read_senses,
    read_variants,
    string_list,
)

__all__ = [
    "DIRECTORY",
    "Abbreviation",
    "Cue",
    "Everyday",
    "Example",
    "Mark",
    "Question",
    "Sense",
    "Variant",
    "Vocabulary",
    "digest",
    "examples",
    "files",
    "load",
]

DIRECTORY = Path(__file__).resolve().parent
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Vocabulary:
    """Everything the search (and the citizen-language generator) knows about words."""

    abbreviations: tuple[Abbreviation, ...]
    name_abbreviations: dict[str, str]
    everyday: tuple[Everyday, ...]
    fillers: frozenset[str]
    copying_cues: tuple[str, ...]
    copied_documents: tuple[str, ...]
    questions: tuple[Question, ...]
    action_names: dict[str, tuple[Mark, ...]]
    action_cues: tuple[Cue, ...]
    topic_words: tuple[str, ...]
    subject_names: dict[str, tuple[Mark, ...]]
    subject_cues: tuple[Cue, ...]
    age_word: str
    age_short: tuple[str, ...]
    child_below: int
    parties: dict[str, dict[str, float]]
    levels: tuple[str, ...]
    level_names: dict[str, tuple[Mark, ...]]
    level_cues: tuple[Cue, ...]
    portal_levels: dict[str, str]
    sibling_words: tuple[str, ...]
    level_only: frozenset[str]
    variants: tuple[Variant, ...]
    countries: tuple[str, ...]
    not_before_country: frozenset[str]
    senses: tuple[Sense, ...]

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(self.action_names)

    @property
    def subjects(self) -> tuple[str, ...]:
        return tuple(self.subject_names)


def files(directory: Path = DIRECTORY) -> list[Path]:
    """The vocabulary files (what a fingerprint of the vocabulary covers)."""
    return sorted(directory.glob("*.yml"))


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # a safe loader
    except yaml.YAMLError as error:
        raise ValueError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise ValueError(f"{path}: the file must be a mapping of sections")
    return data


def _sections(data: dict[str, Any], path: Path, allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"{path}: unknown section(s) {sorted(unknown)}")


def _labels(cues: tuple[Cue, ...], allowed: tuple[str, ...], where: str) -> None:
    for cue in cues:
        for label in cue.values:
            if label not in allowed:
                raise ValueError(f"{where}: {cue.says[0]!r} names {label!r}, not one of {list(allowed)}")


def read(directory: Path = DIRECTORY) -> Vocabulary:
    """Read and validate every vocabulary file in `directory`."""
    paths = {path.name: path for path in files(directory)}
    expected = {f"{name}.yml" for name in _FILES}
    if set(paths) != expected:
        raise ValueError(f"{directory}: expected the files {sorted(expected)}, found {sorted(paths)}")
    data = {name: _read(paths[f"{name}.yml"]) for name in _FILES}
    for name, sections in _FILES.items():
        _sections(data[name], paths[f"{name}.yml"], sections)

    where = str(paths["abbreviations.yml"])
    abbreviations = read_abbreviations(data["abbreviations"].get("abbreviations"), where)
    name_abbreviations = {
        short: item.means for item in read_abbreviations(data["abbreviations"].get("names"), where, False)
        for short in item.short
    }  # fmt: skip

    where = str(paths["everyday.yml"])
    everyday_data = data["everyday"]
    copying = everyday_data.get("copying") or {}
    everyday = read_everyday(everyday_data.get("everyday"), where)

    where = str(paths["actions.yml"])
    actions = data["actions"]
    action_names = {
        name: read_marks(marks, f"{where}: names.{name}") for name, marks in actions["names"].items()
    }
    action_cues = read_cues(actions.get("cues"), where, "asks")
    _labels(action_cues, tuple(action_names), where)

    where = str(paths["subjects.yml"])
    subjects = data["subjects"]
    subject_names = {
        name: read_marks(marks, f"{where}: names.{name}") for name, marks in subjects["names"].items()
    }
    subject_cues = read_cues(subjects.get("cues"), where, "names")
    _labels(subject_cues, tuple(subject_names), where)
    age = subjects.get("age") or {}
    if not isinstance(age.get("word"), str) or not isinstance(age.get("child_below"), int):
        raise ValueError(f"{where}: `age` needs a `word` and an integer `child_below`")

    where = str(paths["levels.yml"])
    levels_data = data["levels"]
    levels = tuple(string_list(levels_data.get("levels"), f"{where}: levels"))
    level_names = {
        name: read_marks(marks, f"{where}: names.{name}") for name, marks in levels_data["names"].items()
    }
    if set(level_names) - set(levels):
        raise ValueError(f"{where}: names for unknown levels {sorted(set(level_names) - set(levels))}")
    level_cues = read_cues(levels_data.get("cues"), where, "names")
    _labels(level_cues, levels, where)
    portal = levels_data.get("portal") or {}
    if not all(isinstance(v, str) and v in levels for v in portal.values()):
        raise ValueError(f"{where}: `portal` must map the portal's level names to {list(levels)}")

    where = str(paths["variants.yml"])
    variants_data = data["variants"]

    return Vocabulary(
        abbreviations=abbreviations,
        name_abbreviations=name_abbreviations,
        everyday=everyday,
        fillers=frozenset(
            string_list(everyday_data.get("fillers") or [], f"{paths['everyday.yml']}: fillers")
        ),
        copying_cues=tuple(string_list(copying.get("cues") or [], f"{paths['everyday.yml']}: copying.cues")),
        copied_documents=tuple(
            string_list(copying.get("documents") or [], f"{paths['everyday.yml']}: copying.documents")
        ),
        questions=read_questions(data["questions"].get("questions"), str(paths["questions.yml"])),
        action_names=action_names,
        action_cues=action_cues,
        topic_words=tuple(
            string_list(actions.get("topic_words") or [], f"{paths['actions.yml']}: topic_words")
        ),
        subject_names=subject_names,
        subject_cues=subject_cues,
        age_word=age["word"],
        age_short=tuple(string_list(age.get("short") or [], f"{where}: age.short")),
        child_below=age["child_below"],
        parties={
            str(k): {str(a): float(b) for a, b in v.items()}
            for k, v in (subjects.get("parties") or {}).items()
        },
        levels=levels,
        level_names=level_names,
        level_cues=level_cues,
        portal_levels={str(k): str(v) for k, v in portal.items()},
        sibling_words=tuple(string_list(levels_data.get("sibling_words") or [], f"{where}: sibling_words")),
        level_only=frozenset(string_list(levels_data.get("level_only") or [], f"{where}: level_only")),
        variants=read_variants(variants_data.get("variants"), where),
        countries=tuple(string_list(variants_data.get("countries") or [], f"{where}: countries")),
        not_before_country=frozenset(
            string_list(variants_data.get("not_before") or [], f"{where}: not_before")
        ),
        senses=read_senses(data["senses"].get("senses"), str(paths["senses.yml"])),
    )


_FILES: dict[str, set[str]] = {
    "abbreviations": {"abbreviations", "names"},
    "actions": {"names", "topic_words", "cues"},
    "everyday": {"fillers", "copying", "everyday"},
    "levels": {"levels", "names", "portal", "sibling_words", "level_only", "cues"},
    "questions": {"questions"},
    "senses": {"senses"},
    "subjects": {"names", "age", "parties", "cues"},
    "variants": {"countries", "not_before", "variants"},
}


def digest(directory: Path = DIRECTORY) -> str:
    """A hash of the vocabulary files: what a component that reads them adds to Rasa's fingerprint."""
    import hashlib

    sha = hashlib.sha1(usedforsecurity=False)
    for path in files(directory):
        sha.update(path.name.encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


@lru_cache(maxsize=1)
def load() -> Vocabulary:
    """The project's vocabulary, read once per process."""
    return read()


def examples(vocabulary: Vocabulary | None = None) -> list[tuple[str, Example]]:
    """Every example of the vocabulary with where it comes from ("everyday.yml: sổ đỏ")."""
    vocabulary = vocabulary or load()
    found: list[tuple[str, Example]] = []
    groups: list[tuple[str, Any]] = [
        ("abbreviations.yml", vocabulary.abbreviations),
        ("everyday.yml", vocabulary.everyday),
        ("questions.yml", vocabulary.questions),
        ("actions.yml", vocabulary.action_cues),
        ("subjects.yml", vocabulary.subject_cues),
        ("levels.yml", vocabulary.level_cues),
        ("variants.yml", vocabulary.variants),
        ("senses.yml", vocabulary.senses),
    ]
    for name, entries in groups:
        for entry in entries:
            for example in entry.examples:
                found.append((f"{name}: {entry.key}", example))
    return found
