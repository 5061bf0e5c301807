"""find_application_codes and ApplicationCodeExtractor: codes however typed, never phone or ID numbers."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.application_code import ApplicationCodeExtractor, find_application_codes

CODE = "000.00.17.H12-251120-0042"


@pytest.mark.parametrize(
    "typed",
    [
        "000.00.17.H12-251120-0042",
        "000.00.17.h12-251120-0042",
        "000 00 17 H12 251120 0042",
        "000-00-17-H12-251120-0042",
        # Without separators it is still unambiguous: 7 digits, a letter and 2 digits, then exactly 12 digits.
        "0000017H122511200042",
    ],
)
def test_typed_forms_give_the_canonical_code(typed: str) -> None:
    assert find_application_codes(typed) == [(CODE, 0, len(typed))]


def test_code_inside_a_sentence_with_offsets() -> None:
    text = f"Hồ sơ mã {CODE} của tôi đến đâu rồi?"
    assert find_application_codes(text) == [(CODE, 9, 34)]
    assert text[9:34] == CODE


def test_trailing_full_stop_is_not_part_of_the_code() -> None:
    assert find_application_codes(f"mã của tôi là {CODE}.") == [(CODE, 14, 39)]


def test_two_codes() -> None:
    text = "mã 000.00.17.H12-251120-0042, 000.00.18.h12-251121-0001"
    assert find_application_codes(text) == [
        ("000.00.17.H12-251120-0042", 3, 28),
        ("000.00.18.H12-251121-0001", 30, 55),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "sđt của tôi 0912345678",
        "0912 345 678",
        "+84 912 345 678",
        "số cccd 079123456789",
        "cccd 079 123 456 789",
        "mã thủ tục 1.001456",
        "000.00.17.H12-251120-00421",  # one digit too many
        "1000.00.17.H12-251120-0042",  # one digit too many in front
        "000.00.17.12-251120-0042",  # no agency letter
        "",
    ],
)
def test_not_an_application_code(text: str) -> None:
    assert find_application_codes(text) == []


def test_extractor_entity() -> None:
    message = Message(data={"text": "kiểm tra hồ sơ 000 00 17 h12 251120 0042 giúp mình"})
    ApplicationCodeExtractor({}).process([message])
    assert message.get("entities") == [
        {"entity": "application_code", "value": CODE, "start": 15, "end": 40, "confidence": 1.0,
         "extractor": "ApplicationCodeExtractor"}
    ]  # fmt: skip
    assert message.get("text")[15:40] == "000 00 17 h12 251120 0042"


def test_extractor_adds_nothing_without_a_code() -> None:
    message = Message(data={"text": "gọi cho tôi số 0912345678"})
    ApplicationCodeExtractor({}).process([message])
    assert message.get("entities") is None
