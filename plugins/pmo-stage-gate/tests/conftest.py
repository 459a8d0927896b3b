from __future__ import annotations

from collections.abc import Iterator

import pmo_stage_gate
import pytest
from stage_gate_support import TODAY, BoardPlugin

from pmo_core import Workspace


@pytest.fixture
def ws() -> Iterator[Workspace]:
    with Workspace.in_memory(
        plugins={"stage-gate": pmo_stage_gate, "board": BoardPlugin()},
        governance_model="board",
        methodology="stage-gate",
        today=lambda: TODAY,
        actor="tester",
    ) as workspace:
        yield workspace
