"""Every first-party plugin declares its hook families in its metadata (entry point group
``pmo_core.families``), and the declaration says what the plugin does: for each installed
here, the families of its hooks once loaded."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from pmo_core import hookspecs
from pmo_core._plugins.index import ENTRY_POINT_GROUP, FAMILIES_GROUP

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
PYPROJECTS = sorted(
    [
        *ROOT.glob("plugins/*/pyproject.toml"),
        ROOT / "examples" / "pmo-acme-rules" / "pyproject.toml",
        ROOT / "examples" / "pmo-acme-report" / "pyproject.toml",
    ]
)


def _declared(pyproject: Path) -> tuple[str, str, tuple[str, ...]]:
    data: dict[str, Any] = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    groups = data["project"]["entry-points"]
    ((pid, module),) = groups[ENTRY_POINT_GROUP].items()
    families = groups.get(FAMILIES_GROUP, {})
    for name, value in families.items():
        assert name.rpartition(".")[0] == pid, f"{pyproject}: {name} is not {pid}.FAMILY"
        assert value == module, f"{pyproject}: {name} names {value}, not the plugin's {module}"
    return pid, module, tuple(name.rpartition(".")[2] for name in families)


@pytest.mark.parametrize("pyproject", PYPROJECTS, ids=lambda p: p.parent.name)
def test_every_first_party_plugin_declares_its_families(pyproject: Path) -> None:
    _, _, families = _declared(pyproject)
    assert families, f"{pyproject} declares no [project.entry-points.{FAMILIES_GROUP!r}]"
    assert set(families) <= set(hookspecs.families()), families


@pytest.mark.plugins(
    "pmo-governance",
    "pmo-stage-gate",
    "pmo-scrum",
    "pmo-kanban",
    "pmo-csv",
    "pmo-json",
    "pmo-reports",
    "pmo-knowledge",
    "pmo-resources",
    "pmo-strategy",
)  # checks >= 10 installed
def test_the_declared_families_are_those_of_the_hooks_of_each_installed_plugin() -> None:
    from pmo_core._services.plugins import installed_host

    statuses = {s.id: s for s in installed_host().statuses()}
    checked = 0
    for pyproject in PYPROJECTS:
        pid, _, families = _declared(pyproject)
        status = statuses.get(pid)
        if status is None or status.state != "loaded":
            continue  # not installed here (a plugin that needs a service)
        assert status.declared_families, f"{pid}: installed metadata is older than its pyproject"
        assert sorted(status.families) == sorted(families), pid
        checked += 1
    assert checked >= 10
