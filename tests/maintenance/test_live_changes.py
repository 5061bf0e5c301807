"""Changes under load on the real stack: a knowledge base import and a model swap lose no message."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import requests

from maintenance.deployment import DeployError, RasaServer
from tests.maintenance.conftest import EXAMPLE, ROOT, LiveStack
from tests.maintenance.load import Load

FEE_QUESTION = "làm hộ chiếu hết bao nhiêu tiền"
OLD_FEE, NEW_FEE = "Trực tiếp: 200.000 đồng", "Trực tiếp: 250.000 đồng"


def _all_answered(load: Load) -> None:
    assert load.errors == []
    assert load.replies, "no request was answered"
    failed = [r for r in load.replies if r.status != 200 or not r.text.strip()]
    assert failed == [], failed[:3]


def test_a_fee_change_is_live_after_kb_import_and_no_request_is_lost(live_stack: LiveStack) -> None:
    with Load(live_stack.rasa_url, FEE_QUESTION) as load:
        assert load.wait_for(OLD_FEE, 120), load.replies[-1:] or load.errors
        imported = live_stack.cli("kb", "import", "--procedure", str(EXAMPLE))
        assert imported.returncode == 0, imported.stdout + imported.stderr
        done = time.monotonic()
        first_new = load.wait_for(NEW_FEE, 30)
        assert first_new is not None, "the new fee never appeared"
        load.wait_for_replies(len(load.replies) + 8, 60)  # and keeps answering after the reload
    _all_answered(load)
    assert first_new.sent_at - done < 5  # asked at most a few seconds after the import finished
    after = [r for r in load.replies if r.sent_at > first_new.sent_at]
    assert after and all(NEW_FEE in r.text for r in after)
    assert all(OLD_FEE in r.text or NEW_FEE in r.text for r in load.replies)


def test_a_model_swap_under_load_loses_no_request(live_stack: LiveStack, tmp_path: Path) -> None:
    server = RasaServer(live_stack.rasa_url, live_stack.token)
    before = server.running_model()
    candidate = tmp_path / "model-swap.tar.gz"
    shutil.copy2(ROOT / "models" / "current.tar.gz", candidate)
    try:
        with Load(live_stack.rasa_url, "thủ tục đăng ký khai sinh cần giấy tờ gì", users=4) as load:
            load.wait_for_replies(4, 120)
            swapped_at = time.monotonic()
            server.load(candidate)
            load.wait_for_replies(len(load.replies) + 8, 120)
        assert Path(server.running_model()).name == candidate.name != Path(before).name
    finally:
        server.load(ROOT / "models" / "current.tar.gz")  # the other tests expect the project's model
    _all_answered(load)
    assert any(r.sent_at < swapped_at for r in load.replies)
    assert any(r.sent_at > swapped_at for r in load.replies)
    assert all("Giấy tờ" in r.text or "giấy tờ" in r.text for r in load.replies)


def test_a_model_file_rasa_cannot_load_is_refused_and_the_running_model_stays(
    live_stack: LiveStack, tmp_path: Path
) -> None:
    server = RasaServer(live_stack.rasa_url, live_stack.token)
    running = server.running_model()
    broken = tmp_path / "model-broken.tar.gz"
    broken.write_bytes(b"not a model")
    with pytest.raises(DeployError, match="Rasa refused"):
        server.load(broken)
    assert server.running_model() == running
    answer = requests.post(
        f"{live_stack.rasa_url}/webhooks/rest/webhook",
        json={"sender": "after-refusal", "message": "xin chào"},
        timeout=60,
    )
    assert answer.status_code == 200 and answer.json()
