"""action_answer_procedure on recorded trackers."""

from __future__ import annotations

from actions.answers import answer
from actions.procedure_answer import ActionAnswerProcedure
from knowledge.base import load
from tests.actions.conftest import SlotSet, recorded, run, slots_set

ACTION = ActionAnswerProcedure()
PASSPORT = "1.001456"
# What an answer sets: the procedure the conversation is now about, everything pending cleared.
ANSWERED = {"procedure": PASSPORT, "pending_question": None, "misunderstood": 0.0, "offer": None}


def test_recorded_trackers_load() -> None:
    tracker = recorded("ask_fee_passport")
    assert tracker.sender_id == "zalo-5811"
    assert tracker.latest_message["intent"]["name"] == "ask_fee"
    assert tracker.get_slot("procedure") is None
    assert ACTION.name() == "action_answer_procedure"


def test_ask_fee_with_a_procedure_entity() -> None:
    messages, events = run(ACTION, "ask_fee_passport")
    [message] = messages
    assert message["text"] == answer(load()[PASSPORT], "fee").text
    assert "200.000 đồng" in message["text"] and "160.000 đồng" in message["text"]
    assert message["buttons"] == []
    assert SlotSet("procedure", PASSPORT) in events
    assert slots_set(events) == {**ANSWERED, "last_question": "fee"}


def test_follow_up_question_uses_the_procedure_slot() -> None:
    tracker = recorded("followup_time_passport")
    assert tracker.latest_message["entities"] == [] and tracker.get_slot("procedure") == PASSPORT
    messages, events = run(ACTION, "followup_time_passport")
    [message] = messages
    assert message["text"].startswith("Thời hạn giải quyết — Cấp hộ chiếu phổ thông")
    assert "8 ngày làm việc" in message["text"]
    assert message["text"] == answer(load()[PASSPORT], "time").text
    assert slots_set(events)["procedure"] == PASSPORT


def test_question_without_a_procedure_asks_which() -> None:
    messages, events = run(ACTION, "ask_documents_no_procedure")
    [message] = messages
    assert message["text"].startswith("Bạn muốn hỏi về thủ tục nào ạ?")
    assert not message["buttons"]
    assert events == [SlotSet("pending_question", "documents")]


def test_province_only_is_acknowledged_while_asking_which_procedure() -> None:
    messages, events = run(ACTION, "ask_agency_province_only")
    [message] = messages
    assert message["text"].startswith("Tôi đã ghi nhận bạn ở Gia Lai. Bạn muốn hỏi về thủ tục nào ạ?")
    assert events == [SlotSet("pending_question", "agency")]


def test_bare_procedure_answers_the_pending_question() -> None:
    messages, events = run(ACTION, "inform_after_pending_fee")
    [message] = messages
    assert message["text"] == answer(load()[PASSPORT], "fee").text
    assert slots_set(events) == {**ANSWERED, "last_question": "fee"}


def test_too_close_candidates_are_offered_as_buttons() -> None:
    messages, events = run(ACTION, "too_close_fee")
    [message] = messages
    assert message["text"] == "Bạn hỏi về thủ tục nào dưới đây ạ?"
    assert message["buttons"] == [
        {"title": "Chứng thực di chúc", "payload": '/ask_fee{"procedure":"2.001019"}'},
        {"title": "Chứng thực chữ ký", "payload": '/ask_fee{"procedure":"2.000884"}'},
        {
            "title": "Chứng thực hợp đồng, giao dịch về động sản, đất đai, nhà ở",
            "payload": '/ask_fee{"procedure":"2.001035"}',
        },
    ]
    assert events == [SlotSet("pending_question", "fee"), SlotSet("offer", "candidates")]
    assert "procedure" not in slots_set(events)  # nothing chosen yet


def test_next_page_button_payload_gives_page_two() -> None:
    messages, events = run(ACTION, "documents_page_2")
    [message] = messages
    procedure = load()["1.004222"]
    assert message["text"] == answer(procedure, "documents", 2).text
    assert "(trang 2/" in message["text"]
    assert message["text"] != answer(procedure, "documents", 1).text
    assert slots_set(events)["procedure"] == "1.004222"


def _with_linked(name: str, entity: dict) -> tuple[list[dict], list[dict]]:
    """Run the action on a recorded tracker whose latest message carries another procedure entity."""
    from rasa_sdk.executor import CollectingDispatcher

    tracker = recorded(name)
    tracker.latest_message["entities"] = [entity]
    dispatcher = CollectingDispatcher()
    events = ACTION.run(dispatcher, tracker, {})
    return dispatcher.messages, events


def test_an_ambiguous_follow_up_that_fits_the_thread_keeps_it() -> None:
    # The first candidates are too close to call and the thread's procedure is one of them: no question.
    close = {"entity": "procedure", "value": "1.011427", "confidence": 0.4, "extractor": "ProcedureLinker",
             "candidates": ["1.011427", PASSPORT], "too_close": True}  # fmt: skip
    messages, events = _with_linked("followup_time_passport", close)
    assert "1.001456" in messages[0]["text"] and "1.011427" not in messages[0]["text"]
    assert slots_set(events)["procedure"] == PASSPORT


def test_an_ambiguous_follow_up_outside_the_thread_keeps_it_too() -> None:
    # Not sure what else it may name, the follow-up is asked of the thread's procedure.
    close = {"entity": "procedure", "value": "1.011427", "confidence": 0.4, "extractor": "ProcedureLinker",
             "candidates": ["1.011427", "1.001193"], "too_close": True}  # fmt: skip
    messages, events = _with_linked("followup_time_passport", close)
    assert "1.001456" in messages[0]["text"]
    assert slots_set(events)["procedure"] == PASSPORT


def _detail(procedure: str, text: str) -> tuple[list[dict], list[dict]]:
    """A bare detail ("chồng em là người Nhật") after an answer about `procedure`."""
    from rasa_sdk.executor import CollectingDispatcher

    tracker = recorded("followup_time_passport")
    tracker.slots["procedure"] = procedure
    tracker.latest_message.update(
        {"text": text, "entities": [], "intent": {"name": "inform", "confidence": 0.9}}
    )
    dispatcher = CollectingDispatcher()
    return dispatcher.messages, ACTION.run(dispatcher, tracker, {})


def test_a_detail_moves_to_the_variant_it_selects_and_says_so() -> None:
    messages, events = _detail("1.000894", "chồng em là người Nhật Bản")
    assert slots_set(events)["procedure"] == "2.000806"  # kết hôn có yếu tố nước ngoài
    assert messages[0]["text"].startswith("Với trường hợp bạn nêu, thủ tục phù hợp là")


def test_a_detail_that_changes_nothing_keeps_the_procedure() -> None:
    messages, events = _detail("1.000894", "thế nộp ở đâu")
    assert slots_set(events)["procedure"] == "1.000894"
    assert not messages[0]["text"].startswith("Với trường hợp")


def test_a_strong_link_or_a_button_choice_switches_the_thread() -> None:
    birth = "1.001193"
    strong = {"entity": "procedure", "value": birth, "confidence": 0.95, "extractor": "ProcedureLinker",
              "candidates": [birth], "too_close": False}  # fmt: skip
    button = {"entity": "procedure", "value": birth}  # from a /ask_fee{"procedure": ...} payload
    for entity in (strong, button):
        messages, events = _with_linked("followup_time_passport", entity)
        assert birth in messages[0]["text"]
        assert slots_set(events)["procedure"] == birth
