"""Staff accounts in Redis: name, role, and an argon2id password hash (argon2-cffi's defaults)."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any, Literal, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from redis.asyncio import Redis

Role = Literal["agent", "supervisor"]
ROLES: tuple[Role, ...] = ("agent", "supervisor")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
MIN_PASSWORD_CHARS = 10
STAFF = "helpdesk:staff"

_hasher = PasswordHasher()  # argon2id, with the library's current recommended cost
# Verified against when the account does not exist, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def staff_key(username: str) -> str:
    return f"helpdesk:staff:{username}"


class BadAccount(ValueError):
    """An account that cannot be created as asked (name, role or password); the reason is the message."""


@dataclass(frozen=True)
class StaffMember:
    username: str
    name: str
    role: Role

    @property
    def supervisor(self) -> bool:
        return self.role == "supervisor"

    def as_dict(self) -> dict[str, str]:
        return {"username": self.username, "name": self.name, "role": self.role}


class StaffDirectory:
    """Creates accounts and checks passwords."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def add(
        self, username: str, name: str, role: str, password: str, replace: bool = False
    ) -> StaffMember:
        if not USERNAME.match(username):
            raise BadAccount("username: 2–32 lowercase letters, digits, '.', '_' or '-'")
        if not name.strip():
            raise BadAccount("name is empty")
        if role not in ROLES:
            raise BadAccount(f"role must be one of {', '.join(ROLES)}")
        if len(password) < MIN_PASSWORD_CHARS:
            raise BadAccount(f"password must have at least {MIN_PASSWORD_CHARS} characters")
        hashed = await asyncio.to_thread(_hasher.hash, password)
        fields: dict[Any, Any] = {
            "username": username,
            "name": name.strip(),
            "role": role,
            "password": hashed,
        }
        if not replace and await self.redis.exists(staff_key(username)):
            raise BadAccount(f"account {username!r} exists (use --replace to reset it)")
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(staff_key(username), mapping=fields)
            pipe.sadd(STAFF, username)
            await pipe.execute()
        return StaffMember(username, name.strip(), cast(Role, role))

    async def get(self, username: str) -> StaffMember | None:
        fields: Any = await self.redis.hgetall(staff_key(username))
        if not fields:
            return None
        return StaffMember(fields["username"], fields["name"], cast(Role, fields["role"]))

    async def everyone(self) -> list[StaffMember]:
        names: Any = await self.redis.smembers(STAFF)
        members = [await self.get(username) for username in sorted(names)]
        return [member for member in members if member is not None]

    async def verify(self, username: str, password: str) -> StaffMember | None:
        """The member when the password is theirs; None otherwise (same cost either way)."""
        stored: Any = None
        if USERNAME.match(username):
            stored = await self.redis.hget(staff_key(username), "password")
        # argon2 takes tens of milliseconds of CPU: off the event loop, so the gateway keeps serving.
        if not await asyncio.to_thread(_matches, stored or _DUMMY_HASH, password) or stored is None:
            return None
        if _hasher.check_needs_rehash(stored):
            rehashed = await asyncio.to_thread(_hasher.hash, password)
            await self.redis.hset(staff_key(username), "password", rehashed)
        return await self.get(username)


def _matches(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
