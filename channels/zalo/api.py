"""The Zalo OA message API, outbound: send a text to a user, refreshing the access token on -216.

- `POST {api_base}/v3.0/oa/message/cs`, header `access_token`, body
  `{"recipient": {"user_id"}, "message": {"text"}}` → `{"error": 0, "data": {"message_id"}}`.
- Error -216 (access token expired or invalid): refresh once at `{oauth_base}/v4/oa/access_token`
  (form `refresh_token`, `app_id`, `grant_type=refresh_token`; header `secret_key`), which answers a
  new access token AND a new refresh token; the old refresh token stops working, so the pair is stored
  in Redis at once, in one step, and only if nobody rotated it meanwhile. One refresh at a time across
  gateway processes (a Redis lock); the others wait for the new token. Then the message is sent again.
- 5xx, timeouts, unreachable: `ZaloUnavailable`; any other error: `ZaloError` (logged, masked). Both
  raise, so the delivery worker backs off and retries.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

import httpx
from pydantic import SecretStr
from redis.asyncio import Redis

from channels.privacy import mask
from channels.settings import Settings

log = logging.getLogger(__name__)

TOKEN_EXPIRED = -216
ACCESS_TOKEN_KEY = "channels:zalo:access_token"
REFRESH_TOKEN_KEY = "channels:zalo:refresh_token"
REFRESH_LOCK_KEY = "channels:zalo:refresh_lock"
REFRESH_LOCK_SECONDS = 20.0

# Stores the new pair only if the refresh token is still the one that was used (or none was stored).
_ROTATE = """
local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[3])
return 1
"""
_UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class ZaloError(Exception):
    """Zalo refused the request; `code` is Zalo's error number (0 when it gave none)."""

    def __init__(self, message: str, code: int = 0) -> None:
        super().__init__(message)
        self.code = code


class ZaloUnavailable(ZaloError):
    """Zalo could not be reached, timed out or answered 5xx: worth retrying later."""


class TokenExpired(ZaloError):
    """Error -216, again after a refresh."""


def shown_user(user_id: str) -> str:
    """A user id as the logs show it: enough to tell users apart, not enough to message them."""
    return f"…{user_id[-4:]}" if len(user_id) > 4 else "…"


class ZaloApi:
    """One HTTP client to Zalo, shared by every send of the Zalo channel."""

    def __init__(self, redis: Redis, settings: Settings, http: httpx.AsyncClient | None = None) -> None:
        if not settings.zalo_configured:
            raise ValueError("the Zalo API needs the Zalo settings (see Settings.zalo_configured)")
        self.redis = redis
        self.app_id = str(settings.zalo_app_id)
        self._app_secret = _secret(settings.zalo_app_secret)
        self._initial_access = _secret(settings.zalo_access_token)
        self._initial_refresh = _secret(settings.zalo_refresh_token)
        self.api_base = settings.zalo_api_base.rstrip("/")
        self.oauth_base = settings.zalo_oauth_base.rstrip("/")
        timeout = settings.zalo_timeout_seconds
        self._http = http or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 3.0)),
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=50),
        )
        self._rotate = redis.register_script(_ROTATE)
        self._unlock = redis.register_script(_UNLOCK)
        self._refreshing = asyncio.Lock()

    async def send_text(self, user_id: str, text: str) -> str:
        """Sends one text (at most 2,000 characters) to a user; Zalo's message id."""
        token = await self.access_token()
        body = await self._post_message(token, user_id, text)
        if body.get("error") == TOKEN_EXPIRED:
            log.info("zalo: access token expired (-216); refreshing")
            await self.refresh(expired=token)
            token = await self.access_token()
            body = await self._post_message(token, user_id, text)
            if body.get("error") == TOKEN_EXPIRED:
                raise TokenExpired("Zalo refused the access token again right after a refresh", TOKEN_EXPIRED)
        code = _code(body)
        if code != 0:
            message = mask(str(body.get("message", "")))[:200]
            log.error("zalo: sending to user %s failed: error %s %s", shown_user(user_id), code, message)
            raise ZaloError(f"Zalo answered error {code}: {message}", code)
        data = body.get("data")
        return str(data.get("message_id", "")) if isinstance(data, dict) else ""

    async def access_token(self) -> str:
        """The current access token: Redis's, else the configured one (empty: refresh first)."""
        stored = await self.redis.get(ACCESS_TOKEN_KEY)
        return str(stored) if stored else self._initial_access

    async def refresh_token(self) -> str:
        """The current refresh token: Redis's; the configured one is only the first value."""
        await self.redis.set(REFRESH_TOKEN_KEY, self._initial_refresh, nx=True)
        return str(await self.redis.get(REFRESH_TOKEN_KEY) or "")

    async def refresh(self, expired: str) -> None:
        """Replaces the access token `expired` (unless someone already did) and rotates the refresh token."""
        async with self._refreshing:
            if await self.access_token() != expired:
                return  # refreshed by another send of this process meanwhile
            lock = uuid.uuid4().hex
            loop = asyncio.get_running_loop()
            deadline = loop.time() + REFRESH_LOCK_SECONDS
            lock_ms = int(REFRESH_LOCK_SECONDS * 1000)
            while not await self.redis.set(REFRESH_LOCK_KEY, lock, nx=True, px=lock_ms):
                # Another gateway process is refreshing: wait for its new token.
                if await self.access_token() != expired:
                    return
                if loop.time() > deadline:
                    raise ZaloUnavailable("another gateway process holds the token refresh lock")
                await asyncio.sleep(0.1)
            try:
                if await self.access_token() != expired:
                    return
                await self._refresh_now()
            finally:
                await self._unlock(keys=[REFRESH_LOCK_KEY], args=[lock])

    async def _refresh_now(self) -> None:
        used = await self.refresh_token()
        if not used:
            raise ZaloError("no Zalo refresh token: set GATEWAY_ZALO_REFRESH_TOKEN")
        try:
            response = await self._http.post(
                f"{self.oauth_base}/v4/oa/access_token",
                data={"refresh_token": used, "app_id": self.app_id, "grant_type": "refresh_token"},
                headers={"secret_key": self._app_secret},
            )
        except httpx.TimeoutException as error:
            raise ZaloUnavailable("Zalo's token refresh did not answer in time") from error
        except httpx.TransportError as error:
            raise ZaloUnavailable(f"Zalo's token refresh is not reachable: {type(error).__name__}") from error
        body = _json(response, "token refresh")
        access, refresh = body.get("access_token"), body.get("refresh_token")
        if not isinstance(access, str) or not access or not isinstance(refresh, str) or not refresh:
            code = _code(body)
            reason = mask(str(body.get("error_name") or body.get("message") or ""))[:200]
            log.error("zalo: token refresh refused: error %s %s", code, reason)
            raise ZaloError(f"Zalo refused the token refresh: error {code} {reason}", code)
        if not await self._rotate(keys=[REFRESH_TOKEN_KEY, ACCESS_TOKEN_KEY], args=[used, refresh, access]):
            # Cannot happen under the lock unless the lock expired mid-refresh; the stored pair is newer.
            log.warning("zalo: the refresh token was rotated by someone else meanwhile; keeping theirs")
            return
        log.info("zalo: access token refreshed, refresh token rotated")

    async def _post_message(self, token: str, user_id: str, text: str) -> dict[str, Any]:
        if not token:
            return {"error": TOKEN_EXPIRED, "message": "no access token yet"}
        try:
            response = await self._http.post(
                f"{self.api_base}/v3.0/oa/message/cs",
                json={"recipient": {"user_id": user_id}, "message": {"text": text}},
                headers={"access_token": token},
            )
        except httpx.TimeoutException as error:
            raise ZaloUnavailable("Zalo's message API did not answer in time") from error
        except httpx.TransportError as error:
            raise ZaloUnavailable(f"Zalo's message API is not reachable: {type(error).__name__}") from error
        return _json(response, "message API")

    async def aclose(self) -> None:
        await self._http.aclose()


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value() if value is not None else ""


def _json(response: httpx.Response, what: str) -> dict[str, Any]:
    if response.status_code >= 500:
        raise ZaloUnavailable(f"Zalo's {what} answered HTTP {response.status_code}")
    if response.status_code != 200:
        raise ZaloError(f"Zalo's {what} answered HTTP {response.status_code}")
    try:
        body = response.json()
    except ValueError as error:
        raise ZaloUnavailable(f"Zalo's {what} answered something that is not JSON") from error
    if not isinstance(body, dict):
        raise ZaloError(f"Zalo's {what} answered {type(body).__name__}, not an object")
    return body


def _code(body: dict[str, Any]) -> int:
    try:
        return int(body.get("error", 0) or 0)
    except (TypeError, ValueError):
        return -1


MAX_TEXT_CHARS = 2000


def split_text(text: str, limit: int = MAX_TEXT_CHARS) -> list[str]:
    """The text in pieces of at most `limit` characters, cut at a paragraph, else a line, else a
    space, in the last half of the piece; a word longer than that is cut where it must be."""
    pieces = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = -1
        for separator in ("\n\n", "\n", " "):
            at = window.rfind(separator)
            if at >= limit // 2:
                cut = at
                break
        if cut == -1:
            cut = limit
        piece = rest[:cut].rstrip()
        pieces.append(piece)
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces
