"""HttpStatusConnector against a local fake province server that speaks the OpenAPI contract."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml

from actions.status.connector import StatusUnavailable, connector_from_env
from actions.status.http_connector import LOOKUP_PATH, HttpStatusConnector
from actions.status.record import RESULT_READY, SUPPLEMENT_REQUIRED
from tests.actions.status.fake_province import API_KEY, FakeProvince, application, running

CODE = "000.00.17.H12-251120-0042"


@pytest.fixture()
def province() -> Iterator[FakeProvince]:
    fake = FakeProvince(
        {
            CODE: (
                application(CODE, SUPPLEMENT_REQUIRED, supplement_items=["Bản sao giấy chứng sinh"]),
                {"5678", "1234"},
            ),
            "000.00.31.H26-250903-0117": (
                application("000.00.31.H26-250903-0117", RESULT_READY, applicant_name="Nguyễn Văn A"),
                {"1111"},
            ),
        },
        delay=1.0,
    )
    with running(fake) as served:
        yield served


def connector(province: FakeProvince, **options: float) -> HttpStatusConnector:
    settings = {"timeout": 0.3, "retries": 2, "backoff": 0.01, **options}
    return HttpStatusConnector(
        province.url,
        API_KEY,
        timeout=settings["timeout"],
        retries=int(settings["retries"]),
        backoff=settings["backoff"],
    )


def test_a_matching_verification_gets_the_record(province: FakeProvince) -> None:
    record = connector(province).lookup(CODE, "5678")
    assert record is not None
    assert record.code == CODE
    assert record.status == SUPPLEMENT_REQUIRED
    assert record.supplement_items == ("Bản sao giấy chứng sinh",)
    assert record.due_on == date(2099, 1, 15)
    assert province.requests[-1] == {
        "path": LOOKUP_PATH,
        "body": {"code": CODE, "verification": "5678"},
        "api_key": API_KEY,
    }


def test_id_digits_verify_too(province: FakeProvince) -> None:
    assert connector(province).lookup(CODE, "1234") is not None


def test_unknown_code_and_wrong_verification_are_both_none(province: FakeProvince) -> None:
    assert connector(province).lookup(CODE, "0000") is None
    assert connector(province).lookup("000.00.99.H99-250101-0001", "5678") is None


def test_fields_outside_the_contract_are_dropped(province: FakeProvince) -> None:
    record = connector(province).lookup("000.00.31.H26-250903-0117", "1111")
    assert record is not None
    assert "Nguyễn" not in repr(record)


def test_5xx_then_success_after_retry(province: FakeProvince) -> None:
    province.faults.extend(["503", "500"])
    record = connector(province).lookup(CODE, "5678")
    assert record is not None
    assert len(province.requests) == 3


def test_5xx_every_time_is_unavailable(province: FakeProvince) -> None:
    province.faults.extend(["503"] * 3)
    with pytest.raises(StatusUnavailable, match="503"):
        connector(province).lookup(CODE, "5678")
    assert len(province.requests) == 3  # one attempt and two retries


def test_a_timeout_is_retried(province: FakeProvince) -> None:
    province.faults.append("timeout")
    started = time.monotonic()
    record = connector(province).lookup(CODE, "5678")
    assert record is not None
    assert len(province.requests) == 2
    assert time.monotonic() - started < 1.0  # gave up on the slow attempt after its timeout


def test_timeouts_every_time_are_unavailable_within_the_budget(province: FakeProvince) -> None:
    province.faults.extend(["timeout"] * 3)
    started = time.monotonic()
    with pytest.raises(StatusUnavailable, match="Timeout"):
        connector(province, retries=2).lookup(CODE, "5678")
    # 3 attempts of 0.3 s and backoff 0.01 + 0.02 s, not the server's 1 s each
    assert time.monotonic() - started < 1.6


def test_a_slow_answer_within_the_timeout_is_used(province: FakeProvince) -> None:
    province.delay = 0.2
    province.faults.append("slow")
    record = connector(province, timeout=1.0).lookup(CODE, "5678")
    assert record is not None
    assert len(province.requests) == 1


def test_backoff_doubles(province: FakeProvince) -> None:
    province.faults.extend(["500", "500"])
    started = time.monotonic()
    connector(province, backoff=0.2).lookup(CODE, "5678")
    assert time.monotonic() - started >= 0.2 + 0.4


@pytest.mark.parametrize("fault", ["bad_json", "wrong_shape"])
def test_malformed_json_is_unavailable_without_retry(province: FakeProvince, fault: str) -> None:
    province.faults.append(fault)
    with pytest.raises(StatusUnavailable):
        connector(province).lookup(CODE, "5678")
    assert len(province.requests) == 1


def test_a_wrong_api_key_is_unavailable(province: FakeProvince) -> None:
    wrong = HttpStatusConnector(province.url, "wrong-key", timeout=0.5, retries=2, backoff=0.01)
    with pytest.raises(StatusUnavailable, match="401"):
        wrong.lookup(CODE, "5678")
    assert len(province.requests) == 1


def test_nothing_listening_is_unavailable() -> None:
    with running(FakeProvince({})) as fake:
        url = fake.url
    dead = HttpStatusConnector(url, API_KEY, timeout=0.3, retries=1, backoff=0.01)
    with pytest.raises(StatusUnavailable, match="ConnectionError"):
        dead.lookup(CODE, "5678")


def test_the_factory_builds_it_from_the_environment(province: FakeProvince) -> None:
    built = connector_from_env(
        {"STATUS_CONNECTOR": "http", "STATUS_API_URL": province.url + "/", "STATUS_API_KEY": API_KEY}
    )
    assert isinstance(built, HttpStatusConnector)
    assert built.lookup(CODE, "5678") is not None


def test_http_without_a_url_is_refused() -> None:
    with pytest.raises(ValueError, match="STATUS_API_URL"):
        connector_from_env({"STATUS_CONNECTOR": "http"})


def test_the_fake_and_the_contract_agree() -> None:
    spec = yaml.safe_load((Path(__file__).parents[3] / "actions" / "status" / "openapi.yaml").read_text())
    assert LOOKUP_PATH in spec["paths"]
    schema = spec["components"]["schemas"]["Application"]
    assert set(application(CODE)) <= set(schema["properties"])
    assert spec["components"]["securitySchemes"]["apiKey"]["name"] == "X-API-Key"
