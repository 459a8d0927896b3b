"""First-party plugins and examples are built on the public SDK only.

They may use ``pmo_core`` (the facade), ``pmo_core.hookspecs`` and ``pmo_core.testing``;
anything private (``pmo_core._...``) would couple them to internals third parties cannot use.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pmo_core.testing import assert_public_sdk_only, private_sdk_uses

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = sorted(
    p for base in ("plugins", "examples") for p in (ROOT / base).iterdir() if p.is_dir()
)


def test_every_first_party_plugin_is_checked() -> None:
    names = {p.name for p in PACKAGES}
    assert {
        "pmo-governance",
        "pmo-stage-gate",
        "pmo-benefits",
        "pmo-prince2",
        "pmo-hybrid",
        "pmo-csv",
        "pmo-reports",
        "pmo-resources",
        "pmo-demo",
    } <= names


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_uses_only_the_public_sdk(package: Path) -> None:
    assert_public_sdk_only(package)


def test_the_check_catches_private_uses(tmp_path: Path) -> None:
    sample = tmp_path / "plugin.py"
    sample.write_text(
        "from pmo_core._workspace import Workspace\n"
        "import pmo_core\n"
        "from pmo_core import Workspace, _builtins\n"
        "importlib.import_module('pmo_core._evm')\n"
        "from pmo_core import __version__\n"
        "from pmo_core.testing import assert_valid_plugin\n",
        encoding="utf-8",
    )
    assert [use.split(":")[1] for use in private_sdk_uses(tmp_path)] == ["1", "3", "4"]
    with pytest.raises(AssertionError, match=r"plugin\.py:3"):
        assert_public_sdk_only(sample)
    with pytest.raises(AssertionError, match="nothing to check"):
        assert_public_sdk_only(tmp_path / "missing")
