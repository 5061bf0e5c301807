"""The widget in a real browser (Debian's Chromium driven by Playwright) against the real Rasa."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, FloatRect, Page, expect

from channels.settings import Settings
from tests.channels.browser import SCREENSHOTS
from tests.channels.servers import GatewayServer
from tests.e2e.services import Stack

ANSWER_SECONDS = 60_000  # milliseconds, as Playwright counts


@pytest.fixture
def gateway(stack: Stack, make_settings: Callable[..., Settings]) -> Iterator[GatewayServer]:
    with GatewayServer(make_settings(rasa_url=stack.rasa_url)) as server:
        yield server


def ask(page: Page, question: str) -> None:
    page.locator(".tthc-input").fill(question)
    page.locator(".tthc-input").press("Enter")


def test_the_widget_answers_keeps_the_conversation_and_escapes_everything(
    browser: Browser, gateway: GatewayServer
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(gateway.url)
    page.get_by_role("button", name="Mở trợ lý thủ tục hành chính").click()
    panel = page.get_by_role("dialog", name="Trợ lý thủ tục hành chính")
    expect(panel).to_be_visible()
    expect(panel.locator(".tthc-status")).to_have_text("Trực tuyến")

    # The typing indicator shows from the moment the question is sent until the answer arrives.
    page.locator(".tthc-input").fill("làm hộ chiếu hết bao nhiêu tiền")
    typing_at_send = page.evaluate(
        "() => { document.querySelector('.tthc-form').requestSubmit();"
        " return !document.querySelector('.tthc-typing').hidden; }"
    )
    assert typing_at_send
    answer = panel.locator(".tthc-bot", has_text="1.001456")
    expect(answer).to_be_visible(timeout=ANSWER_SECONDS)
    expect(answer).to_contain_text("200.000 đồng")
    expect(panel.locator(".tthc-typing")).to_be_hidden()
    source = answer.locator("a").last
    assert (source.get_attribute("href") or "").startswith("https://")

    # A quick reply sends its payload and shows its title.
    ask(page, "làm hộ chiếu")
    quick = panel.locator(".tthc-quick-reply").first
    expect(quick).to_be_visible(timeout=ANSWER_SECONDS)
    title = quick.inner_text()
    bots_before = panel.locator(".tthc-bot").count()
    quick.click()
    expect(panel.locator(".tthc-user").last).to_have_text(title)
    expect(panel.locator(".tthc-bot")).to_have_count(bots_before + 1, timeout=ANSWER_SECONDS)
    expect(panel.locator(".tthc-typing")).to_be_hidden()
    assert "/ask_" not in panel.locator(".tthc-log").inner_text()

    # Markup typed by the citizen is shown as text and never runs.
    markup = "<img src=x onerror=alert(1)>"
    ask(page, markup)
    expect(panel.locator(".tthc-user").last).to_have_text(markup)
    expect(panel.locator(".tthc-typing")).to_be_hidden(timeout=ANSWER_SECONDS)
    assert panel.locator(".tthc-log img").count() == 0
    transcript = panel.locator(".tthc-log").inner_text()

    # After a reload the conversation is still there, loaded from the gateway.
    page.reload()
    panel = page.get_by_role("dialog", name="Trợ lý thủ tục hành chính")
    expect(panel.locator(".tthc-user").last).to_have_text(markup, timeout=10_000)
    expect(panel.locator(".tthc-bot", has_text="200.000 đồng").first).to_be_visible()
    assert panel.locator(".tthc-log").inner_text() == transcript
    assert panel.locator(".tthc-log img").count() == 0
    assert dialogs == []
    page.close()


def fits(box: FloatRect | None, width: int, height: int) -> bool:
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= width
        and (box["y"] + box["height"] <= height)
    )


def test_the_widget_fits_a_phone_screen_and_falls_back_to_http(
    browser: Browser, gateway: GatewayServer
) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    # A network that blocks WebSockets: the widget must carry on over HTTP.
    context.add_init_script("window.WebSocket = undefined; delete window.WebSocket;")
    page = context.new_page()
    page.goto(gateway.url)
    bubble = page.get_by_role("button", name="Mở trợ lý thủ tục hành chính")
    assert fits(bubble.bounding_box(), 360, 640)
    bubble.tap()
    panel = page.get_by_role("dialog", name="Trợ lý thủ tục hành chính")
    for part in (panel, *(panel.locator(name) for name in (".tthc-input", ".tthc-send", ".tthc-close"))):
        assert fits(part.bounding_box(), 360, 640), part
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360

    ask(page, "lam ho chieu het bao nhieu tien")
    answer = panel.locator(".tthc-bot", has_text="1.001456")
    expect(answer).to_be_visible(timeout=ANSWER_SECONDS)
    box = answer.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "widget-360x640.png")  # for a person to look at
    context.close()
