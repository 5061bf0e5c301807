"""Province names before and after the 1 July 2025 merger: old, new and everyday forms → one of the 34."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from knowledge import paths
from knowledge.text import normalize, normalize_with_offsets, strip_diacritics

__all__ = ["Province", "ProvinceMention", "find_province", "resolve_province"]


@dataclass(frozen=True)
class Province:
    """A resolved province: `name` is one of the 34 current ones, `matched` the CSV name that matched."""

    name: str
    matched: str
    was_merged: bool
    kind: str = ""


@dataclass(frozen=True)
class ProvinceMention:
    """A province named inside a message, with its (start, end) span in the original message."""

    province: Province
    start: int
    end: int
    text: str


# Everyday forms, keyed by the CSV name they stand for. Two-letter forms only match as whole words.
_EVERYDAY: dict[str, tuple[str, ...]] = {
    "Hồ Chí Minh": ("tp hcm", "tphcm", "hcm", "hcmc", "sài gòn", "sg", "saigon", "thành phố hcm"),
    "Hà Nội": ("hn", "hà nội", "ha noi", "hanoi"),
    "Huế": ("thừa thiên huế", "thừa thiên - huế", "thừa thiên-huế", "tt huế"),
    "Bà Rịa - Vũng Tàu": ("bà rịa vũng tàu", "bà rịa-vũng tàu", "brvt", "vũng tàu", "bà rịa"),
    "Đắk Lắk": ("đắc lắc", "daklak", "đắk lăk", "đăk lăk", "đắc lắk"),
    "Đắk Nông": ("đắc nông", "daknong", "đăk nông"),
    "Bắc Kạn": ("bắc cạn",),
    "Hải Phòng": ("hp",),
    "Cần Thơ": ("ct",),
    "Kon Tum": ("kontum",),
}
# Short forms that are also common words or other abbreviations: inside a message, only after a prefix.
_PREFIX_ONLY = frozenset({"hp", "ct"})
_PREFIX = r"(?:thanh pho|tinh|tp|t\.p)\.?\s*"
_SEPARATORS = re.compile(r"[\s\-–.]+")


def _compact(text: str) -> str:
    return _SEPARATORS.sub("", text)


@dataclass(frozen=True)
class _Alias:
    accented: str  # compact normalised form with diacritics
    province: Province
    needs_prefix: bool


@lru_cache(maxsize=1)
def _aliases() -> dict[str, tuple[_Alias, ...]]:
    """Aliases by compact accent-stripped key ("binhdinh"), from the CSV and the everyday forms."""
    with paths.PROVINCES.open(encoding="utf-8") as rows:
        table = list(csv.DictReader(rows))
    kinds = {row["new_province"]: row["kind"] for row in table}
    found: dict[str, dict[str, _Alias]] = {}

    def add(form: str, matched: str, new: str) -> None:
        accented = _compact(normalize(form))
        key = strip_diacritics(accented)
        province = Province(name=new, matched=matched, was_merged=matched != new, kind=kinds.get(new, ""))
        found.setdefault(key, {}).setdefault(accented, _Alias(accented, province, key in _PREFIX_ONLY))

    for row in table:
        add(row["new_province"], row["new_province"], row["new_province"])
    for row in table:
        old, new = row["old_province"], row["new_province"]
        add(old, old, new)
        for form in _EVERYDAY.get(old, ()):
            add(form, old, new)
    return {key: tuple(by_accent.values()) for key, by_accent in found.items()}


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    """Every alias key, letters optionally separated by spaces or hyphens, longest first."""
    keys = sorted(_aliases(), key=len, reverse=True)
    forms = []
    for key in keys:
        words = strip_diacritics(key)
        forms.append(r"[\s\-]*".join(re.escape(c) for c in words))
    return re.compile(r"(?<!\w)(" + _PREFIX + r")?(" + "|".join(forms) + r")(?!\w)")


def _compatible(written: str, accented: str) -> bool:
    """Diacritics that are written must be the alias's own: "huệ" is not "huế", "hà noi" is "hà nội"."""
    if len(written) != len(accented):
        return False
    return all(
        a == b or (a.isascii() and strip_diacritics(b) == a) for a, b in zip(written, accented, strict=True)
    )


def _pick(written: str, has_prefix: bool) -> _Alias | None:
    """The alias that a written form (compact, normalised) stands for, if any."""
    for alias in _aliases().get(strip_diacritics(written), ()):
        if (has_prefix or not alias.needs_prefix) and _compatible(written, alias.accented):
            return alias
    return None


def resolve_province(text: str) -> Province | None:
    """Resolve a province name ("tp hcm", "Bình Định", "tinh binh dinh") to one of the 34, else None."""
    normalized = normalize(text).strip(" .,;:!?")
    match = re.fullmatch(r"(" + _PREFIX + r")?(.+)", strip_diacritics(normalized))
    if match is None:
        return None
    alias = _pick(_compact(normalized), True) or _pick(_compact(normalized[match.start(2) :]), True)
    return alias.province if alias else None


def find_province(message: str) -> ProvinceMention | None:
    """The first province named in a message, with its span in the original message."""
    normalized = normalize_with_offsets(message)
    key = strip_diacritics(normalized)
    if len(key) != len(normalized):  # stripping is one to one for Latin letters; keep spans honest
        return None
    for match in _pattern().finditer(key):
        written = _compact(normalized[match.start(2) : match.end(2)])
        alias = _pick(written, has_prefix=bool(match.group(1)))
        if alias is None and match.group(1):  # "tp hcm": the prefix belongs to the alias
            alias = _pick(_compact(normalized[match.start() : match.end()]), True)
        if alias is None:
            continue
        start, end = normalized.original_span(match.start(), match.end())
        return ProvinceMention(alias.province, start, end, message[start:end])
    return None
