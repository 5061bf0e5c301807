from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis

from channels.settings import Settings
from tests.channels.browser import browser
from tests.e2e.services import Stack, running_stack

__all__ = ["browser"]  # the browser tests' fixture

# Redis databases of these tests (flushed here, and only these): the gateway's; Rasa's trackers use 13–14.
GATEWAY_DB = 10
RASA_DB = 13


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis(host="127.0.0.1", port=6379, db=GATEWAY_DB, decode_responses=True)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def make_settings(redis_client: redis.Redis) -> Callable[..., Settings]:
    """Settings for a test gateway: its own Redis db, quick retries."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "redis_url": f"redis://127.0.0.1:6379/{GATEWAY_DB}",
            "retry_initial_seconds": 0.2,
            "retry_max_seconds": 1.0,
            **overrides,
        }
        return Settings(**values)

    return make


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    """The real action server and Rasa, once for the whole session, on ports of their own."""
    with running_stack(rasa_port=17005, actions_port=17055, redis_db=RASA_DB) as running:
        yield running
