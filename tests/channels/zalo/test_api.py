"""The outbound half against the local fake Zalo: sending, splitting, token refresh, 5xx, timeouts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
import redis
from redis.asyncio import Redis

from channels.message import Button, InboundMessage, OutgoingMessage
from channels.settings import Settings
from channels.zalo.api import (
    ACCESS_TOKEN_KEY,
    REFRESH_TOKEN_KEY,
    ZaloApi,
    ZaloError,
    ZaloUnavailable,
    split_text,
)
from channels.zalo.channel import CHOICE_HINT, ZaloChannel, choice_for
from channels.zalo.events import text_message
from tests.channels.zalo.fake_zalo import FIRST_REFRESH_TOKEN, FakeZalo

USER = "8412345678"


def run_api(settings: Settings, work: Callable[[ZaloApi], object]) -> object:
    async def main() -> object:
        client = Redis.from_url(settings.redis_url, decode_responses=True)
        api = ZaloApi(client, settings)
        try:
            return await work(api)  # type: ignore[misc]
        finally:
            await api.aclose()
            await client.aclose()

    return asyncio.run(main())


def run_channel(settings: Settings, work: Callable[[ZaloChannel, Redis], object]) -> object:
    async def main() -> object:
        client = Redis.from_url(settings.redis_url, decode_responses=True)
        channel = ZaloChannel(client, settings)
        try:
            return await work(channel, client)  # type: ignore[misc]
        finally:
            await channel.aclose()
            await client.aclose()

    return asyncio.run(main())


def test_a_text_reaches_the_user_with_the_access_token(
    make_settings: Callable[..., Settings], fake_zalo: FakeZalo
) -> None:
    message_id = run_api(make_settings(), lambda api: api.send_text(USER, "Xin chào"))
    assert message_id == "zmsg-1"
    [sent] = fake_zalo.state.sent
    assert (sent.user_id, sent.text, sent.access_token) == (USER, "Xin chào", "access-1")


def test_an_expired_token_is_refreshed_once_and_the_new_refresh_token_stored(
    make_settings: Callable[..., Settings], fake_zalo: FakeZalo, redis_client: redis.Redis
) -> None:
    fake_zalo.expire_token()
    run_api(make_settings(), lambda api: api.send_text(USER, "sau khi làm mới"))

    assert fake_zalo.sent_to(USER) == ["sau khi làm mới"]
    assert [r.accepted for r in fake_zalo.state.refreshes] == [True]
    refresh = fake_zalo.state.refreshes[0]
    assert (refresh.refresh_token, refresh.grant_type) == (FIRST_REFRESH_TOKEN, "refresh_token")
    assert redis_client.get(REFRESH_TOKEN_KEY) == "refresh-2" == fake_zalo.state.refresh_token
    assert redis_client.get(ACCESS_TOKEN_KEY) == "access-2"

    # The next expiry is refreshed with the rotated token (the first one no longer works at Zalo).
    fake_zalo.expire_token()
    run_api(make_settings(), lambda api: api.send_text(USER, "lần hai"))
    assert [r.refresh_token for r in fake_zalo.state.refreshes] == [FIRST_REFRESH_TOKEN, "refresh-2"]
    assert redis_client.get(REFRESH_TOKEN_KEY) == "refresh-3"


def test_many_sends_hitting_an_expired_token_at_once_refresh_it_only_once(
    make_settings: Callable[..., Settings], fake_zalo: FakeZalo
) -> None:
    fake_zalo.expire_token()

    async def many(api: ZaloApi) -> None:
        await asyncio.gather(*(api.send_text(f"{USER}{n}", "cùng lúc") for n in range(20)))

    run_api(make_settings(), many)
    assert len(fake_zalo.state.sent) == 20
    assert [r.accepted for r in fake_zalo.state.refreshes] == [True]


def test_a_refused_refresh_is_an_error(
    make_settings: Callable[..., Settings], fake_zalo: FakeZalo, redis_client: redis.Redis
) -> None:
    redis_client.set(REFRESH_TOKEN_KEY, "a-refresh-token-zalo-forgot")
    fake_zalo.expire_token()
    with pytest.raises(ZaloError, match="-14014"):
        run_api(make_settings(), lambda api: api.send_text(USER, "x"))
    assert fake_zalo.sent_to(USER) == []


def test_5xx_and_timeouts_raise_unavailable_so_the_worker_retries(
    make_settings: Callable[..., Settings], fake_zalo: FakeZalo
) -> None:
    fake_zalo.fail_next(1)
    with pytest.raises(ZaloUnavailable, match="503"):
        run_api(make_settings(), lambda api: api.send_text(USER, "x"))
    fake_zalo.state.delay = 1.0
    with pytest.raises(ZaloUnavailable, match="in time"):
        run_api(make_settings(zalo_timeout_seconds=0.3), lambda api: api.send_text(USER, "x"))
    assert fake_zalo.sent_to(USER) == []


def test_other_zalo_errors_raise_and_are_logged_masked(
    make_settings: Callable[..., Settings], fake_zalo: FakeZalo, caplog: pytest.LogCaptureFixture
) -> None:
    fake_zalo.error_next(-230)
    with pytest.raises(ZaloError, match="-230") as refused:
        run_api(make_settings(), lambda api: api.send_text(USER, "x"))
    assert not isinstance(refused.value, ZaloUnavailable)
    assert "0912345678" not in str(refused.value)  # the fake puts a phone number in its message
    assert USER not in caplog.text


def test_split_cuts_at_paragraphs_lines_or_words_never_over_the_limit() -> None:
    paragraph = " ".join(["thủ tục"] * 150)  # 1,049 characters
    text = "\n\n".join([paragraph] * 5)
    pieces = split_text(text, 2000)
    assert all(len(piece) <= 2000 for piece in pieces)
    assert "\n\n".join(pieces) == text
    one_line = " ".join(["giấy"] * 1000)
    pieces = split_text(one_line, 2000)
    assert all(len(piece) <= 2000 for piece in pieces) and " ".join(pieces) == one_line
    assert split_text("x" * 4500, 2000) == ["x" * 2000, "x" * 2000, "x" * 500]
    assert split_text("ngắn", 2000) == ["ngắn"]


def test_a_long_answer_arrives_in_pieces_of_at_most_2000_characters(
    make_settings: Callable[..., Settings], fake_zalo: FakeZalo
) -> None:
    answer = "\n".join(f"Bước {n}:" + " nộp hồ sơ tại bộ phận một cửa" * 8 for n in range(30))
    assert len(answer) > 6000
    message = text_message(USER, "m-long", "hỏi")
    run_channel(make_settings(), lambda channel, _: channel.send(message, [OutgoingMessage(answer)]))
    pieces = fake_zalo.sent_to(USER)
    assert len(pieces) == 4 and all(len(piece) <= 2000 for piece in pieces)
    assert "\n".join(pieces) == answer


def test_a_send_retried_after_a_failure_resumes_without_repeating_pieces(
    make_settings: Callable[..., Settings], fake_zalo: FakeZalo
) -> None:
    answer = [OutgoingMessage("\n".join(["a" * 1500, "b" * 1500, "c" * 1500]))]
    message = text_message(USER, "m-resume", "hỏi")

    async def fail_on_second_piece(channel: ZaloChannel, _: Redis) -> None:
        send = channel.api.send_text

        async def flaky(user_id: str, text: str) -> str:
            if text.startswith("b"):
                fake_zalo.fail_next(1)
            return await send(user_id, text)

        channel.api.send_text = flaky  # type: ignore[method-assign]
        await channel.send(message, answer)

    with pytest.raises(ZaloUnavailable):
        run_channel(make_settings(), fail_on_second_piece)
    assert fake_zalo.sent_to(USER) == ["a" * 1500]
    run_channel(make_settings(), lambda channel, _: channel.send(message, answer))  # the worker's retry
    assert fake_zalo.sent_to(USER) == ["a" * 1500, "b" * 1500, "c" * 1500]
    run_channel(make_settings(), lambda channel, _: channel.send(message, answer))  # after a restart
    assert len(fake_zalo.sent_to(USER)) == 3


def test_buttons_are_numbered_lines_and_a_number_picks_the_payload(
    make_settings: Callable[..., Settings], fake_zalo: FakeZalo
) -> None:
    replies = [
        OutgoingMessage(
            "Bạn muốn gặp nhân viên không?",
            (Button("Gặp nhân viên", "/request_human"), Button("Không, tôi hỏi lại", "/deny")),
        )
    ]
    message = InboundMessage("zalo", USER, "m-buttons", "???")

    async def work(channel: ZaloChannel, client: Redis) -> list[Button | None]:
        await channel.send(message, replies)
        picked = [await choice_for(client, USER, text) for text in ("1", " 2. ", "3", "12 ngày")]
        await channel.send(InboundMessage("zalo", USER, "m-plain", "x"), [OutgoingMessage("Vâng.")])
        return [*picked, await choice_for(client, USER, "1")]

    picked = run_channel(make_settings(), work)
    assert fake_zalo.sent_to(USER)[0] == (
        f"Bạn muốn gặp nhân viên không?\n1. Gặp nhân viên\n2. Không, tôi hỏi lại\n{CHOICE_HINT}"
    )
    assert picked == [
        Button("Gặp nhân viên", "/request_human"),
        Button("Không, tôi hỏi lại", "/deny"),
        None,
        None,
        None,  # an answer without buttons forgets the choices
    ]
