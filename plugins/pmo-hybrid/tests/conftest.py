from __future__ import annotations

from collections.abc import Iterator

import pmo_hybrid
import pytest
from hybrid_support import TODAY

from pmo_core import Workspace


@pytest.fixture
def ws() -> Iterator[Workspace]:
    with Workspace.in_memory(
        plugins={"hybrid": pmo_hybrid},
        methodology="hybrid",
        today=lambda: TODAY,
        actor="tester",
    ) as workspace:
        yield workspace
