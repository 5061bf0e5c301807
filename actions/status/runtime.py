"""The connector and lock-out the action server uses: built once from the environment; tests replace them."""

from __future__ import annotations

import threading

from actions.status.connector import StatusConnector, connector_from_env
from actions.status.lockout import Lockout

_lock = threading.Lock()
_connector: StatusConnector | None = None
_lockout: Lockout | None = None


def status_connector() -> StatusConnector:
    global _connector
    with _lock:
        if _connector is None:
            _connector = connector_from_env()
        return _connector


def status_lockout() -> Lockout:
    global _lockout
    with _lock:
        if _lockout is None:
            _lockout = Lockout.from_env()
        return _lockout


def use(connector: StatusConnector | None = None, lockout: Lockout | None = None) -> None:
    """Replaces what the actions use (None: rebuilt from the environment on next use)."""
    global _connector, _lockout
    with _lock:
        _connector, _lockout = connector, lockout
