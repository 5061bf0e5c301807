"""NLU and conversation benchmark: intents and procedures per set and per style, conversations, latency.

Run with the Rasa environment: `make bench-nlu` (python bench/nlu_bench.py --with-server). Single
messages are parsed by models/current.tar.gz in process; conversations are played through a Rasa server
and the action server this script starts, and judged by the procedure after each turn; /model/parse
latency is measured over HTTP. The blind sets come first: they are the fair measure (never tuned on).
`--train` also times a full training from scratch (ranker + DIET).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import unicodedata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.evaluation import conversation_figures, figures, parse_all, play, table  # noqa: E402
from knowledge.evaluation import BLIND, DEVELOPMENT  # noqa: E402
from knowledge.judged import Judged, conversations, messages  # noqa: E402

MESSAGE_SETS = [
    ("BLIND", BLIND / "messages.yml"),
    ("BLIND", BLIND / "portal_faq.yml"),
    ("development", DEVELOPMENT / "messages.yml"),
    ("development", ROOT / "tests" / "nlu" / "heldout.yml"),  # held out of DIET; read while tuning
    ("development", ROOT / "tests" / "nlu" / "dev_procedures.yml"),
]
CONVERSATION_SETS = [
    ("BLIND", BLIND / "conversations.yml"),
    ("development", DEVELOPMENT / "conversations.yml"),
]
OLD_STYLES = ROOT / "tests" / "nlu" / "heldout_styles.yml"
TARGETS = {"intent": 0.95, "top1": 0.93, "style_top1": 0.85, "wrong": 0.03, "portal": 0.95,
           "conversations": 0.92, "p95_ms": 40.0}  # fmt: skip


def _with_styles(path: Path, items: list[Judged]) -> list[Judged]:
    if path.name != "heldout.yml" or not OLD_STYLES.exists():
        return items
    styles = {
        unicodedata.normalize("NFC", k): v for k, v in yaml.safe_load(OLD_STYLES.read_text("utf-8")).items()
    }
    return [Judged(i.text, i.codes, styles.get(unicodedata.normalize("NFC", i.text), ""), i.intent, i.source)
            for i in items]  # fmt: skip


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def parse_latency(texts: list[str], url: str, token: str, rounds: int) -> float:
    import requests

    timings = []
    session = requests.Session()
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            response = session.post(
                f"{url}/model/parse", params={"token": token}, json={"text": text}, timeout=10
            )
            response.raise_for_status()
            timings.append((time.perf_counter() - start) * 1000)
    p95 = percentile(timings, 0.95)
    print(
        f"\n/model/parse over HTTP: n={len(timings)} p50={statistics.median(timings):.1f} ms p95={p95:.1f} ms"
    )
    return p95


def time_training() -> None:
    """A full training from scratch (the ranker, then DIET without cache) into a temporary folder."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [str(ROOT / ".venv/rasa/bin/python"), "-m", "knowledge", "train-ranker",
             "--out", f"{out}/ranker.json"],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        ranker = time.perf_counter() - start
        subprocess.run(
            [str(ROOT / ".venv/rasa/bin/rasa"), "train", "--force", "--config", "config.yml",
             "--domain", "bot/domain", "--data", "nlu_data", "--out", out],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        total = time.perf_counter() - start
        print(
            f"full training: ranker {ranker:.0f} s + DIET and dialogue {total - ranker:.0f} s = {total:.0f} s"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "current.tar.gz")
    parser.add_argument("--with-server", action="store_true", help="start Rasa: conversations and latency")
    parser.add_argument("--train", action="store_true", help="also time a full training from scratch")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if args.train:
        time_training()

    missed = []
    texts: list[str] = []
    for kind, path in MESSAGE_SETS:
        items = _with_styles(path, messages(path))
        texts += [i.text for i in items]
        parsed = parse_all(args.model, items)
        print("\n".join(table(f"{kind}: {path.relative_to(ROOT)} ({len(items)})", parsed)))
        if kind != "BLIND":
            continue
        overall = figures(parsed)
        portal = "portal" in path.name
        if overall.intent_accuracy < TARGETS["intent"]:
            missed.append(f"{path.name}: intent {overall.intent_accuracy:.3f}")
        if overall.procedure_top1 < (TARGETS["portal"] if portal else TARGETS["top1"]):
            missed.append(f"{path.name}: procedure top-1 {overall.procedure_top1:.3f}")
        if overall.linked_wrong > TARGETS["wrong"]:
            missed.append(f"{path.name}: confident wrong links {overall.linked_wrong:.3f}")
    if args.with_server:
        from tests.e2e.services import running_stack

        with running_stack(rasa_port=16005, actions_port=16055, redis_db=8) as stack:
            for kind, path in CONVERSATION_SETS:
                for click in (False, True):
                    played = play(stack.rasa_url, stack.token, conversations(path), click=click)
                    found = conversation_figures(played)
                    how = "clicking an offered button" if click else "as written"
                    shown = ", ".join(
                        f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in found.items()
                    )
                    print(f"\n{kind} conversations ({how}): {path.relative_to(ROOT)}: {shown}")
                    if kind == "BLIND" and not click and found["last_turn_right"] < TARGETS["conversations"]:
                        missed.append(f"{path.name}: last turn right {found['last_turn_right']:.3f}")
            if parse_latency(texts[:400], stack.rasa_url, stack.token, args.rounds) > TARGETS["p95_ms"]:
                missed.append("/model/parse p95")
    print("\ntargets (blind sets): " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
