"""The search index: BM25 postings over every procedure's names, and what each name says.

Names (acronyms spelt out), everyday names, fields and, at a low weight, the first words of the result
are indexed without diacritics as syllables, syllable pairs and a sound-alike key; written diacritics
are terms of their own. Each procedure also keeps what the ranker compares with a message: its words,
its variant marks, action, subject and level, its siblings at other levels and by action.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable
from operator import sub
from typing import Any

from knowledge import vocabulary
from knowledge.model import Procedure
from knowledge.search import names as n
from knowledge.search import vocabulary_tables as tables
from knowledge.search.analysis import rewrite_content, words
from knowledge.search.spelling import Speller
from knowledge.text import normalize, strip_diacritics

K1 = 1.2
B = 0.6
FIELD_TF = 0.3  # the field (lĩnh vực) hints at the topic but must not outrank the name
RESULT_TF = 0.15  # words of the result (kết quả) hint at the topic at a low weight
RESULT_WORDS = 30
EVERYDAY_TF = 1.0  # term frequency an everyday name adds to its procedure
CURATED_LENGTH = 30  # words of an official name that count towards its length when it has a short name
MAX_SIBLINGS = 12  # a family larger than this is a generic name ("cấp giấy phép ..."), not one procedure
STATE_FIELDS = (
    "codes", "popularity", "curated", "markers", "words", "actions", "subjects", "family", "levels",
    "kin_groups", "sibling_groups", "phrases", "trigrams", "known_written", "known_plain",
)  # fmt: skip


def trigrams(plain_words: Iterable[str]) -> set[str]:
    """Character trigrams of words without diacritics, with word boundaries ("#ho", "ho#" ...)."""
    found: set[str] = set()
    for word in plain_words:
        padded = f"#{word}#"
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


class SearchIndex:
    """An inverted index over all procedures, built once; the retrieval and feature stages read it."""

    def __init__(self, procedures: Iterable[Procedure]) -> None:
        table = tables.load()
        self.codes: list[str] = []
        self.popularity: list[float] = []
        self.curated: list[bool] = []
        self.markers: list[tuple[int, ...]] = []
        self.words: list[tuple[frozenset[str], ...]] = []  # plain words of the name, its core, the short name
        self.actions: list[int] = []
        self.subjects: list[int] = []
        self.levels: list[int] = []
        self.kin_groups: list[list[int]] = []  # procedures that differ only by their level or body
        # Procedures that differ only by their level, body or variant marks ("thôi quốc tịch ... ở trong
        # nước" / "... ở nước ngoài"): an everyday name of one names the others' family too.
        self.sibling_groups: list[list[int]] = []
        unmarked: dict[str, list[int]] = {}
        self.phrases: dict[str, list[tuple[tuple[str, ...], int]]] = {}  # everyday names by first word
        self.trigrams: list[frozenset[str]] = []
        found: dict[str, list[tuple[int, float]]] = {}  # term → (doc, weighted term frequency)
        lengths: list[int] = []
        fields: dict[str, list[str]] = {}
        topics: dict[str, list[int]] = {}
        twins: dict[str, list[int]] = {}
        levelled: dict[str, list[int]] = {}
        level_only: dict[int, set[int]] = {}
        written_known: set[str] = set()
        for doc, procedure in enumerate(procedures):
            name = n.official(procedure.name)
            terms, plain = n.index_terms(name)
            written_known.update(words(name)[0])
            counts: dict[str, float] = {}
            for term in terms:
                counts[term] = counts.get(term, 0.0) + 1.0
            everyday_terms: set[str] = set()
            everyday_words: list[str] = []
            for everyday in (procedure.short_name, *procedure.everyday_names):
                if not everyday:
                    continue
                written_known.update(words(normalize(everyday))[0])
                content = rewrite_content(normalize(everyday))
                everyday_terms.update(n.index_terms(content)[0])
                phrase = tuple(strip_diacritics(content).split())
                everyday_words.extend(phrase)
                if phrase:
                    self.phrases.setdefault(phrase[0], []).append((phrase, doc))
            for term in everyday_terms:
                counts[term] = counts.get(term, 0.0) + EVERYDAY_TF
            if procedure.field not in fields:
                fields[procedure.field] = n.index_terms(n.official(procedure.field))[0]
            for term in fields[procedure.field]:
                counts[term] = counts.get(term, 0.0) + FIELD_TF
            if procedure.result:
                result = n.expand_name(" ".join(procedure.result.lower().split()[:RESULT_WORDS]))
                for word in set(words(result)[1]):
                    counts["u" + word] = counts.get("u" + word, 0.0) + RESULT_TF
            for term, tf in counts.items():
                found.setdefault(term, []).append((doc, tf))
            self.codes.append(procedure.code)
            self.popularity.append(max(0.0, min(1.0, procedure.popularity)))
            short = normalize(procedure.short_name) if procedure.short_name else ""
            self.curated.append(bool(short or procedure.everyday_names))
            short_plain = " ".join(n.plain_words(short)) if short else ""
            # A variant is marked in the name's core, its parentheses (cấp tỉnh) or the curated short name:
            # "chứng thực bản sao ... do cơ quan của nước ngoài cấp" is the common procedure, not a variant.
            marked = [n.core(name), *n.PARENTHESES.findall(name)] if short_plain else [name]
            marked_plain = " | ".join(" ".join(n.plain_words(text)) for text in marked)
            self.markers.append(n.variant_marks(marked_plain + " | " + short_plain))
            bare = " ".join(n.plain_words(n.PARENTHESES.sub(" ", name)))
            twins.setdefault(bare, []).append(doc)
            level_only[doc] = set(self.markers[-1]) - set(n.variant_marks(bare + " | " + short_plain))
            texts = (name, short) if short else (name,)
            self.actions.append(_flags(texts, table.action_marks, table.action_bits))
            self.subjects.append(_flags(texts, table.subject_marks, table.subject_bits))
            levels = _flags((name,), table.level_marks, table.level_bits)
            for level in () if levels else procedure.levels:
                levels |= table.level_bits.get(table.portal_levels.get(level, ""), 0)
            self.levels.append(levels)
            levelled.setdefault(n.levelless(strip_diacritics(name)), []).append(doc)
            unmarked.setdefault(n.unmarked(n.levelless(strip_diacritics(name))), []).append(doc)
            for topic in {n.topic(n.core(name)), n.topic(short)} - {""}:
                topics.setdefault(topic, []).append(doc)
            short_expanded = n.expand_name(n.official(short)) if short else ""
            # Level and body words are no content: "miễn nhiệm giám định viên tư pháp cấp tỉnh" is fully
            # named by a message that names no level.
            self.words.append(
                tuple(
                    frozenset(n.levelless(strip_diacritics(text)).split())
                    for text in (name, n.core(name), short_expanded)
                    if text
                )
            )
            self.trigrams.append(frozenset(trigrams([*n.plain_words(n.core(name)), *everyday_words])))
            # A curated procedure is known by its short name: a long official name listing every case
            # does not dilute its matches.
            lengths.append(max(1, min(len(plain), CURATED_LENGTH) if short_plain else len(plain)))
        self.sibling_groups = [docs for docs in unmarked.values() if 1 < len(docs) <= MAX_SIBLINGS]
        for docs in levelled.values():
            kin = 0
            for doc in docs:
                kin |= self.levels[doc]
            if len(docs) > 1 and any(self.levels[doc] != kin for doc in docs):
                self.kin_groups.append(docs)
        # "(thực hiện tại cấp trung ương)" marks a variant only beside a twin done elsewhere: a procedure
        # done only centrally is the one citizens mean.
        kindred = {doc for docs in self.kin_groups for doc in docs}
        for docs in twins.values():
            if len(docs) == 1 and level_only[docs[0]] and docs[0] not in kindred:
                doc = docs[0]
                self.markers[doc] = tuple(m for m in self.markers[doc] if m not in level_only[doc])
        new = table.action_bits.get("new", 1)
        self.family: list[int] = [actions or new for actions in self.actions]
        for members in topics.values():
            offered = 0
            for doc in members:
                offered |= self.actions[doc] or new
            for doc in members:
                self.family[doc] |= offered
        self.known_written = sorted(written_known | _vocabulary_words())
        self.known_plain = sorted({strip_diacritics(w) for w in self.known_written} | set(found_plain(found)))
        self._kin()
        self._build(found, lengths)

    def _kin(self) -> None:
        self.sibling = [-1] * len(self.levels)
        for group, docs in enumerate(self.sibling_groups):
            for doc in docs:
                self.sibling[doc] = group
        self.kin = [-1] * len(self.levels)
        self.kin_levels = [0] * len(self.levels)
        for group, docs in enumerate(self.kin_groups):
            levels = 0
            for doc in docs:
                levels |= self.levels[doc]
            for doc in docs:
                self.kin[doc], self.kin_levels[doc] = group, levels
        self.speller = Speller(self.known_written, self.known_plain)

    def _build(self, found: dict[str, list[tuple[int, float]]], lengths: list[int]) -> None:
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
        self.df = dict(zip(terms, map(sub, starts[1:], starts[:-1]), strict=True))
        self.idf = {t: math.log(1 + (count - d + 0.5) / (d + 0.5)) for t, d in self.df.items()}
        self._postings: dict[str, list[tuple[int, float]]] = {}
        self._values: dict[str, dict[int, float]] = {}
        self._docs: dict[str, frozenset[int]] = {}
        self._best: dict[str, float] = {}
        self.near: dict[str, list[str]] = {}  # syllables by their single-deletion variants (SymSpell)
        for term in terms:
            if term[0] == "u" and 2 < len(term) <= 9:
                word = term[1:]
                for variant in {word, *_deletes(word)}:
                    self.near.setdefault(variant, []).append(word)

    def _found(self, term: str) -> tuple[array[int], array[float]]:
        slot = self._slots[term]
        start, end = self._starts[slot], self._starts[slot + 1]
        return self._posting_docs[start:end], self._posting_tfs[start:end]

    def postings(self, term: str) -> list[tuple[int, float]]:
        """(procedure, BM25 value) for a known term, computed on first use."""
        postings = self._postings.get(term)
        if postings is None:
            idf, norms = self.idf[term], self._norms
            docs, tfs = self._found(term)
            postings = [(d, idf * tf * (K1 + 1) / (tf + norms[d])) for d, tf in zip(docs, tfs, strict=True)]
            self._postings[term] = postings
            self._best[term] = max(value for _, value in postings)
        return postings

    def values(self, term: str) -> dict[int, float]:
        values = self._values.get(term)
        if values is None:
            values = self._values[term] = dict(self.postings(term))
        return values

    def best(self, term: str) -> float:
        """The highest value a term reaches in any procedure (what a perfect match would score)."""
        if term not in self._best:
            self.postings(term)
        return self._best[term]

    def holders(self, term: str, candidates: set[int]) -> list[int]:
        docs = self._docs.get(term)
        if docs is None:
            docs = self._docs[term] = frozenset(self._found(term)[0])
        return (
            [d for d in candidates if d in docs] if len(candidates) < len(docs) else list(docs & candidates)
        )

    def neighbours(self, word: str) -> set[str]:
        """Known syllables one edit away from a word (the word itself excluded)."""
        if len(word) < 2 or len(word) > 8:
            return set()
        found: set[str] = set()
        for variant in {word, *_deletes(word)}:
            found.update(self.near.get(variant, ()))
        found.discard(word)
        return {w for w in found if _edits_at_most_one(word, w)}

    def to_state(self) -> tuple[Any, ...]:
        """The index as plain data (for knowledge.cache); `from_state` rebuilds an identical index."""
        attributes = [getattr(self, name) for name in STATE_FIELDS]
        attributes[STATE_FIELDS.index("trigrams")] = [sorted(t) for t in self.trigrams]
        return (
            *attributes,
            self._lengths,
            self._terms,
            self._starts.tobytes(),
            self._posting_docs.tobytes(),
            self._posting_tfs.tobytes(),
        )

    @classmethod
    def from_state(cls, state: tuple[Any, ...]) -> SearchIndex:
        """The index `to_state` described; ValueError (or TypeError) when the state is malformed."""
        count = len(STATE_FIELDS)
        lengths, terms, raw_starts, raw_docs, raw_tfs = state[count:]
        index = cls.__new__(cls)
        for name, value in zip(STATE_FIELDS, state[:count], strict=True):
            setattr(index, name, value)
        index.trigrams = [frozenset(t) for t in index.trigrams]
        starts, docs, tfs = array("q"), array("i"), array("d")
        starts.frombytes(raw_starts)
        docs.frombytes(raw_docs)
        tfs.frombytes(raw_tfs)
        size = len(index.codes)
        per_doc = (
            "popularity",
            "curated",
            "markers",
            "words",
            "actions",
            "subjects",
            "family",
            "levels",
            "trigrams",
        )
        if not (
            all(len(getattr(index, name)) == size for name in per_doc)
            and len(lengths) == size
            and len(starts) == len(terms) + 1
            and starts[0] == 0
            and starts[-1] == len(docs) == len(tfs)
            and all(0 <= d < size for d in (min(docs, default=0), max(docs, default=0)))
            and all(0 <= d < size for group in index.kin_groups for d in group)
            and all(0 <= d < size for group in index.sibling_groups for d in group)
        ):
            raise ValueError("malformed search index state")
        index._kin()
        index._finish(terms, starts, docs, tfs, lengths)
        return index


def _flags(texts: Iterable[str], marks: dict[str, Any], bits: dict[str, int]) -> int:
    found = 0
    for text in texts:
        for label, compiled in marks.items():
            if compiled.found(text):
                found |= bits[label]
    return found


def found_plain(found: dict[str, list[tuple[int, float]]]) -> list[str]:
    return [term[1:] for term in found if term[0] == "u"]


def _vocabulary_words() -> set[str]:
    """Every word the vocabulary writes: question words and everyday words are known words too."""
    voc = vocabulary.load()
    phrases: list[str] = []
    for everyday in voc.everyday:
        phrases += [*everyday.says, everyday.means]
    for question in voc.questions:
        phrases.extend(question.says)
    for cue in (*voc.action_cues, *voc.subject_cues, *voc.level_cues):
        phrases.extend(cue.says)
    for abbreviation in voc.abbreviations:
        phrases.append(abbreviation.means)
    return {w for phrase in phrases for w in words(normalize(phrase))[0]}


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _edits_at_most_one(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
