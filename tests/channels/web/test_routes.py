"""The widget's HTTP and WebSocket routes on a real gateway (uvicorn) and the real Redis."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator

import httpx
import pytest
import redis
import websockets

from channels.inbox import STREAM
from channels.settings import Settings
from tests.channels.servers import GatewayServer, free_port

CONVERSATION = "abcdefgh12345678"


@pytest.fixture
def gateway(make_settings: Callable[..., Settings]) -> Iterator[GatewayServer]:
    # Only the way in is tested here, so Rasa may as well be down.
    with GatewayServer(make_settings(rasa_url=f"http://127.0.0.1:{free_port()}")) as server:
        yield server


def nothing_stored(redis_client: redis.Redis) -> bool:
    return not redis_client.exists(STREAM) or redis_client.xlen(STREAM) == 0


def post_raw(gateway: GatewayServer, body: bytes, conversation: str = CONVERSATION) -> httpx.Response:
    return httpx.post(
        f"{gateway.url}/api/web/{conversation}/messages",
        content=body,
        headers={"content-type": "application/json"},
        timeout=10,
    )


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        (b'{"message_id": "m1", "text": ', 400, "body is not valid JSON"),
        (b'{"message_id": "m1", "text": "xin ch\xe0o"}', 400, "body is not valid UTF-8"),
        (b'{"message_id": "m1", "text": ""}', 422, "text is empty"),
        (json.dumps({"message_id": "m1", "text": "a" * 2001}).encode(), 422, "at most 2000"),
        (json.dumps({"message_id": "m1", "text": "a" * 20_000}).encode(), 413, "larger than 16384 bytes"),
    ],
    ids=["malformed", "not-utf8", "empty", "too-long-text", "oversized"],
)
def test_bad_payloads_get_a_4xx_with_the_reason_and_nothing_is_stored(
    gateway: GatewayServer, redis_client: redis.Redis, body: bytes, status: int, reason: str
) -> None:
    response = post_raw(gateway, body)
    assert response.status_code == status
    assert reason in response.json()["detail"]
    assert nothing_stored(redis_client)
    assert httpx.get(f"{gateway.url}/api/web/{CONVERSATION}/messages").json() == {"entries": []}


def test_an_oversized_body_without_a_declared_length_is_refused(
    gateway: GatewayServer, redis_client: redis.Redis
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"message_id": "m1", "text": "'
        for _ in range(40):
            yield b"a" * 1000
        yield b'"}'

    response = httpx.post(f"{gateway.url}/api/web/{CONVERSATION}/messages", content=chunks(), timeout=10)
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]
    assert nothing_stored(redis_client)


def test_a_bad_conversation_id_is_refused(gateway: GatewayServer) -> None:
    response = post_raw(gateway, '{"message_id": "m1", "text": "xin chào"}'.encode(), conversation="x")
    assert response.status_code == 422
    response = httpx.get(f"{gateway.url}/api/web/{CONVERSATION}/messages", params={"after": "1; DROP"})
    assert response.status_code == 422


def test_a_message_is_queued_and_shown_before_it_is_answered(gateway: GatewayServer) -> None:
    response = post_raw(gateway, '{"message_id": "m1", "text": "xin chào"}'.encode())
    assert response.status_code == 202
    [entry] = httpx.get(f"{gateway.url}/api/web/{CONVERSATION}/messages").json()["entries"]
    assert entry["kind"] == "user" and entry["text"] == "xin chào"
    after = entry["id"]
    waited = httpx.get(
        f"{gateway.url}/api/web/{CONVERSATION}/messages", params={"after": after, "wait": 0.3}
    ).json()
    assert waited == {"entries": []}


def test_a_long_poll_outlasts_the_redis_read_timeout(gateway: GatewayServer) -> None:
    # redis-py stops reading after 5 s; a longer wait must still end quietly with nothing new.
    response = httpx.get(
        f"{gateway.url}/api/web/{CONVERSATION}/messages", params={"after": "0-0", "wait": 6.5}, timeout=15
    )
    assert response.status_code == 200 and response.json() == {"entries": []}
    assert response.elapsed.total_seconds() >= 6


def test_the_demo_page_embeds_the_widget_with_one_script_tag(gateway: GatewayServer) -> None:
    page = httpx.get(gateway.url)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.text.count("<script") == 1 and '<script src="/widget.js"></script>' in page.text
    script = httpx.get(f"{gateway.url}/widget.js")
    assert script.headers["content-type"].startswith("text/javascript")
    for html_sink in (".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write"):
        assert html_sink not in script.text
    assert httpx.get(f"{gateway.url}/widget.css").status_code == 200


def test_the_websocket_acknowledges_refuses_and_streams(gateway: GatewayServer) -> None:
    async def talk() -> list[dict]:
        frames = []
        url = gateway.url.replace("http://", "ws://") + f"/ws/web/{CONVERSATION}"
        async with websockets.connect(url) as socket:
            frames.append(json.loads(await socket.recv()))  # the history (empty)
            await socket.send(json.dumps({"message_id": "m1", "text": "xin chào"}))
            await socket.send(json.dumps({"message_id": "m1", "text": "xin chào"}))
            await socket.send('{"message_id": "m2", "text": ')
            await socket.send(json.dumps({"message_id": "m3", "text": " "}))
            for _ in range(5):
                frames.append(json.loads(await asyncio.wait_for(socket.recv(), 5)))
        return frames

    frames = asyncio.run(talk())
    assert frames[0] == {"type": "entries", "entries": []}
    kinds = [(f["type"], f.get("message_id"), f.get("duplicate"), f.get("status")) for f in frames[1:]]
    assert ("ack", "m1", False, None) in kinds
    assert ("ack", "m1", True, None) in kinds
    assert ("error", None, None, 400) in kinds
    assert ("error", "m3", None, 422) in kinds
    [streamed] = [f for f in frames if f["type"] == "entries" and f["entries"]]
    assert [e["message_id"] for e in streamed["entries"]] == ["m1"]


def test_the_websocket_closes_on_an_oversized_frame(
    gateway: GatewayServer, redis_client: redis.Redis
) -> None:
    async def talk() -> int | None:
        url = gateway.url.replace("http://", "ws://") + f"/ws/web/{CONVERSATION}"
        async with websockets.connect(url) as socket:
            await socket.recv()
            await socket.send(json.dumps({"message_id": "m1", "text": "a" * 20_000}))
            with pytest.raises(websockets.ConnectionClosed):
                await asyncio.wait_for(socket.recv(), 5)
            return socket.close_code

    assert asyncio.run(talk()) == 1009
    assert nothing_stored(redis_client)


def test_the_websocket_refuses_foreign_origins(gateway: GatewayServer) -> None:
    async def connect() -> None:
        url = gateway.url.replace("http://", "ws://") + f"/ws/web/{CONVERSATION}"
        async with websockets.connect(url, origin="https://evil.example"):  # type: ignore[arg-type]
            pass

    with pytest.raises(websockets.InvalidStatus):
        asyncio.run(connect())
