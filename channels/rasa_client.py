"""Talks to Rasa over its REST channel (POST /webhooks/rest/webhook)."""

from __future__ import annotations

from typing import Any

import httpx

from channels.message import InboundMessage, OutgoingMessage, RasaReply, from_rasa


class RasaUnavailable(Exception):
    """Rasa could not be reached, timed out, or answered something other than a list of replies."""


class RasaClient:
    """One HTTP client to Rasa, shared by the delivery worker."""

    def __init__(self, base_url: str, timeout_seconds: float) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout_seconds, connect=min(timeout_seconds, 3.0)),
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=100),
        )

    async def ask(self, message: InboundMessage) -> list[OutgoingMessage]:
        """The assistant's replies to one message; raises RasaUnavailable when Rasa cannot answer."""
        body: dict[str, Any] = {
            "sender": message.sender,
            "message": message.text,
            "metadata": {"channel": message.channel, "message_id": message.message_id, **message.metadata},
        }
        try:
            response = await self._http.post("/webhooks/rest/webhook", json=body)
        except httpx.TimeoutException as error:
            raise RasaUnavailable(f"Rasa at {self.base_url} did not answer in time") from error
        except httpx.TransportError as error:
            raise RasaUnavailable(f"Rasa at {self.base_url} is not reachable: {error!r}") from error
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa at {self.base_url} answered HTTP {response.status_code}")
        try:
            replies: list[RasaReply] = response.json()
        except ValueError as error:
            raise RasaUnavailable(f"Rasa at {self.base_url} answered something that is not JSON") from error
        if not isinstance(replies, list):
            raise RasaUnavailable(f"Rasa at {self.base_url} answered {type(replies).__name__}, not a list")
        return from_rasa(replies)

    async def aclose(self) -> None:
        await self._http.aclose()
