"""Lock-out after failed verifications: 5 in an hour lock the conversation and, on Zalo, the user.

A failure is any lookup that found nothing (an unknown code and a wrong verification are the same thing
to the citizen, so they count the same). Counts live in Redis (db STATUS_LOCKOUT_DB, default 2) under
hashed subjects, so the keys do not carry conversation or Zalo ids in clear.
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from collections.abc import Mapping
from typing import Any

import redis

from actions.status.connector import StatusUnavailable

LIMIT = 5
WINDOW_SECONDS = 3600
PREFIX = "status:lockout:"


class LockoutUnavailable(StatusUnavailable):
    """Redis did not answer; the lookup is refused rather than allowed unchecked."""


def subjects(sender_id: str, metadata: Mapping[str, Any] | None) -> list[str]:
    """Who a failure counts against: the conversation, and the Zalo user when the metadata names one."""
    found = [f"conversation:{sender_id}"]
    metadata = metadata or {}
    zalo_user = metadata.get("zalo_user_id")
    if not zalo_user and metadata.get("channel") == "zalo":
        sender = metadata.get("sender")
        zalo_user = metadata.get("user_id") or (sender.get("id") if isinstance(sender, Mapping) else None)
    if zalo_user:
        found.append(f"zalo:{zalo_user}")
    return found


def _key(kind: str, subject: str) -> str:
    return PREFIX + kind + ":" + hashlib.sha256(subject.encode()).hexdigest()[:32]


class Lockout:
    def __init__(self, client: redis.Redis, *, limit: int = LIMIT, window: int = WINDOW_SECONDS) -> None:
        self.client = client
        self.limit = limit
        self.window = window

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Lockout:
        env = os.environ if env is None else env
        client = redis.Redis(
            host=env.get("REDIS_HOST", "127.0.0.1"),
            port=int(env.get("REDIS_PORT", "6379")),
            db=int(env.get("STATUS_LOCKOUT_DB", "2")),
            socket_timeout=2,
            socket_connect_timeout=2,
        )
        return cls(client)

    def locked_until(self, who: list[str]) -> float | None:
        """When the lock on any of these subjects ends (epoch seconds), or None when none is locked."""
        try:
            values = self.client.mget([_key("locked", subject) for subject in who])
        except redis.RedisError as error:
            raise LockoutUnavailable(f"lock-out store unavailable: {type(error).__name__}") from error
        ends = [float(value) for value in values if value is not None]
        return max(ends) if ends and max(ends) > time.time() else None

    def record_failure(self, who: list[str]) -> float | None:
        """Counts one failure against each subject; returns when the lock ends if this one locked them."""
        now = time.time()
        until = now + self.window
        locked = False
        try:
            for subject in who:
                failures = _key("failures", subject)
                pipe = self.client.pipeline()
                pipe.zadd(failures, {f"{now}:{uuid.uuid4().hex}": now})
                pipe.zremrangebyscore(failures, "-inf", now - self.window)
                pipe.zcard(failures)
                pipe.expire(failures, self.window)
                count = pipe.execute()[2]
                if count >= self.limit:
                    self.client.set(_key("locked", subject), str(until), ex=self.window)
                    locked = True
        except redis.RedisError as error:
            raise LockoutUnavailable(f"lock-out store unavailable: {type(error).__name__}") from error
        return until if locked else None
