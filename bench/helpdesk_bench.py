"""Help-desk benchmark: time from an escalation to the conversation showing in an open console.

With 50 conversations already waiting, citizens ask for a person one after another over the widget's
HTTP API ("cho tôi gặp nhân viên"); the real bot hands off, the gateway opens a ticket, and a signed-in
console's live feed (the Server-Sent Events stream the console page follows) shows it. Measured per
escalation: from the citizen's message entering the gateway to the `escalated` event at the console
(p50/p95), and the console's share of it: from the ticket's creation to the event. Target: p95 under 2 s.

    .venv/gateway/bin/python bench/helpdesk_bench.py                 # starts Rasa, actions and a gateway
    .venv/gateway/bin/python bench/helpdesk_bench.py --waiting 50 --samples 40

Rasa and the action server run on ports 18205/18255 with their trackers in Redis db 11 (locks in 12); the
gateway uses db 12 (its keys never clash with Rasa's locks). Both are flushed before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import redis
from redis.asyncio import Redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.gateway_process import gateway_process  # noqa: E402
from channels.helpdesk.staff import StaffDirectory  # noqa: E402
from tests.e2e.services import running_stack  # noqa: E402

RASA_DB = 11  # trackers; Rasa's locks in 12
GATEWAY_DB = 12
ESCALATE = "cho tôi gặp nhân viên"
USERNAME, PASSWORD = "bench", "bench-password-123"
TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def helpdesk_gateway(rasa_url: str, token: str) -> Iterator[str]:
    """The gateway on a free port, the help desk open around the clock."""
    settings = {
        "GATEWAY_RASA_URL": rasa_url,
        "GATEWAY_RASA_TOKEN": token,
        "GATEWAY_REDIS_URL": f"redis://127.0.0.1:6379/{GATEWAY_DB}",
        "GATEWAY_HELPDESK_DAYS": "[0, 1, 2, 3, 4, 5, 6]",
        "GATEWAY_HELPDESK_OPENS": "00:00",
        "GATEWAY_HELPDESK_CLOSES": "23:59:59",
    }
    with gateway_process(free_port(), settings, "helpdesk-bench-gateway.log", "/helpdesk") as url:
        yield url


def flush() -> None:
    for db in (RASA_DB, GATEWAY_DB):
        redis.Redis(host="127.0.0.1", port=6379, db=db).flushdb()


async def add_account() -> None:
    client = Redis.from_url(f"redis://127.0.0.1:6379/{GATEWAY_DB}", decode_responses=True)
    try:
        await StaffDirectory(client).add(USERNAME, "Nhân viên Đo Thử", "agent", PASSWORD, replace=True)
    finally:
        await client.aclose()


class Console:
    """A signed-in console following the live feed: when each conversation first showed as escalated."""

    def __init__(self, gateway_url: str) -> None:
        self.http = httpx.AsyncClient(base_url=f"{gateway_url}/helpdesk/api", timeout=None)
        self.seen: dict[str, tuple[float, float]] = {}  # conversation -> (monotonic, wall clock) at arrival
        self.waiters: dict[str, asyncio.Event] = {}
        self.ready = asyncio.Event()

    async def sign_in(self) -> None:
        signed = await self.http.post("/session", json={"username": USERNAME, "password": PASSWORD})
        signed.raise_for_status()

    async def follow(self) -> None:
        async with self.http.stream("GET", "/events") as stream:
            async for line in stream.aiter_lines():
                if line.startswith("event: ready"):
                    self.ready.set()
                if not line.startswith("data: "):
                    continue
                data: dict[str, Any] = json.loads(line[len("data: ") :])
                if data.get("kind") != "escalated":
                    continue
                conversation = data["ticket"]["conversation_id"]
                self.seen.setdefault(conversation, (time.monotonic(), time.time()))
                self.waiters.setdefault(conversation, asyncio.Event()).set()

    async def shown(self, conversation: str) -> tuple[float, float]:
        await asyncio.wait_for(self.waiters.setdefault(conversation, asyncio.Event()).wait(), TIMEOUT)
        return self.seen[conversation]

    async def waiting(self) -> int:
        return len((await self.http.get("/tickets", params={"view": "waiting"})).json()["tickets"])


async def escalate(http: httpx.AsyncClient, gateway_url: str) -> tuple[str, float]:
    """A new citizen asks for a person; the conversation and when the message entered the gateway."""
    conversation = uuid.uuid4().hex
    started = time.monotonic()
    body = {"message_id": uuid.uuid4().hex, "text": ESCALATE}
    (await http.post(f"{gateway_url}/api/web/{conversation}/messages", json=body)).raise_for_status()
    return conversation, started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share + 0.5) - 1)]


async def run(gateway_url: str, waiting: int, samples: int) -> None:
    await add_account()
    console = Console(gateway_url)
    await console.sign_in()
    follower = asyncio.create_task(console.follow())
    await asyncio.wait_for(console.ready.wait(), 10)
    async with httpx.AsyncClient(timeout=30) as http:
        print(f"queueing {waiting} waiting conversations...", flush=True)
        queued = [await escalate(http, gateway_url) for _ in range(waiting)]
        await asyncio.gather(*(console.shown(conversation) for conversation, _ in queued))
        before = await console.waiting()
        print(
            f"{before} conversations waiting; measuring {samples} escalations one after another", flush=True
        )
        total, console_share = [], []
        for _ in range(samples):
            conversation, started = await escalate(http, gateway_url)
            arrived, arrived_wall = await console.shown(conversation)
            total.append(arrived - started)
            ticket = next(
                t for t in (await console.http.get("/tickets", params={"view": "waiting"})).json()["tickets"]
                if t["conversation_id"] == conversation
            )  # fmt: skip
            console_share.append(max(0.0, arrived_wall - ticket["created_at"] / 1000))
        after = await console.waiting()
    follower.cancel()
    await asyncio.gather(follower, return_exceptions=True)
    await console.http.aclose()

    def line(name: str, values: list[float]) -> str:
        return (
            f"{name:<46} p50 {statistics.median(values) * 1000:6.0f} ms  "
            f"p95 {percentile(values, 0.95) * 1000:6.0f} ms  max {max(values) * 1000:6.0f} ms"
        )

    print(f"{samples} escalations with {before}–{after} conversations waiting:")
    print(line("message in gateway -> shown in console", total))
    print(line("ticket created -> shown in console", console_share))
    verdict = "ok" if percentile(total, 0.95) <= 2.0 else "OVER TARGET"
    print(f"p95 escalation to console {percentile(total, 0.95):.2f} s (target <= 2 s): {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--waiting", type=int, default=50, help="conversations waiting before measuring")
    parser.add_argument("--samples", type=int, default=40, help="escalations measured")
    args = parser.parse_args()
    flush()
    try:
        with ExitStack() as started:
            stack = started.enter_context(
                running_stack(rasa_port=18205, actions_port=18255, redis_db=RASA_DB)
            )
            gateway_url = started.enter_context(helpdesk_gateway(stack.rasa_url, stack.token))
            asyncio.run(run(gateway_url, args.waiting, args.samples))
    finally:
        flush()


if __name__ == "__main__":
    main()
