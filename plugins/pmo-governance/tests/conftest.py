from __future__ import annotations

from collections.abc import Iterator

import pmo_governance
import pytest
from governance_support import TODAY, LifecyclePlugin, MakeWorkspace

from pmo_core import Workspace


@pytest.fixture
def make_ws() -> Iterator[MakeWorkspace]:
    opened: list[Workspace] = []

    def make(
        model: str = "controlling",
        extra: dict[str, object] | None = None,
        methodology: str | None = "lifecycle",
    ) -> Workspace:
        # methodology=None: no default methodology, so phases are the PMO's own words.
        ws = Workspace.in_memory(
            plugins={"governance": pmo_governance, "lifecycle": LifecyclePlugin(), **(extra or {})},
            governance_model=model,
            methodology=methodology,
            today=lambda: TODAY,
            actor="tester",
        )
        opened.append(ws)
        return ws

    yield make
    for ws in opened:
        ws.close()


@pytest.fixture
def ws(make_ws: MakeWorkspace) -> Workspace:
    return make_ws()
