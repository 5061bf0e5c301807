"""What an official procedure name says: its core, its variant marks, action, subject and level."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from knowledge.search import vocabulary_tables as tables
from knowledge.search.analysis import words
from knowledge.text import expand_abbreviations, normalize

_NAME_NOISE = re.compile(r"^thủ tục\s+")
PARENTHESES = re.compile(r"\([^)]*\)")
# Where a name's core ends: what follows qualifies it ("..., đối với trường hợp ...", "(cấp tỉnh)").
# Punctuation and the linking words of the official style, not vocabulary of any one procedure.
_CORE_END = re.compile(
    r"[,;:(/]|\s-\s|\b(?:đối với|đổi với|trong trường hợp|trường hợp|thực hiện tại|thuộc thẩm quyền|"
    r"theo quy định|theo đề nghị|tại cục|tại phòng|tại công an|tại sở|tại ủy ban|do bộ|do cơ quan|"
    r"thực hiện bằng|bằng dịch vụ công)\b"
)


@lru_cache(maxsize=20000)
def phonetic(plain: str) -> str:
    """A key that merges sounds citizens confuse in writing (tr/ch, s/x, d/gi/r, final n/ng, i/y)."""
    for old, new in (
        ("ngh", "ng"),
        ("gh", "g"),
        ("gi", "d"),
        ("tr", "ch"),
        ("r", "d"),
        ("s", "x"),
        ("k", "c"),
    ):
        if plain.startswith(old) and len(plain) > len(old):
            plain = new + plain[len(old) :]
            break
    for old, new in (("nh", "n"), ("ng", "n"), ("ch", "t"), ("c", "t")):
        if plain.endswith(old) and len(plain) > len(old) + 1:
            plain = plain[: -len(old)] + new
            break
    return plain.replace("y", "i")


def index_terms(text: str) -> tuple[list[str], list[str]]:
    """The index terms of a procedure's text: syllables, written forms, pairs, sound-alike pairs."""
    written, plain = words(text)
    keys = [phonetic(p) for p in plain]
    terms = ["u" + p for p in plain]
    terms += ["a" + w for w, p in zip(written, plain, strict=True) if w != p]
    terms += ["b" + a + " " + b for a, b in pairwise(plain)]
    terms += ["q" + a + " " + b for a, b in pairwise(keys)]
    return terms, plain


def expand_name(name: str) -> str:
    """A normalised name with the acronyms it uses spelt out after them ("TNLĐ" → "tnlđ tai nạn ...")."""
    table = tables.load()
    if table.name_abbreviations is None:
        return name
    return table.name_abbreviations.sub(
        lambda m: m.group() + " " + table.name_abbreviation_words[m.group()], name
    )


def official(name: str) -> str:
    """The name as indexed: normalised, "Thủ tục" dropped, acronyms spelt out."""
    return expand_name(expand_abbreviations(_NAME_NOISE.sub("", normalize(name)), domain_only=True))


def core(name: str) -> str:
    """The head of a name, before its qualifications: "giải thể doanh nghiệp, giải thể ..." → first part."""
    match = _CORE_END.search(name, 8)
    return name[: match.start()] if match else name


def plain_words(text: str) -> list[str]:
    return words(text)[1]


def topic(name: str) -> str:
    """A name without its action words: "cấp lại giấy phép lái xe" → "giay phep lai xe"."""
    plain = " ".join(plain_words(PARENTHESES.sub(" ", name)))
    return " ".join(tables.load().topic_words.sub(" ", plain).split())


def topic_written(name: str) -> str:
    """`topic` keeping the name's diacritics: the words of the name outside its action words."""
    written, plain = words(normalize(PARENTHESES.sub(" ", name)))
    text = " ".join(plain)
    kept = []
    spans = [m.span() for m in tables.load().topic_words.finditer(text)]
    at = 0
    for w, p in zip(written, plain, strict=True):
        start, end = at, at + len(p)
        at = end + 1
        if not any(s <= start and end <= e for s, e in spans):
            kept.append(w)
    return " ".join(kept)


def levelless(plain_name: str) -> str:
    """A name (without diacritics) without its level and body words: siblings at other levels share it."""
    text = PARENTHESES.sub(" ", plain_name)
    return " ".join(re.findall(r"[^\W_]+", tables.load().sibling_words.sub(" ", text)))


def unmarked(plain_name: str) -> str:
    """A name (without diacritics) without its variant marks: variants of one procedure share it."""
    text = plain_name
    for rule in tables.load().variants:
        for hint in rule.hints:
            text = re.sub(r"(?<!\w)" + re.escape(hint) + r"(?!\w)", " ", text)
    return " ".join(text.split())


def variant_marks(plain_text: str) -> tuple[int, ...]:
    """The variants whose marks a name (without diacritics) holds."""
    return tuple(i for i, variant in enumerate(tables.load().variants) if variant.in_name(plain_text))
