from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from channels.message import InboundMessage
from channels.rasa_client import RasaClient, RasaUnavailable
from tests.channels.servers import free_port
from tests.e2e.services import Stack

MESSAGE = InboundMessage("web", "abcdefgh", "m1", "xin chào")


def ask(url: str, timeout: float = 2.0) -> object:
    async def run() -> object:
        client = RasaClient(url, timeout)
        try:
            return await client.ask(MESSAGE)
        finally:
            await client.aclose()

    return asyncio.run(run())


@pytest.fixture
def failing_server() -> Iterator[str]:
    """A server answering 503, as a Rasa behind a proxy does while it restarts."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(503)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_rasa_down_is_a_clear_error() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(RasaUnavailable, match=f"Rasa at {url} is not reachable"):
        ask(url)


def test_rasa_5xx_is_a_clear_error(failing_server: str) -> None:
    with pytest.raises(RasaUnavailable, match="answered HTTP 503"):
        ask(failing_server)


def test_real_rasa_answers_with_outgoing_messages(stack: Stack) -> None:
    replies = ask(stack.rasa_url, timeout=30)
    assert isinstance(replies, list) and replies
    assert all(reply.text or reply.buttons for reply in replies)
