"""The staff console at /helpdesk: its page and files, the JSON API under /helpdesk/api, and the live
feed of ticket changes (Server-Sent Events)."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from redis.exceptions import RedisError
from starlette.requests import HTTPConnection

from channels.helpdesk.desk import VIEWS, HelpDesk
from channels.helpdesk.sessions import COOKIE, CSRF_HEADER, Session
from channels.helpdesk.staff import StaffMember
from channels.helpdesk.tickets import EVENTS, TicketMissing
from channels.payload import UnreadableBody, read_json

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
# Short blocking reads: each holds a pooled connection, and Redis's client gives up on a read after 5 s.
EVENTS_BLOCK_MS = 2_000
KEEP_ALIVE_EVERY = 7
MAX_REPLY_CHARS = 2_000
# The console runs only its own files: no inline scripts, no other origins, never framed.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

router = APIRouter(prefix="/helpdesk")
T = TypeVar("T", bound=BaseModel)
VIEW = "^(" + "|".join(VIEWS) + ")$"
TicketId = Annotated[str, PathParam(pattern=r"^\d{1,12}$")]


class ApiError(Exception):
    """Answered as `{"detail": …}` with `status` (see `channels.app`)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def get_desk(connection: HTTPConnection) -> HelpDesk:
    desk: HelpDesk = connection.app.state.helpdesk
    return desk


DeskDep = Annotated[HelpDesk, Depends(get_desk)]


async def current_session(request: Request, desk: DeskDep) -> tuple[Session, StaffMember]:
    session = await desk.sessions.find(request.cookies.get(COOKIE))
    member = await desk.staff.get(session.username) if session else None
    if session is None or member is None:
        raise ApiError(401, "Phiên đăng nhập đã hết hạn hoặc chưa đăng nhập.")
    return session, member


async def signed_in(found: Annotated[tuple[Session, StaffMember], Depends(current_session)]) -> StaffMember:
    return found[1]


async def checked_csrf(
    found: Annotated[tuple[Session, StaffMember], Depends(current_session)],
    token: Annotated[str | None, Header(alias=CSRF_HEADER)] = None,
) -> StaffMember:
    """Every state-changing request carries the session's CSRF token in a header."""
    session, member = found
    if not session.csrf_matches(token):
        raise ApiError(403, "Thiếu hoặc sai mã chống giả mạo yêu cầu (CSRF).")
    return member


Member = Annotated[StaffMember, Depends(signed_in)]
Writer = Annotated[StaffMember, Depends(checked_csrf)]


async def body_of(request: Request, model: type[T]) -> T:
    """The JSON body as `model`, or a 4xx with the reason."""
    if not request.headers.get("content-type", "").startswith("application/json"):
        raise ApiError(415, "body must be JSON (Content-Type: application/json)")
    try:
        data = read_json(await request.body())
    except UnreadableBody as error:
        raise ApiError(400, error.detail) from error
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in error.errors())
        raise ApiError(422, f"invalid body: {problems}") from error


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class Reply(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reply_id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")
    text: str = Field(min_length=1, max_length=MAX_REPLY_CHARS)


class Transfer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: str = Field(min_length=1, max_length=64)


def _static(name: str, media_type: str) -> FileResponse:
    return FileResponse(STATIC / name, media_type=media_type, headers=SECURITY_HEADERS)


@router.get("", include_in_schema=False)
async def console_page() -> FileResponse:
    return _static("console.html", "text/html; charset=utf-8")


@router.get("/console.js", include_in_schema=False)
async def console_script() -> FileResponse:
    return _static("console.js", "text/javascript; charset=utf-8")


@router.get("/console.css", include_in_schema=False)
async def console_style() -> FileResponse:
    return _static("console.css", "text/css; charset=utf-8")


@router.post("/api/session")
async def sign_in(request: Request, desk: DeskDep) -> JSONResponse:
    """Signs in; 401 on a wrong name or password, 429 while the account is locked out."""
    form = await body_of(request, SignIn)
    username = form.username.strip().lower()
    left = await desk.lockout.locked_for(username)
    if left:
        raise ApiError(429, _locked_message(left))
    member = await desk.staff.verify(username, form.password)
    if member is None:
        locked = await desk.lockout.failed(username)
        await desk.audit.record(username, "sign_in_failed")
        if locked:
            raise ApiError(429, _locked_message(locked))
        raise ApiError(401, "Sai tên đăng nhập hoặc mật khẩu.")
    await desk.lockout.succeeded(username)
    token, session = await desk.sessions.start(member.username)
    await desk.audit.record(member.username, "sign_in")
    response = JSONResponse({**member.as_dict(), "csrf": session.csrf})
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="strict", path="/helpdesk",
        secure=desk.secure_cookies,
    )  # fmt: skip
    return response


def _locked_message(seconds: int) -> str:
    return f"Tài khoản tạm khoá do đăng nhập sai nhiều lần. Thử lại sau {math.ceil(seconds / 60)} phút."


@router.get("/api/session")
async def who(found: Annotated[tuple[Session, StaffMember], Depends(current_session)]) -> dict[str, str]:
    """The signed-in member and the CSRF token (a reloaded console asks for it again)."""
    session, member = found
    return {**member.as_dict(), "csrf": session.csrf}


@router.post("/api/session/end")
async def sign_out(request: Request, member: Writer, desk: DeskDep) -> Response:
    await desk.sessions.end(request.cookies.get(COOKIE, ""))
    await desk.audit.record(member.username, "sign_out")
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/helpdesk")
    return response


@router.get("/api/staff")
async def colleagues(member: Member, desk: DeskDep) -> dict[str, Any]:
    return {"staff": [m.as_dict() for m in await desk.staff.everyone()]}


@router.get("/api/tickets")
async def tickets(
    member: Member, desk: DeskDep, view: Annotated[str, Query(pattern=VIEW)] = "waiting"
) -> dict[str, Any]:
    return {"view": view, "tickets": await desk.listed(member, view)}


@router.get("/api/tickets/{ticket_id}")
async def ticket(ticket_id: TicketId, member: Member, desk: DeskDep) -> dict[str, Any]:
    return await desk.ticket(member, ticket_id)


@router.get("/api/tickets/{ticket_id}/transcript")
async def transcript(ticket_id: TicketId, member: Member, desk: DeskDep) -> dict[str, Any]:
    return {"transcript": await desk.transcript(member, ticket_id)}


@router.post("/api/tickets/{ticket_id}/claim")
async def claim(ticket_id: TicketId, member: Writer, desk: DeskDep) -> dict[str, Any]:
    await desk.claim(member, ticket_id)
    return {"claimed": ticket_id, "agent": member.username}


@router.post("/api/tickets/{ticket_id}/reply")
async def reply(ticket_id: TicketId, request: Request, member: Writer, desk: DeskDep) -> dict[str, Any]:
    body = await body_of(request, Reply)
    text = body.text.strip()
    if not text:
        raise ApiError(422, "text is empty")
    return {"shown": await desk.reply(member, ticket_id, body.reply_id, text)}


@router.post("/api/tickets/{ticket_id}/transfer")
async def transfer(ticket_id: TicketId, request: Request, member: Writer, desk: DeskDep) -> dict[str, Any]:
    body = await body_of(request, Transfer)
    await desk.transfer(member, ticket_id, body.to.strip().lower())
    return {"transferred": ticket_id, "to": body.to}


@router.post("/api/tickets/{ticket_id}/resume")
async def resume(ticket_id: TicketId, member: Writer, desk: DeskDep) -> dict[str, Any]:
    return {"resumed": ticket_id, "warning": await desk.hand_back(member, ticket_id, "resumed")}


@router.post("/api/tickets/{ticket_id}/close")
async def close(ticket_id: TicketId, member: Writer, desk: DeskDep) -> dict[str, Any]:
    return {"closed": ticket_id, "warning": await desk.hand_back(member, ticket_id, "closed")}


@router.get("/api/audit")
async def audit(member: Member, desk: DeskDep) -> dict[str, Any]:
    if not member.supervisor:
        raise ApiError(403, "Chỉ giám sát viên xem được nhật ký.")
    await desk.audit.record(member.username, "view_audit")
    return {"audit": await desk.audit.latest()}


@router.get("/api/events")
async def events(
    request: Request,
    member: Member,
    desk: DeskDep,
    last_event_id: Annotated[str | None, Header(pattern=r"^\d{1,20}-\d{1,20}$")] = None,
) -> StreamingResponse:
    """Ticket changes as they happen (`escalated`, `message`, `claimed`, …), each with the ticket."""

    async def stream() -> AsyncIterator[str]:
        redis = desk.tickets.redis
        last = last_event_id
        if last is None:
            newest: Any = await redis.xrevrange(EVENTS, count=1)
            last = newest[0][0] if newest else "0-0"
        yield "retry: 2000\nevent: ready\ndata: {}\n\n"
        idle = 0
        try:
            while not await request.is_disconnected():
                found: Any = await redis.xread({EVENTS: last}, count=100, block=EVENTS_BLOCK_MS)
                if not found:
                    idle += 1
                    if idle % KEEP_ALIVE_EVERY == 0:
                        yield ": still here\n\n"  # keeps proxies from closing an idle stream
                    continue
                for entry_id, fields in found[0][1]:
                    last = entry_id
                    try:
                        ticket = await desk.tickets.get(fields["ticket"])
                    except TicketMissing:
                        continue
                    data = json.dumps({"kind": fields["kind"], "ticket": ticket}, ensure_ascii=False)
                    yield f"id: {entry_id}\ndata: {data}\n\n"
        except RedisError as error:
            # The response has started: end the stream; the console reconnects from its last event id.
            log.error("helpdesk: Redis error while streaming events, closing the stream: %s", error)

    headers = {**SECURITY_HEADERS, "X-Accel-Buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)
