"""The gateway as the benches run it: `python -m channels` in its own process, until it answers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def gateway_process(port: int, settings: dict[str, str], log_name: str, ready_path: str) -> Iterator[str]:
    """Its URL once `ready_path` answers 200; `settings` are GATEWAY_* variables; stopped on exit."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "GATEWAY_PORT": str(port),
        "GATEWAY_LOG_LEVEL": "WARNING",
        **settings,
    }
    log = ROOT / ".run" / log_name
    log.parent.mkdir(exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "channels"], cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{url}{ready_path}", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"the gateway did not start; see {log}")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
