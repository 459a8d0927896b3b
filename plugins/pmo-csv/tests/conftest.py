from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from csv_samples import PORTFOLIOS, PROGRAMS, PROJECTS, WORK_ITEMS, make_workspace, write_dir

from pmo_core import Workspace


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A realistic directory: 2 portfolios, 1 program, 3 projects, 4 work items."""
    return write_dir(
        tmp_path / "source",
        portfolios=PORTFOLIOS,
        programs=PROGRAMS,
        projects=PROJECTS,
        work_items=WORK_ITEMS,
    )


@pytest.fixture
def ws() -> Iterator[Workspace]:
    with make_workspace() as workspace:
        yield workspace
