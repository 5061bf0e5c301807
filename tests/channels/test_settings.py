from __future__ import annotations

import pytest
from pydantic import ValidationError

from channels.settings import Settings

ZALO = {
    "GATEWAY_ZALO_APP_ID": "1234567890",
    "GATEWAY_ZALO_OA_SECRET_KEY": "oa-secret-from-the-console",
    "GATEWAY_ZALO_APP_SECRET": "app-secret-from-the-console",
    "GATEWAY_ZALO_REFRESH_TOKEN": "refresh-token-from-the-console",
    "GATEWAY_RASA_TOKEN": "rasa-api-token-of-this-deployment",
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [*ZALO, "GATEWAY_MODE", "GATEWAY_ALLOWED_ORIGINS"]:
        monkeypatch.delenv(name, raising=False)


def test_local_mode_starts_without_zalo() -> None:
    settings = Settings()
    assert settings.mode == "local"
    assert not settings.zalo_configured
    assert settings.rasa_url == "http://127.0.0.1:5005"


def test_production_refuses_to_start_without_the_zalo_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_MODE", "production")
    monkeypatch.setenv("GATEWAY_RASA_TOKEN", ZALO["GATEWAY_RASA_TOKEN"])
    monkeypatch.setenv("GATEWAY_ZALO_APP_ID", "1234567890")
    with pytest.raises(ValidationError) as refused:
        Settings()
    assert "GATEWAY_ZALO_OA_SECRET_KEY" in str(refused.value)
    assert "GATEWAY_ZALO_APP_SECRET" in str(refused.value)


def test_production_refuses_placeholder_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ZALO.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("GATEWAY_MODE", "production")
    monkeypatch.setenv("GATEWAY_ZALO_APP_SECRET", "changeme")
    with pytest.raises(ValidationError, match="GATEWAY_ZALO_APP_SECRET"):
        Settings()


def test_production_starts_with_the_secrets_and_keeps_them_out_of_its_repr(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in ZALO.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("GATEWAY_MODE", "production")
    monkeypatch.setenv("GATEWAY_ALLOWED_ORIGINS", '["https://dichvucong.example.gov.vn"]')
    settings = Settings()
    assert settings.zalo_configured
    assert settings.allowed_origins == ["https://dichvucong.example.gov.vn"]
    assert "oa-secret-from-the-console" not in repr(settings)


@pytest.mark.parametrize("token", [None, "local-dev-token", "changeme"])
def test_production_refuses_a_missing_or_placeholder_rasa_token(
    monkeypatch: pytest.MonkeyPatch, token: str | None
) -> None:
    for name, value in ZALO.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("GATEWAY_MODE", "production")
    monkeypatch.setenv("GATEWAY_ALLOWED_ORIGINS", '["https://dichvucong.example.gov.vn"]')
    if token is None:
        monkeypatch.delenv("GATEWAY_RASA_TOKEN")
    else:
        monkeypatch.setenv("GATEWAY_RASA_TOKEN", token)
    with pytest.raises(ValidationError, match="GATEWAY_RASA_TOKEN"):
        Settings()


def test_production_refuses_any_origin(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ZALO.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("GATEWAY_MODE", "production")
    monkeypatch.setenv("GATEWAY_ALLOWED_ORIGINS", '["*"]')
    with pytest.raises(ValidationError, match="allowed origins"):
        Settings()
