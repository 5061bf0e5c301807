"""Zalo tests: a fake Zalo on a free port, and a Redis database of their own (so they never touch the
widget tests' db 10, even when both run at once)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis

from channels.settings import Settings
from tests.channels.zalo.fake_zalo import (
    FakeZalo,
)

ZALO_GATEWAY_DB = 15  # flushed by these tests: nothing else may live there


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis(host="127.0.0.1", port=6379, db=ZALO_GATEWAY_DB, decode_responses=True)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def fake_zalo() -> Iterator[FakeZalo]:
    with FakeZalo() as server:
        yield server


@pytest.fixture
def make_settings(redis_client: redis.Redis, fake_zalo: FakeZalo) -> Callable[..., Settings]:
    """Settings of a gateway with Zalo configured against the fake, quick retries."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "redis_url": f"redis://127.0.0.1:6379/{ZALO_GATEWAY_DB}",
            "retry_initial_seconds": 0.2,
            "retry_max_seconds": 1.0,
            **fake_zalo.gateway_settings(),
            **overrides,
        }
        return Settings(**values)

    return make
