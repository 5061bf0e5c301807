"""Starts the real services (action server, Rasa with the trained model) for tests and benches."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
RASA = ROOT / ".venv" / "rasa" / "bin" / "rasa"
MODEL = ROOT / "models" / "current.tar.gz"


@dataclass
class Stack:
    rasa_url: str
    actions_url: str
    token: str


def _wait(url: str, process: subprocess.Popen[bytes], seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}; see {log}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {seconds:.0f} s; see {log}")


@contextmanager
def running_stack(
    rasa_port: int = 15005, actions_port: int = 15055, redis_db: int = 5, env: dict[str, str] | None = None
) -> Iterator[Stack]:
    """Action server and Rasa on test ports, trackers in their own Redis databases; stopped on exit.

    `env` adds settings for both services (e.g. the status store: STATUS_DB_URL, STATUS_LOCKOUT_DB).
    """
    if not MODEL.exists():
        raise RuntimeError(f"{MODEL} is missing: run scripts/train.sh (make test does)")
    subprocess.run([str(ROOT / "scripts" / "redis.sh")], cwd=ROOT, check=True)
    token = "test-token"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "REDIS_HOST": os.environ.get("REDIS_HOST", "127.0.0.1"),
        "REDIS_PORT": os.environ.get("REDIS_PORT", "6379"),
        "REDIS_TRACKER_DB": str(redis_db),
        "REDIS_LOCK_DB": str(redis_db + 1),
        "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}/webhook",
        **(env or {}),
    }
    logs = ROOT / ".run"
    logs.mkdir(exist_ok=True)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        actions_log = logs / f"actions-{actions_port}.log"
        actions = subprocess.Popen(
            [str(RASA), "run", "actions", "--actions", "actions", "--port", str(actions_port)],
            cwd=ROOT, env=env, stdout=actions_log.open("wb"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        processes.append(actions)
        rasa_log = logs / f"rasa-{rasa_port}.log"
        rasa = subprocess.Popen(
            [str(RASA), "run", "--enable-api", "--auth-token", token, "-i", "127.0.0.1",
             "-p", str(rasa_port), "--model", str(MODEL), "--endpoints", "bot/endpoints.yml",
             "--credentials", "bot/credentials.yml"],
            cwd=ROOT, env=env, stdout=rasa_log.open("wb"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        processes.append(rasa)
        _wait(f"http://127.0.0.1:{actions_port}/health", actions, 120, actions_log)
        _wait(f"http://127.0.0.1:{rasa_port}/status?token={token}", rasa, 180, rasa_log)
        yield Stack(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{actions_port}", token)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":  # handy for benches: python tests/e2e/services.py
    with running_stack() as stack:
        print(stack, flush=True)
        sys.stdin.read()
