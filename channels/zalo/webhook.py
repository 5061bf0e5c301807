"""`POST /webhooks/zalo`: Zalo's events, verified, queued, acknowledged within milliseconds.

In order: a missing `X-ZEvent-Signature` → 401; a body that is not UTF-8 or not a JSON object → 400
(its signature cannot even be computed without the body's `timestamp`); a signature that does not
match the raw bytes → 401, and nothing is processed; then the event is parsed (422 with the reason
when a field is missing). A message is appended to the durable inbox BEFORE the 200, so a crash after
it loses nothing, and Zalo's retry of an event already queued (same `msg_id`) is answered 200 with
`"duplicate": true` and not queued again. Bodies over `GATEWAY_MAX_BODY_BYTES` are refused (413) by the
`BodyLimit` middleware before this route reads them.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from channels.dependencies import get_services
from channels.payload import UnreadableBody, read_json
from channels.zalo import signature
from channels.zalo.api import shown_user
from channels.zalo.channel import choice_for
from channels.zalo.events import BadEvent, Event, parse, text_message, timestamp_of

log = logging.getLogger(__name__)
HEADER = "X-ZEvent-Signature"

router = APIRouter()


@router.post("/webhooks/zalo")
async def zalo_webhook(request: Request) -> JSONResponse:
    services = get_services(request)
    raw = await request.body()
    try:
        event = await _verified_event(request, raw)
    except BadEvent as error:
        if error.status == 401:
            log.warning("zalo: webhook refused: %s", error.detail)
        return JSONResponse({"detail": error.detail}, status_code=error.status)
    if event.message is None:
        return JSONResponse({"event": event.name, "ignored": event.ignored})
    message = event.message
    if event.name == "user_send_text":
        button = await choice_for(services.redis, message.conversation_id, message.text)
        if button is not None:
            message = text_message(message.conversation_id, message.message_id, button.payload, button.title)
    queued = await services.inbox.append(message)
    if not queued:
        user = shown_user(message.conversation_id)
        log.info("zalo: %s from user %s already queued (a retry)", event.name, user)
    return JSONResponse({"event": event.name, "message_id": message.message_id, "duplicate": not queued})


async def _verified_event(request: Request, raw: bytes) -> Event:
    settings = get_services(request).settings
    header = request.headers.get(HEADER)
    if not header:
        raise BadEvent(401, f"missing {HEADER}")
    data = _json_object(raw)
    secret = settings.zalo_oa_secret_key.get_secret_value() if settings.zalo_oa_secret_key else ""
    if not signature.verify(header, str(settings.zalo_app_id), raw, timestamp_of(data), secret):
        raise BadEvent(401, f"{HEADER} does not match the body")
    return parse(data, settings.max_text_chars)


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        data = read_json(raw)
    except UnreadableBody as error:
        raise BadEvent(400, error.detail) from error
    if not isinstance(data, dict):
        raise BadEvent(400, f"body is a JSON {type(data).__name__}, not an object")
    return data
