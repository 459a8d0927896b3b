"""Adding a hook is one record class and one specification: a throwaway hook added to a copy
of pmo-core is discovered, validated, exported, typed and documented with no other edit
(sdk_docs/contributing/adding-a-hook.md shows the same two edits)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import pmo_core

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]

RECORD = '''

class PmoDashboardTile(PmoRecord):
    """A tile on the PMO dashboard.

    Example::

        PmoDashboardTile(name="spi", metric="spi")
    """

    metric: str


__all__ += ["PmoDashboardTile"]
'''

SPEC = '''

from ._records.extensions import PmoDashboardTile  # noqa: E402


@registration(PmoDashboardTile, family="dashboards")
def pmo_dashboard_tiles() -> Iterable[PmoDashboardTile]:
    """Register tiles for the PMO dashboard.

    Example::

        @hookimpl
        def pmo_dashboard_tiles():
            yield PmoDashboardTile(name="spi", metric="spi")
    """
    raise NotImplementedError
'''

# What a plugin author and the host do with the new hook, run against the copy.
CHECKS = """
import sys

import pmo_core
from pmo_core import PluginHost, PmoDashboardTile, hookimpl, hookspecs
from pmo_core.testing import check_plugin

assert pmo_core.__file__.startswith(COPY), pmo_core.__file__


class Tiles:
    @hookimpl
    def pmo_dashboard_tiles(self):
        yield PmoDashboardTile(name="SPI", metric="spi")
        yield PmoDashboardTile(name="cpi", metric="cpi")


class Broken:
    @hookimpl
    def pmo_dashboard_tiles(self):
        yield PmoDashboardTile.model_construct(name="bad")  # no metric: invalid


class Misspelt:
    @hookimpl
    def pmo_dashboard_tile(self):
        yield PmoDashboardTile(name="x", metric="x")


host = PluginHost(plugins={"tiles": Tiles(), "broken": Broken()})
assert [(t.name, t.plugin) for t in host.records(PmoDashboardTile)] == [
    ("cpi", "tiles"), ("spi", "tiles")
]
assert host.record(PmoDashboardTile, "SPI").metric == "spi"
assert host.status("tiles").families == ("dashboards",)
broken = host.status("broken")
assert broken.state == "failed" and "invalid PmoDashboardTile" in broken.error, broken
assert "PmoDashboardTile" in pmo_core.__all__
assert hookspecs.families()["dashboards"] == ("pmo_dashboard_tiles",)
assert check_plugin(Tiles(), plugin_id="tiles") == []

# Documented: the reference pages, made from the declarations when the docs build.
sys.path.insert(0, SCRIPTS)
import docs_reference

hooks = docs_reference.hooks_page()
assert "## Dashboards" in hooks, hooks
assert "### `pmo_dashboard_tiles() -> Iterable[PmoDashboardTile]`" in hooks
assert "[`PmoDashboardTile`][pmo_core.PmoDashboardTile]" in hooks
assert "::: pmo_core.PmoDashboardTile" in docs_reference.records_page()
assert any("pmo_dashboard_tile " in p for p in check_plugin(Misspelt(), plugin_id="m")), (
    check_plugin(Misspelt(), plugin_id="m")
)
print("ok")
"""

TYPED = """
from pmo_core import PluginHost, PmoDashboardTile

def metrics(host: PluginHost) -> list[str]:
    reveal_type(host.records(PmoDashboardTile))
    return [t.metric for t in host.records(PmoDashboardTile)]

PmoDashboardTile(name="x", metrc="spi")
"""


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of pmo-core with the throwaway hook: one record class, one specification."""
    src = tmp_path_factory.mktemp("core")
    shutil.copytree(
        Path(pmo_core.__file__).parent,
        src / "pmo_core",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    with open(src / "pmo_core" / "_records" / "extensions.py", "a", encoding="utf-8") as f:
        f.write(RECORD)
    with open(src / "pmo_core" / "hookspecs.py", "a", encoding="utf-8") as f:
        f.write(SPEC)
    return src


def _env(copy: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(copy), **extra}
    env.pop("PMO_WORKSPACE", None)
    return env


def test_the_hook_is_collected_validated_exported_documented_and_known(
    copy: Path, tmp_path: Path
) -> None:
    script = f"COPY = {str(copy)!r}\nSCRIPTS = {str(ROOT / 'scripts')!r}\n"
    script += textwrap.dedent(CHECKS)
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=_env(copy, PMO_CACHE_DIR=str(tmp_path / "cache")),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("ok")


def test_the_hook_is_typed(copy: Path, tmp_path: Path) -> None:
    (tmp_path / "tiles_plugin.py").write_text(TYPED, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "tiles_plugin.py"],
        capture_output=True,
        text=True,
        env=_env(copy, MYPYPATH=str(copy)),
        cwd=tmp_path,
    )
    out = result.stdout.replace("builtins.", "")  # older mypy spells builtins out
    assert 'Revealed type is "tuple[pmo_core._records.extensions.PmoDashboardTile, ...]"' in out
    errors = [line for line in out.splitlines() if ": error:" in line]
    # The misspelt field is the only error: the typed getter and the record type check.
    assert len(errors) == 1, out
    assert errors[0].startswith("tiles_plugin.py:8: error: Unexpected keyword argument")
    assert '"metrc" for "PmoDashboardTile"' in errors[0]
