"""Real stores for the status tests: SQLite in a temporary folder, PostgreSQL in a schema of its own."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, text

from actions.status.lockout import Lockout
from actions.status.sql_store import SqlStatusStore

# This machine (and CI) runs PostgreSQL on 127.0.0.1:5432 with trust auth and a database `test`.
POSTGRES_URL = os.environ.get("STATUS_TEST_POSTGRES_URL", "postgresql://root@127.0.0.1:5432/test")
SECRET = "test-secret"
LOCKOUT_DB = 9  # flushed by the tests: nothing else may live there


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStatusStore]:
    if request.param == "sqlite":
        created = SqlStatusStore(f"sqlite:///{tmp_path / 'status.sqlite3'}", SECRET)
        created.create()
        yield created
        created.close()
        return
    schema = f"status_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, future=True)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    created = SqlStatusStore(POSTGRES_URL, SECRET, schema=schema)
    try:
        created.create()
        yield created
    finally:
        created.close()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture()
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis(host=os.environ.get("REDIS_HOST", "127.0.0.1"), port=6379, db=LOCKOUT_DB)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture()
def lockout(redis_client: redis.Redis) -> Lockout:
    return Lockout(redis_client)
