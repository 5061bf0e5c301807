"""The one place the gateway starts: `python -m channels` (uvicorn on GATEWAY_HOST:GATEWAY_PORT)."""

from __future__ import annotations

import uvicorn

from channels.app import create_app
from channels.privacy import configure_logging
from channels.settings import Settings

settings = Settings()
configure_logging(settings.log_level)
uvicorn.run(
    create_app(settings),
    host=settings.host,
    port=settings.port,
    ws_max_size=settings.max_body_bytes,
    log_config=None,
)
