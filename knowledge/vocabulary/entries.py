"""The kinds of vocabulary entries and their readers; each reader raises ValueError naming the entry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

CODE = re.compile(r"^\d\.\d{6}$")


@dataclass(frozen=True)
class Example:
    """A message that uses an entry, and the procedures it must find (none: no procedure)."""

    text: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Mark:
    """A phrase of an official name: anywhere, at its start (^) or end ($), unless inside an exception."""

    phrase: str
    start: bool = False
    end: bool = False
    exceptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Abbreviation:
    short: tuple[str, ...]
    means: str
    official: frozenset[str]
    unless_after_number: bool
    only_after: frozenset[str]
    examples: tuple[Example, ...]

    @property
    def key(self) -> str:
        return self.short[0]


@dataclass(frozen=True)
class Everyday:
    says: tuple[str, ...]
    means: str
    weak: bool
    exact: bool
    examples: tuple[Example, ...]

    @property
    def key(self) -> str:
        return self.says[0]


@dataclass(frozen=True)
class Question:
    says: tuple[str, ...]
    asks: str
    examples: tuple[Example, ...]

    @property
    def key(self) -> str:
        return self.says[0]


@dataclass(frozen=True)
class Cue:
    """Phrases of a message and what they ask for or name, with a strength in 0..1 (none: no cue)."""

    says: tuple[str, ...]
    values: dict[str, float]
    examples: tuple[Example, ...]

    @property
    def key(self) -> str:
        return self.says[0]


@dataclass(frozen=True)
class Variant:
    marks: tuple[Mark, ...]
    asks: tuple[Mark, ...]
    asks_with_country: tuple[str, ...]
    asked_unless: tuple[str, ...]
    asked_unless_country_after: tuple[str, ...]
    others_give_way: bool | tuple[str, ...]
    reissue: bool
    abroad: bool
    examples: tuple[Example, ...]

    @property
    def key(self) -> str:
        return self.marks[0].phrase


@dataclass(frozen=True)
class Sense:
    word: str
    default: str
    senses: dict[str, dict[str, Any]]
    examples: tuple[Example, ...]

    @property
    def key(self) -> str:
        return self.word


QUESTION_KINDS = frozenset(
    {
        "documents",
        "fee",
        "again",
        "time",
        "agency",
        "steps",
        "conditions",
        "legal_basis",
        "online",
        "overview",
        "nothing",
    }
)
SENSE_KEYS = frozenset(
    {
        "after", "before", "written", "not_before", "after_kin", "kin_fillers", "kin_window",
        "after_time_word", "followed_by_or_end", "action", "adds", "question",
    }
)  # fmt: skip


def string_list(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ValueError(f"{where}: must be a list of non-empty strings")
    return [" ".join(item.split()) for item in value]


def _mapping(entry: Any, where: str, required: set[str], optional: set[str]) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: an entry must be a mapping, got {type(entry).__name__}")
    unknown = set(entry) - required - optional
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}")
    missing = required - set(entry)
    if missing:
        raise ValueError(f"{where}: missing key(s) {sorted(missing)}")
    return entry


def _examples(entry: dict[str, Any], where: str) -> tuple[Example, ...]:
    items = entry.get("examples") if "examples" in entry else [entry.get("example")]
    if not isinstance(items, list) or not items:
        raise ValueError(f"{where}: needs an `example` (a message and the codes it must find)")
    out = []
    for item in items:
        if not isinstance(item, dict) or set(item) != {"text", "codes"}:
            raise ValueError(f"{where}: an example is {{text: ..., codes: [...]}}")
        text, codes = item["text"], item["codes"]
        if not isinstance(text, str) or not text.strip() or text.strip() == "TODO":
            raise ValueError(f"{where}: the example needs a message")
        if not isinstance(codes, list) or not all(isinstance(c, str) and CODE.match(c) for c in codes):
            raise ValueError(f'{where}: example codes must be quoted national codes like "1.001193"')
        out.append(Example(text.strip(), tuple(codes)))
    return tuple(out)


def _entries(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise ValueError(f"{where}: must be a non-empty list of entries")
    return value


def read_marks(value: Any, where: str) -> tuple[Mark, ...]:
    """Name marks: "phrase", "^phrase", "phrase$" or {mark: phrase, except: [...]}."""
    if not isinstance(value, list) or not value:
        raise ValueError(f"{where}: must be a non-empty list of phrases")
    marks = []
    for item in value:
        exceptions: list[str] = []
        if isinstance(item, dict):
            _mapping(item, where, {"mark"}, {"except"})
            exceptions = string_list(item.get("except") or [], f"{where}: except")
            item = item["mark"]
        if not isinstance(item, str) or not item.strip("^$ "):
            raise ValueError(f"{where}: a mark must be a non-empty phrase")
        start, end = item.startswith("^"), item.endswith("$")
        marks.append(Mark(" ".join(item.strip("^$").split()), start, end, tuple(exceptions)))
    return tuple(marks)


def read_abbreviations(value: Any, where: str, with_examples: bool = True) -> tuple[Abbreviation, ...]:
    out = []
    for i, entry in enumerate(_entries(value, where), 1):
        at = f"{where}: entry {i}"
        optional = {"official", "unless_after_number", "only_after", "example", "examples"}
        entry = _mapping(entry, at, {"short", "means"}, optional)
        short = tuple(string_list(entry["short"], f"{at}: short"))
        official = entry.get("official", False)
        official_set = (
            set(short) if official is True else set(string_list(official, at)) if official else set()
        )
        out.append(
            Abbreviation(
                short=short,
                means=" ".join(str(entry["means"]).split()),
                official=frozenset(official_set),
                unless_after_number=bool(entry.get("unless_after_number", False)),
                only_after=frozenset(
                    string_list(entry.get("only_after") or [], at) if "only_after" in entry else []
                ),
                examples=_examples(entry, f"{at} ({short[0]})") if with_examples else (),
            )
        )
    return tuple(out)


def read_everyday(value: Any, where: str) -> tuple[Everyday, ...]:
    out = []
    for i, entry in enumerate(_entries(value, where), 1):
        at = f"{where}: entry {i}"
        entry = _mapping(entry, at, {"says", "means"}, {"weak", "exact", "example", "examples"})
        says = tuple(string_list(entry["says"], f"{at}: says"))
        means = entry["means"]
        if not isinstance(means, str) or not means.strip():
            raise ValueError(f"{at} ({says[0]}): `means` must be the official words")
        out.append(
            Everyday(says, " ".join(means.split()), bool(entry.get("weak")), bool(entry.get("exact")),
                     _examples(entry, f"{at} ({says[0]})"))
        )  # fmt: skip
    return tuple(out)


def read_questions(value: Any, where: str) -> tuple[Question, ...]:
    out = []
    for i, entry in enumerate(_entries(value, where), 1):
        at = f"{where}: entry {i}"
        entry = _mapping(entry, at, {"says", "asks"}, {"example", "examples"})
        says = tuple(string_list(entry["says"], f"{at}: says"))
        if entry["asks"] not in QUESTION_KINDS:
            raise ValueError(f"{at} ({says[0]}): `asks` must be one of {sorted(QUESTION_KINDS)}")
        out.append(Question(says, entry["asks"], _examples(entry, f"{at} ({says[0]})")))
    return tuple(out)


def read_cues(value: Any, where: str, field: str) -> tuple[Cue, ...]:
    """Cues: `says` and either `asks: {label: strength}` or `names: label` (`nothing`: no cue)."""
    out = []
    for i, entry in enumerate(_entries(value, f"{where}: cues"), 1):
        at = f"{where}: cue {i}"
        entry = _mapping(entry, at, {"says", field}, {"example", "examples"})
        says = tuple(string_list(entry["says"], f"{at}: says"))
        raw = entry[field]
        values: dict[str, float]
        if isinstance(raw, str):
            values = {} if raw == "nothing" else {raw: 1.0}
        elif isinstance(raw, dict) and all(
            isinstance(k, str) and isinstance(v, (int, float)) and 0 < v <= 1 for k, v in raw.items()
        ):
            values = {k: float(v) for k, v in raw.items()}
        else:
            raise ValueError(f"{at} ({says[0]}): `{field}` must be a label or {{label: strength in (0, 1]}}")
        out.append(Cue(says, values, _examples(entry, f"{at} ({says[0]})")))
    return tuple(out)


def read_variants(value: Any, where: str) -> tuple[Variant, ...]:
    out = []
    optional = {
        "asks", "asks_with_country", "asked_unless", "asked_unless_country_after", "others_give_way",
        "reissue", "abroad", "example", "examples",
    }  # fmt: skip
    for i, entry in enumerate(_entries(value, where), 1):
        at = f"{where}: variant {i}"
        entry = _mapping(entry, at, {"marks"}, optional)
        marks = read_marks(entry["marks"], f"{at}: marks")
        give_way = entry.get("others_give_way", "never")
        if "asks" not in entry and "asked_unless" not in entry:
            raise ValueError(f"{at}: a variant needs `asks` or `asked_unless`")
        out.append(
            Variant(
                marks=marks,
                asks=read_marks(entry["asks"], f"{at}: asks") if "asks" in entry else (),
                asks_with_country=tuple(string_list(entry.get("asks_with_country") or [], at)),
                asked_unless=tuple(string_list(entry.get("asked_unless") or [], at)),
                asked_unless_country_after=tuple(
                    string_list(entry.get("asked_unless_country_after") or [], at)
                ),
                others_give_way=_give_way(give_way, at),
                reissue=bool(entry.get("reissue")),
                abroad=bool(entry.get("abroad")),
                examples=_examples(entry, f"{at} ({marks[0].phrase})"),
            )
        )
    return tuple(out)


def _give_way(value: Any, where: str) -> bool | tuple[str, ...]:
    if value in ("always", "never"):
        return value == "always"
    return tuple(string_list(value, f"{where}: others_give_way"))


def read_senses(value: Any, where: str) -> tuple[Sense, ...]:
    out = []
    for i, entry in enumerate(_entries(value, where), 1):
        at = f"{where}: sense {i}"
        if not isinstance(entry, dict) or not isinstance(entry.get("word"), str):
            raise ValueError(f"{at}: needs a `word`")
        senses = {k: v for k, v in entry.items() if k not in ("word", "default", "example", "examples")}
        if entry.get("default") not in senses:
            raise ValueError(f"{at}: `default` must name one of its senses {sorted(senses)}")
        for name, spec in senses.items():
            if not isinstance(spec, dict) or set(spec) - SENSE_KEYS:
                raise ValueError(f"{at}: sense {name!r} may only hold {sorted(SENSE_KEYS)}")
        out.append(
            Sense(entry["word"], entry["default"], senses, _examples(entry, f"{at} ({entry['word']})"))
        )
    return tuple(out)
