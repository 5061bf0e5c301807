"""Stage 6 of the search: whether the first candidate is probable enough to link.

The same procedure is often published at several levels (xã, tỉnh, trung ương): the ranker's probability
is then split among siblings that all answer the citizen. The decision reads the mass of the first
candidate's sibling group, not of the first alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.search.index import SearchIndex


def group_masses(index: SearchIndex, docs: Sequence[int], probabilities: Sequence[float]) -> dict[int, float]:
    """Probability mass by sibling group (a procedure without siblings is a group of its own: -1 - doc)."""
    masses: dict[int, float] = {}
    for doc, p in zip(docs, probabilities, strict=True):
        group = index.kin[doc] if index.kin[doc] >= 0 else -1 - doc
        masses[group] = masses.get(group, 0.0) + p
    return masses


def confidence(
    index: SearchIndex, docs: Sequence[int], probabilities: Sequence[float], top: int
) -> tuple[float, float]:
    """(mass of the top candidate's group, mass of the next group) for the candidate at position `top`."""
    masses = group_masses(index, docs, probabilities)
    doc = docs[top]
    own = index.kin[doc] if index.kin[doc] >= 0 else -1 - doc
    first = masses.pop(own)
    return first, max(masses.values(), default=0.0)
