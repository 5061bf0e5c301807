"""`failures export`: the messages the bot fell back on or handed over, as candidate training examples.

Read from the Redis stream that actions/failure_log.py writes (already masked), grouped by the intent
the model predicted, written as Rasa NLU YAML for a maintainer to review: move each example under the
intent it should have had, then add the file to nlu_data/ and retrain.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import redis

from maintenance.settings import Settings

UNKNOWN = "nlu_fallback"


@dataclass(frozen=True)
class Failure:
    text: str
    intent: str
    confidence: float
    reason: str
    timestamp: float
    ranking: tuple[tuple[str, float], ...]


def read_failures(settings: Settings, limit: int | None = None) -> list[Failure]:
    """The recorded failures, oldest first."""
    client = redis.Redis(
        host=settings.redis_host,
        port=settings.redis_port,
        db=settings.failures_db,
        socket_timeout=5,
        decode_responses=True,
    )
    entries = client.xrange(settings.failures_key, count=limit) or []
    failures = []
    for _, fields in entries:
        values = {str(k): str(v) for k, v in (fields or {}).items()}
        try:
            ranking = tuple(
                (str(r["name"]), float(r["confidence"])) for r in json.loads(values.get("ranking", "[]"))
            )
        except (ValueError, KeyError, TypeError):
            ranking = ()
        failures.append(
            Failure(
                text=values.get("text", ""),
                intent=values.get("intent") or UNKNOWN,
                confidence=float(values.get("confidence") or 0),
                reason=values.get("reason", ""),
                timestamp=float(values.get("timestamp") or 0),
                ranking=ranking,
            )
        )
    return failures


def _yaml_scalar(text: str) -> str:
    """The text on one line, double-quoted (JSON strings are valid YAML)."""
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def to_yaml(failures: list[Failure]) -> str:
    """Rasa NLU YAML: one block per predicted intent, each example commented with reasons and count."""
    by_intent: dict[str, dict[str, list[Failure]]] = defaultdict(lambda: defaultdict(list))
    for failure in failures:
        key = " ".join(failure.text.split()).lower()
        by_intent[failure.intent][key].append(failure)
    lines = [
        "# Candidate training examples: messages the assistant fell back on or handed over (personal data",
        "# masked). Grouped by the intent the model predicted; move each under the intent it should have",
        "# had (or delete it), then add them to nlu_data/ and run `python -m maintenance train`.",
        f"# {len(failures)} messages, {sum(len(v) for v in by_intent.values())} distinct.",
        'version: "3.1"',
        "nlu:",
    ]
    for intent in sorted(by_intent, key=lambda i: (-sum(len(v) for v in by_intent[i].values()), i)):
        groups = by_intent[intent]
        total = sum(len(v) for v in groups.values())
        lines += [f"# predicted {intent}: {total} messages", f"- intent: {intent}", "  examples:"]
        for examples in sorted(groups.values(), key=lambda v: (-len(v), v[0].text)):
            reasons = Counter(f.reason for f in examples)
            note = ", ".join(f"{reason} ×{count}" for reason, count in sorted(reasons.items()))
            latest = examples[-1]
            lines.append(f"  # {len(examples)}× ({note}); confidence {latest.confidence:.2f}")
            lines.append(f"  - text: {_yaml_scalar(latest.text)}")
    return "\n".join(lines) + "\n"


def export(settings: Settings, out: Path | None) -> tuple[str, int]:
    failures = read_failures(settings)
    text = to_yaml(failures)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return text, len(failures)
