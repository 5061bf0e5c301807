"""Vietnamese text normalisation shared by search, province lookup and the NLU pipeline.

`normalize` gives the canonical form (NFC, traditional tone placement hóa/thủy, lower case, no
emoji or control characters, single spaces); `normalize_with_offsets` gives the same string plus,
for every character, the span of the original text it came from.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "Normalized",
    "expand_abbreviations",
    "expand_with_offsets",
    "has_diacritics",
    "normalize",
    "normalize_with_offsets",
    "strip_diacritics",
    "syllables",
]

# --- diacritics -----------------------------------------------------------------------------------

_TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng
_VOWELS = frozenset("aăâeêioôơuưy")
_QUALITY_VOWELS = frozenset("ăâêôơư")


def _build_tables() -> tuple[dict[str, tuple[str, int]], dict[tuple[str, int], str], dict[int, str]]:
    """Tone tables for the Vietnamese vowels and a translate table that drops all diacritics."""
    split: dict[str, tuple[str, int]] = {}
    join: dict[tuple[str, int], str] = {}
    for base in "aăâeêioôơuưy":
        join[(base, 0)] = base
        for tone, mark in enumerate(_TONE_MARKS, start=1):
            toned = unicodedata.normalize("NFC", base + mark)
            split[toned] = (base, tone)
            join[(base, tone)] = toned
    plain: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0xC0, 0x250):
        _add_plain(plain, chr(code))
    for code in range(0x1E00, 0x1F00):
        _add_plain(plain, chr(code))
    for code in range(0x300, 0x370):  # stray combining marks, e.g. in NFD input
        plain[code] = ""
    return split, join, plain


def _add_plain(table: dict[int, str], char: str) -> None:
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    if base and base != char and base.isascii():
        table[ord(char)] = base


_SPLIT_TONE, _JOIN_TONE, _PLAIN = _build_tables()


def strip_diacritics(text: str) -> str:
    """Remove every diacritic, đ→d included: "Đăng ký hộ chiếu" → "Dang ky ho chieu"."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text).translate(_PLAIN)


def has_diacritics(text: str) -> bool:
    """True when the text holds any Vietnamese (or other Latin) diacritic."""
    return strip_diacritics(text) != text


# --- tone placement ---------------------------------------------------------------------------------


@lru_cache(maxsize=20000)
def _place_tone(word: str) -> str:
    """Move the tone mark of one lower-case syllable to its traditional place (hoá→hóa, thuỷ→thủy)."""
    tones = [(i, _SPLIT_TONE[c]) for i, c in enumerate(word) if c in _SPLIT_TONE]
    if len(tones) != 1 or len(word) > 7:
        return word
    at, (_, tone) = tones[0]
    bare = word[:at] + _SPLIT_TONE[word[at]][0] + word[at + 1 :]
    target = _tone_position(bare)
    if target is None or target == at:
        return word
    chars = list(bare)
    chars[target] = _JOIN_TONE[(chars[target], tone)]
    return "".join(chars)


def _tone_position(bare: str) -> int | None:
    """Index of the vowel that carries the tone in a toneless syllable, or None if it is not one."""
    start = 0
    if bare.startswith(("qu", "gi")) and len(bare) > 2 and bare[2] in _VOWELS:
        start = 2  # qu and gi before a vowel are consonants
    while start < len(bare) and bare[start] not in _VOWELS:
        start += 1
    end = start
    while end < len(bare) and bare[end] in _VOWELS:
        end += 1
    if start == end or any(c in _VOWELS for c in bare[end:]):
        return None
    nucleus = bare[start:end]
    quality = [i for i, c in enumerate(nucleus) if c in _QUALITY_VOWELS]
    if quality:
        return start + quality[-1]
    if len(nucleus) == 1:
        return start
    if end < len(bare):  # closed syllable: hoàng, thuyết
        return end - 1
    return start + (1 if len(nucleus) == 3 else 0)  # open: hóa, của, thủy; ngoài, khuỷu


# --- character classes -----------------------------------------------------------------------------

# Characters outside these ranges are looked at one by one; plain Vietnamese text never is.
_UNUSUAL = re.compile("[^\x20-\x7e\u00a0-\u024f\u0300-\u036f\u1e00-\u1eff]")
_DROP_CATEGORIES = frozenset({"So", "Sk", "Cc", "Cf", "Co", "Cs", "Cn", "Me"})
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+")
_TONED_WORD = re.compile(r"[^\W\d_]*[" + "".join(_SPLIT_TONE) + r"][^\W\d_]*")


def _replace_unusual(char: str) -> str:
    """What an unusual character becomes: a space, nothing (emoji, controls) or itself."""
    if char.isspace():
        return " "
    if unicodedata.category(char) in _DROP_CATEGORIES or 0xFE00 <= ord(char) <= 0xFE0F:
        return ""
    return char


def normalize(text: str) -> str:
    """Canonical form for matching: NFC, traditional tone placement, lower case, no emoji, single spaces."""
    text = unicodedata.normalize("NFC", text).lower()
    text = _UNUSUAL.sub(lambda m: _replace_unusual(m.group()), text)
    text = _TONED_WORD.sub(lambda m: _place_tone(m.group()), text)
    return _SPACES.sub(" ", text).strip()


def syllables(text: str) -> list[str]:
    """The syllables (words of letters or digits) of the normalised text, punctuation dropped."""
    return _WORD.findall(normalize(text))


# --- offsets ---------------------------------------------------------------------------------------


class Normalized(str):
    """A normalised string that remembers, for each character, its (start, end) span in the original."""

    spans: tuple[tuple[int, int], ...]
    original: str

    def __new__(cls, text: str, spans: list[tuple[int, int]], original: str) -> Normalized:
        self = super().__new__(cls, text)
        self.spans = tuple(spans)
        self.original = original
        return self

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text behind normalised characters start..end (end exclusive)."""
        if start >= end:
            at = self.spans[start][0] if start < len(self.spans) else len(self.original)
            return at, at
        return self.spans[start][0], self.spans[end - 1][1]


def normalize_with_offsets(text: str) -> Normalized:
    """`normalize(text)` with a map from each normalised character back to the original text."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    i = 0
    n = len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):  # a letter and its combining marks
            j += 1
        for char in unicodedata.normalize("NFC", text[i:j]).lower():
            out = _replace_unusual(char) if _UNUSUAL.match(char) else char
            if out == " " and (not chars or chars[-1] == " "):
                continue
            for c in out:
                chars.append(c)
                spans.append((i, j))
        i = j
    while chars and chars[-1] == " ":
        chars.pop()
        spans.pop()
    joined = "".join(chars)
    # Tone placement keeps each word's length, so the spans stay aligned.
    joined = _TONED_WORD.sub(lambda m: _place_tone(m.group()), joined)
    return Normalized(joined, spans, text)


# --- abbreviations ---------------------------------------------------------------------------------

# Chat abbreviations and teencode, matched on whole words of normalised text. Ambiguous short forms
# that usually mean something else in this domain (e.g. "a", "e", "t", "hc") are left alone.
ABBREVIATIONS: dict[str, str] = {
    # negation and particles
    "ko": "không", "k": "không", "kh": "không", "khg": "không", "kg": "không", "hok": "không",
    "hông": "không", "hem": "không", "k0": "không", "khong": "không",
    "dc": "được", "đc": "được", "dk": "đăng ký", "đk": "đăng ký", "dky": "đăng ký", "đky": "đăng ký",
    "bn": "bao nhiêu", "bnh": "bao nhiêu", "bao nhieu": "bao nhiêu", "bh": "bao giờ",
    "j": "gì", "gi": "gì", "ji": "gì", "ntn": "như thế nào", "nthe nao": "như thế nào",
    "mk": "mình", "mik": "mình", "mjk": "mình", "mh": "mình", "mn": "mọi người",
    "ns": "nói", "vs": "với", "r": "rồi", "rùi": "rồi", "ak": "à", "ah": "à", "ạk": "ạ",
    "uk": "ừ", "uh": "ừ", "ms": "mới", "lm": "làm", "ng": "người", "trc": "trước", "z": "vậy",
    "v": "vậy", "bít": "biết", "bik": "biết", "thik": "thích", "tks": "cảm ơn", "thanks": "cảm ơn",
    "ad": "quản trị viên", "h": "giờ", "đt": "điện thoại",
    # documents and bodies
    "cccd": "căn cước công dân", "cmnd": "chứng minh nhân dân", "cmt": "chứng minh thư",
    "cmtnd": "chứng minh thư nhân dân", "gplx": "giấy phép lái xe", "hk": "hộ khẩu",
    "ubnd": "ủy ban nhân dân", "bhyt": "bảo hiểm y tế", "bhxh": "bảo hiểm xã hội",
    "lltp": "lý lịch tư pháp", "mst": "mã số thuế", "sdt": "số điện thoại", "sđt": "số điện thoại",
    "gks": "giấy khai sinh", "gcn": "giấy chứng nhận", "qsdd": "quyền sử dụng đất",
    "qsdđ": "quyền sử dụng đất", "tthc": "thủ tục hành chính", "dvc": "dịch vụ công",
    "cty": "công ty", "hkd": "hộ kinh doanh", "dn": "doanh nghiệp", "dntn": "doanh nghiệp tư nhân",
    "đkkd": "đăng ký kinh doanh", "dkkd": "đăng ký kinh doanh",
    "vn": "việt nam", "ca": "công an", "kd": "kinh doanh", "gpkd": "giấy phép kinh doanh",
    "tncn": "thu nhập cá nhân", "gtgt": "giá trị gia tăng", "bđs": "bất động sản", "bds": "bất động sản",
    "tnhh": "trách nhiệm hữu hạn", "gpxd": "giấy phép xây dựng", "xnc": "xuất nhập cảnh",
}  # fmt: skip

_ABBREVIATION_RE = re.compile(
    r"(?<!\w)(?<!\w\.)("
    + "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?!\w|\.\w)"
)


def _expansion(text: str, match: re.Match[str]) -> str | None:
    """The expansion of one matched abbreviation, or None where context says it is not one."""
    word = match.group(1)
    before = text[: match.start()].rstrip()
    if word in ("k", "h", "r", "v", "z") and before[-1:].isdigit():  # 50 k, 8 h, 2 v: units
        return None
    if word == "ca" and not re.search(r"(?:^|\s)(?:lên|đến|tới|ra|ở|tại|của|len|den|toi|o|tai|cua)$", before):
        return None  # "ca" is also a shift or a song; only read it as công an after a place word
    return ABBREVIATIONS[word]


# Acronyms that official texts use too ("thẻ BHYT"); safe to expand in any text.
DOMAIN_ABBREVIATIONS = frozenset(
    {
        "cccd",
        "cmnd",
        "gplx",
        "ubnd",
        "bhyt",
        "bhxh",
        "lltp",
        "mst",
        "gcn",
        "qsdd",
        "qsdđ",
        "tthc",
        "đkkd",
        "tncn",
        "gtgt",
        "tnhh",
        "gpxd",
    }
)
_DOMAIN_RE = re.compile(
    r"(?<!\w)(" + "|".join(sorted(DOMAIN_ABBREVIATIONS, key=len, reverse=True)) + r")(?!\w)"
)


def expand_abbreviations(text: str, domain_only: bool = False) -> str:
    """Expand chat abbreviations in normalised text: "lam cccd het bn tien" → "... căn cước công dân ...".

    With `domain_only`, only acronyms that official texts use too (BHYT, UBND ...) are expanded.
    """
    if domain_only:
        return _DOMAIN_RE.sub(lambda m: ABBREVIATIONS[m.group()], text)
    return _ABBREVIATION_RE.sub(lambda m: _expansion(text, m) or m.group(), text)


def expand_with_offsets(text: Normalized) -> Normalized:
    """`expand_abbreviations` that keeps each character's span in the original text."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    last = 0
    for match in _ABBREVIATION_RE.finditer(text):
        replacement = _expansion(text, match)
        if replacement is None:
            continue
        chars.append(text[last : match.start()])
        spans.extend(text.spans[last : match.start()])
        span = text.original_span(match.start(), match.end())
        chars.append(replacement)
        spans.extend([span] * len(replacement))
        last = match.end()
    chars.append(text[last:])
    spans.extend(text.spans[last:])
    return Normalized("".join(chars), spans, text.original)
