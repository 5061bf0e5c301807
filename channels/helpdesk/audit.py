"""The audit log: who read and wrote what in the help desk, one Redis Stream entry per act."""

from __future__ import annotations

import time
from typing import Any

from redis.asyncio import Redis

AUDIT = "helpdesk:audit"
KEPT = 1_000_000


class AuditLog:
    """Appended to by the console's routes; read by supervisors."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def record(self, actor: str, action: str, ticket: str = "", detail: str = "") -> None:
        entry: dict[Any, Any] = {
            "at": int(time.time() * 1000),
            "actor": actor,
            "action": action,
            "ticket": ticket,
            "detail": detail,
        }
        await self.redis.xadd(AUDIT, entry, maxlen=KEPT, approximate=True)

    async def latest(self, count: int = 200) -> list[dict[str, Any]]:
        items: Any = await self.redis.xrevrange(AUDIT, count=count)
        return [{"id": entry_id, **fields, "at": int(fields["at"])} for entry_id, fields in items]
