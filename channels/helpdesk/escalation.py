"""Where the delivery worker meets the help desk: a handoff in Rasa's replies opens a ticket, and what the
citizen writes while a ticket is open goes to the ticket's feed too (Rasa, paused, still logs it)."""

from __future__ import annotations

from datetime import UTC, datetime

from channels.helpdesk.hours import WorkingHours, waiting_notice
from channels.helpdesk.tickets import TicketStore
from channels.message import InboundMessage, OutgoingMessage
from channels.rasa_client import RasaAnswer


class Escalation:
    """Called by `channels.delivery.Delivery` around each question to Rasa."""

    def __init__(self, tickets: TicketStore, hours: WorkingHours, minutes_per_conversation: float) -> None:
        self.tickets = tickets
        self.hours = hours
        self.minutes_per_conversation = minutes_per_conversation

    async def before_rasa(self, message: InboundMessage) -> None:
        """Shows the message to staff at once when its conversation has an open ticket."""
        if await self.tickets.escalated_by(message) is None:
            await self.tickets.follow_up(message)

    async def after_rasa(self, message: InboundMessage, answer: RasaAnswer) -> list[OutgoingMessage]:
        """The replies for the citizen: the bot's, and the expected wait when this message escalated.

        Keyed by the message: a redelivered message finds its ticket (Rasa, paused by then, answers
        nothing the second time) and is told the wait again, without a second ticket.
        """
        ticket_id = await self.tickets.escalated_by(message)
        if ticket_id is None and answer.handoff is not None:
            ticket_id = (await self.tickets.escalate(message, answer.handoff)).ticket_id
        if ticket_id is None:
            return answer.messages
        position = await self.tickets.position(ticket_id)
        minutes = await self.tickets.minutes_per_conversation(self.minutes_per_conversation)
        notice = waiting_notice(self.hours, datetime.now(UTC), position, minutes)
        return [*answer.messages, OutgoingMessage(text=notice)]
