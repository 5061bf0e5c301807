"""The status store the end-to-end stack uses: the demo CSV in a SQLite file of the test run's own."""

from __future__ import annotations

from pathlib import Path

import redis

from actions.status.csv_import import import_csv
from actions.status.sql_store import SqlStatusStore

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo_applications.csv"
LOCKOUT_DB = 11  # flushed before each run: nothing else may live there
SECRET = "e2e-status-secret"


def seeded_status_env(folder: Path) -> dict[str, str]:
    """Imports the demo data into folder/status.sqlite3, clears the lock-out db; returns the settings."""
    url = f"sqlite:///{folder / 'status.sqlite3'}"
    store = SqlStatusStore(url, SECRET)
    import_csv(DEMO, store)
    store.close()
    redis.Redis(port=6379, db=LOCKOUT_DB).flushdb()
    return {
        "STATUS_CONNECTOR": "sql",
        "STATUS_DB_URL": url,
        "STATUS_HASH_SECRET": SECRET,
        "STATUS_LOCKOUT_DB": str(LOCKOUT_DB),
    }
