from __future__ import annotations

from channels.message import Button, InboundMessage, OutgoingMessage, from_rasa, links_in


def test_rasa_replies_become_outgoing_messages_with_buttons_and_links() -> None:
    replies = from_rasa(
        [
            {
                "recipient_id": "web-abc",
                "text": "Nguồn: mã thủ tục 1.001456: https://dichvucong.gov.vn/thu-tuc/1.",
                "buttons": [{"title": "Lệ phí", "payload": '/ask_fee{"procedure":"1.001456"}'}],
            },
            {"recipient_id": "web-abc", "text": "Bạn cần gì thêm?"},
        ]
    )
    assert replies == [
        OutgoingMessage(
            text="Nguồn: mã thủ tục 1.001456: https://dichvucong.gov.vn/thu-tuc/1.",
            buttons=(Button("Lệ phí", '/ask_fee{"procedure":"1.001456"}'),),
            links=("https://dichvucong.gov.vn/thu-tuc/1",),
        ),
        OutgoingMessage(text="Bạn cần gì thêm?"),
    ]


def test_empty_replies_and_buttons_without_payload_are_dropped() -> None:
    assert from_rasa([{"recipient_id": "x"}, {"recipient_id": "x", "buttons": [{"title": "?"}]}]) == []


def test_a_button_without_title_shows_its_payload() -> None:
    [reply] = from_rasa([{"recipient_id": "x", "buttons": [{"payload": "/deny"}]}])
    assert reply.buttons == (Button("/deny", "/deny"),)


def test_only_http_links_are_links() -> None:
    text = "xem javascript:alert(1) hoặc data:text/html,x và http://a.vn/b?c=1, (https://d.vn)."
    assert links_in(text) == ("http://a.vn/b?c=1", "https://d.vn")


def test_the_outgoing_model_round_trips_through_its_stored_form() -> None:
    message = OutgoingMessage("Chọn thủ tục", (Button("Hộ chiếu", "/ask_fee"),), ("https://a.vn",))
    assert OutgoingMessage.from_dict(message.as_dict()) == message
    assert message.as_dict() == {
        "text": "Chọn thủ tục",
        "buttons": [{"title": "Hộ chiếu", "payload": "/ask_fee"}],
        "links": ["https://a.vn"],
    }


def test_rasa_sender_is_one_per_channel_and_conversation() -> None:
    assert InboundMessage("web", "abcdefgh", "m1", "xin chào").sender == "web-abcdefgh"
