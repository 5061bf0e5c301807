"""The status of an application, asked of a provincial one-stop system over HTTP (contract: openapi.yaml)."""

from __future__ import annotations

import logging
import time
from typing import Any

import requests

from actions.status.connector import StatusConnector, StatusUnavailable
from actions.status.record import ApplicationRecord, parse_date

logger = logging.getLogger(__name__)

LOOKUP_PATH = "/v1/applications/lookup"
_TEXT_FIELDS = ("procedure_code", "procedure_name", "agency", "pickup_place", "pickup_method", "contact")


class HttpStatusConnector(StatusConnector):
    """POST /v1/applications/lookup with an API key; retries timeouts and 5xx with exponential backoff."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 3.0,
        retries: int = 2,
        backoff: float = 0.3,
        session: requests.Session | None = None,
    ) -> None:
        self.url = base_url.rstrip("/") + LOOKUP_PATH
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.session = session or requests.Session()
        self.session.headers.update({"X-API-Key": api_key, "Accept": "application/json"})

    def lookup(self, code: str, verification: str) -> ApplicationRecord | None:
        response = self._post({"code": code, "verification": verification})
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            # 401/403/400: our configuration or request is wrong; retrying would not help.
            raise StatusUnavailable(f"status system answered {response.status_code}")
        try:
            body = response.json()
        except ValueError as error:
            raise StatusUnavailable("status system sent malformed JSON") from error
        return parse_application(body)

    def _post(self, payload: dict[str, str]) -> requests.Response:
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self.session.post(self.url, json=payload, timeout=(self.timeout, self.timeout))
            except (requests.Timeout, requests.ConnectionError) as error:
                logger.warning("status system attempt %d failed: %s", attempt + 1, type(error).__name__)
                if last:
                    raise StatusUnavailable(f"status system unreachable: {type(error).__name__}") from error
            else:
                if response.status_code < 500:
                    return response
                logger.warning("status system attempt %d answered %d", attempt + 1, response.status_code)
                if last:
                    raise StatusUnavailable(f"status system answered {response.status_code}")
            time.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")  # the loop returns or raises

    def close(self) -> None:
        self.session.close()


def parse_application(body: Any) -> ApplicationRecord:
    """The contract's Application, keeping only the fields answers need; anything else is malformed."""
    try:
        data = body["application"]
        if not isinstance(data, dict):
            raise TypeError("application is not an object")
        items = data.get("supplement_items") or []
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise TypeError("supplement_items is not a list of strings")
        texts = {name: data.get(name) or "" for name in _TEXT_FIELDS}
        if not all(isinstance(value, str) for value in texts.values()):
            raise TypeError("a text field is not a string")
        return ApplicationRecord(
            code=str(data["code"]),
            status=str(data["status"]),
            received_on=parse_date(data.get("received_on")),
            due_on=parse_date(data.get("due_on")),
            supplement_items=tuple(items),
            **texts,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise StatusUnavailable(f"status system sent an unexpected body: {error}") from error
