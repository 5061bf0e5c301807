"""The status store for provinces that push updates to us: SQLite by default, PostgreSQL by URL.

It holds only what answers need. The applicant is represented by two keyed, salted hashes (HMAC-SHA256,
key STATUS_HASH_SECRET, salt the application code) of the last 4 digits of their phone and ID numbers:
never a name, an address or a full number.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Column, Date, DateTime, MetaData, String, Table, Text, create_engine, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from actions.status.connector import StatusConnector, StatusUnavailable
from actions.status.record import ApplicationRecord

_NO_MATCH = "0" * 64  # compared against when a code is unknown, so both paths do the same work


def verification_hash(secret: str, code: str, digits: str) -> str:
    """HMAC-SHA256 of the 4 digits, salted with the code: equal digits give different hashes per code."""
    return hmac.new(secret.encode(), f"{code}\x1f{digits}".encode(), hashlib.sha256).hexdigest()


def last4(number: str) -> str:
    """The last 4 digits of a phone or ID number however typed ('' when there are fewer than 4)."""
    digits = "".join(ch for ch in str(number) if ch.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


@dataclass(frozen=True)
class StoredApplication:
    """A record and the last 4 digits the applicant may verify with (hashed before storing)."""

    record: ApplicationRecord
    phone_last4: str = ""
    id_last4: str = ""


def applications_table(metadata: MetaData, name: str = "status_applications") -> Table:
    return Table(
        name,
        metadata,
        Column("code", String(64), primary_key=True),
        Column("procedure_code", String(32), nullable=False, default=""),
        Column("procedure_name", Text, nullable=False, default=""),
        Column("status", String(32), nullable=False),
        Column("received_on", Date),
        Column("due_on", Date),
        Column("agency", Text, nullable=False, default=""),
        Column("supplement_items", Text, nullable=False, default="[]"),  # JSON list of strings
        Column("pickup_place", Text, nullable=False, default=""),
        Column("pickup_method", Text, nullable=False, default=""),
        Column("contact", Text, nullable=False, default=""),
        Column("phone_hash", String(64)),
        Column("id_hash", String(64)),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )


class SqlStatusStore(StatusConnector):
    """SQLAlchemy Core over one table; `schema` and `table` let tests and tenants keep their own."""

    def __init__(
        self,
        url: str,
        hash_secret: str,
        *,
        timeout: float = 3.0,
        schema: str | None = None,
        table: str = "status_applications",
        engine: Engine | None = None,
    ) -> None:
        self.secret = hash_secret
        self.engine = engine or create_engine(
            url, pool_pre_ping=True, future=True, **_connect_args(url, timeout)
        )
        self.metadata = MetaData(schema=schema)
        self.table = applications_table(self.metadata, table)

    def create(self) -> None:
        """Creates the table if it is missing."""
        try:
            self.metadata.create_all(self.engine)
        except SQLAlchemyError as error:
            raise StatusUnavailable(f"status store unavailable: {type(error).__name__}") from error

    def lookup(self, code: str, verification: str) -> ApplicationRecord | None:
        try:
            with self.engine.connect() as connection:
                row = (
                    connection.execute(select(self.table).where(self.table.c.code == code)).mappings().first()
                )
        except SQLAlchemyError as error:
            raise StatusUnavailable(f"status store unavailable: {type(error).__name__}") from error
        given = verification_hash(self.secret, code, verification)
        stored = [row["phone_hash"], row["id_hash"]] if row else [_NO_MATCH, _NO_MATCH]
        # Both comparisons always run: how long a refusal takes says nothing about why.
        matches = [hmac.compare_digest(given, value or _NO_MATCH) for value in stored]
        if row is None or not any(matches):
            return None
        return _record(row)

    def upsert(self, applications: Iterable[StoredApplication]) -> int:
        """Inserts or replaces applications by code, in one transaction; returns how many."""
        rows = [self._row(application) for application in applications]
        if not rows:
            return 0
        dialect = self.engine.dialect.name
        insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect)
        if insert is None:
            raise ValueError(f"the status store supports SQLite and PostgreSQL, not {dialect}")
        statement = insert(self.table)
        updated = {name: statement.excluded[name] for name in rows[0] if name != "code"}
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    statement.on_conflict_do_update(index_elements=["code"], set_=updated), rows
                )
        except SQLAlchemyError as error:
            raise StatusUnavailable(f"status store unavailable: {type(error).__name__}") from error
        return len(rows)

    def count(self) -> int:
        try:
            with self.engine.connect() as connection:
                return int(connection.execute(select(func.count()).select_from(self.table)).scalar_one())
        except SQLAlchemyError as error:
            raise StatusUnavailable(f"status store unavailable: {type(error).__name__}") from error

    def close(self) -> None:
        self.engine.dispose()

    def _row(self, application: StoredApplication) -> dict[str, Any]:
        record = application.record
        hashed = {
            "phone_hash": application.phone_last4,
            "id_hash": application.id_last4,
        }
        return {
            "code": record.code,
            "procedure_code": record.procedure_code,
            "procedure_name": record.procedure_name,
            "status": record.status,
            "received_on": record.received_on,
            "due_on": record.due_on,
            "agency": record.agency,
            "supplement_items": json.dumps(list(record.supplement_items), ensure_ascii=False),
            "pickup_place": record.pickup_place,
            "pickup_method": record.pickup_method,
            "contact": record.contact,
            **{
                name: verification_hash(self.secret, record.code, digits) if digits else None
                for name, digits in hashed.items()
            },
            "updated_at": datetime.now(timezone.utc),
        }


def _record(row: Any) -> ApplicationRecord:
    return ApplicationRecord(
        code=row["code"],
        status=row["status"],
        procedure_code=row["procedure_code"] or "",
        procedure_name=row["procedure_name"] or "",
        received_on=row["received_on"],
        due_on=row["due_on"],
        agency=row["agency"] or "",
        supplement_items=tuple(json.loads(row["supplement_items"] or "[]")),
        pickup_place=row["pickup_place"] or "",
        pickup_method=row["pickup_method"] or "",
        contact=row["contact"] or "",
    )


def _connect_args(url: str, timeout: float) -> dict[str, Any]:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": timeout}}
    if url.startswith("postgresql"):
        return {"connect_args": {"connect_timeout": max(1, round(timeout))}, "pool_size": 5}
    return {}
