"""The gateway's one settings object, read from GATEWAY_* environment variables."""

from __future__ import annotations

from datetime import date, time
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_PLACEHOLDERS = {"", "changeme", "change-me", "secret", "xxx", "test"}


class Settings(BaseSettings):
    """Everything the gateway reads from the environment (prefix GATEWAY_, lists as JSON)."""

    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    mode: Literal["local", "production"] = "local"
    host: str = "127.0.0.1"
    port: int = 8000

    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_seconds: float = 30.0
    # Rasa's HTTP API token (`rasa run --enable-api --auth-token`): the help desk reads transcripts and
    # records staff replies and hand-backs in Rasa's tracker with it.
    rasa_token: SecretStr | None = None
    # Rasa keeps its trackers in db 0 and its locks in db 1; the actions' status lockout uses db 2.
    redis_url: str = "redis://127.0.0.1:6379/3"
    # Connections to Redis per gateway process (commands wait for a free one under a burst).
    redis_connections: int = 50

    # Pages allowed to embed the widget (CORS for the HTTP fallback, Origin check for the WebSocket).
    allowed_origins: list[str] = ["http://127.0.0.1:8000", "http://localhost:8000"]
    max_body_bytes: int = 16_384
    # One Zalo message holds 2,000 characters; the widget keeps the same limit for the citizen's text.
    max_text_chars: int = 2_000

    # Delivery worker: the consumer name stays the same across restarts so a restarted gateway finds
    # its own pending entries; entries another consumer left idle this long are claimed (XAUTOCLAIM).
    consumer_name: str = "gateway"
    claim_idle_seconds: float = 60.0
    retry_initial_seconds: float = 0.5
    retry_max_seconds: float = 10.0
    # Requests in flight to Rasa at once. Rasa is one process: past a few in flight it gets no faster,
    # only less fair (measured at 50 users: 64 in flight gave a p95 2.2 times the median, 16 kept the
    # gateway's p95 within 2% of direct Rasa's); the rest wait here, first come first served.
    max_parallel_deliveries: int = 16
    duplicate_window_seconds: int = 7 * 24 * 3600
    transcript_ttl_seconds: int = 30 * 24 * 3600

    zalo_app_id: str | None = None
    zalo_oa_secret_key: SecretStr | None = None
    zalo_app_secret: SecretStr | None = None
    zalo_api_base: str = "https://openapi.zalo.me"
    zalo_oauth_base: str = "https://oauth.zaloapp.com"
    # The first tokens of the OA (from Zalo's console). Refreshing rotates both; the current pair lives
    # in Redis from then on, so these are read only while Redis holds none.
    zalo_access_token: SecretStr | None = None
    zalo_refresh_token: SecretStr | None = None
    zalo_timeout_seconds: float = 10.0

    # Help desk: working hours in the office's time zone (days 0 = Monday … 6 = Sunday), the minutes one
    # conversation takes until enough are measured, sign-in lock-out, and how long a staff session lasts
    # without use.
    helpdesk_timezone: str = "Asia/Ho_Chi_Minh"
    helpdesk_days: list[int] = [0, 1, 2, 3, 4]
    helpdesk_opens: time = time(7, 30)
    helpdesk_closes: time = time(17, 0)
    # Days the help desk is closed although a working day (Tết, public holidays), as ISO dates.
    helpdesk_closed_dates: list[date] = []
    helpdesk_minutes_per_conversation: float = 5.0
    helpdesk_lockout_failures: int = 5
    helpdesk_lockout_seconds: int = 15 * 60
    helpdesk_session_seconds: int = 8 * 3600

    log_level: str = "INFO"

    @property
    def zalo_configured(self) -> bool:
        """True when the Zalo OA adapter has every secret it needs."""
        return not self._missing_zalo()

    def _missing_zalo(self) -> list[str]:
        def secret(value: SecretStr | None) -> str | None:
            return value.get_secret_value() if value is not None else None

        values = {
            "GATEWAY_ZALO_APP_ID": self.zalo_app_id,
            "GATEWAY_ZALO_OA_SECRET_KEY": secret(self.zalo_oa_secret_key),
            "GATEWAY_ZALO_APP_SECRET": secret(self.zalo_app_secret),
            "GATEWAY_ZALO_REFRESH_TOKEN": secret(self.zalo_refresh_token),
        }
        return [name for name, value in values.items() if (value or "").strip().lower() in _PLACEHOLDERS]

    @model_validator(mode="after")
    def _helpdesk_hours(self) -> Settings:
        try:
            ZoneInfo(self.helpdesk_timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown help-desk time zone {self.helpdesk_timezone!r}") from error
        if not self.helpdesk_days or any(not 0 <= day <= 6 for day in self.helpdesk_days):
            raise ValueError("help-desk days are 0 (Monday) to 6 (Sunday), at least one")
        if self.helpdesk_opens >= self.helpdesk_closes:
            raise ValueError("the help desk must open before it closes")
        return self

    @model_validator(mode="after")
    def _production_needs_secrets(self) -> Settings:
        if self.mode == "production":
            # Without a token the help desk cannot read or write Rasa's trackers; a placeholder one would
            # mean Rasa's API runs with a guessable token.
            token = self.rasa_token.get_secret_value().strip().lower() if self.rasa_token else ""
            if token in _PLACEHOLDERS | {"local-dev-token"}:
                raise ValueError("production mode needs a real GATEWAY_RASA_TOKEN, not a placeholder")
            missing = self._missing_zalo()
            if missing:
                raise ValueError(f"production mode needs the Zalo secrets; missing or placeholder: {missing}")
            if "*" in self.allowed_origins:
                raise ValueError("production mode needs the widget's allowed origins listed, not '*'")
        return self
