"""What a channel is to the gateway: it parses its inbound events into `InboundMessage`s (in its own
routes) and renders the assistant's `OutgoingMessage`s its own way (here)."""

from __future__ import annotations

from typing import Protocol

from channels.message import InboundMessage, OutgoingMessage


class Channel(Protocol):
    """The outbound half of a channel, called by the delivery worker."""

    name: str

    async def send(self, message: InboundMessage, replies: list[OutgoingMessage]) -> None:
        """Delivers the replies to the citizen; raising makes the worker retry later.

        Called after the replies are stored in the transcript, possibly more than once for the same
        message when the gateway restarted in between.
        """
        ...
