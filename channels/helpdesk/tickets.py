"""Help-desk tickets in Redis: one per escalated conversation, from waiting to claimed to closed.

Every change of state is one Lua script, so it is atomic: two agents can never hold the same
conversation, and a redelivered escalating message finds the ticket it already made. Each change is
also appended to the `helpdesk:events` stream the consoles follow live (see `routes.events`).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from channels.message import Handoff, InboundMessage

PREFIX = "helpdesk:"
EVENTS = PREFIX + "events"
WAITING = PREFIX + "waiting"
ACTIVE = PREFIX + "active"
CLOSED = PREFIX + "closed"
SEQUENCE = PREFIX + "seq"
DURATIONS = PREFIX + "durations"
EVENTS_KEPT = 10_000
DURATIONS_KEPT = 20
FEED_LIMIT = 500


def ticket_key(ticket_id: str) -> str:
    return f"{PREFIX}ticket:{ticket_id}"


def feed_key(ticket_id: str) -> str:
    return f"{PREFIX}feed:{ticket_id}"


def held_key(username: str) -> str:
    return f"{PREFIX}held:{username}"


def open_key(channel: str, conversation_id: str) -> str:
    return f"{PREFIX}open:{channel}:{conversation_id}"


def escalation_key(message: InboundMessage) -> str:
    return f"{PREFIX}escalation:{message.channel}:{message.conversation_id}:{message.message_id}"


# KEYS: escalation, open, sequence, waiting, active, events. ARGV: now (ms), fields (JSON), ttl.
_ESCALATE = """
local existing = redis.call('GET', KEYS[1]) or redis.call('GET', KEYS[2])
if existing then
  redis.call('SET', KEYS[1], existing, 'EX', ARGV[3])
  return {existing, 0}
end
local id = tostring(redis.call('INCR', KEYS[3]))
local key = 'helpdesk:ticket:' .. id
for field, value in pairs(cjson.decode(ARGV[2])) do
  redis.call('HSET', key, field, value)
end
redis.call('HSET', key, 'id', id, 'status', 'waiting', 'created_at', ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[1], id)
redis.call('ZADD', KEYS[5], ARGV[1], id)
redis.call('SET', KEYS[2], id)
redis.call('SET', KEYS[1], id, 'EX', ARGV[3])
redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[4], '*', 'ticket', id, 'kind', 'escalated')
return {id, 1}
"""

# KEYS: open, events. ARGV: message id, entry (JSON), events kept. Returns the ticket id or ''.
_FOLLOW_UP = """
local id = redis.call('GET', KEYS[1])
if not id then
  return ''
end
if redis.call('SADD', 'helpdesk:fed:' .. id, ARGV[1]) == 0 then
  return id
end
redis.call('XADD', 'helpdesk:feed:' .. id, '*', 'entry', ARGV[2])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'ticket', id, 'kind', 'message')
return id
"""

# KEYS: ticket, waiting, events. ARGV: id, username, now, events kept, supervisor ('1'/'0').
# Returns {'ok'} or {status, agent}.
_CLAIM = """
local status = redis.call('HGET', KEYS[1], 'status')
if not status then
  return {'missing', ''}
end
if status ~= 'waiting' then
  return {status, redis.call('HGET', KEYS[1], 'agent') or ''}
end
redis.call('HSET', KEYS[1], 'status', 'claimed', 'agent', ARGV[2], 'claimed_at', ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', 'helpdesk:held:' .. ARGV[2], ARGV[3], ARGV[1])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[4], '*', 'ticket', ARGV[1], 'kind', 'claimed')
return {'ok', ARGV[2]}
"""

# KEYS: ticket, waiting, events. ARGV: id, actor, to, now, events kept, supervisor ('1'/'0').
_TRANSFER = """
local status = redis.call('HGET', KEYS[1], 'status')
if not status then
  return {'missing', ''}
end
local agent = redis.call('HGET', KEYS[1], 'agent') or ''
local allowed = ARGV[6] == '1' and status ~= 'closed' or status == 'claimed' and agent == ARGV[2]
if not allowed then
  return {status, agent}
end
if agent ~= '' then
  redis.call('ZREM', 'helpdesk:held:' .. agent, ARGV[1])
end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[1], 'status', 'claimed', 'agent', ARGV[3], 'claimed_at', ARGV[4])
redis.call('ZADD', 'helpdesk:held:' .. ARGV[3], ARGV[4], ARGV[1])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*', 'ticket', ARGV[1], 'kind', 'transferred')
return {'ok', ARGV[3]}
"""

# KEYS: ticket, waiting, active, closed, events, durations.
# ARGV: id, actor, now, events kept, supervisor, outcome, durations kept.
_CLOSE = """
local status = redis.call('HGET', KEYS[1], 'status')
if not status then
  return {'missing', ''}
end
local agent = redis.call('HGET', KEYS[1], 'agent') or ''
local allowed = ARGV[5] == '1' and status ~= 'closed' or status == 'claimed' and agent == ARGV[2]
if not allowed then
  return {status, agent}
end
if agent ~= '' then
  redis.call('ZREM', 'helpdesk:held:' .. agent, ARGV[1])
end
local claimed = tonumber(redis.call('HGET', KEYS[1], 'claimed_at') or '')
if claimed then
  redis.call('LPUSH', KEYS[6], tonumber(ARGV[3]) - claimed)
  redis.call('LTRIM', KEYS[6], 0, tonumber(ARGV[7]) - 1)
end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
local channel = redis.call('HGET', KEYS[1], 'channel')
local conversation = redis.call('HGET', KEYS[1], 'conversation_id')
local open = 'helpdesk:open:' .. channel .. ':' .. conversation
if redis.call('GET', open) == ARGV[1] then
  redis.call('DEL', open)
end
redis.call('HSET', KEYS[1], 'status', 'closed', 'closed_at', ARGV[3])
redis.call('HSET', KEYS[1], 'closed_by', ARGV[2], 'outcome', ARGV[6])
redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[4], '*', 'ticket', ARGV[1], 'kind', ARGV[6])
return {'ok', agent}
"""


class Conflict(Exception):
    """The ticket is not in a state that allows the change (held by someone else, already closed)."""

    def __init__(self, detail: str, status: str, agent: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status
        self.agent = agent


class TicketMissing(LookupError):
    """No ticket has this id."""


@dataclass(frozen=True)
class Escalated:
    ticket_id: str
    created: bool


def now_ms() -> int:
    return int(time.time() * 1000)


def decode_ticket(fields: dict[str, str]) -> dict[str, Any]:
    """A ticket as the API shows it (numbers as numbers, the recent messages as a list)."""
    ticket: dict[str, Any] = dict(fields)
    ticket["recent"] = json.loads(fields.get("recent") or "[]")
    for name in ("created_at", "claimed_at", "closed_at"):
        if fields.get(name):
            ticket[name] = int(fields[name])
    return ticket


class TicketStore:
    """Creates tickets and moves them through their states."""

    def __init__(self, redis: Redis, ttl_seconds: int) -> None:
        self.redis = redis
        self.ttl_seconds = ttl_seconds
        self._escalate = redis.register_script(_ESCALATE)
        self._follow_up = redis.register_script(_FOLLOW_UP)
        self._claim = redis.register_script(_CLAIM)
        self._transfer = redis.register_script(_TRANSFER)
        self._close = redis.register_script(_CLOSE)

    async def escalate(self, message: InboundMessage, handoff: Handoff) -> Escalated:
        """The conversation's open ticket, made now unless this message or an earlier one made it."""
        fields = {
            "channel": message.channel,
            "conversation_id": message.conversation_id,
            "sender": message.sender,
            "message_id": message.message_id,
            **handoff.as_dict(),
            "recent": json.dumps(handoff.as_dict()["recent"], ensure_ascii=False),
        }
        found: Any = await self._escalate(
            keys=[
                escalation_key(message),
                open_key(message.channel, message.conversation_id),
                SEQUENCE,
                WAITING,
                ACTIVE,
                EVENTS,
            ],
            args=[now_ms(), json.dumps(fields, ensure_ascii=False), self.ttl_seconds, EVENTS_KEPT],
        )
        return Escalated(str(found[0]), bool(found[1]))

    async def escalated_by(self, message: InboundMessage) -> str | None:
        """The ticket this message made or joined, when it was escalated before (a redelivery)."""
        found: Any = await self.redis.get(escalation_key(message))
        return found

    async def follow_up(self, message: InboundMessage) -> str | None:
        """Adds the citizen's message to the feed of the conversation's open ticket (once); its id."""
        entry = {"from": "citizen", "text": message.shown or message.text, "at": now_ms()}
        found = await self._follow_up(
            keys=[open_key(message.channel, message.conversation_id), EVENTS],
            args=[message.message_id, json.dumps(entry, ensure_ascii=False), EVENTS_KEPT],
        )
        return str(found) or None

    async def add_to_feed(self, ticket_id: str, entry: dict[str, Any], kind: str) -> str:
        """Appends a staff reply or a note to the ticket's feed; the feed entry id."""
        async with self.redis.pipeline(transaction=True) as pipe:
            stamped = json.dumps({**entry, "at": now_ms()}, ensure_ascii=False)
            pipe.xadd(feed_key(ticket_id), {"entry": stamped})
            pipe.xadd(EVENTS, {"ticket": ticket_id, "kind": kind}, maxlen=EVENTS_KEPT, approximate=True)
            done: Any = await pipe.execute()
        return str(done[0])

    async def get(self, ticket_id: str) -> dict[str, Any]:
        fields: Any = await self.redis.hgetall(ticket_key(ticket_id))
        if not fields:
            raise TicketMissing(ticket_id)
        return decode_ticket(fields)

    async def feed(self, ticket_id: str) -> list[dict[str, Any]]:
        items: Any = await self.redis.xrange(feed_key(ticket_id), count=FEED_LIMIT)
        return [{"id": entry_id, **json.loads(fields["entry"])} for entry_id, fields in items]

    async def listed(self, view: str, username: str, limit: int = 200) -> list[dict[str, Any]]:
        """Tickets of a view: waiting (oldest first), mine, active, history (latest closed first)."""
        if view == "waiting":
            ids: Any = await self.redis.zrange(WAITING, 0, limit - 1)
        elif view == "mine":
            ids = await self.redis.zrange(held_key(username), 0, limit - 1)
        elif view == "active":
            ids = await self.redis.zrange(ACTIVE, 0, limit - 1)
        else:
            ids = await self.redis.zrevrange(CLOSED, 0, limit - 1)
        async with self.redis.pipeline(transaction=False) as pipe:
            for ticket_id in ids:
                pipe.hgetall(ticket_key(ticket_id))
            found: Any = await pipe.execute()
        return [decode_ticket(fields) for fields in found if fields]

    async def position(self, ticket_id: str) -> int | None:
        """1 for the first in the waiting queue; None when the ticket no longer waits."""
        rank: Any = await self.redis.zrank(WAITING, ticket_id)
        return None if rank is None else int(rank) + 1

    async def minutes_per_conversation(self, configured: float) -> float:
        """The measured average once five conversations were handled, else the configured figure."""
        durations: Any = await self.redis.lrange(DURATIONS, 0, DURATIONS_KEPT - 1)
        if len(durations) < 5:
            return configured
        return max(1.0, sum(int(d) for d in durations) / len(durations) / 60_000)

    async def claim(self, ticket_id: str, username: str) -> None:
        done: Any = await self._claim(
            keys=[ticket_key(ticket_id), WAITING, EVENTS], args=[ticket_id, username, now_ms(), EVENTS_KEPT]
        )
        _raise_unless_ok(done, "claim")

    async def transfer(self, ticket_id: str, actor: str, to: str, supervisor: bool) -> str:
        """Hands the ticket to `to`; the agent who held it before ('' when it was waiting)."""
        before = (await self.get(ticket_id)).get("agent", "")
        done: Any = await self._transfer(
            keys=[ticket_key(ticket_id), WAITING, EVENTS],
            args=[ticket_id, actor, to, now_ms(), EVENTS_KEPT, "1" if supervisor else "0"],
        )
        _raise_unless_ok(done, "transfer")
        return str(before)

    async def close(self, ticket_id: str, actor: str, supervisor: bool, outcome: str) -> None:
        """Closes the ticket (`outcome`: resumed, the bot answers again; or closed)."""
        done: Any = await self._close(
            keys=[ticket_key(ticket_id), WAITING, ACTIVE, CLOSED, EVENTS, DURATIONS],
            args=[
                ticket_id,
                actor,
                now_ms(),
                EVENTS_KEPT,
                "1" if supervisor else "0",
                outcome,
                DURATIONS_KEPT,
            ],
        )
        _raise_unless_ok(done, outcome)


def _raise_unless_ok(done: list[Any], what: str) -> None:
    status, agent = str(done[0]), str(done[1])
    if status == "ok":
        return
    if status == "missing":
        raise TicketMissing(what)
    if status == "closed":
        raise Conflict("cuộc trò chuyện này đã đóng", status, agent)
    if status == "claimed" and agent:
        raise Conflict(f"cuộc trò chuyện này đang do {agent} xử lý", status, agent)
    raise Conflict("cuộc trò chuyện này chưa có ai nhận", status, agent)
