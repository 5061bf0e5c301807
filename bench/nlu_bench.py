"""NLU benchmark on the held-out set: intent accuracy and macro-F1, procedure top-1, by style.

Run with the Rasa environment: `make bench-nlu` (loads models/current.tar.gz in process; the
/model/parse latency is measured over HTTP against a Rasa server this script starts).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ENTITY = re.compile(r"\[([^\]]+)\]\{([^}]*)\}")


def read_heldout(path: Path) -> list[dict]:
    """Held-out examples: text without annotations, intent, and the annotated entity values."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    examples = []
    for block in data["nlu"]:
        for line in block["examples"].splitlines():
            line = line.strip()
            if not line.startswith("- "):
                continue
            raw = line[2:]
            entities = [
                {**json.loads("{" + m.group(2) + "}"), "text": m.group(1)} for m in ENTITY.finditer(raw)
            ]
            text = ENTITY.sub(lambda m: m.group(1), raw)
            examples.append({"text": text, "intent": block["intent"], "entities": entities})
    return examples


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


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def evaluate(model: Path, examples: list[dict]) -> list[dict]:
    import logging

    from rasa.core.agent import Agent

    logging.getLogger().setLevel(logging.WARNING)
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

    agent = Agent.load(str(model))
    results = []
    for example in examples:
        parsed = await agent.parse_message(example["text"])
        results.append({**example, "parsed": parsed})
    return results


def report(results: list[dict], styles: dict[str, str]) -> dict[str, float]:
    by_style: dict[str, list[dict]] = defaultdict(list)
    for result in results:
        key = unicodedata.normalize("NFC", result["text"])
        by_style[styles.get(key, styles.get(result["text"], "unknown"))].append(result)
    figures: dict[str, float] = {}
    print(f"{'style':<14}{'n':>5}{'intent acc':>12}{'macro-F1':>10}{'proc n':>8}{'proc top-1':>12}")
    for style, group in [("all", results), *sorted(by_style.items())]:
        pairs = [(r["intent"], r["parsed"]["intent"]["name"]) for r in group]
        accuracy = sum(g == p for g, p in pairs) / len(pairs)
        linked = [r for r in group if any(e["entity"] == "procedure" for e in r["entities"])]
        hits = 0
        for r in linked:
            gold = {e["value"] for e in r["entities"] if e["entity"] == "procedure"}
            found = [e["value"] for e in r["parsed"]["entities"] if e["entity"] == "procedure"]
            hits += bool(found and found[0] in gold)
        top1 = hits / len(linked) if linked else float("nan")
        print(
            f"{style:<14}{len(group):>5}{accuracy:>12.3f}{macro_f1(pairs):>10.3f}{len(linked):>8}{top1:>12.3f}"
        )
        figures[f"{style}.intent_accuracy"] = accuracy
        figures[f"{style}.procedure_top1"] = top1
    confusions = Counter(
        (r["intent"], r["parsed"]["intent"]["name"])
        for r in results
        if r["intent"] != r["parsed"]["intent"]["name"]
    )
    print("most frequent confusions (gold → predicted):")
    for (gold, predicted), count in confusions.most_common(8):
        print(f"  {count:>3}  {gold} → {predicted}")
    return figures


def parse_latency(examples: list[dict], url: str, token: str, rounds: int) -> None:
    import requests

    timings = []
    session = requests.Session()
    for _ in range(rounds):
        for example in examples:
            start = time.perf_counter()
            response = session.post(
                f"{url}/model/parse", params={"token": token}, json={"text": example["text"]}, timeout=10
            )
            response.raise_for_status()
            timings.append((time.perf_counter() - start) * 1000)
    print(
        f"/model/parse over HTTP: n={len(timings)} p50={statistics.median(timings):.1f} ms"
        f" p95={percentile(timings, 0.95):.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "current.tar.gz")
    parser.add_argument("--heldout", type=Path, default=ROOT / "tests" / "nlu" / "heldout.yml")
    parser.add_argument("--styles", type=Path, default=None, help="style of each example")
    # Development data (e.g. tests/nlu/dev_procedures.yml) is measured the same way, without styles.
    parser.add_argument("--data", type=Path, default=None, help="evaluate this NLU file instead of held-out")
    parser.add_argument("--rasa-url", default=None, help="measure /model/parse latency on this server")
    parser.add_argument("--token", default="")
    parser.add_argument("--with-server", action="store_true", help="start Rasa to measure /model/parse")
    parser.add_argument("--train", action="store_true", help="also time a full training from scratch")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    if args.train:
        time_training()

    examples = read_heldout(args.data or args.heldout)
    if args.styles is None and args.data is None:
        args.styles = ROOT / "tests" / "nlu" / "heldout_styles.yml"
    written = yaml.safe_load(args.styles.read_text(encoding="utf-8")) if args.styles else None
    styles = {unicodedata.normalize("NFC", k): v for k, v in (written or {}).items()}
    results = asyncio.run(evaluate(args.model, examples))
    report(results, styles)
    if args.rasa_url:
        parse_latency(examples, args.rasa_url, args.token, args.rounds)
    elif args.with_server:
        from tests.e2e.services import running_stack

        with running_stack(rasa_port=16005, actions_port=16055, redis_db=8) as stack:
            parse_latency(examples, stack.rasa_url, stack.token, args.rounds)
    return 0


def time_training() -> None:
    """A full training (no cache, no previous model) into a temporary folder."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [str(ROOT / ".venv/rasa/bin/rasa"), "train", "--force", "--config", "config.yml",
             "--domain", "bot/domain", "--data", "nlu_data", "--out", out],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        print(f"full training (rasa train --force): {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
