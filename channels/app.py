"""The app factory: routes per channel, the delivery worker started and stopped with the app."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import RedisError

from channels.body_limit import BodyLimit
from channels.channel import Channel
from channels.conversation import Conversations
from channels.delivery import Delivery
from channels.dependencies import Services
from channels.helpdesk import routes as helpdesk_routes
from channels.helpdesk.desk import Forbidden, HelpDesk
from channels.helpdesk.replies import Undelivered
from channels.helpdesk.routes import ApiError
from channels.helpdesk.tickets import Conflict, TicketMissing
from channels.inbox import Inbox
from channels.notifier import TranscriptNotifier
from channels.rasa_client import RasaClient, RasaRefused, RasaUnavailable
from channels.settings import Settings
from channels.web import routes as web_routes
from channels.web.channel import BadMessage, WebChannel
from channels.zalo import webhook as zalo_webhook
from channels.zalo.channel import ZaloChannel

log = logging.getLogger(__name__)


def create_app(settings: Settings) -> FastAPI:
    """A gateway serving the widget (and, once configured, Zalo) in front of Rasa."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # A blocking pool: under a burst, commands wait for a free connection instead of failing.
        pool = BlockingConnectionPool.from_url(
            settings.redis_url, decode_responses=True, max_connections=settings.redis_connections, timeout=10
        )
        redis = Redis(connection_pool=pool)
        notifier = TranscriptNotifier(redis)
        conversations = Conversations(redis, settings.transcript_ttl_seconds, notifier)
        inbox = Inbox(redis, settings.duplicate_window_seconds, settings.transcript_ttl_seconds)
        rasa = RasaClient(settings.rasa_url, settings.rasa_timeout_seconds, settings.rasa_token)
        channels: dict[str, Channel] = {WebChannel.name: WebChannel()}
        zalo = ZaloChannel(redis, settings) if settings.zalo_configured else None
        if zalo is not None:
            channels[zalo.name] = zalo
        desk = HelpDesk(redis, settings, rasa, channels)
        delivery = Delivery(redis, inbox, rasa, conversations, channels, settings, desk.escalation)
        app.state.services = Services(settings, redis, inbox, conversations)
        app.state.helpdesk = desk
        workers = [
            asyncio.create_task(delivery.run(), name="delivery"),
            asyncio.create_task(notifier.run(), name="notifier"),
        ]
        log.info("gateway: mode %s, Rasa at %s, Zalo %s", settings.mode, settings.rasa_url,
                 "configured" if settings.zalo_configured else "not configured (widget only)")  # fmt: skip
        try:
            yield
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            await rasa.aclose()
            if zalo is not None:
                await zalo.aclose()
            await redis.aclose()
            await pool.disconnect()

    app = FastAPI(title="Channel gateway", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.allowed_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["content-type"],
    )
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.include_router(web_routes.router)
    app.include_router(helpdesk_routes.router)
    if settings.zalo_configured:
        app.include_router(zalo_webhook.router)

    @app.exception_handler(BadMessage)
    async def bad_message(request: Request, error: BadMessage) -> JSONResponse:
        return JSONResponse({"detail": error.detail}, status_code=error.status)

    def refused(status: int) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
        async def answer(request: Request, error: Exception) -> JSONResponse:
            detail = getattr(error, "detail", None) or str(error)
            headers = {"Cache-Control": "no-store"}
            code = error.status if isinstance(error, ApiError) else status
            return JSONResponse({"detail": detail}, status_code=code, headers=headers)

        return answer

    # The help desk's errors: each kind one status, the reason in `detail`.
    for error_type, status in [
        (ApiError, 400),
        (Conflict, 409),
        (TicketMissing, 404),
        (Forbidden, 403),
        (LookupError, 422),
        (Undelivered, 503),
        (RasaUnavailable, 503),
        (RasaRefused, 502),
    ]:
        app.add_exception_handler(error_type, refused(status))

    @app.exception_handler(RedisError)
    async def redis_down(request: Request, error: RedisError) -> JSONResponse:
        log.error("gateway: Redis error on %s: %s", request.url.path, error)
        return JSONResponse({"detail": "the message store is unavailable; please retry"}, status_code=503)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("gateway: unexpected error on %s", request.url.path)
        return JSONResponse({"detail": "internal error"}, status_code=500)

    return app
