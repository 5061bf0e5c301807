"""The console's JSON API as the tests use it: accounts made with the real directory, signed-in clients."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
from redis.asyncio import Redis

from channels.helpdesk.staff import StaffDirectory
from tests.channels.conftest import GATEWAY_DB

PASSWORD = "mật-khẩu-đủ-dài-1"


def add_staff(username: str, name: str, role: str, url: str = f"redis://127.0.0.1:6379/{GATEWAY_DB}") -> None:
    async def run() -> None:
        client = Redis.from_url(url, decode_responses=True)
        try:
            await StaffDirectory(client).add(username, name, role, PASSWORD)
        finally:
            await client.aclose()

    # In a thread of its own: Playwright's sync API keeps an event loop running in the test's thread.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, run()).result()


class Staff:
    """A signed-in staff member: an HTTP client with the session cookie and the CSRF token."""

    def __init__(self, base_url: str, username: str, password: str = PASSWORD) -> None:
        self.http = httpx.Client(base_url=base_url + "/helpdesk/api", timeout=30)
        signed = self.http.post("/session", json={"username": username, "password": password})
        signed.raise_for_status()
        self.csrf = signed.json()["csrf"]

    def post(self, path: str, body: dict[str, object] | None = None) -> httpx.Response:
        return self.http.post(path, json=body, headers={"X-CSRF-Token": self.csrf})

    def get(self, path: str) -> httpx.Response:
        return self.http.get(path)

    def close(self) -> None:
        self.http.close()
