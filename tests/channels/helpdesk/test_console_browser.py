"""The whole handoff in two real browsers (Debian's Chromium via Playwright) against the real Rasa and action
server: a citizen in the widget asks for a person, an agent in the console sees it appear live, claims it,
answers, and hands the conversation back to the bot, which answers the citizen's next question again."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from channels.helpdesk.replies import BACK_TO_BOT
from channels.settings import Settings
from tests.channels.browser import SCREENSHOTS
from tests.channels.helpdesk.console_client import PASSWORD, add_staff
from tests.channels.servers import GatewayServer
from tests.e2e.services import Stack

ANSWER_MS = 60_000
LIVE_MS = 10_000
# The help desk open around the clock, so the test does not depend on when it runs.
ALWAYS_OPEN = {"helpdesk_days": list(range(7)), "helpdesk_opens": "00:00", "helpdesk_closes": "23:59:59.999"}
MARKUP = "<img src=x onerror=alert(1)>"


@pytest.fixture
def gateway(stack: Stack, make_settings: Callable[..., Settings]) -> Iterator[GatewayServer]:
    settings = make_settings(rasa_url=stack.rasa_url, rasa_token=stack.token, **ALWAYS_OPEN)
    with GatewayServer(settings) as server:
        yield server


def ask(page: Page, question: str) -> None:
    page.locator(".tthc-input").fill(question)
    page.locator(".tthc-input").press("Enter")


def sign_in(page: Page, username: str, password: str) -> None:
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_citizen_reaches_a_person_and_comes_back_to_the_bot(
    browser: Browser, gateway: GatewayServer, stack: Stack
) -> None:
    add_staff("lan", "Nguyễn Thị Lan", "agent")
    dialogs: list[str] = []

    # The agent signs in (after one wrong password) and keeps the console open.
    staff_context = browser.new_context(viewport={"width": 1280, "height": 900})
    console = staff_context.new_page()
    console.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    console.goto(f"{gateway.url}/helpdesk")
    sign_in(console, "lan", "sai-mat-khau-roi")
    expect(console.locator("#signin-error")).to_have_text("Sai tên đăng nhập hoặc mật khẩu.")
    sign_in(console, "lan", PASSWORD)
    expect(console.locator("#me-name")).to_have_text("Nguyễn Thị Lan")
    expect(console.locator("#live")).to_have_text("Trực tuyến", timeout=LIVE_MS)
    expect(console.locator(".ticket")).to_have_count(0)

    # The citizen asks about a procedure, then for a person.
    citizen_context = browser.new_context(viewport={"width": 1280, "height": 800})
    citizen = citizen_context.new_page()
    citizen.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    citizen.goto(gateway.url)
    citizen.get_by_role("button", name="Mở trợ lý thủ tục hành chính").click()
    widget = citizen.get_by_role("dialog", name="Trợ lý thủ tục hành chính")
    ask(citizen, "làm hộ chiếu hết bao nhiêu tiền")
    expect(widget.locator(".tthc-bot", has_text="200.000 đồng")).to_be_visible(timeout=ANSWER_MS)
    ask(citizen, "cho tôi gặp nhân viên")
    expect(widget.locator(".tthc-bot", has_text="nhân viên hỗ trợ")).to_be_visible(timeout=ANSWER_MS)
    expect(widget.locator(".tthc-bot", has_text="vị trí số 1 trong hàng chờ")).to_be_visible(
        timeout=ANSWER_MS
    )

    # The conversation appears in the open console without a reload.
    ticket = console.locator(".ticket").first
    expect(ticket).to_be_visible(timeout=LIVE_MS)
    expect(ticket).to_contain_text("Người dân muốn gặp nhân viên")
    ticket.click()
    summary = console.locator("#summary")
    expect(summary).to_contain_text("làm hộ chiếu hết bao nhiêu tiền")
    console.get_by_role("button", name="Nhận xử lý").click()
    expect(console.locator("#detail-title")).to_contain_text("Đang xử lý · lan")

    # What the citizen writes while waiting reaches the console live, as text.
    ask(citizen, MARKUP)
    expect(console.locator("#feed .citizen")).to_contain_text(MARKUP, timeout=ANSWER_MS)
    assert console.locator("#feed img").count() == 0

    # The agent answers; the citizen sees it in the widget, with the agent's name.
    console.get_by_label("Trả lời người dân").fill("Chào bạn, lệ phí hộ chiếu là 200.000 đồng.")
    console.get_by_label("Trả lời người dân").press("Enter")
    expect(console.locator("#feed .agent")).to_contain_text("lệ phí hộ chiếu", timeout=LIVE_MS)
    expect(widget.locator(".tthc-bot", has_text="Nhân viên Lan: Chào bạn")).to_be_visible(timeout=LIVE_MS)

    # The full transcript comes from Rasa's tracker, the reply in it with the agent's name.
    console.locator("#transcript-box summary").click()
    transcript = console.locator("#transcript")
    expect(transcript).to_contain_text("cho tôi gặp nhân viên", timeout=LIVE_MS)
    expect(transcript).to_contain_text("Nguyễn Thị Lan")
    SCREENSHOTS.mkdir(exist_ok=True)
    console.screenshot(path=SCREENSHOTS / "helpdesk-console.png")  # for a person to look at

    # Handed back: the citizen is told, and the bot answers the next question again.
    console.get_by_role("button", name="Trả lại cho trợ lý tự động").click()
    expect(widget.locator(".tthc-bot", has_text=BACK_TO_BOT)).to_be_visible(timeout=LIVE_MS)
    answers_before = widget.locator(".tthc-bot", has_text="1.001456").count()
    ask(citizen, "làm hộ chiếu mất bao lâu")
    expect(widget.locator(".tthc-bot", has_text="1.001456")).to_have_count(
        answers_before + 1, timeout=ANSWER_MS
    )
    console.get_by_role("tab", name="Lịch sử").click()
    expect(console.locator(".ticket").first).to_contain_text("Đã đóng")

    # Rasa's tracker holds all of it: the message written while paused, the reply with the agent's name.
    conversation = citizen.evaluate("() => localStorage.getItem('tthc-widget:conversation')")
    tracker = httpx.get(
        f"{stack.rasa_url}/conversations/web-{conversation}/tracker",
        params={"token": stack.token},
        timeout=30,
    ).json()
    events = tracker["events"]
    assert any(e["event"] == "user" and e.get("text") == MARKUP for e in events)
    [staff_reply] = [e for e in events if e["event"] == "bot" and (e.get("metadata") or {}).get("agent")]
    assert staff_reply["metadata"]["agent"] == "Nguyễn Thị Lan"
    assert staff_reply["text"] == "Nhân viên Lan: Chào bạn, lệ phí hộ chiếu là 200.000 đồng."
    assert any(e["event"] == "resume" for e in events)
    assert citizen.locator(".tthc-log img").count() == 0
    assert dialogs == []
    citizen_context.close()
    staff_context.close()
