"""Finds the procedure a citizen's message is about: BM25 over procedure names, typo and accent tolerant.

Names (acronyms spelt out), everyday names, fields and, at a low weight, the first words of the result
are indexed without diacritics as syllables, syllable pairs and a phonetic key (tr/ch, s/x, d/gi/r ...
merged); written diacritics add a bonus. Query words that only ask a question weigh little, everyday
words are rewritten into official ones (search_terms.EVERYDAY), "mất" is read as loss, duration or
death from its neighbours, and specialised variants (có yếu tố nước ngoài, lưu động ...) are demoted
unless the message asks for them. A phonetic key or a typo correction only counts when the message's
own spelling is unknown. Candidates are reranked by how much of the name (or its core, before "đối
với ...", "(cấp tỉnh)") the message covers and how much of the message's distinctive words the
procedure holds, so popularity breaks ties rather than overriding content. The same procedure published
at several levels (xã, tỉnh, trung ương) is told apart by the level or body a message names ("công an
tỉnh", "ở phường", "Cục"); a message that names none gets the lowest, where citizens usually go.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import pairwise
from operator import itemgetter, sub
from pathlib import Path
from typing import Any, NamedTuple

from knowledge import paths
from knowledge.base import load, on_reload
from knowledge.model import Procedure
from knowledge.search_terms import (
    ACTION_CUES,
    ACTIONS,
    COPIED_DOCUMENTS,
    COPY_CUES,
    DEATH_AFTER,
    DEATH_WORDS,
    DURATION_AFTER,
    DURATION_WRITTEN,
    EVERYDAY,
    EXACT_PHRASES,
    KIN,
    KIN_FILLER,
    LEVEL_CUES,
    LEVEL_WORDS,
    LEVELS,
    LOSS_BEFORE,
    LOSS_WORDS,
    NAME_ABBREVIATIONS,
    NAME_ACTIONS,
    NAME_LEVELS,
    NAME_SUBJECTS,
    NOT_DURATION,
    PORTAL_LEVELS,
    QUESTION_PHRASES,
    SPECIALISED,
    SUBJECT_CUES,
    SUBJECTS,
)
from knowledge.text import expand_abbreviations, normalize, strip_diacritics

__all__ = ["Hit", "Ranking", "SearchIndex", "cached_index", "default_index", "search"]

K1 = 1.2
B = 0.6
FIELD_WEIGHT = 0.3  # the field (lĩnh vực) hints at the topic but must not outrank the name
# Query weights by term kind: syllable, syllable pair, written diacritics, phonetic pair.
KIND_WEIGHT = {"u": 1.0, "b": 1.5, "a": 0.4, "q": 0.5}
QUESTION_WEIGHT = 0.08
AMBIGUOUS_PAIR_IDF = 3.0  # a pair in fewer than about 200 procedures reads a question word as a name's
MIN_WEIGHT = 0.1  # query terms weighing less (question words) are not looked up at all
EVERYDAY_WEIGHT = 0.9
COPIED_WEIGHT = 0.3  # an identity document named as what to copy or certify ("chứng thực bản sao cmnd")
WEAK_WEIGHT = 0.5  # a generic everyday hint ("~" in EVERYDAY) or a sense of "mất"
RESULT_WEIGHT = 0.15  # words of the result (kết quả) hint at the topic at a low weight
RESULT_WORDS = 30
QUERY_COVERAGE = 0.5  # share of the score that depends on how much of the message the procedure covers
SKIP_KNOWN_Q = True  # a phonetic key counts only when the pair as written is unknown
COMMON_POSTINGS = 150  # a term in more procedures than this only adjusts the candidates' scores
MAX_NEIGHBOURS = 3  # an unknown word with more known neighbours than this is not corrected
DISTINCTIVE_IDF = 1.5  # words rarer than this (in under about a fifth of procedures) are distinctive
EVERYDAY_TF = 1.0  # term frequency an everyday name adds to its procedure
FUZZY_WEIGHT = 0.6
SPECIALISED_PENALTY = 0.7
PHRASE_BONUS = 0.1  # per word of an everyday name found verbatim in the message, up to four words
COVERAGE_WEIGHT = 0.3  # share of the score that depends on how much of the name the message covers
POPULARITY_BONUS = 0.1
TOO_CLOSE = 0.93  # a runner-up within this share of the top score is too close to call
MAX_SYLLABLES = 60  # a query longer than this is cut: latency stays flat on a pasted essay
RERANK = 60
CURATED_LENGTH = 30  # words of an official name that count towards its length when it has a short name
# Siblings: a name whose action (cấp lại, cấp đổi, gia hạn ...) the message asks for gains, one whose
# actions all differ loses; likewise the subject (hộ kinh doanh, công ty ...) and the fully online channel.
ACTION_BONUS = 0.25
ACTION_PENALTY = 0.6
ACTION_CONFLICT = 0.8
SUBJECT_BONUS = 0.15
SUBJECT_PENALTY = 0.7
AGE_PENALTY = 0.6
ONLINE_BONUS = 0.2
ONLINE_PENALTY = 0.5
# Siblings at other levels (xã, tỉnh, trung ương ...): the one at the level a message names takes the
# place of the best of them, the others lose; a message that names none prefers the lowest level, where
# citizens usually go.
LEVEL_PENALTY = 0.45
HIGHER_LEVEL = 0.85


class Hit(NamedTuple):
    """A candidate procedure and its score in 0..1 (share of the query that matched, adjusted)."""

    code: str
    score: float


class Ranking(list[Hit]):
    """Candidates best first; `too_close` says the first two cannot be told apart with confidence."""

    too_close: bool = False

    @property
    def top(self) -> str | None:
        return self[0].code if self else None

    @property
    def codes(self) -> list[str]:
        return [hit.code for hit in self]


class _Token(NamedTuple):
    plain: str  # without diacritics
    written: str  # as written, normalised
    weight: float


# --- phonetics ---------------------------------------------------------------------------------------

_INITIALS = (("ngh", "ng"), ("gh", "g"), ("gi", "d"), ("tr", "ch"), ("r", "d"), ("s", "x"), ("k", "c"))
_FINALS = (("nh", "n"), ("ng", "n"), ("ch", "t"), ("c", "t"))


@lru_cache(maxsize=20000)
def _phonetic(plain: str) -> str:
    """A key that merges sounds citizens confuse in writing (tr/ch, s/x, d/gi/r, final n/ng, i/y)."""
    for old, new in _INITIALS:
        if plain.startswith(old) and len(plain) > len(old):
            plain = new + plain[len(old) :]
            break
    for old, new in _FINALS:
        if plain.endswith(old) and len(plain) > len(old) + 1:
            plain = plain[: -len(old)] + new
            break
    return plain.replace("y", "i")


def _terms(tokens: list[_Token]) -> list[tuple[str, float, str]]:
    """Index terms of a token sequence with their query weights (and, for a phonetic key, its pair)."""
    out: list[tuple[str, float, str]] = []
    previous: _Token | None = None
    for token in tokens:
        if token is _BREAK:
            previous = None
            continue
        out.append(("u" + token.plain, token.weight * KIND_WEIGHT["u"], ""))
        if token.written != token.plain:
            out.append(("a" + token.written, token.weight * KIND_WEIGHT["a"], ""))
        if previous is not None:
            weight = min(previous.weight, token.weight)
            pair = "b" + previous.plain + " " + token.plain
            out.append((pair, weight * KIND_WEIGHT["b"], ""))
            phonetic = "q" + _phonetic(previous.plain) + " " + _phonetic(token.plain)
            out.append((phonetic, weight * KIND_WEIGHT["q"], pair))
        previous = token
    return out


_WORDS = re.compile(r"[^\W_]+")


def _words(text: str) -> tuple[list[str], list[str]]:
    """The words of normalised text as written and without diacritics."""
    written = _WORDS.findall(text)
    plain = _WORDS.findall(strip_diacritics(text))
    if len(plain) != len(written):  # a letter whose base form is not a single letter
        plain = [strip_diacritics(w) for w in written]
    return written, plain


def _tokens(text: str, weight: float = 1.0) -> list[_Token]:
    written, plain = _words(text)
    return [_Token(p, w, weight) for p, w in zip(plain, written, strict=True)]


def _index_terms(text: str) -> tuple[list[str], list[str]]:
    """The index terms of a procedure's text (those `_terms` weighs for a query), and its plain words."""
    written, plain = _words(text)
    phonetic = [_phonetic(p) for p in plain]
    terms = ["u" + p for p in plain]
    terms += ["a" + w for w, p in zip(written, plain, strict=True) if w != p]
    terms += ["b" + a + " " + b for a, b in pairwise(plain)]
    terms += ["q" + a + " " + b for a, b in pairwise(phonetic)]
    return terms, plain


# --- query rewriting ----------------------------------------------------------------------------------


class _Phrase(NamedTuple):
    words: tuple[str, ...]  # as written, with diacritics
    official: str | None  # words to add, or None for a question phrase
    weight: float  # weight of the added words
    exact: bool  # must be written with its own diacritics (a one-syllable word)


def _phrase_table() -> dict[tuple[str, ...], list[_Phrase]]:
    """Plain word sequence → its phrases (an exact one first), question phrases and everyday names."""
    table: dict[tuple[str, ...], list[_Phrase]] = {}
    for phrase in QUESTION_PHRASES:
        words = tuple(normalize(phrase).split())
        table.setdefault(tuple(strip_diacritics(w) for w in words), []).append(_Phrase(words, None, 0, False))
    for phrase, official in EVERYDAY.items():
        words = tuple(normalize(phrase).split())
        weight = WEAK_WEIGHT if official.startswith("~") else EVERYDAY_WEIGHT
        exact = phrase in EXACT_PHRASES or (len(words) == 1 and strip_diacritics(words[0]) != words[0])
        entry = _Phrase(words, normalize(official.lstrip("~")), weight, exact)
        entries = table.setdefault(tuple(strip_diacritics(w) for w in words), [])
        entries[:] = [e for e in entries if e.words != words]
        entries.insert(0 if exact else len(entries), entry)
    return table


_PHRASES = _phrase_table()
_COPYING = re.compile(COPY_CUES)
_COPIED = frozenset(tuple(normalize(phrase).split()) for phrase in COPIED_DOCUMENTS)
_LONGEST = max(len(k) for k in _PHRASES)
_FILLERS = frozenset({"bi"})  # words a citizen slips into an everyday phrase ("thẻ bị hỏng")


def _compatible(written: tuple[str, ...], accented: tuple[str, ...]) -> bool:
    """Words written with diacritics must be the phrase's own ("cuối" is not "cưới")."""
    return all(w == a or w == strip_diacritics(w) for w, a in zip(written, accented, strict=True))


_BREAK = _Token("", "", 0.0)  # separates added words from the message: no syllable pair across it


def _match(window: list[_Token]) -> _Phrase | None:
    """The phrase a window of tokens spells, if any (diacritics the message wrote must agree)."""
    written = tuple(t.written for t in window)
    for entry in _PHRASES.get(tuple(t.plain for t in window), ()):
        if entry.exact and written != entry.words:
            continue
        if _compatible(written, entry.words):
            return entry
    return None


class _Cue(NamedTuple):
    words: tuple[str, ...]  # as written, with diacritics
    values: tuple[tuple[str, float], ...]  # what it asks for, with a strength in 0..1 (none: a non-cue)


def _cue_table(cues: dict[str, str]) -> dict[tuple[str, ...], list[_Cue]]:
    """Plain word sequence → its cues ("hết hạn" → exchange, extend, reissue at 0.6 ...)."""
    table: dict[tuple[str, ...], list[_Cue]] = {}
    for phrase, spec in cues.items():
        words = tuple(normalize(phrase).split())
        values = []
        for item in spec.split():
            name, _, strength = item.partition(":")
            values.append((name, float(strength or 1.0)))
        table.setdefault(tuple(strip_diacritics(w) for w in words), []).append(_Cue(words, tuple(values)))
    return table


_ACTION_CUES = _cue_table(ACTION_CUES)
_SUBJECT_CUES = _cue_table(SUBJECT_CUES)
_CUE_LONGEST = max(len(k) for k in (*_ACTION_CUES, *_SUBJECT_CUES))
_AGE = re.compile(r"\b(\d{1,2}) tuoi\b")


def _scan(tokens: list[_Token], table: dict[tuple[str, ...], list[_Cue]], found: dict[str, float]) -> None:
    """Add what the cues of a message ask for to `found` (longest phrase first, none overlapping)."""
    i = 0
    while i < len(tokens):
        for size in range(min(_CUE_LONGEST, len(tokens) - i), 0, -1):
            window = tokens[i : i + size]
            written = tuple(t.written for t in window)
            cue = next(
                (c for c in table.get(tuple(t.plain for t in window), ()) if _compatible(written, c.words)),
                None,
            )
            if cue is not None:
                for name, strength in cue.values:
                    found[name] = max(found.get(name, 0.0), strength)
                i += size
                break
        else:
            token = tokens[i]
            is_mat = token.plain == "mat" and token.written in ("mất", "mat")
            if table is _ACTION_CUES and is_mat and _sense_of_mat(tokens, i) == "loss":
                found["reissue"] = 1.0
            i += 1


_LEVEL_BITS = {level: 1 << i for i, level in enumerate(LEVELS)}
_LEVEL_CUES = _cue_table(LEVEL_CUES)
_LEVEL_LONGEST = max(len(k) for k in _LEVEL_CUES)


_LEVEL_ONLY = frozenset(
    {
        "tinh", "xa", "phuong", "huyen", "quan", "thi", "tran", "trung", "uong", "tw", "cap", "cong", "an",
        "uy", "ban", "nhan", "dan", "ubnd", "chu", "tich", "so", "bo", "cuc", "phong", "len", "ra", "tai",
        "xuat", "nhap", "canh", "sat",
    }
)  # fmt: skip


def _levels_named(tokens: list[_Token]) -> tuple[int, set[int]]:
    """The levels a message names ("công an tỉnh", "ở xã"), and where its words only name a level."""
    found = 0
    places: set[int] = set()
    i = 0
    while i < len(tokens):
        for size in range(min(_LEVEL_LONGEST, len(tokens) - i), 0, -1):
            window = tokens[i : i + size]
            written = tuple(t.written for t in window)
            cue = next(
                (
                    c
                    for c in _LEVEL_CUES.get(tuple(t.plain for t in window), ())
                    if (written == c.words if size == 1 else _compatible(written, c.words))
                ),
                None,
            )
            if cue is not None:
                for name, _ in cue.values:
                    found |= _LEVEL_BITS[name]
                if cue.values:
                    places.update(j for j in range(i, i + size) if tokens[j].plain in _LEVEL_ONLY)
                i += size
                break
        else:
            i += 1
    return found, places


def _lowest(levels: int) -> int:
    """The rank of the lowest level among level bits (commune 0 ... central 3)."""
    return (levels & -levels).bit_length() - 1


def _asked(tokens: list[_Token], plain: str) -> tuple[dict[str, float], frozenset[str]]:
    """The actions a message asks for (with strengths) and the subjects (or channel) it names."""
    actions: dict[str, float] = {}
    _scan(tokens, _ACTION_CUES, actions)
    subjects: dict[str, float] = {}
    _scan(tokens, _SUBJECT_CUES, subjects)
    if "child" not in subjects and "adult" not in subjects:
        for match in _AGE.finditer(plain):
            subjects["child" if int(match.group(1)) < 14 else "adult"] = 1.0
    return actions, frozenset(subjects)


def _sense_of_mat(tokens: list[_Token], i: int) -> str:
    """What "mất" at position i means: "loss", "time" (duration or cost) or "death"."""
    before = tokens[i - 1].plain if i > 0 else ""
    after = tokens[i + 1].plain if i + 1 < len(tokens) else ""
    if before in LOSS_BEFORE:
        return "loss"
    if after in DURATION_AFTER:
        written = tokens[i + 1].written
        later = tokens[i + 2].plain if i + 2 < len(tokens) else ""
        if written == after:  # no diacritics: a duration unless the next word shows otherwise
            if (after, later) not in NOT_DURATION:
                return "time"
        elif written == DURATION_WRITTEN.get(after, written):  # "mất chừng", not "mất chứng chỉ"
            return "time"
    j = i - 1
    while j >= 0 and i - j <= 4 and tokens[j].plain in KIN_FILLER:
        j -= 1
    if j >= 0 and i - j <= 4 and tokens[j].plain in KIN:
        return "death"
    if before in ("da", "vua", "moi") and (not after or after in DEATH_AFTER):
        return "death"
    return "loss"


def _rewrite(tokens: list[_Token], copying: bool = False) -> list[_Token]:
    """Weigh question phrases down and add official words for everyday names, longest phrase first.

    With `copying` (the message asks for a certified copy), an identity document is only its object.
    """
    out: list[_Token] = []
    added: list[_Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.plain == "mat" and token.written in ("mất", "mat"):
            sense = _sense_of_mat(tokens, i)
            if sense == "time":
                out.append(_Token(token.plain, token.written, QUESTION_WEIGHT))
            elif sense == "death":
                out.append(_Token(token.plain, token.written, QUESTION_WEIGHT))
                added += [_BREAK, *_tokens(DEATH_WORDS, WEAK_WEIGHT)]
            else:
                out.append(token)
                added += [_BREAK, *_tokens(LOSS_WORDS, WEAK_WEIGHT)]
            i += 1
            continue
        for size in range(min(_LONGEST + 1, len(tokens) - i), 0, -1):
            window = tokens[i : i + size]
            entry = _match(window) if size <= _LONGEST else None
            if entry is None and size > 2:  # "tiền bị rách" is "tiền rách": a filler slipped inside
                inner = [t for t in window[1:-1] if t.plain not in _FILLERS]
                if len(inner) == size - 3:
                    entry = _match([window[0], *inner, window[-1]])
                    if entry is not None and entry.official is None:
                        entry = None
            if entry is None:
                continue
            if entry.official is None:
                out.extend(_Token(t.plain, t.written, QUESTION_WEIGHT) for t in window)
            elif copying and entry.words in _COPIED:
                out.extend(_Token(t.plain, t.written, COPIED_WEIGHT) for t in window)
            else:
                out.extend(window)
                added += [_BREAK, *_tokens(entry.official, entry.weight)]
            i += size
            break
        else:
            out.append(token)
            i += 1
    return out + added


def _content(text: str) -> str:
    """Text without its question words (for indexing everyday names such as "làm hộ chiếu")."""
    words = []
    for token in _rewrite(_tokens(text)):
        if token is _BREAK:
            break
        if token.weight > QUESTION_WEIGHT:
            words.append(token.written)
    return " ".join(words)


class _Query(NamedTuple):
    terms: dict[str, float]  # index term → query weight
    sounds: dict[str, set[str]]  # phonetic pair key → the written pairs it stands for
    plain: str  # the message without diacritics, for the specialised-variant checks
    content: list[str]  # its words without diacritics and without question words, for phrases
    actions: dict[str, float]  # the actions it asks for (ACTIONS), with strengths
    subjects: frozenset[str]  # the subjects (SUBJECTS) it names
    # A question word written without diacritics next to a word it may form a name with ("can cuoc":
    # căn cước, not cần): (pair term, its full weight, the word's term), kept if the index knows the pair.
    ambiguous: list[tuple[str, float, str]]
    levels: int  # bits of LEVELS the message names (0: none)


def _ambiguous_pairs(rewritten: list[_Token]) -> list[tuple[str, float, str]]:
    """Pairs a question word written without diacritics forms with its neighbours in the message."""
    found: list[tuple[str, float, str]] = []
    for i, token in enumerate(rewritten):
        if token is _BREAK:
            break
        if token.weight != QUESTION_WEIGHT or token.written != token.plain or len(token.plain) < 2:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(rewritten) and rewritten[j] is not _BREAK and rewritten[j].weight >= 0.5:
                other = rewritten[j]
                pair = f"b{other.plain} {token.plain}" if j < i else f"b{token.plain} {other.plain}"
                found.append((pair, other.weight * KIND_WEIGHT["b"], "u" + token.plain))
    return found


def _query(text: str) -> _Query:
    # Cut after composing: NFD input is longer, and must read exactly as its NFC form.
    normalized = expand_abbreviations(normalize(unicodedata.normalize("NFC", text[:4000])[:2000]))
    tokens = _tokens(normalized)[:MAX_SYLLABLES]
    levels, places = _levels_named(tokens)
    # A word that only names the level ("tỉnh" in "công an tỉnh") is no content: siblings are told
    # apart by their recorded level, and other names holding "cấp tỉnh" are no closer for it.
    tokens = [_Token(t.plain, t.written, QUESTION_WEIGHT) if i in places else t for i, t in enumerate(tokens)]
    rewritten = _rewrite(tokens, bool(_COPYING.search(" ".join(t.plain for t in tokens))))
    terms: dict[str, float] = {}
    sounds: dict[str, set[str]] = {}
    for term, weight, pair in _terms(rewritten):
        terms[term] = max(terms.get(term, 0.0), weight)
        if pair:
            sounds.setdefault(term, set()).add(pair)
    content = []
    for token in rewritten:
        if token is _BREAK:
            break
        if token.weight > QUESTION_WEIGHT:
            content.append(token.plain)
    plain = " ".join(t.plain for t in tokens)
    actions, subjects = _asked(tokens, plain)
    return _Query(terms, sounds, plain, content, actions, subjects, _ambiguous_pairs(rewritten), levels)


# --- index -------------------------------------------------------------------------------------------


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


_NAME_NOISE = re.compile(r"^thủ tục\s+")
_PARENTHESES = re.compile(r"\([^)]*\)")
_NAME_ABBREVIATIONS = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, NAME_ABBREVIATIONS)) + r")(?!\w)")
# Where a name's core ends: what follows qualifies it ("..., đối với trường hợp ...", "(cấp tỉnh)").
_CORE_END = re.compile(
    r"[,;:(/]|\s-\s|\b(?:đối với|đổi với|trong trường hợp|trường hợp|thực hiện tại|thuộc thẩm quyền|"
    r"theo quy định|theo đề nghị|tại cục|tại phòng|tại công an|tại sở|tại ủy ban|do bộ|do cơ quan|"
    r"thực hiện bằng|bằng dịch vụ công)\b"
)


def _expand_name(name: str) -> str:
    """A normalised name with the acronyms it uses spelt out after them ("TNLĐ" → "tnlđ tai nạn ...")."""
    return _NAME_ABBREVIATIONS.sub(lambda m: m.group() + " " + NAME_ABBREVIATIONS[m.group()], name)


def _core(name: str) -> str:
    """The head of a name, before its qualifications: "giải thể doanh nghiệp, giải thể ..." → first part."""
    match = _CORE_END.search(name, 8)
    return name[: match.start()] if match else name


_SPECIALISED = [(re.compile(name), re.compile(query)) for name, query, _ in SPECIALISED]
_DEMOTE_MISSING = [i for i, (_, _, strong) in enumerate(SPECIALISED) if strong is True]
# Markers that demote names without them only when the message asks in so many words.
_DEMOTE_MISSING_WHEN = [
    (i, re.compile(strong)) for i, (_, _, strong) in enumerate(SPECIALISED) if isinstance(strong, str)
]
# Literal words of each marker: a name holding none of them cannot match it (saves the regex).
# Re-issue and exchange markers: they demote no name that offers other actions besides ("Đăng ký, đăng ký
# lại, điều chỉnh đóng BHXH tự nguyện"; "Cấp lại, đổi, điều chỉnh thông tin trên sổ BHXH, thẻ BHYT").
_OTHER_ACTIONS = sum(1 << i for i, action in enumerate(ACTIONS) if action not in ("reissue", "exchange"))
_REISSUE_MARKERS = frozenset(
    i
    for i, (name, _, _) in enumerate(SPECIALISED)
    if name in (r"\b(?:dang ky|cap) lai\b", r"\bcap doi\b|^doi\b")
)
# "nước ngoài" in "... ở nước ngoài" is a place, not a foreign element: a message about living abroad
# asks for it even though it names no foreigner ("đang ở Mỹ muốn trở lại quốc tịch").
_FOREIGN_MARKER = next(i for i, (name, _, _) in enumerate(SPECIALISED) if name == r"\bnuoc ngoai\b")
# Markers asked for unless the message speaks against them (a household business unless a company is
# named; "ở trong nước" unless life abroad is): a message that does, without naming the marker itself
# ("chuyển hộ kinh doanh lên công ty"), states a difference.
_UNLESS_MARKERS = frozenset(i for i, (_, query) in enumerate(_SPECIALISED) if query.search(""))
_ABROAD_MARKER = next(i for i, (name, _, _) in enumerate(SPECIALISED) if name == r"\b(?:o|tai) nuoc ngoai\b")
_MARKER_HINTS = [
    tuple(w.strip() for w in re.findall(r"[a-z0-9 ]+", re.sub(r"\\[a-zA-Z]", " ", name)) if w.strip())
    for name, _, _ in SPECIALISED
]


_ACTION_BITS = {action: 1 << i for i, action in enumerate(ACTIONS)}
_SUBJECT_BITS = {subject: 1 << i for i, subject in enumerate(SUBJECTS)}
_NAME_ACTIONS = [(_ACTION_BITS[a], re.compile(pattern)) for a, pattern in NAME_ACTIONS]
_NAME_SUBJECTS = [(_SUBJECT_BITS[s], re.compile(pattern)) for s, pattern in NAME_SUBJECTS]
_NAME_LEVELS = [(_LEVEL_BITS[level], re.compile(pattern)) for level, pattern in NAME_LEVELS]
_LEVEL_WORDS = re.compile(LEVEL_WORDS)
_PARTIES = _SUBJECT_BITS["household"] | _SUBJECT_BITS["company"] | _SUBJECT_BITS["organisation"]
_PARTIES |= _SUBJECT_BITS["person"]
# A subject the message names → how well each subject of a name serves it.
_PARTY_MATCH: dict[str, tuple[tuple[int, float], ...]] = {
    "household": ((_SUBJECT_BITS["household"], 1.0), (_SUBJECT_BITS["person"], 0.5)),
    "company": ((_SUBJECT_BITS["company"], 1.0), (_SUBJECT_BITS["organisation"], 0.7)),
    "organisation": ((_SUBJECT_BITS["organisation"], 1.0), (_SUBJECT_BITS["company"], 0.7)),
    "person": ((_SUBJECT_BITS["person"], 1.0), (_SUBJECT_BITS["household"], 0.5)),
}


def _flags(texts: Iterable[str], patterns: list[tuple[int, re.Pattern[str]]]) -> int:
    """The bits of the patterns found in any of the (normalised, accented) texts."""
    flags = 0
    for text in texts:
        for bit, pattern in patterns:
            if pattern.search(text):
                flags |= bit
    return flags


_ACTION_WORDS = re.compile(
    r"\b(?:thu tuc|cap (?:lai|doi|moi)|dang ky lai|dang ky|cap|doi|gia han|xoa|thu hoi|huy|cham dut|"
    r"dieu chinh|thay doi|lan dau|moi|tam ngung|khoi phuc|phuc hoi|bi mat|hu hong|het han|lai|hoa giai|"
    r"giai quyet)\b"
)


def _topic(name: str) -> str:
    """A (normalised) name without its action words: "cấp lại giấy phép lái xe" → "giay phep lai xe"."""
    return " ".join(_ACTION_WORDS.sub(" ", " ".join(_words(_PARENTHESES.sub(" ", name))[1])).split())


def _markers(plain_name: str) -> tuple[int, ...]:
    """Indexes of the specialised-variant markers found in a name without diacritics."""
    return tuple(
        i
        for i, ((pattern, _), hints) in enumerate(zip(_SPECIALISED, _MARKER_HINTS, strict=True))
        if any(h in plain_name for h in hints) and pattern.search(plain_name)
    )


class SearchIndex:
    """An inverted index over all procedures, built once; `search` ranks procedures for a message."""

    def __init__(self, procedures: Iterable[Procedure]) -> None:
        self.codes: list[str] = []
        self.popularity: list[float] = []
        self.markers: list[tuple[int, ...]] = []
        self.words: list[tuple[frozenset[str], ...]] = []  # plain words of the name and the short name
        self.actions: list[int] = []  # bits of ACTIONS the name (or short name) carries; 0: a plain "new"
        self.subjects: list[int] = []  # bits of SUBJECTS the name (or short name) carries
        self.levels: list[int] = []  # bits of LEVELS: from the name, else as the portal records them
        self.kin_levels: list[int] = []  # the levels of a procedure and its siblings at other levels, or 0
        self.kin_groups: list[list[int]] = []  # procedures that differ only by their level or body
        levelled: dict[str, list[int]] = {}  # a name without its level and body words → procedures
        # Everyday names by first word: a message that contains one names its procedure outright.
        self.phrases: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        found: dict[str, list[tuple[int, float]]] = {}  # term → (doc, weighted term frequency)
        lengths: list[int] = []
        fields: dict[str, list[str]] = {}  # a few dozen fields shared by thousands of procedures
        topics: dict[str, list[int]] = {}  # a name's topic without its action words → procedures
        twins: dict[str, list[int]] = {}  # a name without its parentheses → procedures
        level_only: dict[int, set[int]] = {}  # markers a procedure has only in its parentheses
        for doc, procedure in enumerate(procedures):
            name = expand_abbreviations(_NAME_NOISE.sub("", normalize(procedure.name)), domain_only=True)
            name = _expand_name(name)
            terms, plain = _index_terms(name)
            counts: dict[str, float] = {}
            for term in terms:
                counts[term] = counts.get(term, 0.0) + 1.0
            # Everyday names count once per term however many repeat it, without question words.
            everyday_terms: set[str] = set()
            for everyday in (procedure.short_name, *procedure.everyday_names):
                if not everyday:
                    continue
                content = _content(normalize(everyday))
                everyday_terms.update(_index_terms(content)[0])
                phrase = tuple(strip_diacritics(content).split())
                if phrase:
                    self.phrases.setdefault(phrase[0], []).append((phrase, doc))
            for term in everyday_terms:
                counts[term] = counts.get(term, 0.0) + EVERYDAY_TF
            if procedure.field not in fields:
                field = _expand_name(expand_abbreviations(normalize(procedure.field), domain_only=True))
                fields[procedure.field] = _index_terms(field)[0]
            for term in fields[procedure.field]:
                counts[term] = counts.get(term, 0.0) + FIELD_WEIGHT
            if procedure.result:  # the first words of the result, once each
                result = _expand_name(" ".join(procedure.result.lower().split()[:RESULT_WORDS]))
                for word in set(_WORDS.findall(strip_diacritics(result))):
                    counts["u" + word] = counts.get("u" + word, 0.0) + RESULT_WEIGHT
            for term, tf in counts.items():
                found.setdefault(term, []).append((doc, tf))
            self.codes.append(procedure.code)
            self.popularity.append(max(0.0, min(1.0, procedure.popularity)))
            short_plain = " ".join(_words(normalize(procedure.short_name))[1]) if procedure.short_name else ""
            # A variant is marked in the name's core, its parentheses (cấp tỉnh) or the curated short name:
            # "chứng thực bản sao ... do cơ quan của nước ngoài cấp" is the common procedure, not a variant.
            marked = [_core(name), *_PARENTHESES.findall(name)] if short_plain else [name]
            marked_plain = " | ".join(" ".join(_words(text)[1]) for text in marked)
            self.markers.append(_markers(marked_plain + " | " + short_plain))
            bare = " ".join(_words(_PARENTHESES.sub(" ", name))[1])
            twins.setdefault(bare, []).append(doc)
            level_only[doc] = set(self.markers[-1]) - set(_markers(bare + " | " + short_plain))
            short = procedure.short_name
            texts = (name, normalize(short)) if short else (name,)
            self.actions.append(_flags(texts, _NAME_ACTIONS))
            self.subjects.append(_flags(texts, _NAME_SUBJECTS))
            plain_name = strip_diacritics(name)
            levels = _flags((plain_name,), _NAME_LEVELS)
            for level in () if levels else procedure.levels:
                levels |= _LEVEL_BITS.get(PORTAL_LEVELS.get(level, ""), 0)
            self.levels.append(levels)
            levelled.setdefault(" ".join(_WORDS.findall(_LEVEL_WORDS.sub(" ", plain_name))), []).append(doc)
            for topic in {_topic(_core(name)), _topic(normalize(short))} - {""}:
                topics.setdefault(topic, []).append(doc)
            self.words.append(
                tuple(
                    frozenset(_words(_PARENTHESES.sub(" ", n))[1])
                    for n in (name, _core(name), expand_abbreviations(normalize(short), domain_only=True))
                    if n
                )
            )
            # A curated procedure is known by its short name: a long official name listing every case
            # ("chứng thực bản sao ... do cơ quan ... cấp hoặc chứng nhận") does not dilute its matches.
            lengths.append(max(1, min(len(plain), CURATED_LENGTH) if short_plain else len(plain)))
        self.kin_levels = [0] * len(self.levels)
        for docs in levelled.values():
            kin = 0
            for doc in docs:
                kin |= self.levels[doc]
            if len(docs) > 1 and any(self.levels[doc] != kin for doc in docs):
                self.kin_groups.append(docs)
        # "(thực hiện tại cấp trung ương)" marks a variant only beside a twin done elsewhere: a procedure
        # done only centrally (cấp mới thẻ ABTC) is the one citizens mean. A sibling at another level
        # counts as a twin though its name differs by a word ("của").
        kindred = {doc for docs in self.kin_groups for doc in docs}
        for docs in twins.values():
            if len(docs) == 1 and level_only[docs[0]] and docs[0] not in kindred:
                doc = docs[0]
                self.markers[doc] = tuple(m for m in self.markers[doc] if m not in level_only[doc])
        self._kin()
        # A procedure's family: those sharing a topic once action words are dropped ("cấp lại giấy phép
        # lái xe", "đổi giấy phép lái xe" ...); the actions the family offers, by procedure.
        self.family: list[int] = [actions or _ACTION_BITS["new"] for actions in self.actions]
        for members in topics.values():
            offered = 0
            for doc in members:
                offered |= self.actions[doc] or _ACTION_BITS["new"]
            for doc in members:
                self.family[doc] |= offered
        self._build(found, lengths)

    def _kin(self) -> None:
        """Each procedure's sibling group (or -1) and the levels the group covers (or 0)."""
        self.kin = [-1] * len(self.levels)
        self.kin_levels = [0] * len(self.levels)
        for group, docs in enumerate(self.kin_groups):
            levels = 0
            for doc in docs:
                levels |= self.levels[doc]
            for doc in docs:
                self.kin[doc], self.kin_levels[doc] = group, levels

    def _build(self, found: dict[str, list[tuple[int, float]]], lengths: list[int]) -> None:
        # Postings are kept flat, term after term (compact, and quick to cache and read back).
        starts = array("q", [0])
        docs = array("i")
        tfs = array("d")
        for postings in found.values():
            docs.extend([doc for doc, _ in postings])
            tfs.extend([tf for _, tf in postings])
            starts.append(len(docs))
        self._finish(list(found), starts, docs, tfs, lengths)

    def _finish(
        self, terms: list[str], starts: array[int], docs: array[int], tfs: array[float], lengths: list[int]
    ) -> None:
        count = max(1, len(lengths))
        average = sum(lengths) / count if lengths else 1.0
        self._lengths = lengths
        self._norms = [K1 * (1 - B + B * length / average) for length in lengths]
        self._terms, self._starts, self._posting_docs, self._posting_tfs = terms, starts, docs, tfs
        self._slots = dict(zip(terms, range(len(terms)), strict=True))
        self._df = dict(zip(terms, map(sub, starts[1:], starts[:-1]), strict=True))
        self.idf = {t: math.log(1 + (count - n + 0.5) / (n + 0.5)) for t, n in self._df.items()}
        self._postings: dict[str, list[tuple[int, float]]] = {}
        self._docs: dict[str, frozenset[int]] = {}
        self._values: dict[str, dict[int, float]] = {}
        self._best: dict[str, float] = {}
        # Syllables by their single-deletion variants (SymSpell style): typo neighbours in a few lookups.
        self.near: dict[str, list[str]] = {}
        for term in terms:
            if term[0] == "u" and 2 < len(term) <= 9:
                word = term[1:]
                for variant in {word, *_deletes(word)}:
                    self.near.setdefault(variant, []).append(word)

    def _found(self, term: str) -> tuple[array[int], array[float]]:
        """The procedures holding a known term and its weighted frequency in each, in procedure order."""
        slot = self._slots[term]
        start, end = self._starts[slot], self._starts[slot + 1]
        return self._posting_docs[start:end], self._posting_tfs[start:end]

    def to_state(self) -> tuple[Any, ...]:
        """The index as plain data (for `knowledge.cache`); `from_state` rebuilds an identical index."""
        return (
            self.codes,
            self.popularity,
            self.markers,
            self.words,
            self.actions,
            self.subjects,
            self.family,
            self.levels,
            self.kin_groups,
            self.phrases,
            self._lengths,
            self._terms,
            self._starts.tobytes(),
            self._posting_docs.tobytes(),
            self._posting_tfs.tobytes(),
        )

    @classmethod
    def from_state(cls, state: tuple[Any, ...]) -> SearchIndex:
        """The index `to_state` described; ValueError (or TypeError) when the state is malformed."""
        codes, popularity, markers, words, actions, subjects, family, levels, kin_groups = state[:9]
        phrases, lengths, terms = state[9:12]
        raw_starts, raw_docs, raw_tfs = state[12:]
        starts, docs, tfs = array("q"), array("i"), array("d")
        starts.frombytes(raw_starts)
        docs.frombytes(raw_docs)
        tfs.frombytes(raw_tfs)
        count = len(codes)
        if not (
            isinstance(codes, list)
            and isinstance(phrases, dict)
            and isinstance(terms, list)
            and len(popularity) == len(markers) == len(words) == len(lengths) == count
            and len(actions) == len(subjects) == len(family) == len(levels) == count
            and len(starts) == len(terms) + 1
            and starts[0] == 0
            and starts[-1] == len(docs) == len(tfs)
            and all(0 <= doc < count for doc in (min(docs, default=0), max(docs, default=0)))
        ):
            raise ValueError("malformed search index state")
        index = cls.__new__(cls)
        index.codes, index.popularity, index.markers, index.words = codes, popularity, markers, words
        index.actions, index.subjects, index.family = actions, subjects, family
        index.levels, index.kin_groups = levels, kin_groups
        if not all(0 <= doc < count for docs in kin_groups for doc in docs):
            raise ValueError("malformed search index state")
        index._kin()
        index.phrases = phrases
        index._finish(terms, starts, docs, tfs, lengths)
        return index

    def postings(self, term: str) -> list[tuple[int, float]]:
        """(procedure, BM25 value) for a known term, computed on first use: building stays fast."""
        postings = self._postings.get(term)
        if postings is None:
            idf, norms = self.idf[term], self._norms
            docs, tfs = self._found(term)
            postings = [
                (doc, idf * tf * (K1 + 1) / (tf + norms[doc])) for doc, tf in zip(docs, tfs, strict=True)
            ]
            self._postings[term] = postings
            self._best[term] = max(value for _, value in postings)
        return postings

    def values(self, term: str) -> dict[int, float]:
        """BM25 values of a term by procedure (for terms looked up for a few candidates only)."""
        values = self._values.get(term)
        if values is None:
            values = self._values[term] = dict(self.postings(term))
        return values

    def best(self, term: str) -> float:
        """The highest value a term reaches in any procedure (what a perfect match would score)."""
        if term not in self._best:
            self.postings(term)
        return self._best[term]

    def _holders(self, term: str, candidates: set[int]) -> list[int]:
        """The candidates whose indexed text holds a term."""
        docs = self._docs.get(term)
        if docs is None:
            docs = self._docs[term] = frozenset(self._found(term)[0])
        return (
            [doc for doc in candidates if doc in docs]
            if len(candidates) < len(docs)
            else list(docs & candidates)
        )

    def _neighbours(self, word: str) -> set[str]:
        """Known syllables one edit away from a word (the word itself excluded)."""
        if len(word) < 2 or len(word) > 8:
            return set()
        found: set[str] = set()
        for variant in {word, *_deletes(word)}:
            found.update(self.near.get(variant, ()))
        found.discard(word)
        return {w for w in found if _edits_at_most_one(word, w)}

    def _fuzzy(self, term: str) -> list[str]:
        """Known terms one edit away from an unknown syllable or pair ("ho chiu" → "ho chieu")."""
        if term[0] == "u":  # a short word has too many neighbours to guess from
            near = self._neighbours(term[1:]) if len(term) > 4 else set()
            return ["u" + w for w in near] if len(near) <= MAX_NEIGHBOURS else []
        first, _, second = term[1:].partition(" ")
        pairs = [f"b{w} {second}" for w in self._neighbours(first)]
        pairs += [f"b{first} {w}" for w in self._neighbours(second)]
        return [pair for pair in pairs if pair in self.idf]

    def _phrase_matches(self, words: list[str]) -> dict[int, int]:
        """Procedures with an everyday name written out in the message, by the length of the longest."""
        found: dict[int, int] = {}
        for i, word in enumerate(words):
            for phrase, doc in self.phrases.get(word, ()):
                if len(phrase) > found.get(doc, 0) and tuple(words[i : i + len(phrase)]) == phrase:
                    found[doc] = len(phrase)
        return found

    def _sibling_factor(self, doc: int, query: _Query) -> float:
        """How well a procedure's action, subject and channel fit what the message states."""
        factor = 1.0
        if query.actions:
            stated = self.actions[doc]
            actions = stated or _ACTION_BITS["new"]
            match = max((s for a, s in query.actions.items() if actions & _ACTION_BITS[a]), default=0.0)
            if match:
                factor *= 1 + ACTION_BONUS * match
            elif any(self.family[doc] & _ACTION_BITS[a] for a in query.actions):
                factor *= ACTION_PENALTY  # a sibling does what the message asks
            elif stated:
                factor *= ACTION_CONFLICT  # its name states another action
        subjects, asked = self.subjects[doc], query.subjects
        if asked:
            parties = subjects & _PARTIES
            named = [s for s in asked if s in _PARTY_MATCH]
            if parties and named:
                match = max(
                    (w for s in named for bit, w in _PARTY_MATCH[s] if parties & bit),
                    default=0.0,
                )
                factor *= 1 + SUBJECT_BONUS * match if match else SUBJECT_PENALTY
            for age, other in (("child", "adult"), ("adult", "child")):
                if age in asked and subjects & _SUBJECT_BITS[other] and not subjects & _SUBJECT_BITS[age]:
                    factor *= AGE_PENALTY
        if subjects & _SUBJECT_BITS["online"]:
            factor *= 1 + ONLINE_BONUS if "online" in asked else ONLINE_PENALTY
        elif subjects & _SUBJECT_BITS["offline"] and "online" in asked:
            factor *= ONLINE_PENALTY
        kin = self.kin_levels[doc]
        if kin and query.levels & kin and not self.levels[doc] & query.levels:
            factor *= LEVEL_PENALTY  # a sibling is at the level the message names
        return factor

    def search(self, text: str, limit: int = 5) -> Ranking:
        """Procedures best matching the message, best first, at most `limit`."""
        query = _query(text)
        terms, plain = query.terms, query.plain
        for pair, weight, word in query.ambiguous:
            if self.idf.get(pair, 0.0) >= AMBIGUOUS_PAIR_IDF:  # a distinctive pair: "căn cước", not "cần"
                terms[pair] = max(terms.get(pair, 0.0), weight)
                terms[word] = max(terms.get(word, 0.0), weight / KIND_WEIGHT["b"])
        for term, weight in list(terms.items()):
            if term not in self.idf and term[0] in "ub" and len(term) <= 24 and weight >= 0.5:
                for near in self._fuzzy(term):
                    terms[near] = max(terms.get(near, 0.0), weight * FUZZY_WEIGHT)
        scores: dict[int, float] = {}
        get = scores.get
        ideal = 0.0
        distinctive: list[tuple[str, float]] = []  # the message's rarer words, for the coverage below
        asked_mass = 0.0
        common: list[tuple[str, float]] = []  # terms in very many procedures: added to candidates only
        has_rare = any(
            t in self.idf and w >= MIN_WEIGHT and self._df[t] <= COMMON_POSTINGS and t[0] in "ub"
            for t, w in terms.items()
        )
        for term, weight in terms.items():
            if term not in self.idf:
                if term[0] in "ub":
                    ideal += weight * 2.0  # an unknown word still counts as asked for
                continue
            if weight < MIN_WEIGHT:  # question words: long postings, next to no signal
                continue
            if term[0] == "q" and SKIP_KNOWN_Q and all(p in self.idf for p in query.sounds.get(term, ())):
                continue  # the pair as written is known: its sound-alike key would only add noise
            ideal += weight * self.best(term)
            if has_rare and self._df[term] > COMMON_POSTINGS:
                common.append((term, weight))
            else:
                for doc, value in self.postings(term):
                    scores[doc] = get(doc, 0.0) + weight * value
            if term[0] == "u" and self.idf[term] >= DISTINCTIVE_IDF:
                distinctive.append((term, weight * self.idf[term]))
                asked_mass += weight * self.idf[term]
        if not scores or ideal <= 0:
            return Ranking()
        best = heapq.nlargest(RERANK, scores.items(), key=itemgetter(1))
        phrased = self._phrase_matches(query.content)
        ranked = {doc for doc, _ in best}
        best += [(doc, scores.get(doc, 0.0)) for doc in phrased if doc not in ranked]
        if query.levels:  # siblings at the level the message names compete even when they scored lower
            ranked = {doc for doc, _ in best}
            named = {
                sibling
                for doc, _ in best
                if self.kin_levels[doc] & query.levels
                for sibling in self.kin_groups[self.kin[doc]]
                if self.levels[sibling] & query.levels and sibling not in ranked
            }
            best += [(doc, scores.get(doc, 0.0)) for doc in sorted(named)]
        if common:
            values = [(weight, self.values(term)) for term, weight in common]
            best = [(doc, score + sum(w * v.get(doc, 0.0) for w, v in values)) for doc, score in best]
        asked = [bool(query.search(plain)) for _, query in _SPECIALISED]
        wanted = [i for i in _DEMOTE_MISSING if asked[i]]
        wanted += [i for i, pattern in _DEMOTE_MISSING_WHEN if pattern.search(plain)]
        asked_words = {term[1:] for term in terms if term[0] == "u"}
        covered_mass: dict[int, float] = {}
        if asked_mass > 0:
            candidates = {doc for doc, _ in best}
            for term, mass in distinctive:
                for doc in self._holders(term, candidates):
                    covered_mass[doc] = covered_mass.get(doc, 0.0) + mass
        adjusted = []
        unnamed: dict[int, float] = {}  # the best score in a sibling group had the message named no level
        for doc, score in best:
            markers = self.markers[doc]
            several = self.actions[doc] & _OTHER_ACTIONS  # the name offers other actions besides
            abroad = asked[_ABROAD_MARKER] and _ABROAD_MARKER in markers
            fits = True  # nothing the message states speaks against this procedure
            for marker in markers:
                if asked[marker] or (several and marker in _REISSUE_MARKERS):
                    continue
                if not (abroad and marker == _FOREIGN_MARKER):
                    score *= SPECIALISED_PENALTY
                if marker in _UNLESS_MARKERS and not _SPECIALISED[marker][0].search(plain):
                    fits = False
            for marker in wanted:
                if marker not in markers:
                    score *= SPECIALISED_PENALTY
                    fits = False
            sibling = self._sibling_factor(doc, query)
            kin = self.kin_levels[doc]
            if kin and not query.levels and _lowest(self.levels[doc]) > _lowest(kin):
                score *= HIGHER_LEVEL  # no level named: where citizens usually go
            covered = max(
                (len(words & asked_words) / len(words) for words in self.words[doc] if words), default=0
            )
            score *= 1 - COVERAGE_WEIGHT + COVERAGE_WEIGHT * covered
            if asked_mass > 0:
                share = covered_mass.get(doc, 0.0) / asked_mass
                score *= 1 - QUERY_COVERAGE + QUERY_COVERAGE * share
            bonus = (1 + POPULARITY_BONUS * self.popularity[doc]) * (
                1 + PHRASE_BONUS * min(4, phrased.get(doc, 0))
            )
            # Popularity and an everyday name never outweigh a stated difference.
            adjusted.append((doc, score * sibling * (bonus if fits and sibling >= 1.0 else 1.0)))
            if kin & query.levels:
                unlevelled = sibling / LEVEL_PENALTY if not self.levels[doc] & query.levels else sibling
                value = score * unlevelled * (bonus if fits and unlevelled >= 1.0 else 1.0)
                group = self.kin[doc]
                unnamed[group] = max(unnamed.get(group, 0.0), value)
        if unnamed:  # the sibling at the level named takes the place of the best of its group
            adjusted = [
                (doc, max(score, unnamed[self.kin[doc]]) if self.levels[doc] & query.levels else score)
                if self.kin_levels[doc] & query.levels
                else (doc, score)
                for doc, score in adjusted
            ]
        adjusted.sort(key=lambda item: item[1], reverse=True)
        ranking = Ranking(Hit(self.codes[d], round(min(1.0, s / ideal), 4)) for d, s in adjusted[:limit])
        ranking.too_close = len(adjusted) > 1 and adjusted[1][1] >= TOO_CLOSE * adjusted[0][1]
        return ranking


def _edits_at_most_one(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion or substitution."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def cached_index(
    procedures_path: Path, overlay_dir: Path | None, knowledge: Callable[[], Iterable[Procedure]]
) -> SearchIndex:
    """The index over `knowledge()` (loaded from these files), from knowledge.cache when up to date."""
    from knowledge import cache

    return cache.cached(
        "search_index",
        cache.fingerprint(procedures_path, overlay_dir),
        build=lambda: SearchIndex(knowledge()),
        dump=SearchIndex.to_state,
        restore=SearchIndex.from_state,
    )


@lru_cache(maxsize=1)
def default_index() -> SearchIndex:
    """The index over the project's knowledge base, built once per knowledge base (and cached on disk)."""
    return cached_index(paths.PROCEDURES, paths.OVERLAY_DIR, load)


on_reload(default_index.cache_clear)


def search(text: str, limit: int = 5) -> Ranking:
    """Rank the procedures of the knowledge base for a citizen's message."""
    load()  # a knowledge base replaced on disk is noticed here, and the index built from the old one dropped
    return default_index().search(text, limit)
