"""Talks to Rasa over its REST channel (POST /webhooks/rest/webhook)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import SecretStr

from channels.message import Handoff, InboundMessage, OutgoingMessage, RasaReply, from_rasa, handoff_in


class RasaUnavailable(Exception):
    """Rasa could not be reached, timed out, or answered something other than a list of replies."""


class RasaRefused(Exception):
    """Rasa's HTTP API answered 4xx (no or a wrong token, an unknown event): retrying will not help."""


@dataclass(frozen=True)
class RasaAnswer:
    """What the assistant answered one message: its messages, and a handoff when it asked for a person."""

    messages: list[OutgoingMessage]
    handoff: Handoff | None = None


class RasaClient:
    """One HTTP client to Rasa, shared by the delivery worker and the help desk."""

    def __init__(self, base_url: str, timeout_seconds: float, token: SecretStr | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout_seconds, connect=min(timeout_seconds, 3.0)),
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=100),
        )

    async def ask(self, message: InboundMessage) -> list[OutgoingMessage]:
        """The assistant's replies to one message; raises RasaUnavailable when Rasa cannot answer."""
        return (await self.converse(message)).messages

    async def converse(self, message: InboundMessage) -> RasaAnswer:
        """The assistant's replies to one message, with its handoff request if it made one."""
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
        return RasaAnswer(from_rasa(replies), handoff_in(replies))

    async def tracker_events(self, sender: str) -> list[dict[str, Any]]:
        """Every event of a conversation's tracker (Rasa's HTTP API), oldest first."""
        response = await self._api("GET", f"/conversations/{quote(sender, safe='')}/tracker", None)
        events = response.get("events") if isinstance(response, dict) else None
        if not isinstance(events, list):
            raise RasaUnavailable(f"Rasa at {self.base_url} answered a tracker without events")
        return [event for event in events if isinstance(event, dict)]

    async def append_event(self, sender: str, event: dict[str, Any]) -> None:
        """Appends one event (a staff reply as `bot`, `resume`, `pause`) to a conversation's tracker."""
        await self._api("POST", f"/conversations/{quote(sender, safe='')}/tracker/events", event)

    async def _api(self, method: str, path: str, body: dict[str, Any] | None) -> Any:
        if self._token is None or not self._token.get_secret_value():
            raise RasaRefused("the gateway has no Rasa API token (GATEWAY_RASA_TOKEN)")
        params = {"token": self._token.get_secret_value()}
        try:
            response = await self._http.request(method, path, params=params, json=body)
        except httpx.TimeoutException as error:
            raise RasaUnavailable(f"Rasa at {self.base_url} did not answer in time") from error
        except httpx.TransportError as error:
            raise RasaUnavailable(f"Rasa at {self.base_url} is not reachable: {error!r}") from error
        if 400 <= response.status_code < 500:
            what = path.split("/")[1]
            raise RasaRefused(f"Rasa's API refused {method} {what}: HTTP {response.status_code}")
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa at {self.base_url} answered HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError as error:
            raise RasaUnavailable(f"Rasa at {self.base_url} answered something that is not JSON") from error

    async def aclose(self) -> None:
        await self._http.aclose()
