"""Gateway benchmark: N simulated citizens over the widget's WebSocket and over the Zalo webhook, and the
same load straight to Rasa.

Each user sends M questions one after another (the next once the previous is answered, as a person
chats). End-to-end latency is from sending to the `answered` entry on the socket; the same questions
go to Rasa's REST channel in the same run. Prints p50/p95 latency, throughput, the ratio of p95s (the
gateway's overhead; target <= 1.15 at 50 users) and the lost and duplicated messages (target 0/0).

Zalo users post signed `user_send_text` webhooks, each twice (as Zalo retries); their replies are
collected by a local fake Zalo server (tests/channels/zalo/fake_zalo.py, never the real Zalo). Latency is
from the first post to the last piece of the answer at the fake; an answer is lost when it has not
fully arrived within the timeout, duplicated when more pieces arrive than the stored answer makes.

    .venv/gateway/bin/python bench/gateway_bench.py            # starts its own Rasa, actions, gateway
    .venv/gateway/bin/python bench/gateway_bench.py --users 50 --messages 4 --rounds 2
    .venv/gateway/bin/python bench/gateway_bench.py --channels zalo     # only the Zalo webhook
    .venv/gateway/bin/python bench/gateway_bench.py --rasa-url http://127.0.0.1:5005 --gateway-url http://127.0.0.1:8000
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
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import redis.asyncio as aioredis
import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.gateway_process import gateway_process  # noqa: E402
from channels.conversation import answer_key  # noqa: E402
from channels.message import InboundMessage, OutgoingMessage  # noqa: E402
from channels.zalo.api import split_text  # noqa: E402
from channels.zalo.channel import render  # noqa: E402
from tests.channels.zalo import fake_zalo  # noqa: E402
from tests.channels.zalo.webhook_client import event, signed  # noqa: E402
from tests.e2e.services import running_stack  # noqa: E402

QUESTIONS = [
    "làm hộ chiếu hết bao nhiêu tiền",
    "thế còn thời gian giải quyết mất bao lâu?",
    "lam cccd het bn tien",
    "đăng ký khai sinh cần giấy tờ gì",
    "cấp lại giấy phép lái xe nộp ở đâu",
    "xin chào",
]
ANSWER_TIMEOUT = 120.0
BENCH_REDIS_DB = 12  # flushed before and after a run: nothing else may live there


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    lost: int = 0
    duplicated: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def line(self, name: str) -> str:
        ordered = sorted(self.latencies)
        p50 = statistics.median(ordered) if ordered else float("nan")
        p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)] if ordered else float("nan")
        rate = len(ordered) / self.seconds if self.seconds else 0.0
        return (
            f"{name:<26} answered {len(ordered):>5}  p50 {p50 * 1000:7.0f} ms  p95 {p95 * 1000:7.0f} ms  "
            f"max {ordered[-1] * 1000 if ordered else 0:6.0f} ms  {rate:5.1f} msg/s  "
            f"lost {self.lost}  duplicated {self.duplicated}"
            + (f"  errors {dict(self.errors)}" if self.errors else "")
        )

    def add(self, other: Results) -> None:
        self.latencies += other.latencies
        self.lost += other.lost
        self.duplicated += other.duplicated
        self.errors.update(other.errors)
        self.seconds += other.seconds

    def p95(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, int(len(ordered) * 0.95) - 1)] if ordered else float("nan")


async def widget_user(gateway_url: str, user: int, messages: int, results: Results) -> None:
    """One citizen on the widget: sends, waits for the answer; reconnects and resends as the widget does
    (a resent message keeps its id, so the gateway drops the copy)."""
    conversation = f"bench{user:03d}{uuid.uuid4().hex[:12]}"
    base = gateway_url.replace("http://", "ws://").replace("https://", "wss://") + f"/ws/web/{conversation}"
    answered: Counter[str] = Counter()
    last: str | None = None
    socket: Any = None

    def take(frame: dict[str, Any]) -> None:
        nonlocal last
        if frame["type"] == "error":
            results.errors[str(frame.get("status"))] += 1
        for entry in frame.get("entries", []):
            last = entry["id"]
            if entry["kind"] == "answered":
                answered[entry["reply_to"]] += 1

    try:
        for index in range(messages):
            body = json.dumps(
                {"message_id": (message_id := uuid.uuid4().hex), "text": QUESTIONS[index % len(QUESTIONS)]}
            )
            sent = time.perf_counter()
            deadline = sent + ANSWER_TIMEOUT
            while not answered[message_id] and time.perf_counter() < deadline:
                try:
                    if socket is None:
                        socket = await websockets.connect(
                            base + (f"?after={last}" if last else ""), max_size=2**22
                        )
                        take(json.loads(await socket.recv()))
                    await socket.send(body)
                    while not answered[message_id]:
                        left = deadline - time.perf_counter()
                        take(json.loads(await asyncio.wait_for(socket.recv(), max(0.01, left))))
                except TimeoutError:
                    break
                except (OSError, websockets.ConnectionClosed):
                    results.errors["reconnect"] += 1
                    socket = None
                    await asyncio.sleep(0.5)
            if answered[message_id]:
                results.latencies.append(time.perf_counter() - sent)
            else:
                results.lost += 1
        # Anything answered twice arrives within a moment of the first answer.
        with suppress(TimeoutError, websockets.ConnectionClosed):
            while socket is not None:
                take(json.loads(await asyncio.wait_for(socket.recv(), 1.0)))
    finally:
        if socket is not None:
            await socket.close()
    results.duplicated += sum(count - 1 for count in answered.values() if count > 1)


async def rasa_user(
    client: httpx.AsyncClient, rasa_url: str, user: int, messages: int, results: Results
) -> None:
    sender = f"bench-rasa-{user:03d}-{uuid.uuid4().hex[:12]}"
    for index in range(messages):
        sent = time.perf_counter()
        try:
            response = await client.post(
                f"{rasa_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": QUESTIONS[index % len(QUESTIONS)]},
            )
            response.raise_for_status()
            response.json()
        except (httpx.HTTPError, ValueError) as error:
            results.errors[type(error).__name__] += 1
            results.lost += 1
            continue
        results.latencies.append(time.perf_counter() - sent)


async def run_widget(gateway_url: str, users: int, messages: int) -> Results:
    results = Results()
    started = time.perf_counter()
    outcomes = await asyncio.gather(
        *(widget_user(gateway_url, user, messages, results) for user in range(users)), return_exceptions=True
    )
    results.seconds = time.perf_counter() - started
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            results.errors[type(outcome).__name__] += 1
            results.lost += messages
    return results


def zalo_pieces(stored: str) -> int:
    """How many Zalo messages a stored answer makes (rendered and split as the Zalo channel does)."""
    texts, _ = render([OutgoingMessage.from_dict(item) for item in json.loads(stored)])
    return sum(len(split_text(text)) for text in texts)


class ZaloInboxes:
    """What the fake Zalo received, per user, with an event to wait on (set from the fake's thread)."""

    def __init__(self, fake: fake_zalo.FakeZalo) -> None:
        self.loop = asyncio.get_running_loop()
        self.received: dict[str, list[fake_zalo.Sent]] = {}
        self.arrived: dict[str, asyncio.Event] = {}
        fake.state.on_sent = lambda sent: self.loop.call_soon_threadsafe(self._add, sent)

    def _add(self, sent: fake_zalo.Sent) -> None:
        self.received.setdefault(sent.user_id, []).append(sent)
        self.arrived.setdefault(sent.user_id, asyncio.Event()).set()

    async def wait(self, user_id: str, count: int, until: float) -> list[fake_zalo.Sent]:
        """The messages of `user_id` once there are `count` (fewer when `until` passes first)."""
        event = self.arrived.setdefault(user_id, asyncio.Event())
        while len(self.received.get(user_id, [])) < count and (left := until - time.monotonic()) > 0:
            event.clear()
            with suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), left)
        return self.received.get(user_id, [])


async def zalo_user(
    client: httpx.AsyncClient,
    store: aioredis.Redis,
    gateway_url: str,
    inboxes: ZaloInboxes,
    user: int,
    messages: int,
    results: Results,
) -> None:
    user_id = f"9{user:03d}{uuid.uuid4().int % 10**12:012d}"
    expected = 0
    for index in range(messages):
        msg_id = uuid.uuid4().hex
        raw, headers = signed(event("user_send_text", user_id, QUESTIONS[index % len(QUESTIONS)], msg_id))
        sent = time.monotonic()
        for _ in range(2):  # Zalo's retry of the same event: must be answered once
            response = await client.post(f"{gateway_url}/webhooks/zalo", content=raw, headers=headers)
            if response.status_code != 200:
                results.errors[str(response.status_code)] += 1
        # The answer is stored before its first piece is sent: once one arrives, count how many make it
        # (looking at the store each second too, for an answer of no pieces at all).
        key = answer_key(InboundMessage("zalo", user_id, msg_id, ""))
        deadline = sent + ANSWER_TIMEOUT
        while True:
            arrived = await inboxes.wait(user_id, expected + 1, min(time.monotonic() + 1, deadline))
            stored = await store.get(key)
            pieces = zalo_pieces(str(stored)) if stored else 0
            if len(arrived) > expected or (stored and pieces == 0) or time.monotonic() >= deadline:
                break
        arrived = await inboxes.wait(user_id, expected + pieces, deadline)
        if not stored or len(arrived) < expected + pieces:
            results.lost += 1
            expected = len(arrived)
            continue
        expected += pieces
        results.latencies.append(arrived[expected - 1].at - sent)
    await asyncio.sleep(1.0)  # anything sent twice arrives within a moment of the first
    results.duplicated += max(0, len(inboxes.received.get(user_id, [])) - expected)


async def run_zalo(gateway_url: str, fake: fake_zalo.FakeZalo, users: int, messages: int) -> Results:
    results = Results()
    store = aioredis.Redis(host="127.0.0.1", port=6379, db=BENCH_REDIS_DB, decode_responses=True)
    inboxes = ZaloInboxes(fake)
    limits = httpx.Limits(max_connections=users * 2)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        started = time.perf_counter()
        outcomes = await asyncio.gather(
            *(
                zalo_user(client, store, gateway_url, inboxes, user, messages, results)
                for user in range(users)
            ),
            return_exceptions=True,
        )
        results.seconds = time.perf_counter() - started - 1.0  # less the wait for late duplicates
    fake.state.on_sent = None
    await store.aclose()
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            results.errors[type(outcome).__name__] += 1
    return results


def zalo_env(fake: fake_zalo.FakeZalo) -> dict[str, str]:
    """The gateway's Zalo settings, pointed at the fake."""
    return {
        "GATEWAY_ZALO_APP_ID": fake_zalo.APP_ID,
        "GATEWAY_ZALO_OA_SECRET_KEY": fake_zalo.OA_SECRET_KEY,
        "GATEWAY_ZALO_APP_SECRET": fake_zalo.APP_SECRET,
        "GATEWAY_ZALO_ACCESS_TOKEN": fake_zalo.FIRST_ACCESS_TOKEN,
        "GATEWAY_ZALO_REFRESH_TOKEN": fake_zalo.FIRST_REFRESH_TOKEN,
        "GATEWAY_ZALO_API_BASE": fake.url,
        "GATEWAY_ZALO_OAUTH_BASE": fake.url,
    }


async def run_rasa(rasa_url: str, users: int, messages: int) -> Results:
    results = Results()
    limits = httpx.Limits(max_connections=users * 2)
    async with httpx.AsyncClient(timeout=ANSWER_TIMEOUT, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(rasa_user(client, rasa_url, user, messages, results) for user in range(users)))
        results.seconds = time.perf_counter() - started
    return results


@contextmanager
def bench_gateway(rasa_url: str, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """The gateway on its own port and Redis database (flushed before and after)."""
    import redis

    port = 18800
    with socket.socket() as probe:
        # A gateway already there (another bench) would be measured instead, and its database flushed.
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise RuntimeError(f"port {port} is in use: is another bench running?")
    redis.Redis(host="127.0.0.1", port=6379, db=BENCH_REDIS_DB).flushdb()
    settings = {
        "GATEWAY_RASA_URL": rasa_url,
        "GATEWAY_REDIS_URL": f"redis://127.0.0.1:6379/{BENCH_REDIS_DB}",
        **(extra_env or {}),
    }
    try:
        with gateway_process(port, settings, "gateway-bench.log", "/widget.js") as url:
            yield url
    finally:
        redis.Redis(host="127.0.0.1", port=6379, db=BENCH_REDIS_DB).flushdb()


def bench(
    rasa_url: str,
    gateway_url: str,
    users: int,
    messages: int,
    rounds: int,
    kinds: list[str],
    fake: fake_zalo.FakeZalo | None = None,
) -> None:
    print(f"{users} users x {messages} messages, {rounds} rounds of each; warming up...", flush=True)
    runs = {
        "rasa": lambda u, m: run_rasa(rasa_url, u, m),
        "widget": lambda u, m: run_widget(gateway_url, u, m),
    }
    if fake is not None:
        runs["zalo"] = lambda u, m: run_zalo(gateway_url, fake, u, m)
    kinds = ["rasa", *(kind for kind in kinds if kind in runs)]
    for kind in kinds:
        asyncio.run(runs[kind](4, 2))
    totals = {kind: Results() for kind in kinds}
    # Rounds alternate which goes first, so a machine busy with something else weighs on all alike.
    for round_ in range(rounds):
        for kind in kinds if round_ % 2 == 0 else kinds[::-1]:
            totals[kind].add(asyncio.run(runs[kind](users, messages)))
    names = {
        "rasa": "Rasa REST (direct)",
        "widget": "widget WebSocket (gateway)",
        "zalo": "Zalo webhook (gateway)",
    }
    for kind in kinds:
        print(totals[kind].line(names[kind]))
    for kind in kinds[1:]:
        total = totals[kind]
        ratio = total.p95() / totals["rasa"].p95()
        verdict = "ok" if ratio <= 1.15 and total.lost == 0 and total.duplicated == 0 else "OVER TARGET"
        print(f"{kind}: p95 ratio gateway/direct {ratio:.2f} (target <= 1.15)  lost {total.lost}  "
              f"duplicated {total.duplicated} (target 0/0): {verdict}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--messages", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2, help="rounds of each load, alternating")
    parser.add_argument(
        "--channels", default="widget,zalo", help="comma-separated: widget, zalo (default: both)"
    )
    parser.add_argument("--rasa-url", help="a running Rasa (default: start one on test ports)")
    parser.add_argument(
        "--gateway-url",
        help="a running gateway in front of --rasa-url (default: start one); Zalo is then skipped, "
        "as only a gateway started here points at the fake Zalo",
    )
    args = parser.parse_args()
    kinds = [kind.strip() for kind in args.channels.split(",") if kind.strip()]
    load = (args.users, args.messages, args.rounds, kinds)
    if args.rasa_url and args.gateway_url:
        bench(args.rasa_url, args.gateway_url, *load)
        return
    with ExitStack() as stack:
        fake = stack.enter_context(fake_zalo.FakeZalo()) if "zalo" in kinds else None
        rasa_url = (
            args.rasa_url
            or stack.enter_context(running_stack(rasa_port=18005, actions_port=18055, redis_db=13)).rasa_url
        )
        gateway_url = stack.enter_context(bench_gateway(rasa_url, zalo_env(fake) if fake else None))
        bench(rasa_url, gateway_url, *load, fake=fake)


if __name__ == "__main__":
    main()
