"""A local fake of a provincial one-stop system speaking actions/status/openapi.yaml, for tests and benches.

`faults` is a queue of behaviours for the next requests ("500", "503", "timeout", "bad_json", "slow",
"401"); when it is empty the server answers by the contract.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

API_KEY = "test-province-key"


class FakeProvince:
    def __init__(self, applications: dict[str, tuple[dict[str, Any], set[str]]], *, delay: float = 2.0):
        self.applications = applications  # code → (Application, the 4-digit items that verify it)
        self.faults: deque[str] = deque()
        self.delay = delay  # how long "timeout" and "slow" keep the client waiting
        self.requests: list[dict[str, Any]] = []
        self.url = ""

    def answer(self, body: dict[str, Any], api_key: str | None) -> tuple[int, bytes, float]:
        fault = self.faults.popleft() if self.faults else ""
        if fault in ("500", "502", "503"):
            return int(fault), b'{"error": "internal"}', 0.0
        if fault == "timeout":
            return 200, b"{}", self.delay
        if fault == "bad_json":
            return 200, b'{"application": {"code": "000.00.17.H12', 0.0
        if fault == "wrong_shape":
            return 200, b'{"application": {"status": 42}}', 0.0
        if api_key != API_KEY or fault == "401":
            return 401, b'{"error": "unauthorized"}', 0.0
        found = self.applications.get(str(body.get("code")))
        if found is None or str(body.get("verification")) not in found[1]:
            return 404, b'{"error": "not_found"}', 0.0
        payload = json.dumps({"application": found[0]}, ensure_ascii=False).encode()
        return 200, payload, self.delay if fault == "slow" else 0.0


def _handler(province: FakeProvince) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                body = {}
            province.requests.append(
                {"path": self.path, "body": body, "api_key": self.headers.get("X-API-Key")}
            )
            if self.path != "/v1/applications/lookup":
                status, payload, wait = 404, b'{"error": "no such path"}', 0.0
            else:
                status, payload, wait = province.answer(body, self.headers.get("X-API-Key"))
            time.sleep(wait)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting, as a timeout test wants

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def running(province: FakeProvince, port: int = 0) -> Iterator[FakeProvince]:
    """Serves the fake on 127.0.0.1 (a free port unless given) until the block ends."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(province))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    province.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield province
    finally:
        server.shutdown()
        server.server_close()


def application(code: str, status: str = "in_progress", **fields: Any) -> dict[str, Any]:
    """An Application as the contract describes it, with plausible defaults."""
    return {
        "code": code,
        "status": status,
        "procedure_code": "1.001193",
        "procedure_name": "Đăng ký khai sinh",
        "received_on": "2026-11-18",
        "due_on": "2099-01-15",
        "agency": "UBND phường Quy Nhơn",
        "supplement_items": [],
        "pickup_place": "Bộ phận một cửa UBND phường Quy Nhơn",
        "pickup_method": "Nhận trực tiếp",
        "contact": "Bộ phận một cửa UBND phường Quy Nhơn",
        **fields,
    }
