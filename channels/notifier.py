"""Wakes whoever waits on a transcript (a widget's WebSocket, a long poll) when an entry is written.

One Redis pub/sub connection per gateway process instead of one blocking read per open widget, so
the number of Redis connections does not grow with the number of citizens online. Writers publish
on `channels:notify:<transcript key>` in the same transaction as the entry (see `inbox`, `conversation`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
PREFIX = "channels:notify:"


def notify_channel(transcript_key: str) -> str:
    return PREFIX + transcript_key


class TranscriptNotifier:
    """Started with the app; `waiting` registers an event that is set on the next entry."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._waiters: dict[str, set[asyncio.Event]] = {}

    @contextmanager
    def waiting(self, transcript_key: str) -> Iterator[asyncio.Event]:
        """Register before reading the transcript, so an entry written in between is not missed."""
        event = asyncio.Event()
        self._waiters.setdefault(transcript_key, set()).add(event)
        try:
            yield event
        finally:
            waiters = self._waiters.get(transcript_key)
            if waiters is not None:
                waiters.discard(event)
                if not waiters:
                    del self._waiters[transcript_key]

    async def run(self) -> None:
        """Listens until cancelled; after a Redis error everyone is woken to read again."""
        while True:
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(PREFIX + "*")
                self._wake_all()  # anything written while not subscribed
                while True:
                    message = await pubsub.get_message(timeout=1.0)
                    if message is not None:
                        self._wake(str(message["channel"])[len(PREFIX) :])
            except RedisError as error:
                log.warning("notifier: Redis error, resubscribing in 1 s: %s", error)
                await asyncio.sleep(1)
            finally:
                await pubsub.aclose()

    def _wake(self, transcript_key: str) -> None:
        for event in self._waiters.get(transcript_key, ()):
            event.set()

    def _wake_all(self) -> None:
        for events in self._waiters.values():
            for event in events:
                event.set()
