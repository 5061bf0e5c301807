"""What routes need from the running gateway, injected as Annotated aliases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from redis.asyncio import Redis
from starlette.requests import HTTPConnection

from channels.conversation import Conversations
from channels.inbox import Inbox
from channels.settings import Settings


@dataclass
class Services:
    """Built once per app by the lifespan in `channels.app`."""

    settings: Settings
    redis: Redis
    inbox: Inbox
    conversations: Conversations


def get_services(connection: HTTPConnection) -> Services:
    services: Services = connection.app.state.services
    return services


def get_settings(connection: HTTPConnection) -> Settings:
    return get_services(connection).settings


def get_inbox(connection: HTTPConnection) -> Inbox:
    return get_services(connection).inbox


def get_conversations(connection: HTTPConnection) -> Conversations:
    return get_services(connection).conversations


SettingsDep = Annotated[Settings, Depends(get_settings)]
InboxDep = Annotated[Inbox, Depends(get_inbox)]
ConversationsDep = Annotated[Conversations, Depends(get_conversations)]
