"""How well the trained assistant understands: intents and procedures per set and style, conversations.

The bench (`make bench-nlu`) and the maintainers' deploy gate both compute their figures here. Single
messages are parsed by the model in process; conversations are played through Rasa's REST channel with
the real action server, and judged by the procedure the conversation is about after each turn.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge.judged import Conversation, Judged

PROCEDURE_INTENTS_PREFIX = "ask_"


@dataclass(frozen=True)
class Parsed:
    judged: Judged
    intent: str
    procedure: str | None  # the linked procedure (first candidate), if any
    too_close: bool


@dataclass
class Figures:
    n: int
    intent_accuracy: float
    macro_f1: float
    procedures: int  # messages that name a procedure
    procedure_top1: float  # of those, linked to a right one (first candidate)
    linked_wrong: float  # of those, linked with confidence to a wrong one (not "which one?" with buttons)
    not_linked: float  # of those, no procedure linked (the citizen is asked)
    confusions: list[tuple[str, str, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "confusions"}


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    labels = {gold for gold, _ in pairs}
    scores = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def figures(parsed: list[Parsed]) -> Figures:
    pairs = [(p.judged.intent, p.intent) for p in parsed if p.judged.intent]
    named = [p for p in parsed if p.judged.codes]
    n = max(1, len(named))
    confusions = Counter((g, p) for g, p in pairs if g != p)
    return Figures(
        n=len(parsed),
        intent_accuracy=sum(g == p for g, p in pairs) / max(1, len(pairs)),
        macro_f1=macro_f1(pairs),
        procedures=len(named),
        procedure_top1=sum(p.procedure in p.judged.codes for p in named) / n,
        linked_wrong=sum(
            p.procedure is not None and not p.too_close and p.procedure not in p.judged.codes for p in named
        )
        / n,
        not_linked=sum(p.procedure is None for p in named) / n,
        confusions=[(g, p, c) for (g, p), c in confusions.most_common(8)],
    )


def by_style(parsed: Iterable[Parsed]) -> dict[str, list[Parsed]]:
    grouped: dict[str, list[Parsed]] = defaultdict(list)
    for item in parsed:
        grouped[item.judged.style or "unstyled"].append(item)
    return dict(sorted(grouped.items()))


def _quiet() -> None:
    logging.getLogger().setLevel(logging.WARNING)
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def parse_all(model: Path, items: list[Judged]) -> list[Parsed]:
    """Parse every message with the model (in this process)."""
    from rasa.core.agent import Agent

    _quiet()

    async def run() -> list[Parsed]:
        agent = Agent.load(str(model))
        out = []
        for item in items:
            result = await agent.parse_message(item.text)
            entity = next((e for e in result.get("entities", []) if e.get("entity") == "procedure"), None)
            out.append(
                Parsed(
                    item,
                    str((result.get("intent") or {}).get("name") or ""),
                    str(entity["value"]) if entity else None,
                    bool(entity and entity.get("too_close")),
                )
            )
        return out

    return asyncio.run(run())


def table(title: str, parsed: list[Parsed]) -> list[str]:
    """The printed figures of one set: overall, then per style."""
    lines = [
        f"\n{title}",
        f"  {'style':<14}{'n':>5}{'intent':>9}{'F1':>7}{'proc n':>8}{'top-1':>8}{'wrong':>8}{'none':>7}",
    ]
    for style, group in [("all", parsed), *by_style(parsed).items()]:
        f = figures(group)
        lines.append(
            f"  {style:<14}{f.n:>5}{f.intent_accuracy:>9.3f}{f.macro_f1:>7.3f}{f.procedures:>8}"
            f"{f.procedure_top1:>8.3f}{f.linked_wrong:>8.3f}{f.not_linked:>7.3f}"
        )
    confusions = figures(parsed).confusions
    if confusions:
        lines.append("  most frequent intent confusions (gold → predicted): " + "; ".join(
            f"{g} → {p} ({c})" for g, p, c in confusions[:5]))  # fmt: skip
    return lines


@dataclass(frozen=True)
class Played:
    conversation: Conversation
    procedures: tuple[str | None, ...]  # the conversation's procedure after each turn
    replies: tuple[int, ...]  # how many messages the bot sent after each turn

    @property
    def last_right(self) -> bool:
        """The last turn that names a procedure ends on a right one."""
        for turn, procedure in zip(reversed(self.conversation.turns), reversed(self.procedures), strict=True):
            if turn.codes:
                return procedure in turn.codes
        return True


def play(rasa_url: str, token: str, conversations: list[Conversation], click: bool = False) -> list[Played]:
    """Play each conversation through the REST channel; read the tracker's procedure after each turn.

    With `click`, a citizen offered buttons ("Bạn hỏi về thủ tục nào?") clicks the one of a right
    procedure when there is one, as a person would, before the next turn.
    """
    import requests

    session = requests.Session()
    played = []
    for conversation in conversations:
        sender = f"eval-{conversation.id}-{uuid.uuid4().hex[:8]}"
        procedures: list[str | None] = []
        replies: list[int] = []
        for turn in conversation.turns:
            response = session.post(
                f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": turn.text}, timeout=60
            )
            response.raise_for_status()
            replies.append(len(response.json()))
            offered = [b.get("payload", "") for r in response.json() for b in r.get("buttons") or []]
            chosen = next((p for p in offered if any(f'"{code}"' in p for code in turn.codes)), None)
            if click and chosen:
                session.post(
                    f"{rasa_url}/webhooks/rest/webhook",
                    json={"sender": sender, "message": chosen},
                    timeout=60,
                ).raise_for_status()
            tracker = session.get(
                f"{rasa_url}/conversations/{sender}/tracker", params={"token": token}, timeout=30
            )
            tracker.raise_for_status()
            procedures.append((tracker.json().get("slots") or {}).get("procedure"))
        played.append(Played(conversation, tuple(procedures), tuple(replies)))
    return played


def conversation_figures(played: list[Played]) -> dict[str, float]:
    turns = [
        (t, p) for c in played for t, p in zip(c.conversation.turns, c.procedures, strict=True) if t.codes
    ]
    silent = sum(1 for c in played for r in c.replies if r == 0)
    return {
        "conversations": len(played),
        "last_turn_right": sum(c.last_right for c in played) / max(1, len(played)),
        "turns_right": sum(p in t.codes for t, p in turns) / max(1, len(turns)),
        "turns_without_reply": silent,
    }
