from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from pmo_core import Workspace

TODAY = date(2025, 4, 1)


@pytest.fixture
def ws(pmo_workspace_factory: Callable[..., Workspace]) -> Workspace:
    """A SQLite workspace (so searches run on FTS5) with the plugin and governance enabled."""
    return pmo_workspace_factory(
        enabled=["knowledge", "governance"], store="sqlite", today=TODAY, actor="tester"
    )
