"""Lockout on real Redis (db 9): 5 failures in an hour lock the conversation and the Zalo user."""

from __future__ import annotations

import time

import pytest
import redis

from actions.status.lockout import Lockout, LockoutUnavailable, subjects


def test_four_failures_do_not_lock_the_fifth_does(lockout: Lockout) -> None:
    who = subjects("conv-1", {})
    for _ in range(4):
        assert lockout.record_failure(who) is None
    assert lockout.locked_until(who) is None
    until = lockout.record_failure(who)
    assert until is not None and until > time.time() + 3500
    assert lockout.locked_until(who) == pytest.approx(until)


def test_another_conversation_is_not_locked(lockout: Lockout) -> None:
    for _ in range(5):
        lockout.record_failure(subjects("conv-1", {}))
    assert lockout.locked_until(subjects("conv-2", {})) is None


def test_a_zalo_user_is_locked_in_every_conversation(lockout: Lockout) -> None:
    for n in range(5):  # five conversations, one Zalo user
        lockout.record_failure(subjects(f"conv-{n}", {"zalo_user_id": "zu-42"}))
    assert lockout.locked_until(subjects("a-new-conversation", {"zalo_user_id": "zu-42"})) is not None
    assert lockout.locked_until(subjects("conv-0", {})) is None  # each conversation failed once
    assert lockout.locked_until(subjects("other", {"zalo_user_id": "zu-43"})) is None


def test_the_gateway_metadata_forms_name_the_zalo_user() -> None:
    assert subjects("c", {"channel": "zalo", "user_id": "zu-1"}) == ["conversation:c", "zalo:zu-1"]
    assert subjects("c", {"channel": "zalo", "sender": {"id": "zu-2"}}) == ["conversation:c", "zalo:zu-2"]
    assert subjects("c", {"channel": "web", "user_id": "w-1"}) == ["conversation:c"]
    assert subjects("c", None) == ["conversation:c"]


def test_failures_older_than_the_window_do_not_count(redis_client: redis.Redis) -> None:
    short = Lockout(redis_client, limit=3, window=1)
    who = subjects("conv-1", {})
    short.record_failure(who)
    short.record_failure(who)
    time.sleep(1.1)
    assert short.record_failure(who) is None


def test_the_lock_ends_with_its_window(redis_client: redis.Redis) -> None:
    short = Lockout(redis_client, limit=1, window=1)
    who = subjects("conv-1", {})
    assert short.record_failure(who) is not None
    assert short.locked_until(who) is not None
    time.sleep(1.1)
    assert short.locked_until(who) is None


def test_keys_do_not_carry_ids_in_clear(lockout: Lockout, redis_client: redis.Redis) -> None:
    lockout.record_failure(subjects("zalo-conv-777", {"zalo_user_id": "zu-777"}))
    keys = " ".join(str(key) for key in redis_client.keys("*"))
    assert "777" not in keys and keys


def test_redis_down_is_unavailable() -> None:
    down = Lockout(redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5))
    with pytest.raises(LockoutUnavailable):
        down.locked_until(["conversation:x"])
    with pytest.raises(LockoutUnavailable):
        down.record_failure(["conversation:x"])
