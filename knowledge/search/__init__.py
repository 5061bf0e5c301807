"""Finds the procedure a citizen's message is about, as a pipeline of named stages.

analysis (normalise, repair spelling, rewrite with the vocabulary) → retrieve (BM25 over syllables,
pairs and sound-alike keys) → features → ranker (a learned conditional logit with a "no procedure"
option) → decision (link, ask which one, or neither; decision.py). `python -m knowledge search --why
"..."` prints what each stage made of a message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from knowledge import paths
from knowledge.base import load, on_reload
from knowledge.model import Procedure
from knowledge.search import ranker as ranker_file
from knowledge.search import vocabulary_tables
from knowledge.search.analysis import Query, analyse
from knowledge.search.decision import confidence
from knowledge.search.features import candidate_features, none_features
from knowledge.search.index import SearchIndex
from knowledge.search.ranker import Ranker
from knowledge.search.retrieve import Retrieved, retrieve
from knowledge.text import normalize

__all__ = [
    "Hit",
    "Ranking",
    "Scored",
    "SearchIndex",
    "cached_index",
    "default_index",
    "default_ranker",
    "details_stated",
    "score",
    "search",
    "topic_of",
    "without_subject",
]


class Hit(NamedTuple):
    """A candidate procedure and the ranker's probability that the message is about it."""

    code: str
    score: float


class Ranking(list[Hit]):
    """Candidates best first, with the decision: link the first, ask between the first two, or neither."""

    confident: bool = False  # the first candidate is probable enough to answer about
    too_close: bool = False  # not confident, but probable enough to offer: ask which one
    none: float = 0.0  # the probability that the message names no procedure
    named: frozenset[str] = frozenset()  # candidates whose everyday name the message writes out

    @property
    def top(self) -> str | None:
        return self[0].code if self else None

    @property
    def codes(self) -> list[str]:
        return [hit.code for hit in self]


@dataclass
class Scored:
    """Everything the stages computed for one message (what --why prints, what training reads)."""

    query: Query
    retrieved: Retrieved
    rows: list[list[float]]
    none_row: list[float]
    probabilities: list[float]
    none: float


def score(index: SearchIndex, ranker: Ranker | None, text: str) -> Scored:
    """Run every stage on a message; without a ranker the probabilities are empty."""
    query = analyse(text, index.speller)
    retrieved = retrieve(index, query)
    rows = candidate_features(index, query, retrieved)
    none_row = none_features(query, retrieved)
    if ranker is None or not rows:
        return Scored(query, retrieved, rows, none_row, [], 1.0)
    probabilities, none = ranker.probabilities(rows, none_row)
    return Scored(query, retrieved, rows, none_row, probabilities, none)


def rank(index: SearchIndex, ranker: Ranker, text: str, limit: int = 5) -> Ranking:
    scored = score(index, ranker, text)
    order = sorted(range(len(scored.rows)), key=lambda i: -scored.probabilities[i])
    ranking = Ranking(
        Hit(index.codes[scored.retrieved.docs[i]], round(scored.probabilities[i], 4)) for i in order[:limit]
    )
    ranking.none = round(scored.none, 4)
    ranking.named = frozenset(index.codes[doc] for doc in scored.retrieved.phrased)
    if ranking:
        first, second = confidence(index, scored.retrieved.docs, scored.probabilities, order[0])
        ranking.confident = first >= ranker.link_threshold
        # Not confident, but probable enough to offer: the citizen picks among the first candidates.
        offered = first + second >= ranker.link_threshold or first >= ranker.link_threshold / 2
        ranking.too_close = not ranking.confident and offered and len(ranking) > 1
    return ranking


def details_stated(text: str) -> frozenset[str]:
    """What of a variant a message states: "action" (bị mất, hết hạn), "subject" (a child, an age, a
    company), "level" (công an tỉnh) or "variant" (a foreign spouse, living abroad); empty if nothing."""
    query = analyse(text, default_index().speller)
    rules = vocabulary_tables.load().variants
    found = set()
    if query.actions:
        found.add("action")
    if query.subjects - {"online", "offline"}:
        found.add("subject")
    if query.levels:
        found.add("level")
    if any(a and rules[i].asks is not None for i, a in enumerate(query.variants)):
        found.add("variant")
    return frozenset(found)


def topic_of(procedure: Procedure) -> str:
    """A procedure's name without its action words ("cấp đổi thẻ căn cước" → "thẻ căn cước")."""
    from knowledge.search.names import topic_written

    return topic_written(procedure.short_name or procedure.name)


def without_subject(name: str) -> str:
    """A name without who it is for ("cấp thẻ căn cước cho người dưới 14 tuổi" → "cấp thẻ căn cước")."""
    text = normalize(name)
    for marks in vocabulary_tables.load().subject_marks.values():
        if marks.found(text):
            text = marks.remove(text)
    return " ".join(text.replace("(", " ").replace(")", " ").replace(",", " ").split())


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


@lru_cache(maxsize=1)
def default_ranker() -> Ranker:
    """The project's trained ranker (knowledge/data/ranker.json)."""
    return ranker_file.read(paths.RANKER)


on_reload(default_index.cache_clear)


def search(text: str, limit: int = 5) -> Ranking:
    """Rank the procedures of the knowledge base for a citizen's message."""
    load()  # a knowledge base replaced on disk is noticed here, and the index built from the old one dropped
    return rank(default_index(), default_ranker(), text, limit)
