from __future__ import annotations

from collections.abc import Iterator

import pmo_prince2
import pytest
from prince2_support import TODAY

from pmo_core import Workspace


@pytest.fixture
def ws() -> Iterator[Workspace]:
    with Workspace.in_memory(
        plugins={"prince2": pmo_prince2},
        governance_model="prince2",
        methodology="prince2",
        today=lambda: TODAY,
        actor="Pat Diaz",
    ) as workspace:
        yield workspace
