"""The form validator and action_check_status with a real SQLite store and real Redis (db 9)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.status import runtime
from actions.status.check import ActionCheckStatus
from actions.status.connector import StatusConnector, StatusUnavailable
from actions.status.csv_import import import_csv
from actions.status.form import ValidateApplicationStatusForm, read_verification
from actions.status.http_connector import HttpStatusConnector
from actions.status.lockout import Lockout
from actions.status.reply import NOT_FOUND, UNAVAILABLE
from actions.status.sql_store import SqlStatusStore
from tests.actions.status.fake_province import API_KEY, FakeProvince, running

DEMO = Path(__file__).parents[3] / "data" / "demo_applications.csv"
CODE = "000.00.17.H12-261118-0042"  # demo: phone digits 5678, ID digits 1234
DOMAIN = {"forms": {"application_status_form": {"required_slots": ["application_code", "verification"]}}}


@pytest.fixture()
def demo_store(tmp_path: Path, lockout: Lockout) -> Iterator[SqlStatusStore]:
    store = SqlStatusStore(f"sqlite:///{tmp_path / 'status.sqlite3'}", "local-dev-status-secret")
    import_csv(DEMO, store)
    runtime.use(store, lockout)
    yield store
    runtime.use(None, None)
    store.close()


def tracker(
    slots: dict[str, Any], text: str = "", sender: str = "conv-1", metadata: dict[str, Any] | None = None
) -> Tracker:
    entities = [{"entity": "application_code", "value": slots["application_code"]}] if "code" in text else []
    latest = {"text": text, "intent": {"name": "inform"}, "entities": entities, "metadata": metadata or {}}
    return Tracker(sender, slots, latest, [], False, None, {}, "action_listen")


def check(code: str | None, verification: str | None, **options: Any) -> tuple[list[dict[str, Any]], dict]:
    dispatcher = CollectingDispatcher()
    slots = {"application_code": code, "verification": verification}
    events = asyncio.run(ActionCheckStatus().run(dispatcher, tracker(slots, **options), {}))
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_a_matching_code_and_digits_get_the_status(demo_store: SqlStatusStore) -> None:
    messages, slots = check(CODE, "5678")
    [message] = messages
    assert "Đã được tiếp nhận" in message["text"] and "(DEMO)" in message["text"]
    assert slots["application_code"] is None and slots["verification"] is None


def test_a_wrong_verification_gets_exactly_the_unknown_code_reply(demo_store: SqlStatusStore) -> None:
    wrong, _ = check(CODE, "0000", sender="a")
    unknown, _ = check("000.00.17.H12-261118-0043", "5678", sender="b")
    assert wrong == unknown
    assert wrong[0]["text"] == NOT_FOUND


def test_five_failures_lock_out_with_a_clear_message(demo_store: SqlStatusStore) -> None:
    for _ in range(4):
        messages, _ = check(CODE, "0000")
        assert len(messages) == 1
    messages, _ = check(CODE, "0000")
    assert messages[0]["text"] == NOT_FOUND
    assert "tạm khóa" in messages[1]["text"]
    messages, _ = check(CODE, "5678")  # even the right digits, now
    [message] = messages
    assert "tạm khóa" in message["text"] and "Đã được tiếp nhận" not in message["text"]
    other, _ = check(CODE, "5678", sender="another-conversation")
    assert "Đã được tiếp nhận" in other[0]["text"]


def test_a_locked_zalo_user_is_locked_in_a_new_conversation(demo_store: SqlStatusStore) -> None:
    for n in range(5):
        check(CODE, "0000", sender=f"zalo-{n}", metadata={"zalo_user_id": "zu-1"})
    messages, _ = check(CODE, "5678", sender="zalo-new", metadata={"zalo_user_id": "zu-1"})
    assert "tạm khóa" in messages[0]["text"]


class Broken(StatusConnector):
    def __init__(self, error: Exception) -> None:
        self.error = error

    def lookup(self, code: str, verification: str) -> None:
        raise self.error


@pytest.mark.parametrize("error", [StatusUnavailable("db down"), RuntimeError("a bug")])
def test_faults_apologise_and_hand_over_to_a_person(lockout: Lockout, error: Exception) -> None:
    runtime.use(Broken(error), lockout)
    try:
        messages, slots = check(CODE, "5678")
    finally:
        runtime.use(None, None)
    message, handoff = messages
    assert message["text"] == UNAVAILABLE
    assert handoff["custom"]["handoff"]["reason"] == "status_fault"
    assert slots["offer"] is None


@pytest.mark.parametrize("fault", ["503", "bad_json", "timeout"])
def test_province_faults_over_http_apologise(lockout: Lockout, fault: str) -> None:
    with running(FakeProvince({}, delay=1.0)) as province:
        province.faults.extend([fault] * 3)
        runtime.use(HttpStatusConnector(province.url, API_KEY, timeout=0.3, retries=2, backoff=0.01), lockout)
        try:
            messages, _ = check(CODE, "5678")
        finally:
            runtime.use(None, None)
    assert messages[0]["text"] == UNAVAILABLE


def test_a_database_that_is_down_apologises(lockout: Lockout) -> None:
    runtime.use(SqlStatusStore("postgresql://root@127.0.0.1:1/test", "s", timeout=1), lockout)
    try:
        messages, _ = check(CODE, "5678")
    finally:
        runtime.use(None, None)
    assert messages[0]["text"] == UNAVAILABLE


def test_redis_down_refuses_rather_than_skipping_the_lockout(demo_store: SqlStatusStore) -> None:
    import redis

    runtime.use(demo_store, Lockout(redis.Redis(port=1, socket_connect_timeout=0.3)))
    messages, _ = check(CODE, "5678")
    assert messages[0]["text"] == UNAVAILABLE


def validate(slot: str, value: Any, text: str) -> tuple[list[dict[str, Any]], Any]:
    dispatcher = CollectingDispatcher()
    form = ValidateApplicationStatusForm()
    method = getattr(form, f"validate_{slot}")
    result = method(value, dispatcher, tracker({"application_code": value}, text), DOMAIN)
    return dispatcher.messages, result[slot]


@pytest.mark.parametrize(
    "typed",
    [
        "000.00.17.H12-261118-0042",
        "000.00.17.h12-261118-0042",
        "000 00 17 H12 261118 0042",
        "0000017H122611180042",
        "mã của tôi là 000.00.17.h12 261118 0042 ạ",
    ],
)
def test_codes_however_typed(typed: str) -> None:
    messages, value = validate("application_code", typed, "")
    assert value == CODE and messages == []


def test_not_a_code_is_asked_again_with_an_example() -> None:
    messages, value = validate("application_code", "tôi không nhớ", "")
    assert value is None
    assert "000.00.17.H12-251120-0042" in messages[0]["text"]


def test_two_codes_are_refused() -> None:
    messages, value = validate("application_code", f"{CODE} và 000.00.17.H12-261118-0043", "")
    assert value is None and "một mã" in messages[0]["text"]


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("5678", "5678"),
        ("4 số cuối là 5678", "5678"),
        ("0912 345 678", "5678"),
        ("cccd 079201001234", "1234"),
    ],
)
def test_verification_digits(typed: str, digits: str) -> None:
    assert read_verification(typed) == digits
    messages, value = validate("verification", typed, typed)
    assert value == digits and messages == []


@pytest.mark.parametrize("typed", ["123", "12345", "không nhớ", f"mã {CODE}"])
def test_not_four_digits_is_asked_again(typed: str) -> None:
    messages, value = validate("verification", typed, typed)
    assert value is None and "4 chữ số cuối" in messages[0]["text"]


def test_a_locked_conversation_is_asked_nothing(demo_store: SqlStatusStore, lockout: Lockout) -> None:
    for _ in range(5):
        check(CODE, "0000")
    form = ValidateApplicationStatusForm()
    slots = ["application_code", "verification"]
    locked = asyncio.run(form.required_slots(slots, CollectingDispatcher(), tracker({}), DOMAIN))
    free = asyncio.run(form.required_slots(slots, CollectingDispatcher(), tracker({}, sender="x"), DOMAIN))
    assert locked == [] and free == slots
