from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pmo_resources
import pytest
from resources_support import build_case

from pmo_core import Workspace


@pytest.fixture
def ws() -> Iterator[Workspace]:
    with Workspace.in_memory(
        plugins={"resources": pmo_resources}, today=lambda: date(2025, 1, 1), actor="tester"
    ) as workspace:
        yield workspace


@pytest.fixture
def case(ws: Workspace) -> dict[str, str]:
    """The hand-built case of resources_support (resource name -> id)."""
    return build_case(ws)
