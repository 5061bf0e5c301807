"""`python -m knowledge search --why "..."`: what each stage of the search made of a message."""

from __future__ import annotations

from knowledge.base import load
from knowledge.search import default_index, default_ranker, rank, score
from knowledge.search.analysis import BREAK
from knowledge.search.features import CANDIDATE_FEATURES, NONE_FEATURES

TOP_FACTORS = 8


def explain(text: str, limit: int = 5) -> str:
    index, ranker = default_index(), default_ranker()
    scored = score(index, ranker, text)
    ranking = rank(index, ranker, text, limit)
    query = scored.query
    knowledge = load()
    lines = [f"message      : {text}", f"1 normalised : {query.text}"]
    if query.repairs:
        lines.append("  spelling   : " + ", ".join(f"{a} → {b}" for a, b in query.repairs))
    message = (
        [t for t in query.tokens[: query.tokens.index(BREAK)]] if BREAK in query.tokens else query.tokens
    )
    lines.append(
        "2 rewritten  : " + " ".join(f"{t.written}" + ("" if t.weight >= 0.5 else "·") for t in message)
    )
    lines.append("  (· a question word: weighs next to nothing)")
    for phrase, meaning in query.rewrites:
        lines.append(f"  vocabulary : {phrase!r} read as {meaning!r}")
    cues = []
    if query.actions:
        cues.append("action " + ", ".join(f"{a} {v:.1f}" for a, v in query.actions.items()))
    if query.subjects:
        cues.append("subject " + ", ".join(sorted(query.subjects)))
    if query.levels:
        cues.append(f"levels {query.levels:b}")
    if query.asks:
        cues.append("asks " + ", ".join(sorted(query.asks)))
    asked = [i for i, a in enumerate(query.variants) if a]
    if asked:
        from knowledge.search import vocabulary_tables

        rules = vocabulary_tables.load().variants
        cues.append("variants " + ", ".join(rules[i].variant.marks[0].phrase for i in asked))
    lines.append("  cues       : " + ("; ".join(cues) or "none"))
    if query.sentences > 1:
        lines.append("  question   : " + " ".join(t.written for t in query.question))
    retrieved = scored.retrieved
    lines.append(f"3 retrieved  : {len(retrieved.docs)} candidates (ideal BM25 {retrieved.ideal:.2f})")
    coefficients, _ = ranker._linear
    order = sorted(range(len(scored.rows)), key=lambda i: -scored.probabilities[i])[:limit]
    lines.append("4-5 ranked   :")
    for i in order:
        doc = retrieved.docs[i]
        procedure = knowledge.get(index.codes[doc])
        name = procedure.name if procedure else ""
        lines.append(f"  {index.codes[doc]}  P={scored.probabilities[i]:.3f}  {name[:90]}")
        row = scored.rows[i]
        parts = sorted(
            (
                (f, c * (x - m))
                for f, c, x, m in zip(CANDIDATE_FEATURES, coefficients, row, ranker.mean, strict=True)
            ),
            key=lambda item: -abs(item[1]),
        )[:TOP_FACTORS]
        lines.append("      " + "  ".join(f"{f} {v:+.2f}" for f, v in parts))
    none = "  ".join(
        f"{f} {w * x:+.2f}"
        for f, w, x in zip(NONE_FEATURES, ranker.none_weights, scored.none_row, strict=True)
    )
    lines.append(f"  no procedure  P={scored.none:.3f}  {none}")
    decision = (
        f"link {ranking.top}"
        if ranking.confident
        else "ask which one"
        if ranking.too_close
        else "link nothing"
    )
    lines.append(f"6 decision   : {decision} (threshold {ranker.link_threshold})")
    return "\n".join(lines)
