"""SqlStatusStore on real SQLite and real PostgreSQL: lookups, upserts, what it stores, faults."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from actions.status.connector import StatusUnavailable, connector_from_env
from actions.status.record import IN_PROGRESS, RESULT_READY, ApplicationRecord
from actions.status.sql_store import SqlStatusStore, StoredApplication, last4, verification_hash

CODE = "000.00.17.H12-251120-0042"
RECORD = ApplicationRecord(
    code=CODE,
    status=IN_PROGRESS,
    procedure_code="1.001193",
    procedure_name="Đăng ký khai sinh",
    received_on=date(2025, 11, 20),
    due_on=date(2025, 11, 25),
    agency="UBND phường Quy Nhơn",
    supplement_items=("Bản sao giấy chứng sinh", "Tờ khai"),
    pickup_place="Bộ phận một cửa",
    pickup_method="Nhận trực tiếp",
    contact="0256 3822 000",
)


def test_the_phone_or_the_id_digits_find_the_record(store: SqlStatusStore) -> None:
    store.upsert([StoredApplication(RECORD, phone_last4="5678", id_last4="1234")])
    assert store.lookup(CODE, "5678") == RECORD
    assert store.lookup(CODE, "1234") == RECORD


def test_a_wrong_verification_and_an_unknown_code_look_the_same(store: SqlStatusStore) -> None:
    store.upsert([StoredApplication(RECORD, phone_last4="5678", id_last4="1234")])
    assert store.lookup(CODE, "0000") is None
    assert store.lookup("000.00.17.H12-251120-0043", "5678") is None


def test_a_missing_item_never_matches(store: SqlStatusStore) -> None:
    store.upsert([StoredApplication(RECORD, phone_last4="5678")])
    assert store.lookup(CODE, "") is None
    assert store.lookup(CODE, "0" * 4) is None


def test_upsert_replaces_by_code(store: SqlStatusStore) -> None:
    store.upsert([StoredApplication(RECORD, phone_last4="5678")])
    ready = ApplicationRecord(code=CODE, status=RESULT_READY, agency="UBND phường Quy Nhơn")
    store.upsert([StoredApplication(ready, phone_last4="9999")])
    assert store.count() == 1
    assert store.lookup(CODE, "5678") is None
    assert store.lookup(CODE, "9999") == ready


def test_only_hashes_of_the_digits_are_stored(store: SqlStatusStore) -> None:
    store.upsert([StoredApplication(RECORD, phone_last4="5678", id_last4="1234")])
    with store.engine.connect() as connection:
        row = connection.execute(select(store.table)).mappings().one()
    assert row["phone_hash"] == verification_hash("test-secret", CODE, "5678")
    assert "5678" not in str(dict(row)) and "1234" not in str(dict(row))
    assert set(row) == {
        "code", "procedure_code", "procedure_name", "status", "received_on", "due_on", "agency",
        "supplement_items", "pickup_place", "pickup_method", "contact", "phone_hash", "id_hash", "updated_at",
    }  # fmt: skip


def test_the_hash_is_salted_by_the_code_and_keyed_by_the_secret() -> None:
    assert verification_hash("s", CODE, "5678") != verification_hash("s", "000.00.17.H12-251120-0043", "5678")
    assert verification_hash("s", CODE, "5678") != verification_hash("t", CODE, "5678")


def test_another_secret_matches_nothing(store: SqlStatusStore) -> None:
    store.upsert([StoredApplication(RECORD, phone_last4="5678")])
    other = SqlStatusStore("unused://", "another-secret", engine=store.engine, schema=store.metadata.schema)
    assert other.lookup(CODE, "5678") is None


def test_a_missing_table_is_unavailable(store: SqlStatusStore) -> None:
    empty = SqlStatusStore("unused://", "s", engine=store.engine, schema=store.metadata.schema, table="nope")
    with pytest.raises(StatusUnavailable):
        empty.lookup(CODE, "5678")


def test_a_database_that_is_down_is_unavailable() -> None:
    down = SqlStatusStore("postgresql://root@127.0.0.1:1/test", "s", timeout=1)
    with pytest.raises(StatusUnavailable):
        down.lookup(CODE, "5678")


def test_the_factory_builds_the_sql_store(tmp_path: object) -> None:
    built = connector_from_env({"STATUS_DB_URL": f"sqlite:///{tmp_path}/x.sqlite3"})
    assert isinstance(built, SqlStatusStore)
    built.close()


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("0912345678", "5678"),
        ("0912 345 678", "5678"),
        ("079201001234", "1234"),
        ("xxxx5678", "5678"),
        ("12", ""),
    ],
)
def test_last4(typed: str, digits: str) -> None:
    assert last4(typed) == digits
