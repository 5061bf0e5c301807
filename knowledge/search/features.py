"""Stage 4 of the search: what the ranker knows about each candidate, as named numbers.

Every feature is general: how much of the message and of the name match (by term kind, by words, by
character trigrams), whether an everyday name is written out, and whether the action, subject, level
and variant the message states fit the candidate or one of its siblings. Their weights are learned
(knowledge/search/training.py), none is set by hand.
"""

from __future__ import annotations

import math

from knowledge.search import vocabulary_tables as tables
from knowledge.search.analysis import Query
from knowledge.search.index import SearchIndex, trigrams
from knowledge.search.retrieve import KINDS, Retrieved

CANDIDATE_FEATURES: tuple[str, ...] = (
    "bm25", "bm25_log", "bm25_gap", "bm25_rank",
    *(f"kind_{kind}" for kind in KINDS),
    "question_bm25", "question_coverage", "covered", "name_coverage", "core_coverage", "short_coverage",
    "phrase", "phrase_any", "phrase_family", "trigram", "trigram_name", "popularity", "curated",
    "action_match", "action_sibling", "action_conflict", "action_unasked",
    "party_match", "party_mismatch", "age_mismatch", "online_asked", "online_unasked", "offline_online",
    "level_match", "level_sibling", "level_higher",
    "variant_unasked", "variant_unasked_strong", "variant_asked", "variant_missing", "reissue_unasked",
)  # fmt: skip
NONE_FEATURES: tuple[str, ...] = (
    "none_bias", "none_best_bm25", "none_content", "none_unknown", "none_asks_only", "none_long", "none_asks",
)  # fmt: skip


def _coverage(words: frozenset[str], asked: frozenset[str]) -> float:
    return len(words & asked) / len(words) if words else 0.0


def none_features(query: Query, retrieved: Retrieved) -> list[float]:
    """What speaks for linking no procedure at all (a follow-up, small talk, a status question)."""
    best = max(retrieved.score.values(), default=0.0) / retrieved.ideal if retrieved.ideal else 0.0
    content = len(query.content)
    return [
        1.0,
        min(1.0, best),
        math.log1p(content),
        retrieved.unknown / max(1, content),
        1.0 if content == 0 else 0.0,
        1.0 if query.sentences > 1 else 0.0,
        1.0 if query.asks else 0.0,
    ]


def candidate_features(index: SearchIndex, query: Query, retrieved: Retrieved) -> list[list[float]]:
    """One row of CANDIDATE_FEATURES per candidate, in `retrieved.docs` order."""
    table = tables.load()
    ideal = retrieved.ideal or 1.0
    scores = retrieved.score
    best = max(scores.values(), default=0.0) / ideal
    order = sorted(retrieved.docs, key=lambda d: -scores.get(d, 0.0))
    rank = {doc: i for i, doc in enumerate(order)}
    query_trigrams = trigrams(query.content)
    asked_words = retrieved.asked_words
    question_words = frozenset(t.plain for t in query.question if t.weight > 0.1) if query.question else None
    new = table.action_bits.get("new", 1)
    online_bit = table.subject_bits.get("online", 0)
    offline_bit = table.subject_bits.get("offline", 0)
    online = "online" in query.subjects
    reissue_variants = {i for i, v in enumerate(table.variants) if v.variant.reissue}
    # Marks of the specialised variants (a foreign element, lưu động, biên giới ...): the common form wins
    # unless the message asks for them.
    strong = {i for i, v in enumerate(table.variants) if v.always_give_way}
    mark_words = [frozenset(w for hint in v.hints for w in hint.split()) for v in table.variants]
    rows = []
    for doc in retrieved.docs:
        s = min(1.0, scores.get(doc, 0.0) / ideal)
        words = index.words[doc]
        markers = index.markers[doc]
        # A variant the message asks for in its own words ("chồng em người Nhật") covers its mark's words.
        asked_here = asked_words
        for m in markers:
            if query.variants[m]:
                asked_here = asked_here | mark_words[m]
        name_coverage = max((_coverage(w, asked_here) for w in words), default=0.0)
        tri = index.trigrams[doc]
        shared = len(query_trigrams & tri)
        # action
        stated = index.actions[doc]
        actions = stated or new
        match = max(
            (v for a, v in query.actions.items() if actions & table.action_bits.get(a, 0)), default=0.0
        )
        sibling = conflict = 0.0
        if query.actions and not match:
            if any(index.family[doc] & table.action_bits.get(a, 0) for a in query.actions):
                sibling = 1.0
            elif stated:
                conflict = 1.0
        unasked = 1.0 if not query.actions and stated and not stated & new else 0.0
        # subject and channel
        subjects = index.subjects[doc]
        party_match = party_mismatch = age_mismatch = 0.0
        parties = [s_ for s_ in query.subjects if s_ in table.parties]
        doc_parties = [p for p in table.parties if subjects & table.subject_bits[p]]
        if parties and doc_parties:
            party_match = max(
                (table.parties[p].get(d, 0.0) for p in parties for d in doc_parties), default=0.0
            )
            party_mismatch = 1.0 if party_match == 0.0 else 0.0
        for age, other in (("child", "adult"), ("adult", "child")):
            bits = table.subject_bits
            if age in query.subjects and subjects & bits.get(other, 0) and not subjects & bits.get(age, 0):
                age_mismatch = 1.0
        online_only = bool(subjects & online_bit)
        # level
        kin = index.kin_levels[doc]
        # Levels tell siblings apart; a level named does not favour every other procedure done there.
        level_match = 1.0 if kin and query.levels and index.levels[doc] & query.levels else 0.0
        level_sibling = 1.0 if kin and query.levels & kin and not index.levels[doc] & query.levels else 0.0
        lowest = (kin & -kin).bit_length() - 1
        own_lowest = (index.levels[doc] & -index.levels[doc]).bit_length() - 1
        level_higher = 1.0 if kin and not query.levels and own_lowest > lowest else 0.0
        # variants
        # A name that offers other actions besides ("Cấp lại, đổi, điều chỉnh ...") is no re-issue variant.
        several = bool(stated & ~(table.action_bits.get("reissue", 0) | table.action_bits.get("exchange", 0)))
        variant_unasked = sum(
            1.0 for m in markers if not query.variants[m] and not (several and m in reissue_variants)
        )
        strong_unasked = sum(1.0 for m in markers if m in strong and not query.variants[m])
        reissue_unasked = sum(1.0 for m in markers if m in reissue_variants and not query.variants[m])
        variant_asked = sum(1.0 for m in markers if query.variants[m])
        variant_missing = sum(1.0 for m in query.give_way if m not in markers)
        phrased = retrieved.phrased.get(doc, 0)
        group = index.sibling[doc]
        family = (
            max((retrieved.phrased.get(d, 0) for d in index.sibling_groups[group]), default=0)
            if group >= 0
            else phrased
        )
        rows.append(
            [
                s,
                math.log(s + 1e-3),
                s - best,
                math.log1p(rank[doc]),
                *(retrieved.by_kind[k].get(doc, 0.0) / ideal for k in KINDS),
                retrieved.question.get(doc, 0.0),
                max((_coverage(w, question_words) for w in words), default=0.0)
                if question_words
                else name_coverage,
                retrieved.covered.get(doc, 0.0),
                name_coverage,
                _coverage(words[1], asked_here) if len(words) > 1 else name_coverage,
                _coverage(words[2], asked_here) if len(words) > 2 else 0.0,
                min(4, phrased) / 4,
                1.0 if phrased else 0.0,
                1.0 if family else 0.0,
                shared / len(query_trigrams) if query_trigrams else 0.0,
                shared / len(tri) if tri else 0.0,
                index.popularity[doc],
                1.0 if index.curated[doc] else 0.0,
                match,
                sibling,
                conflict,
                unasked,
                party_match,
                party_mismatch,
                age_mismatch,
                1.0 if online_only and online else 0.0,
                1.0 if online_only and not online else 0.0,
                1.0 if subjects & offline_bit and online else 0.0,
                level_match,
                level_sibling,
                level_higher,
                variant_unasked,
                strong_unasked,
                variant_asked,
                variant_missing,
                reissue_unasked,
            ]
        )
    return rows
