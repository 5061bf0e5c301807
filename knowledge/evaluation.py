"""How well procedures are found, per judged set and per style: the figures the benches and gates print.

`Outcome` is what one message got: whether the first candidate is right, whether one of the first three
is, and what was decided (linked with confidence, asked which one, or nothing). Benches, tests and the
deploy gate compute their figures here, so that a figure means the same everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from knowledge.judged import Judged, messages

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "tests" / "sets"
# The newest blind sets: written by helpers who never saw the code, the vocabulary or the other sets;
# never used for tuning. Reported on, never tuned on.
BLIND = SETS / "blind_2026_12"
DEVELOPMENT = SETS / "dev_2026_12"
KNOWLEDGE_SETS = ROOT / "tests" / "knowledge" / "data"
STYLE_ORDER = ("formal", "portal", "informal", "unaccented", "abbreviated", "old_names", "typos", "long")


@dataclass(frozen=True)
class Outcome:
    judged: Judged
    top1: bool
    top3: bool
    linked: bool  # a procedure was linked with confidence
    asked: bool  # the first candidates were too close: the citizen is asked which one


@dataclass(frozen=True)
class Figures:
    n: int
    top1: float
    top3: float
    linked_right: float  # share of messages linked with confidence to a right procedure
    linked_wrong: float  # share linked with confidence to a wrong one (the worst answer there is)
    asked: float

    def line(self, label: str) -> str:
        return (
            f"  {label:<26} n={self.n:<4} top-1 {self.top1:.3f}  top-3 {self.top3:.3f}  "
            f"linked right {self.linked_right:.3f}  wrong {self.linked_wrong:.3f}  asked {self.asked:.3f}"
        )


def figures(outcomes: list[Outcome]) -> Figures:
    n = max(1, len(outcomes))
    return Figures(
        n=len(outcomes),
        top1=sum(o.top1 for o in outcomes) / n,
        top3=sum(o.top3 for o in outcomes) / n,
        linked_right=sum(o.linked and o.top1 for o in outcomes) / n,
        linked_wrong=sum(o.linked and not o.top1 for o in outcomes) / n,
        asked=sum(o.asked for o in outcomes) / n,
    )


def by_style(outcomes: Iterable[Outcome]) -> dict[str, list[Outcome]]:
    grouped: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        grouped[outcome.judged.style or "unstyled"].append(outcome)
    order = {style: i for i, style in enumerate(STYLE_ORDER)}
    return dict(sorted(grouped.items(), key=lambda item: (order.get(item[0], 99), item[0])))


def search_outcomes(items: Iterable[Judged]) -> list[Outcome]:
    """What knowledge.search makes of each message that names a procedure."""
    from knowledge.search import search

    out = []
    for item in items:
        if not item.codes:
            continue
        ranking = search(item.text, limit=3)
        out.append(
            Outcome(item, ranking.top in item.codes, bool(set(ranking.codes) & set(item.codes)),
                    ranking.confident, ranking.too_close)
        )  # fmt: skip
    return out


def report(title: str, outcomes: list[Outcome], print_: Callable[[str], None] = print) -> Figures:
    """Print a set's figures overall and per style; return the overall ones."""
    overall = figures(outcomes)
    print_(f"\n{title}")
    print_(overall.line("all"))
    for style, group in by_style(outcomes).items():
        print_(figures(group).line(style))
    return overall


def judged_set(path: Path) -> list[Judged]:
    return messages(path)
