"""The help desk's acts, each checked against the staff member's role and recorded in the audit log."""

from __future__ import annotations

import logging
from typing import Any

from redis.asyncio import Redis

from channels.channel import Channel
from channels.helpdesk.audit import AuditLog
from channels.helpdesk.escalation import Escalation
from channels.helpdesk.hours import WorkingHours
from channels.helpdesk.replies import BACK_TO_BOT, CLOSED, CitizenReplies, Undelivered
from channels.helpdesk.sessions import Lockout, Sessions
from channels.helpdesk.staff import StaffDirectory, StaffMember
from channels.helpdesk.tickets import Conflict, TicketStore
from channels.rasa_client import RasaClient
from channels.settings import Settings

log = logging.getLogger(__name__)
VIEWS = ("waiting", "mine", "active", "history")


class Forbidden(Exception):
    """The staff member's role does not allow this; the reason is the message."""


class HelpDesk:
    """Built once per app (see `channels.app`); the console's routes call it."""

    def __init__(
        self, redis: Redis, settings: Settings, rasa: RasaClient, channels: dict[str, Channel]
    ) -> None:
        ttl = settings.transcript_ttl_seconds
        self.secure_cookies = settings.mode == "production"
        self.rasa = rasa
        self.tickets = TicketStore(redis, ttl)
        self.staff = StaffDirectory(redis)
        self.sessions = Sessions(redis, settings.helpdesk_session_seconds)
        self.lockout = Lockout(redis, settings.helpdesk_lockout_failures, settings.helpdesk_lockout_seconds)
        self.audit = AuditLog(redis)
        self.replies = CitizenReplies(redis, rasa, channels, ttl)
        self.hours = WorkingHours(settings)
        self.escalation = Escalation(self.tickets, self.hours, settings.helpdesk_minutes_per_conversation)

    async def listed(self, member: StaffMember, view: str) -> list[dict[str, Any]]:
        if view == "history" and not member.supervisor:
            # An agent's history is the conversations they handled.
            closed = await self.tickets.listed("history", member.username)
            return [t for t in closed if member.username in (t.get("agent"), t.get("closed_by"))]
        return await self.tickets.listed(view, member.username)

    async def ticket(self, member: StaffMember, ticket_id: str) -> dict[str, Any]:
        """The ticket with its feed (the citizen's messages since the handoff, the replies)."""
        ticket = await self.tickets.get(ticket_id)
        self._may_read(member, ticket)
        return {**ticket, "feed": await self.tickets.feed(ticket_id)}

    async def transcript(self, member: StaffMember, ticket_id: str) -> list[dict[str, Any]]:
        """The whole conversation as Rasa's tracker has it: the citizen's, the bot's and staff's messages."""
        ticket = await self.tickets.get(ticket_id)
        self._may_read(member, ticket)
        events = await self.rasa.tracker_events(ticket["sender"])
        await self.audit.record(member.username, "view_transcript", ticket_id)
        return [
            {
                "from": "citizen" if event["event"] == "user" else "bot",
                "text": event.get("text") or "",
                "at": event.get("timestamp"),
                "agent": (event.get("metadata") or {}).get("agent", "") if event["event"] == "bot" else "",
            }
            for event in events
            if event.get("event") in ("user", "bot") and event.get("text")
        ]

    async def claim(self, member: StaffMember, ticket_id: str) -> None:
        await self.tickets.claim(ticket_id, member.username)
        await self.audit.record(member.username, "claim", ticket_id)

    async def reply(self, member: StaffMember, ticket_id: str, reply_id: str, text: str) -> str:
        """Sends the reply on the citizen's channel; what the citizen sees. Only the holder replies."""
        ticket = await self.tickets.get(ticket_id)
        if ticket["status"] != "claimed" or ticket.get("agent") != member.username:
            raise Conflict("chỉ nhân viên đang giữ cuộc trò chuyện mới trả lời được", ticket["status"],
                           ticket.get("agent", ""))  # fmt: skip
        reply_id = f"{ticket_id}-{reply_id}"  # the console's id, scoped to the ticket
        shown = await self.replies.send(ticket, reply_id, text, member.as_dict())
        marker = f"helpdesk:reply:{reply_id}:feed"
        if await self.tickets.redis.set(marker, "1", nx=True, ex=self.tickets.ttl_seconds):
            entry = {"from": "agent", "agent": member.name, "text": text}
            await self.tickets.add_to_feed(ticket_id, entry, "reply")
            await self.audit.record(member.username, "reply", ticket_id, f"{len(text)} ký tự")
        return shown

    async def transfer(self, member: StaffMember, ticket_id: str, to: str) -> None:
        colleague = await self.staff.get(to)
        if colleague is None:
            raise LookupError(f"không có nhân viên {to!r}")
        before = await self.tickets.transfer(ticket_id, member.username, to, member.supervisor)
        note = f"{member.name} chuyển cho {colleague.name}"
        await self.tickets.add_to_feed(ticket_id, {"from": "note", "text": note}, "transferred")
        await self.audit.record(member.username, "transfer", ticket_id, f"{before or '(chờ)'} → {to}")

    async def hand_back(self, member: StaffMember, ticket_id: str, outcome: str) -> str | None:
        """Resumes the bot in Rasa, closes the ticket, tells the citizen; a warning if the notice failed.

        Rasa is resumed first: closed only once the bot answers again, so no citizen is left unanswered.
        """
        ticket = await self.tickets.get(ticket_id)
        holds = ticket["status"] == "claimed" and ticket.get("agent") == member.username
        if ticket["status"] == "closed" or not (holds or member.supervisor):
            raise Conflict("chỉ nhân viên đang giữ cuộc trò chuyện (hoặc giám sát viên) mới đóng được",
                           ticket["status"], ticket.get("agent", ""))  # fmt: skip
        await self.rasa.append_event(ticket["sender"], {"event": "resume"})
        # Paused right after the handoff action, the tracker never logged the bot listening; without it the
        # policies meet the citizen's next message in a state they never saw, and fall back.
        await self.rasa.append_event(ticket["sender"], {"event": "action", "name": "action_listen"})
        await self.tickets.close(ticket_id, member.username, member.supervisor, outcome)
        await self.audit.record(member.username, "resume" if outcome == "resumed" else "close", ticket_id)
        try:
            notice = BACK_TO_BOT if outcome == "resumed" else CLOSED
            await self.replies.send(ticket, f"{ticket_id}-{outcome}", notice)
        except Undelivered as error:
            log.warning(
                "helpdesk: ticket %s closed; the notice did not reach the citizen: %s", ticket_id, error
            )
            return "Đã đóng, nhưng chưa gửi được lời nhắn cho người dân."
        return None

    def _may_read(self, member: StaffMember, ticket: dict[str, Any]) -> None:
        if member.supervisor or ticket["status"] == "waiting":
            return
        if member.username in (ticket.get("agent"), ticket.get("closed_by")):
            return
        raise Forbidden("cuộc trò chuyện này do nhân viên khác xử lý")
