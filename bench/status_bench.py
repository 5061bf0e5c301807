"""Status answer latency over the REST channel, p50/p95, with each connector.

For each connector this starts the real stack (action server + Rasa with models/current.tar.gz) and times,
over Rasa's REST channel, the turn that answers: the citizen has given the code, sends the 4 digits, and
waits for the status. Connectors: the SQL store (SQLite with the demo data) and the HTTP connector against
the local fake province server (tests/actions/status/fake_province.py) with the same data.

    source scripts/env.sh && .venv/rasa/bin/python bench/status_bench.py [--samples 40]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict
from pathlib import Path

import redis
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from actions.status.csv_import import read_applications  # noqa: E402
from tests.actions.status.fake_province import API_KEY, FakeProvince, running  # noqa: E402
from tests.e2e.services import Stack, running_stack  # noqa: E402
from tests.e2e.status_data import DEMO, seeded_status_env  # noqa: E402

LOCKOUT_DB = 13
PORTS = {"rasa_port": 15205, "actions_port": 15255, "redis_db": 14}


def say(stack: Stack, sender: str, text: str) -> list[dict]:
    response = requests.post(
        f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
    )
    response.raise_for_status()
    return response.json()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(stack: Stack, samples: int) -> dict[str, float]:
    cases = [(a.record.code, a.phone_last4 or a.id_last4) for a in read_applications(DEMO)]
    say(stack, f"warm-{uuid.uuid4()}", f"tra cứu hồ sơ {cases[0][0]}")  # first calls load caches
    answer_ms, whole_ms = [], []
    for n in range(samples):
        code, digits = cases[n % len(cases)]
        sender = f"bench-{uuid.uuid4()}"
        started = time.perf_counter()
        say(stack, sender, f"tra cứu hồ sơ {code}")
        asked = time.perf_counter()
        replies = say(stack, sender, digits)
        done = time.perf_counter()
        if f"Hồ sơ {code}" not in "".join(r.get("text", "") for r in replies):
            raise RuntimeError(f"no status answer for a demo code: {replies}")
        answer_ms.append((done - asked) * 1000)
        whole_ms.append((done - started) * 1000)
    return {
        "answer_p50": statistics.median(answer_ms),
        "answer_p95": percentile(answer_ms, 0.95),
        "two_turns_p50": statistics.median(whole_ms),
        "two_turns_p95": percentile(whole_ms, 0.95),
    }


@contextmanager
def sql_settings(folder: Path) -> Iterator[dict[str, str]]:
    env = seeded_status_env(folder)
    yield {**env, "STATUS_LOCKOUT_DB": str(LOCKOUT_DB)}


@contextmanager
def http_settings(folder: Path) -> Iterator[dict[str, str]]:
    applications = {}
    for stored in read_applications(DEMO):
        record = asdict(stored.record)
        record["supplement_items"] = list(stored.record.supplement_items)
        for name in ("received_on", "due_on"):
            record[name] = record[name].isoformat() if record[name] else None
        digits = {d for d in (stored.phone_last4, stored.id_last4) if d}
        applications[stored.record.code] = (record, digits)
    with running(FakeProvince(applications)) as province:
        yield {
            "STATUS_CONNECTOR": "http",
            "STATUS_API_URL": province.url,
            "STATUS_API_KEY": API_KEY,
            "STATUS_LOCKOUT_DB": str(LOCKOUT_DB),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=40)
    args = parser.parse_args()
    connectors: dict[str, Callable[[Path], AbstractContextManager[dict[str, str]]]] = {
        "sql (SQLite, demo data)": sql_settings,
        "http (local fake province)": http_settings,
    }
    rows = []
    for label, settings in connectors.items():
        redis.Redis(port=6379, db=LOCKOUT_DB).flushdb()
        with (
            tempfile.TemporaryDirectory() as folder,
            settings(Path(folder)) as env,
            running_stack(**PORTS, env=env) as stack,
        ):
            rows.append((label, measure(stack, args.samples)))
        redis.Redis(port=6379, db=LOCKOUT_DB).flushdb()
    print(f"Status answer latency over the REST channel ({args.samples} lookups per connector, ms)")
    print(f"{'connector':30} {'answer p50':>11} {'answer p95':>11} {'2 turns p50':>12} {'2 turns p95':>12}")
    for label, figures in rows:
        print(
            f"{label:30} {figures['answer_p50']:11.1f} {figures['answer_p95']:11.1f}"
            f" {figures['two_turns_p50']:12.1f} {figures['two_turns_p95']:12.1f}"
        )


if __name__ == "__main__":
    main()
