"""Zalo's webhook signature.

`X-ZEvent-Signature: mac=<hex sha256(app_id + raw body + timestamp + OA secret key)>`, where `timestamp`
is the event's own `timestamp` field as written in the body.
"""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "mac="


def sign(app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> str:
    """The header value Zalo sends with this body (also what tests and the bench sign with)."""
    digest = hashlib.sha256(app_id.encode() + raw_body + timestamp.encode() + oa_secret_key.encode())
    return PREFIX + digest.hexdigest()


def verify(header: str, app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> bool:
    """True when `header` is the signature of exactly these bytes; compared in constant time."""
    expected = sign(app_id, raw_body, timestamp, oa_secret_key)
    return hmac.compare_digest(header.strip().lower().encode(), expected.encode())
