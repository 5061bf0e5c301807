"""The widget's routes: the demo page, the widget's files, its WebSocket and its HTTP fallback."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, WebSocket, WebSocketDisconnect
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse
from redis.exceptions import RedisError

from channels.conversation import ENTRY_ID
from channels.dependencies import ConversationsDep, InboxDep, SettingsDep
from channels.web.channel import CONVERSATION_ID, NAME, BadMessage, parse

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
# A WebSocket waits this long for a notification before reading the transcript again anyway.
STREAM_WAIT_SECONDS = 20.0

router = APIRouter()
ConversationId = Annotated[str, PathParam(pattern=CONVERSATION_ID)]
After = Annotated[str | None, Query(pattern=ENTRY_ID.pattern, description="the last entry id shown")]


@router.get("/", include_in_schema=False)
async def demo_page() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")


@router.get("/widget.js", include_in_schema=False)
async def widget_script() -> FileResponse:
    return FileResponse(STATIC / "widget.js", media_type="text/javascript; charset=utf-8")


@router.get("/widget.css", include_in_schema=False)
async def widget_style() -> FileResponse:
    return FileResponse(STATIC / "widget.css", media_type="text/css; charset=utf-8")


@router.post("/api/web/{conversation_id}/messages", status_code=202)
async def post_message(
    conversation_id: ConversationId, request: Request, inbox: InboxDep, settings: SettingsDep
) -> JSONResponse:
    """Queues a citizen's message (202), or recognises a copy already queued (200)."""
    message = parse(await request.body(), conversation_id, settings.max_text_chars)
    queued = await inbox.append(message)
    return JSONResponse(
        {"message_id": message.message_id, "duplicate": not queued}, status_code=202 if queued else 200
    )


@router.get("/api/web/{conversation_id}/messages")
async def get_messages(
    conversation_id: ConversationId,
    conversations: ConversationsDep,
    after: After = None,
    wait: Annotated[float, Query(ge=0, le=25, description="seconds to wait for a new entry")] = 0,
) -> dict[str, Any]:
    """Transcript entries after `after` (the whole recent conversation without it); long-polls with `wait`."""
    return {"entries": await conversations.entries(NAME, conversation_id, after, wait)}


@router.websocket("/ws/web/{conversation_id}")
async def conversation_socket(
    websocket: WebSocket,
    conversation_id: ConversationId,
    inbox: InboxDep,
    conversations: ConversationsDep,
    settings: SettingsDep,
    after: After = None,
) -> None:
    """Sends transcript entries as they are written; receives the citizen's messages and acknowledges each."""
    if not _origin_allowed(websocket, settings.allowed_origins):
        await websocket.close(code=1008, reason="origin not allowed")
        return
    await websocket.accept()
    sending = asyncio.Lock()

    async def send(data: dict[str, Any]) -> None:
        async with sending:
            await websocket.send_json(data)

    async def stream(last: str | None) -> None:
        try:
            history = await conversations.entries(NAME, conversation_id, last)
            await send({"type": "entries", "entries": history})
            last = history[-1]["id"] if history else (last or "0-0")
            while True:
                entries = await conversations.entries(NAME, conversation_id, last, STREAM_WAIT_SECONDS)
                if entries:
                    await send({"type": "entries", "entries": entries})
                    last = entries[-1]["id"]
        except RedisError as error:
            # The widget reconnects and asks again from the last entry it showed.
            log.error("web: Redis error while streaming, closing the socket: %s", error)
            await websocket.close(code=1011, reason="message store unavailable")

    streamer = asyncio.create_task(stream(after))
    try:
        while True:
            frame = await websocket.receive()
            if frame["type"] == "websocket.disconnect":
                break
            raw: bytes | str = frame.get("bytes") or frame.get("text") or ""
            try:
                message = parse(raw, conversation_id, settings.max_text_chars)
                queued = await inbox.append(message)
            except BadMessage as error:
                refused = {"type": "error", "status": error.status, "detail": error.detail}
                await send({**refused, "message_id": _message_id_of(raw)})
                continue
            except RedisError as error:
                log.error("web: Redis error while queueing: %s", error)
                await send({"type": "error", "status": 503, "detail": "the message store is unavailable"})
                continue
            await send({"type": "ack", "message_id": message.message_id, "duplicate": not queued})
    except WebSocketDisconnect:
        pass
    finally:
        streamer.cancel()
        await asyncio.gather(streamer, return_exceptions=True)


def _message_id_of(raw: bytes | str) -> str | None:
    """The message id of a refused frame, when it has a readable one, so the widget knows which failed."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    message_id = data.get("message_id") if isinstance(data, dict) else None
    return message_id if isinstance(message_id, str) else None


def _origin_allowed(websocket: WebSocket, allowed: list[str]) -> bool:
    """The gateway's own pages and the listed portals; clients that send no Origin are not browsers."""
    origin = websocket.headers.get("origin")
    scheme = "https" if websocket.url.scheme == "wss" else "http"
    own = f"{scheme}://{websocket.headers.get('host', '')}"
    return origin is None or origin == own or "*" in allowed or origin in allowed
