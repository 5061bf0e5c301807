"""Stage 3 of the search: BM25 retrieval of the candidate procedures for an analysed message.

The message's syllables, syllable pairs, written diacritics and sound-alike pairs are looked up (a
sound-alike key or an edit-distance neighbour only when the message's own spelling is unknown); the
best-scoring procedures, those whose everyday name the message writes out and the siblings at the
level it names become the candidates. The score of each candidate is also kept split by term kind, so
that the ranker, not a hand-set weight, decides how much each kind counts.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from operator import itemgetter

from knowledge.search.analysis import BREAK, Query, Token
from knowledge.search.index import SearchIndex
from knowledge.search.names import phonetic

# Query weights of the term kinds, for choosing candidates only: syllable, pair, written diacritics,
# sound-alike pair. The ranker weighs each kind's score on its own.
KIND_WEIGHT = {"u": 1.0, "b": 1.5, "a": 0.4, "q": 0.5}
KINDS = ("u", "b", "a", "q", "added", "fuzzy")
AMBIGUOUS_PAIR_IDF = 3.0  # a pair in fewer than about 200 procedures reads a question word as a name's
MIN_WEIGHT = 0.1  # query terms weighing less (question words) are not looked up at all
COMMON_POSTINGS = 150  # a term in more procedures than this only adjusts the candidates' scores
MAX_NEIGHBOURS = 3  # an unknown word with more known neighbours than this is not corrected
DISTINCTIVE_IDF = 1.5  # words rarer than this (in under about a fifth of procedures) are distinctive
FUZZY_WEIGHT = 0.6
CANDIDATES = 60
QUESTION_CANDIDATES = 15  # of a long message, the best candidates of its asking sentence alone


@dataclass
class Retrieved:
    """The candidates of a message and what the feature stage needs from retrieval."""

    docs: list[int]
    score: dict[int, float]  # BM25 with the kind weights
    by_kind: dict[str, dict[int, float]]  # each kind's share of it
    question: dict[int, float]  # BM25 of the asking sentence alone (long messages)
    phrased: dict[int, int]  # words of an everyday name written out in the message
    covered: dict[int, float]  # share of the message's distinctive words the procedure holds
    ideal: float  # what a perfect match would score
    asked_words: frozenset[str]  # the message's syllables (for name coverage)
    unknown: int  # content words no procedure uses


def query_terms(tokens: list[Token]) -> tuple[dict[str, tuple[float, str]], dict[str, set[str]]]:
    """Index term → (query weight, kind); a sound-alike key → the written pairs it stands for."""
    out: dict[str, tuple[float, str]] = {}
    sounds: dict[str, set[str]] = {}
    previous: Token | None = None
    added = False

    def put(term: str, weight: float, kind: str) -> None:
        if weight > out.get(term, (0.0, ""))[0]:
            out[term] = (weight, "added" if added and kind != "q" else kind)

    for token in tokens:
        if token is BREAK:
            previous, added = None, True
            continue
        put("u" + token.plain, token.weight * KIND_WEIGHT["u"], "u")
        if token.written != token.plain:
            put("a" + token.written, token.weight * KIND_WEIGHT["a"], "a")
        if previous is not None:
            weight = min(previous.weight, token.weight)
            pair = "b" + previous.plain + " " + token.plain
            put(pair, weight * KIND_WEIGHT["b"], "b")
            key = "q" + phonetic(previous.plain) + " " + phonetic(token.plain)
            put(key, weight * KIND_WEIGHT["q"], "q")
            sounds.setdefault(key, set()).add(pair)
        previous = token
    return out, sounds


def _fuzzy(index: SearchIndex, term: str) -> list[str]:
    """Known terms one edit away from an unknown syllable or pair ("ho chiu" → "ho chieu")."""
    if term[0] == "u":  # a short word has too many neighbours to guess from
        near = index.neighbours(term[1:]) if len(term) > 4 else set()
        return ["u" + w for w in near] if len(near) <= MAX_NEIGHBOURS else []
    first, _, second = term[1:].partition(" ")
    pairs = [f"b{w} {second}" for w in index.neighbours(first)]
    pairs += [f"b{first} {w}" for w in index.neighbours(second)]
    return [pair for pair in pairs if pair in index.idf]


def phrase_matches(index: SearchIndex, content: list[str]) -> dict[int, int]:
    """Procedures with an everyday name written out in the message, by the length of the longest."""
    found: dict[int, int] = {}
    for i, word in enumerate(content):
        for phrase, doc in index.phrases.get(word, ()):
            if len(phrase) > found.get(doc, 0) and tuple(content[i : i + len(phrase)]) == phrase:
                found[doc] = len(phrase)
    return found


def _question_scores(index: SearchIndex, query: Query) -> tuple[dict[int, float], float]:
    """BM25 of a long message's asking sentence alone, over every procedure, and its ideal."""
    scores: dict[int, float] = {}
    ideal = 0.0
    if not query.question:
        return scores, ideal
    for term, (weight, _) in query_terms(query.question)[0].items():
        if term in index.idf and term[0] in "ub" and weight >= MIN_WEIGHT:
            ideal += weight * index.best(term)
            for doc, value in index.postings(term):
                scores[doc] = scores.get(doc, 0.0) + weight * value
    return scores, ideal


def retrieve(index: SearchIndex, query: Query, limit: int = CANDIDATES) -> Retrieved:
    terms, sounds = query_terms(query.tokens)
    for pair, weight, word in query.ambiguous:
        if index.idf.get(pair, 0.0) >= AMBIGUOUS_PAIR_IDF:  # a distinctive pair: "căn cước", not "cần"
            if weight * KIND_WEIGHT["b"] > terms.get(pair, (0.0, ""))[0]:
                terms[pair] = (weight * KIND_WEIGHT["b"], "b")
            if weight > terms.get(word, (0.0, ""))[0]:
                terms[word] = (weight, "u")
    unknown = 0
    for term, (weight, _) in list(terms.items()):
        if term not in index.idf and term[0] in "ub" and len(term) <= 24 and weight >= 0.5:
            unknown += term[0] == "u"
            for near in _fuzzy(index, term):
                if weight * FUZZY_WEIGHT > terms.get(near, (0.0, ""))[0]:
                    terms[near] = (weight * FUZZY_WEIGHT, "fuzzy")
    scores: dict[int, float] = {}
    get = scores.get
    ideal = 0.0
    distinctive: list[tuple[str, float]] = []
    looked: list[tuple[str, float, str]] = []
    common: list[tuple[str, float]] = []
    has_rare = any(
        t in index.idf and w >= MIN_WEIGHT and index.df[t] <= COMMON_POSTINGS and t[0] in "ub"
        for t, (w, _) in terms.items()
    )
    for term, (weight, kind) in terms.items():
        if term not in index.idf:
            if term[0] in "ub":
                ideal += weight * 2.0  # an unknown word still counts as asked for
            continue
        if weight < MIN_WEIGHT:
            continue
        if term[0] == "q" and all(p in index.idf for p in sounds.get(term, ())):
            continue  # the pair as written is known: its sound-alike key would only add noise
        ideal += weight * index.best(term)
        looked.append((term, weight, kind))
        if has_rare and index.df[term] > COMMON_POSTINGS:
            common.append((term, weight))
        else:
            for doc, value in index.postings(term):
                scores[doc] = get(doc, 0.0) + weight * value
        if term[0] == "u" and index.idf[term] >= DISTINCTIVE_IDF:
            distinctive.append((term, weight * index.idf[term]))
    empty = Retrieved([], {}, {k: {} for k in KINDS}, {}, {}, {}, ideal, frozenset(), unknown)
    if not scores or ideal <= 0:
        return empty
    best = heapq.nlargest(limit, scores.items(), key=itemgetter(1))
    phrased = phrase_matches(index, query.content)
    ranked = {doc for doc, _ in best}
    best += [(doc, scores.get(doc, 0.0)) for doc in phrased if doc not in ranked]
    # A long message: what its asking sentence names competes too, whatever the story's words matched.
    question_scores, question_ideal = _question_scores(index, query)
    if question_scores:
        ranked = {doc for doc, _ in best}
        leaders = heapq.nlargest(QUESTION_CANDIDATES, question_scores.items(), key=itemgetter(1))
        best += [(doc, scores.get(doc, 0.0)) for doc, _ in leaders if doc not in ranked]
    if query.levels:  # siblings at the level the message names compete even when they scored lower
        ranked = {doc for doc, _ in best}
        named = {
            sibling
            for doc, _ in best
            if index.kin_levels[doc] & query.levels
            for sibling in index.kin_groups[index.kin[doc]]
            if index.levels[sibling] & query.levels and sibling not in ranked
        }
        best += [(doc, scores.get(doc, 0.0)) for doc in sorted(named)]
    docs = [doc for doc, _ in best]
    total = {doc: score for doc, score in best}
    if common:
        values = [(weight, index.values(term)) for term, weight in common]
        for doc in docs:
            total[doc] += sum(w * v.get(doc, 0.0) for w, v in values)
    by_kind: dict[str, dict[int, float]] = {k: {} for k in KINDS}
    for term, weight, kind in looked:
        values_of = index.values(term)
        shares = by_kind[kind]
        for doc in docs:
            value = values_of.get(doc, 0.0)
            if value:
                shares[doc] = shares.get(doc, 0.0) + weight * value
    question = {doc: question_scores.get(doc, 0.0) / question_ideal for doc in docs} if question_ideal else {}
    covered: dict[int, float] = {}
    mass = sum(m for _, m in distinctive)
    if mass > 0:
        candidates = set(docs)
        for term, share in distinctive:
            for doc in index.holders(term, candidates):
                covered[doc] = covered.get(doc, 0.0) + share / mass
    asked = frozenset(term[1:] for term in terms if term[0] == "u")
    return Retrieved(docs, total, by_kind, question, phrased, covered, ideal, asked, unknown)
