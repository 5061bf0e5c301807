"""The one interface every status source implements, its error, and the factory that picks one by settings.

Settings come from the environment:

| variable | default | meaning |
|---|---|---|
| STATUS_CONNECTOR | sql | `sql` (provinces push updates to our store) or `http` (we ask the province) |
| STATUS_DB_URL | sqlite:///.run/status.sqlite3 | SQLAlchemy URL of the store (PostgreSQL: postgresql://…) |
| STATUS_HASH_SECRET | local-dev-status-secret | key of the verification hashes; set your own in production |
| STATUS_API_URL | — | base URL of the provincial one-stop system (http connector) |
| STATUS_API_KEY | — | its API key, sent as the X-API-Key header |
| STATUS_TIMEOUT | 3 | seconds per attempt (connect and read; DB connect) |
| STATUS_RETRIES | 2 | extra attempts after a timeout or a 5xx |
| STATUS_BACKOFF | 0.3 | first pause between attempts, doubled each time |
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from actions.status.record import ApplicationRecord

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB_URL = f"sqlite:///{ROOT / '.run' / 'status.sqlite3'}"
DEV_HASH_SECRET = "local-dev-status-secret"


class StatusUnavailable(Exception):
    """The status source could not answer (timeout, 5xx, malformed reply, database down)."""


class StatusConnector(ABC):
    """Looks an application up by its code and one verification item."""

    @abstractmethod
    def lookup(self, code: str, verification: str) -> ApplicationRecord | None:
        """The record when the code exists AND the 4 digits match the applicant's phone or ID number.

        None in every other case, so an unknown code and a wrong verification cannot be told apart.
        Raises StatusUnavailable when the source cannot answer.
        """

    def close(self) -> None:  # noqa: B027 - optional for connectors that hold nothing
        """Releases connections."""


@dataclass(frozen=True)
class StatusSettings:
    connector: str = "sql"
    db_url: str = DEFAULT_DB_URL
    hash_secret: str = DEV_HASH_SECRET
    api_url: str = ""
    api_key: str = ""
    timeout: float = 3.0
    retries: int = 2
    backoff: float = 0.3

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> StatusSettings:
        env = os.environ if env is None else env
        settings = cls(
            connector=env.get("STATUS_CONNECTOR", "sql").strip().lower() or "sql",
            db_url=env.get("STATUS_DB_URL") or DEFAULT_DB_URL,
            hash_secret=env.get("STATUS_HASH_SECRET") or DEV_HASH_SECRET,
            api_url=env.get("STATUS_API_URL", "").rstrip("/"),
            api_key=env.get("STATUS_API_KEY", ""),
            timeout=float(env.get("STATUS_TIMEOUT", "3")),
            retries=int(env.get("STATUS_RETRIES", "2")),
            backoff=float(env.get("STATUS_BACKOFF", "0.3")),
        )
        if settings.connector not in ("sql", "http"):
            raise ValueError(f"STATUS_CONNECTOR must be sql or http, not {settings.connector!r}")
        if settings.connector == "http" and not settings.api_url:
            raise ValueError("STATUS_CONNECTOR=http needs STATUS_API_URL")
        return settings


def connector_from_settings(settings: StatusSettings) -> StatusConnector:
    """The connector the settings name."""
    if settings.connector == "http":
        from actions.status.http_connector import HttpStatusConnector

        return HttpStatusConnector(
            settings.api_url,
            settings.api_key,
            timeout=settings.timeout,
            retries=settings.retries,
            backoff=settings.backoff,
        )
    from actions.status.sql_store import SqlStatusStore

    return SqlStatusStore(settings.db_url, settings.hash_secret, timeout=settings.timeout)


def connector_from_env(env: Mapping[str, str] | None = None) -> StatusConnector:
    return connector_from_settings(StatusSettings.from_env(env))
