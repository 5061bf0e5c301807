"""Learning from failures: masked messages in a Redis stream, exported as candidate training examples."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import redis
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa_sdk import Tracker
from typer.testing import CliRunner

from actions import failure_log
from maintenance.cli import app
from tests.maintenance.conftest import REDIS_DB

KEY = "learning:failures:test"


def _tracker(text: str, intent: str, confidence: float) -> Tracker:
    ranking = [
        {"name": intent, "confidence": confidence},
        {"name": "ask_fee", "confidence": round(1 - confidence, 3)},
    ]
    return Tracker(
        sender_id="citizen-1",
        slots={},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": ranking,
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.fixture
def stream(redis_db4: redis.Redis, monkeypatch: pytest.MonkeyPatch) -> redis.Redis:
    monkeypatch.setenv("FAILURE_LOG_DB", str(REDIS_DB))
    monkeypatch.setenv("FAILURE_LOG_KEY", KEY)
    monkeypatch.setenv("FAILURE_LOG_MAXLEN", "50")
    monkeypatch.setattr(failure_log, "_redis", None)  # a client for this environment
    return redis_db4


def test_a_failure_is_recorded_masked_with_its_ranking(stream: redis.Redis) -> None:
    text = (
        "tên tôi là Nguyễn Văn An, sđt 0912 345 678, cccd 012345678901, "
        "hồ sơ 000.00.17.H12-261118-0042 sao rồi"
    )
    failure_log.record_failure(_tracker(text, "nlu_fallback", 0.31), "fallback")
    ((_, fields),) = stream.xrange(KEY)
    entry = {k.decode(): v.decode() for k, v in fields.items()}
    assert entry["text"] == "tên tôi là [tên], sđt [số], cccd [số], hồ sơ [mã hồ sơ] sao rồi"
    for secret in ("Nguyễn", "0912", "012345678901", "261118"):
        assert secret not in json.dumps(entry, ensure_ascii=False)
    assert entry["reason"] == "fallback"
    assert entry["intent"] == "nlu_fallback" and entry["confidence"] == "0.31"
    assert json.loads(entry["ranking"])[0] == {"name": "nlu_fallback", "confidence": 0.31}
    assert float(entry["timestamp"]) > 1.7e9


def test_the_stream_is_capped(stream: redis.Redis) -> None:
    for number in range(300):
        failure_log.record_failure(_tracker(f"câu thứ {number}", "nlu_fallback", 0.2), "fallback")
    assert 50 <= stream.xlen(KEY) < 300


def test_redis_down_never_reaches_the_action(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("REDIS_PORT", "6")  # nothing listens there
    monkeypatch.setattr(failure_log, "_redis", None)
    with caplog.at_level(logging.WARNING, logger="actions.failure_log"):
        failure_log.record_failure(_tracker("tôi là Trần Thị Mai, cho hỏi", "nlu_fallback", 0.2), "handoff")
    assert "failure not recorded (handoff)" in caplog.text
    assert "Mai" not in caplog.text


def test_button_payloads_are_not_recorded(stream: redis.Redis) -> None:
    failure_log.record_failure(_tracker("/request_human", "request_human", 1.0), "handoff")
    assert stream.xlen(KEY) == 0


def test_export_groups_by_predicted_intent_as_rasa_nlu_yaml(
    stream: redis.Redis, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    messages = [
        ("xin giấy phép nuôi chó", "nlu_fallback", 0.3, "fallback"),
        ("Xin  giấy phép nuôi chó", "nlu_fallback", 0.35, "handoff"),
        ("tôi là Lê Văn Tám: muốn gặp người thật", "request_human", 0.5, "handoff"),
        ('đổi bằng "A1" #gấp', "ask_fee", 0.45, "fallback"),
    ]
    for text, intent, confidence, reason in messages:
        failure_log.record_failure(_tracker(text, intent, confidence), reason)
    out = tmp_path / "candidates.yml"
    result = CliRunner().invoke(app, ["failures", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 messages written" in result.output

    text = out.read_text(encoding="utf-8")
    data = RasaYAMLReader().reads(text)
    examples = {(m.get("intent"), m.get("text")) for m in data.intent_examples}
    assert examples == {
        ("nlu_fallback", "Xin giấy phép nuôi chó"),
        ("request_human", "tôi là [tên]: muốn gặp người thật"),
        ("ask_fee", 'đổi bằng "A1" #gấp'),
    }
    assert "# 2× (fallback ×1, handoff ×1); confidence 0.35" in text
    assert text.index("- intent: nlu_fallback") < text.index("- intent: request_human")  # most frequent first
    assert "Lê Văn Tám" not in text
