"""Staff sessions in Redis (a random token in an HttpOnly cookie, its hash as the key) with a per-session
CSRF token, and the sign-in lock-out after repeated failures on one account."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

COOKIE = "helpdesk_session"
CSRF_HEADER = "x-csrf-token"


def session_key(token: str) -> str:
    # Only the hash is stored: a leaked Redis dump holds no usable session.
    return "helpdesk:session:" + hashlib.sha256(token.encode()).hexdigest()


def failures_key(username: str) -> str:
    return f"helpdesk:signin-failures:{username}"


def locked_key(username: str) -> str:
    return f"helpdesk:signin-locked:{username}"


@dataclass(frozen=True)
class Session:
    username: str
    csrf: str

    def csrf_matches(self, sent: str | None) -> bool:
        return sent is not None and hmac.compare_digest(sent, self.csrf)


class Sessions:
    """Sessions expire after `ttl_seconds` without use (each request extends them)."""

    def __init__(self, redis: Redis, ttl_seconds: int) -> None:
        self.redis = redis
        self.ttl_seconds = ttl_seconds

    async def start(self, username: str) -> tuple[str, Session]:
        """A new session: the cookie's token, and the session (with its CSRF token)."""
        token = secrets.token_urlsafe(32)
        session = Session(username, secrets.token_urlsafe(32))
        await self.redis.hset(session_key(token), mapping={"username": username, "csrf": session.csrf})
        await self.redis.expire(session_key(token), self.ttl_seconds)
        return token, session

    async def find(self, token: str | None) -> Session | None:
        if not token or len(token) > 100:
            return None
        key = session_key(token)
        fields: Any = await self.redis.hgetall(key)
        if not fields:
            return None
        await self.redis.expire(key, self.ttl_seconds)
        return Session(fields["username"], fields["csrf"])

    async def end(self, token: str) -> None:
        await self.redis.delete(session_key(token))


class Lockout:
    """`failures` failed sign-ins on one account within `seconds` lock it for `seconds`."""

    def __init__(self, redis: Redis, failures: int, seconds: int) -> None:
        self.redis = redis
        self.failures = failures
        self.seconds = seconds

    async def locked_for(self, username: str) -> int:
        """Seconds left of the account's lock-out; 0 when it may sign in."""
        left: int = await self.redis.ttl(locked_key(username))
        return max(left, 0)

    async def failed(self, username: str) -> int:
        """Counts a failure; the seconds of lock-out it caused (0 while under the limit)."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(failures_key(username))
            pipe.expire(failures_key(username), self.seconds, nx=True)
            count, _ = await pipe.execute()
        if int(count) < self.failures:
            return 0
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(locked_key(username), "1", ex=self.seconds)
            pipe.delete(failures_key(username))
            await pipe.execute()
        return self.seconds

    async def succeeded(self, username: str) -> None:
        await self.redis.delete(failures_key(username))
