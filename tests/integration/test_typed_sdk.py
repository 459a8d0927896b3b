"""The SDK is typed where plugin authors touch it: mypy --strict on a plugin catches a
misspelt field of the entity a rule checks, and the typed record getters keep their types."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import pmo_core

pytestmark = pytest.mark.integration


def mypy(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    """Run ``mypy --strict`` on ``source`` as a plugin module would be checked."""
    path = tmp_path / "acme_plugin.py"
    path.write_text(source, encoding="utf-8")
    env = dict(os.environ)
    where = Path(pmo_core.__file__).parent.parent
    if "site-packages" not in where.parts:  # a checkout (editable install): point mypy at it
        env["MYPYPATH"] = str(where)
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )


def test_a_misspelt_entity_field_in_a_rule_is_a_type_error(tmp_path: Path) -> None:
    result = mypy(
        tmp_path,
        "from pmo_core import RuleContext\n"
        "\n"
        "def check(ctx: RuleContext) -> str | None:\n"
        "    return None if ctx.entity.sponser else 'no sponsor'\n",
    )

    assert result.returncode == 1, result.stdout + result.stderr
    assert 'acme_plugin.py:4: error: "Entity" has no attribute "sponser"' in result.stdout
    assert 'maybe "sponsor"?' in result.stdout


def test_contexts_and_record_getters_are_typed(tmp_path: Path) -> None:
    result = mypy(
        tmp_path,
        "from pmo_core import PluginHost, PmoReport, ReportRequest, RuleContext\n"
        "\n"
        "def check(ctx: RuleContext) -> str | None:\n"
        "    return None if ctx.entity.sponsor else f'{ctx.entity.id} names no sponsor'\n"
        "\n"
        "def render(request: ReportRequest) -> None:\n"
        "    reveal_type(request.scope)\n"
        "    reveal_type(request.view.projects())\n"
        "\n"
        "def names(host: PluginHost) -> list[str]:\n"
        "    reveal_type(host.records(PmoReport))\n"
        "    return [r.name for r in host.records(PmoReport)]\n",
    )

    # Older mypy spells builtins out ("builtins.list[...]"); the types are what count.
    out = result.stdout.replace("builtins.", "")
    assert result.returncode == 0, out + result.stderr
    assert 'Revealed type is "pmo_core._domain.entities.Entity | None"' in out
    assert 'Revealed type is "list[pmo_core._domain.entities.Entity]"' in out
    assert 'Revealed type is "tuple[pmo_core._records.reports.PmoReport, ...]"' in out
