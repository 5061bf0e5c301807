from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.services import Stack, running_stack
from tests.e2e.status_data import seeded_status_env


@pytest.fixture(scope="session")
def status_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The status settings of the stack: the demo data, imported into a store of this run's own."""
    return seeded_status_env(tmp_path_factory.mktemp("status"))


@pytest.fixture(scope="session")
def stack(status_env: dict[str, str]) -> Iterator[Stack]:
    with running_stack(env=status_env) as running:
        yield running
